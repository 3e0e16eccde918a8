/**
 * Where the Graph client gets its bearer token. Sign-in flows (device code,
 * client credentials) implement the same interface; the client asks for a
 * forced refresh exactly once after a 401 and then gives up.
 */
import { UserFacingError } from '../errors.js';
export interface TokenRequest {
  /** Skip any cached token and get a fresh one (used once after a 401). */
  forceRefresh?: boolean;
  signal?: AbortSignal;
}

export interface TokenProvider {
  /** Short label shown by `ol_status`, e.g. `static (OUTLOOK_ACCESS_TOKEN)` or `sandbox`. */
  readonly source: string;
  /** A bearer token for Graph. Throws `NotSignedInError` when no usable credentials exist. */
  getToken(request?: TokenRequest): Promise<string>;
}

/** No usable credentials: the message tells the user how to sign in. */
export class NotSignedInError extends UserFacingError {
  override name = 'NotSignedInError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('not_signed_in', message, options);
  }
}

/** A ready token from `OUTLOOK_ACCESS_TOKEN`: it cannot be refreshed, so a 401 means "get a new one". */
export function staticTokenProvider(token: string, source = 'static (OUTLOOK_ACCESS_TOKEN)'): TokenProvider {
  return {
    source,
    async getToken(request) {
      if (request?.forceRefresh) {
        throw new NotSignedInError(
          'Graph refused the token in OUTLOOK_ACCESS_TOKEN (expired or revoked). Provide a fresh token, or unset OUTLOOK_ACCESS_TOKEN and sign in with: mcp-server-outlook login',
        );
      }
      return token;
    },
  };
}
