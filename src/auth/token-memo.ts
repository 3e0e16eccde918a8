/**
 * The access token in memory, shared by concurrent callers: Graph calls run
 * four at a time, and each would otherwise ask MSAL (and with it the token
 * store or the network) on its own. A forced refresh (after a 401) is shared
 * the same way, so one burst of 401s costs one renewal.
 */

/** Renew a little before expiry, so a token never expires on its way to Graph. */
export const EXPIRY_MARGIN_MS = 5 * 60_000;

export interface FetchedToken {
  token: string;
  /** Epoch milliseconds; undefined = use once. */
  expiresAt?: number;
}

/** One in-memory token with shared in-flight requests. */
export class TokenMemo {
  private memo?: { token: string; expiresAt: number };
  private inflight?: Promise<string>;
  private forced?: Promise<string>;

  constructor(
    private readonly fetchToken: (force: boolean) => Promise<FetchedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The remembered token while it has more than EXPIRY_MARGIN_MS left, else a fetched one. */
  get(forceRefresh = false): Promise<string> {
    if (forceRefresh) {
      this.memo = undefined;
      return (this.forced ??= this.fetch(true).finally(() => (this.forced = undefined)));
    }
    const m = this.memo;
    if (m && m.expiresAt - this.now() > EXPIRY_MARGIN_MS) return Promise.resolve(m.token);
    return (this.inflight ??= this.fetch(false).finally(() => (this.inflight = undefined)));
  }

  /** Remembers a token obtained elsewhere (e.g. by a sign-in). */
  set(t: FetchedToken): void {
    this.memo = t.expiresAt !== undefined ? { token: t.token, expiresAt: t.expiresAt } : undefined;
  }

  /** Forgets the token (logout, a new sign-in). */
  clear(): void {
    this.memo = undefined;
  }

  private async fetch(force: boolean): Promise<string> {
    const t = await this.fetchToken(force);
    this.set(t);
    return t.token;
  }
}
