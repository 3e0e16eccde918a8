/**
 * The sandbox's tokens. Access and refresh tokens are self-describing and
 * MAC-ed with a fixed key, so any sandbox (a later process, a new port) can
 * check a token another one issued: a sign-in made with `login --sandbox`
 * keeps working in the next `--sandbox` server. The key is not a secret:
 * these tokens mean something only to this loopback fake.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = 'mcp-server-outlook sandbox identity; not a secret';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function mac(data: string): string {
  return createHmac('sha256', KEY).update(data).digest('base64url');
}

function macOk(data: string, sig: string): boolean {
  const a = Buffer.from(mac(data));
  const b = Buffer.from(sig);
  return a.length === b.length && timingSafeEqual(a, b);
}

function decode<T>(part: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Claims of a sandbox access token (a subset of Entra's v1 access-token claims, plus `iat_ms`). */
export interface AccessClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  idtyp: 'user' | 'app';
  /** Delegated permissions, space-separated. */
  scp?: string;
  /** Application permissions. */
  roles?: string[];
  oid?: string;
  upn?: string;
  name?: string;
  iat: number;
  nbf: number;
  exp: number;
  /** Issue time in milliseconds, so "expire everything issued so far" is exact. */
  iat_ms: number;
  uti: string;
}

/** A JWT-shaped access token. */
export function signAccessToken(claims: AccessClaims): string {
  const data = `${b64({ typ: 'JWT', alg: 'HS256', kid: 'sandbox' })}.${b64(claims)}`;
  return `${data}.${mac(data)}`;
}

/** The claims of a token this sandbox family issued, or undefined for anything else. */
export function verifyAccessToken(token: string): AccessClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  if (!macOk(`${h}.${p}`, s)) return undefined;
  return decode<AccessClaims>(p);
}

/** What a refresh token stands for. */
export interface RefreshClaims {
  /** User object id. */
  sub: string;
  /** The tenant of the account. */
  tid: string;
  personal: boolean;
  /** Client id it was issued to. */
  cid: string;
  /** Permissions consented for it (bare names). */
  scp: string[];
  /** Rotation family and generation: only the newest generation of a family is accepted. */
  fam: string;
  gen: number;
  iat_ms: number;
}

const RT_PREFIX = '1.sbx.';

/** An opaque-looking refresh token. */
export function signRefreshToken(claims: RefreshClaims): string {
  const data = RT_PREFIX + b64(claims);
  return `${data}.${mac(data)}`;
}

/** The claims of a refresh token this sandbox family issued. */
export function verifyRefreshToken(token: string): RefreshClaims | undefined {
  const i = token.lastIndexOf('.');
  if (!token.startsWith(RT_PREFIX) || i < 0) return undefined;
  const data = token.slice(0, i);
  if (!macOk(data, token.slice(i + 1))) return undefined;
  return decode<RefreshClaims>(data.slice(RT_PREFIX.length));
}

/** An unsigned id token (MSAL reads its claims and does not verify a signature). */
export function idToken(claims: Record<string, unknown>): string {
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64(claims)}.`;
}

/** Entra's `client_info`: base64url of `{"uid","utid"}`, which keys MSAL's accounts. */
export function clientInfo(uid: string, utid: string): string {
  return b64({ uid, utid });
}

/** Random url-safe text. */
export function randomText(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
