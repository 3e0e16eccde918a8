/**
 * Validates incoming access tokens for our API the way a resource server
 * must (with `jose` against the tenant's published keys): RS256 only (no
 * `none`, no HMAC), `aud` one of our API's identifiers, `iss` exactly the
 * v2.0 issuer of the token's own tenant, that tenant in
 * OUTLOOK_ALLOWED_TENANTS, `exp`/`nbf`, and the API scope in `scp`. Entra
 * signs every tenant's tokens with the same keys, so the tenant check is
 * what keeps other organisations out. The SDK's bearer helpers turn the
 * outcome into 401/403 with `WWW-Authenticate`.
 */
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { HttpConfig } from '../config/config.js';
import { userKeyOf } from './user-key.js';

/** What a verified token tells about its caller (in `AuthInfo.extra`). */
export interface CallerClaims {
  readonly tenantId: string;
  readonly objectId: string;
  readonly userKey: string;
  readonly upn?: string;
}

const ALGORITHMS = ['RS256'];

/** `iss` of v2.0 tokens of `tid` at `authorityUrl` (`https://login.microsoftonline.com/<tid>/v2.0`). */
export function issuerOf(authorityUrl: string, tid: string): string {
  return `${authorityUrl.replace(/\/+$/, '')}/${tid}/v2.0`;
}

/** The JWKS URL of `tid` at `authorityUrl`. */
export function jwksUrlOf(authorityUrl: string, tid: string): URL {
  return new URL(`${authorityUrl.replace(/\/+$/, '')}/${tid}/discovery/v2.0/keys`);
}

function invalid(message: string): OAuthError {
  return new OAuthError(OAuthErrorCode.InvalidToken, message);
}

/** The caller's claims from a verified AuthInfo (set by {@link EntraTokenVerifier}). */
export function callerOf(auth: AuthInfo): CallerClaims {
  const c = auth.extra?.caller as CallerClaims | undefined;
  if (!c) throw invalid('The token has no caller.');
  return c;
}

/**
 * How long a verified token's outcome is reused (never past the token's own `exp`): well inside the hour
 * for which the tenant's key set itself is cached, so reusing it trusts no key longer than before.
 */
export const VERIFIED_TOKEN_REUSE_MS = 5 * 60_000;
/** Most verified tokens remembered (one or two per active person). */
const MAX_VERIFIED_TOKENS = 5000;

export class EntraTokenVerifier implements OAuthTokenVerifier {
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  /** Tokens already verified, by the exact token string (LRU order). */
  private readonly verified = new Map<string, { info: AuthInfo; until: number }>();
  /** The scope's own name (`access_as_user`), which is what `scp` carries. */
  private readonly scopeName: string;
  private readonly scopePrefix: string;

  constructor(
    private readonly http: HttpConfig,
    private readonly authorityUrl: string,
  ) {
    const i = http.apiScope.lastIndexOf('/');
    this.scopeName = http.apiScope.slice(i + 1);
    this.scopePrefix = http.apiScope.slice(0, i + 1);
  }

  /** The tenant's key set; jose caches it and refetches (with a cool-down) when a token names an unknown `kid`. */
  private keys(tid: string) {
    let set = this.keySets.get(tid);
    if (!set) this.keySets.set(tid, (set = createRemoteJWKSet(jwksUrlOf(this.authorityUrl, tid), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 3_600_000 })));
    return set;
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    // A client sends the same token on every call for an hour: its signature and claims are checked once.
    const known = this.verified.get(token);
    if (known) {
      this.verified.delete(token);
      if (known.until > Date.now()) {
        this.verified.set(token, known);
        return { ...known.info, scopes: [...known.info.scopes] };
      }
    }
    const info = await this.verify(token);
    this.remember(token, info);
    return { ...info, scopes: [...info.scopes] };
  }

  /** Keeps a verified token's outcome until it expires, at most {@link VERIFIED_TOKEN_REUSE_MS}; bounded, oldest out first. */
  private remember(token: string, info: AuthInfo): void {
    const until = Math.min((info.expiresAt ?? 0) * 1000, Date.now() + VERIFIED_TOKEN_REUSE_MS);
    if (until <= Date.now()) return;
    this.verified.set(token, { info, until });
    while (this.verified.size > MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
  }

  private async verify(token: string): Promise<AuthInfo> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw invalid('The access token is not a JWT.');
    }
    // Only the tenant picks the key set and issuer; nothing else is trusted before the signature is checked.
    const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    if (!this.http.allowedTenants.includes(tid)) throw invalid('The token is from a tenant this server does not serve.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys(tid), { algorithms: ALGORITHMS, audience: [...this.http.audiences], issuer: issuerOf(this.authorityUrl, tid), requiredClaims: ['exp', 'iat', 'tid', 'oid'], clockTolerance: 60 }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw invalid('The access token has expired.');
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw invalid(`The access token was refused (${err.claim}).`);
      if (err instanceof joseErrors.JOSEAlgNotAllowed) throw invalid('The access token is not signed with an accepted algorithm.');
      if (err instanceof joseErrors.JWKSNoMatchingKey) throw invalid('The access token is signed with an unknown key.');
      if (err instanceof joseErrors.JWKSTimeout || (err instanceof Error && /fetch|ECONNREFUSED/i.test(err.message))) {
        throw new OAuthError(OAuthErrorCode.ServerError, 'The tenant signing keys could not be fetched; try again shortly.');
      }
      throw invalid('The access token could not be verified.');
    }
    if (payload.ver !== '2.0') throw invalid('Only v2.0 access tokens are accepted: set requestedAccessTokenVersion to 2 in the API app manifest.');
    const oid = String(payload.oid);
    const scopes = (typeof payload.scp === 'string' ? payload.scp : '').split(' ').filter(Boolean).map((s) => this.scopePrefix + s);
    const caller: CallerClaims = { tenantId: tid, objectId: oid.toLowerCase(), userKey: userKeyOf(this.http.stateSecret, { tenantId: tid, objectId: oid }), ...(typeof payload.preferred_username === 'string' ? { upn: payload.preferred_username } : {}) };
    return {
      token,
      clientId: typeof payload.azp === 'string' ? payload.azp : String(payload.appid ?? ''),
      scopes,
      expiresAt: payload.exp,
      extra: { caller },
    };
  }
}
