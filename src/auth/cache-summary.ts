/**
 * What a profile's stored MSAL cache says about its sign-in, read without
 * MSAL and without any network request: the account, its tenant, the
 * permissions of the newest access token, its expiry, and whether a refresh
 * token exists. Used by `status`, `ol_status` and `ol_login_status`, so they
 * answer instantly and never print a secret (secrets are not even copied).
 */
import { isPersonalAccount } from './authority.js';
import { extraScopes, graphPermissions, missingScopes } from './scopes.js';

export interface CachedAccount {
  readonly homeAccountId: string;
  readonly environment: string;
  /** The tenant the account signed in to (`realm`). */
  readonly tenantId: string;
  readonly username: string;
  readonly name?: string;
}

export interface CachedAccessToken {
  readonly homeAccountId: string;
  readonly environment: string;
  readonly realm: string;
  readonly clientId: string;
  /** Permission names (no OpenID scopes). */
  readonly scopes: string[];
  readonly expiresOn: Date;
}

export interface CacheSummary {
  readonly accounts: CachedAccount[];
  readonly accessTokens: CachedAccessToken[];
  /** Home account ids that hold a refresh token. */
  readonly refreshTokenAccounts: string[];
  /** The stored data is not an MSAL cache (it will be replaced by the next sign-in). */
  readonly unreadable: boolean;
}

type Entities = Record<string, Record<string, unknown>>;

function entities(doc: Record<string, unknown>, name: string): Array<Record<string, unknown>> {
  const section = doc[name];
  if (!section || typeof section !== 'object') return [];
  return Object.values(section as Entities).filter((e): e is Record<string, unknown> => !!e && typeof e === 'object');
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Parses MSAL's serialized cache (its documented JSON schema: Account, AccessToken, RefreshToken sections). */
export function summarizeCache(serialized: string | undefined): CacheSummary {
  const empty = { accounts: [], accessTokens: [], refreshTokenAccounts: [] };
  if (serialized === undefined || serialized.trim() === '') return { ...empty, unreadable: false };
  let doc: unknown;
  try {
    doc = JSON.parse(serialized);
  } catch {
    return { ...empty, unreadable: true };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ...empty, unreadable: true };
  const d = doc as Record<string, unknown>;
  const accounts = entities(d, 'Account').map((a) => ({
    homeAccountId: str(a.home_account_id),
    environment: str(a.environment),
    tenantId: str(a.realm),
    username: str(a.username),
    ...(str(a.name) ? { name: str(a.name) } : {}),
  }));
  const accessTokens = entities(d, 'AccessToken').map((t) => ({
    homeAccountId: str(t.home_account_id),
    environment: str(t.environment),
    realm: str(t.realm),
    clientId: str(t.client_id),
    scopes: graphPermissions([str(t.target)]),
    expiresOn: new Date(Number(str(t.expires_on)) * 1000),
  }));
  const refreshTokenAccounts = [...new Set(entities(d, 'RefreshToken').map((t) => str(t.home_account_id)))];
  return { accounts, accessTokens, refreshTokenAccounts, unreadable: false };
}

/** A profile's sign-in as far as its stored cache tells. */
export interface StoredSignIn {
  readonly signedIn: boolean;
  /** `Name <user@contoso.com>` or the user name alone. */
  readonly account?: string;
  readonly username?: string;
  readonly tenantId?: string;
  readonly accountType?: 'work or school' | 'personal';
  /** Permissions of the newest access token: what the user or an admin consented to. */
  readonly grantedScopes: string[];
  /** Permissions the current settings ask for. */
  readonly requestedScopes: string[];
  /** Requested but not granted: a new sign-in is needed. */
  readonly missingScopes: string[];
  /** Granted beyond the request (e.g. Mail.Send from an earlier sign-in with send enabled). */
  readonly extraScopes: string[];
  readonly accessTokenExpiresOn?: Date;
  readonly hasRefreshToken: boolean;
  readonly unreadable: boolean;
}

/** The sign-in of the account in `summary` (the one with the newest token when several are stored) against `requested`. */
export function storedSignIn(summary: CacheSummary, requested: readonly string[], now: Date = new Date()): StoredSignIn {
  const requestedScopes = graphPermissions(requested);
  const base = { grantedScopes: [], requestedScopes, missingScopes: requestedScopes, extraScopes: [], hasRefreshToken: false, unreadable: summary.unreadable };
  const newest = (id: string) => summary.accessTokens.filter((t) => t.homeAccountId === id).sort((a, b) => b.expiresOn.getTime() - a.expiresOn.getTime())[0];
  const ranked = [...summary.accounts].sort((a, b) => (newest(b.homeAccountId)?.expiresOn.getTime() ?? 0) - (newest(a.homeAccountId)?.expiresOn.getTime() ?? 0));
  const acct = ranked[0];
  if (!acct) return { signedIn: false, ...base };
  const token = newest(acct.homeAccountId);
  const granted = token?.scopes ?? [];
  const hasRefreshToken = summary.refreshTokenAccounts.includes(acct.homeAccountId);
  return {
    signedIn: hasRefreshToken || (token !== undefined && token.expiresOn.getTime() > now.getTime()),
    account: acct.name && acct.username ? `${acct.name} <${acct.username}>` : acct.username || acct.name,
    username: acct.username,
    tenantId: acct.tenantId,
    accountType: isPersonalAccount(acct.tenantId) ? 'personal' : 'work or school',
    grantedScopes: granted,
    requestedScopes,
    missingScopes: token ? missingScopes(granted, requested) : [],
    extraScopes: extraScopes(granted, requested),
    ...(token ? { accessTokenExpiresOn: token.expiresOn } : {}),
    hasRefreshToken,
    unreadable: summary.unreadable,
  };
}
