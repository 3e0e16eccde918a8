/** What the identity endpoint's handlers return: an Entra answer or error, before it is written. */

/** One Entra error: the OAuth `error`, the AADSTS number and the wording Entra uses. */
export interface ErrorSpec {
  error: string;
  aadsts?: number;
  description: string;
  suberror?: string;
  status?: number;
  /** Conditional Access claims challenge (`interaction_required`), a JSON string. */
  claims?: string;
}

export interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
  /** Extra headers, e.g. `location` of a redirect. */
  headers?: Record<string, string>;
}
