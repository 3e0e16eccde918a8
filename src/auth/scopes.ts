/**
 * Which permissions this server asks Microsoft for, derived from the flags
 * and nothing else (docs/DESIGN.md promise 4): read-only by default, ReadWrite only
 * with drafts, `Mail.Send` only with send. Pure functions, so the mapping is
 * tested on its own and every sign-in path uses the same list.
 */
import { settingName, surfaceOf } from '../config/advice.js';
import { CLOUDS, type CloudName } from '../config/clouds.js';
import type { AuthMode } from '../config/config.js';

/** Delegated permissions per feature, as Graph names them. */
/**
 * `People.Read` serves ol_people_search (relevance-ranked people, personal
 * accounts too); free/busy needs only `Calendars.Read`, and working hours come
 * with it, so `MailboxSettings.Read` is not asked for.
 */
export const READ_SCOPES = ['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read'] as const;
export const DRAFT_SCOPES = ['Mail.ReadWrite', 'Calendars.ReadWrite'] as const;
export const SEND_SCOPES = ['Mail.Send'] as const;
/**
 * Other people's mailboxes (OUTLOOK_ALLOW_SHARED_MAILBOXES): Graph's delegated
 * `.Shared` permissions reach mail and calendars the signed-in person was
 * given access to in Exchange (Full Access, delegate); they grant nothing by
 * themselves. Requested only with the opt-in; `.ReadWrite.Shared` only with
 * drafts too (drafts are made in that mailbox). Sending from it needs no
 * further scope: `Mail.Send` covers Send As / Send on Behalf the mailbox grants.
 */
export const SHARED_READ_SCOPES = ['Mail.Read.Shared', 'Calendars.Read.Shared'] as const;
export const SHARED_DRAFT_SCOPES = ['Mail.ReadWrite.Shared', 'Calendars.ReadWrite.Shared'] as const;
/**
 * Group conversations (OUTLOOK_ALLOW_GROUP_MAILBOXES), read-only: `Group.Read.All` covers both the
 * conversation reads (`/groups/{id}/threads`, `…/posts`) and finding a group by its address
 * (`/groups?$filter=mail eq …`); the narrower Group-Conversation.Read.All would not cover the latter.
 * It needs an administrator's consent (docs/AUTH.md). Requested only with the opt-in.
 */
export const GROUP_READ_SCOPES = ['Group.Read.All'] as const;

/** Spellings to show for permissions MSAL's cache keeps lower-cased. */
const CANONICAL: ReadonlyMap<string, string> = new Map(
  [...READ_SCOPES, ...DRAFT_SCOPES, ...SEND_SCOPES, ...SHARED_READ_SCOPES, ...SHARED_DRAFT_SCOPES, ...GROUP_READ_SCOPES, 'User.Read.All', 'User.ReadBasic.All', 'MailboxSettings.Read', 'MailboxSettings.ReadWrite', 'Mail.ReadBasic'].map((p) => [p.toLowerCase(), p]),
);

/** OpenID Connect scopes: they name no Graph permission, so grants are compared without them. */
const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface ScopeFlags {
  readonly allowDrafts: boolean;
  readonly allowSend: boolean;
  readonly cloud: CloudName;
  readonly authMode: AuthMode;
  /** OUTLOOK_ALLOW_SHARED_MAILBOXES: adds the `.Shared` permissions. */
  readonly allowSharedMailboxes?: boolean;
  /** OUTLOOK_ALLOW_GROUP_MAILBOXES: adds `Group.Read.All`. */
  readonly allowGroupMailboxes?: boolean;
}

/** The bare Graph permissions the flags need, e.g. `['Mail.Read', 'Calendars.Read', 'User.Read']`. */
export function permissionsFor(flags: Pick<ScopeFlags, 'allowDrafts' | 'allowSend' | 'allowSharedMailboxes' | 'allowGroupMailboxes'>): string[] {
  const out: string[] = [...READ_SCOPES];
  if (flags.allowSharedMailboxes) out.push(...SHARED_READ_SCOPES);
  if (flags.allowGroupMailboxes) out.push(...GROUP_READ_SCOPES);
  if (flags.allowDrafts) out.push(...DRAFT_SCOPES);
  if (flags.allowDrafts && flags.allowSharedMailboxes) out.push(...SHARED_DRAFT_SCOPES);
  // Send is refused without drafts by the configuration; checked again here so no path can ask for Mail.Send alone.
  if (flags.allowDrafts && flags.allowSend) out.push(...SEND_SCOPES);
  return out;
}

/**
 * The scopes to request for this configuration. Delegated: the permissions
 * plus `offline_access` (a refresh token, so sign-in survives restarts); in
 * the global cloud as bare names (Entra answers with bare names there, and
 * MSAL matches cached tokens by name), elsewhere qualified with the cloud's
 * Graph host, which bare names would not select. App-only: `<graph>/.default`.
 */
export function scopesFor(flags: ScopeFlags): string[] {
  const graphHost = CLOUDS[flags.cloud].graphHost;
  if (flags.authMode === 'service-principal') return [`https://${graphHost}/.default`];
  const qualify = (p: string) => (flags.cloud === 'global' ? p : `https://${graphHost}/${p}`);
  return [...permissionsFor(flags).map(qualify), 'offline_access'];
}

/** A scope reduced to its permission name, lower-cased: `https://graph.microsoft.us/Mail.Read` → `mail.read`. */
export function normalizeScope(scope: string): string {
  const s = scope.trim();
  const m = /^https?:\/\/[^/]+\/(.+)$/i.exec(s);
  return (m ? (m[1] as string) : s).toLowerCase();
}

/** Permission names in `scopes`, without OpenID scopes, in a readable form (`Mail.Read`), de-duplicated. */
export function graphPermissions(scopes: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const raw of scopes) {
    for (const scope of raw.split(/\s+/)) {
      if (!scope) continue;
      const key = normalizeScope(scope);
      if (OIDC_SCOPES.has(key) || key === '.default') continue;
      if (!seen.has(key)) seen.set(key, CANONICAL.get(key) ?? scope.replace(/^https?:\/\/[^/]+\//i, ''));
    }
  }
  return [...seen.values()];
}

/** Requested permissions the grant does not hold. `Mail.ReadWrite` covers `Mail.Read`, as in Graph. */
export function missingScopes(granted: Iterable<string>, requested: Iterable<string>): string[] {
  const have = new Set(graphPermissions(granted).map(normalizeScope));
  return graphPermissions(requested).filter((p) => {
    const key = normalizeScope(p);
    if (have.has(key)) return false;
    const readWrite = key.replace(/\.read(\.shared)?$/, '.readwrite$1');
    return !(readWrite !== key && have.has(readWrite));
  });
}

/** Granted permissions beyond what was requested (e.g. `Mail.Send` consented in an earlier sign-in). */
export function extraScopes(granted: Iterable<string>, requested: Iterable<string>): string[] {
  const want = new Set(graphPermissions(requested).map(normalizeScope));
  return graphPermissions(granted).filter((p) => !want.has(normalizeScope(p)));
}

/** Which setting needs the given permissions, for messages: `OUTLOOK_ALLOW_DRAFTS=true`, or 'Allow drafts' in the bundle, … */
export function settingNeeding(permissions: readonly string[], surface: { readonly bundle?: 'mcpb' } = {}): string {
  const keys = new Set(permissions.map(normalizeScope));
  const parts: string[] = [];
  const on = (variable: string) => (surfaceOf(surface) === 'mcpb' ? settingName(surface, variable) : `${variable}=true`);
  if (SEND_SCOPES.some((s) => keys.has(s.toLowerCase()))) parts.push(on('OUTLOOK_ALLOW_SEND'));
  if (DRAFT_SCOPES.some((s) => keys.has(s.toLowerCase()))) parts.push(on('OUTLOOK_ALLOW_DRAFTS'));
  if ([...SHARED_READ_SCOPES, ...SHARED_DRAFT_SCOPES].some((s) => keys.has(s.toLowerCase()))) parts.push('OUTLOOK_ALLOW_SHARED_MAILBOXES=true');
  if (GROUP_READ_SCOPES.some((s) => keys.has(s.toLowerCase()))) parts.push('OUTLOOK_ALLOW_GROUP_MAILBOXES=true');
  if (READ_SCOPES.some((s) => keys.has(s.toLowerCase()))) parts.push('reading mail, calendars and people');
  return parts.join(' and ') || 'the current settings';
}
