/**
 * Mailboxes of other people the sandbox's user may (or may not) open through
 * `/users/{address}` (OUTLOOK_ALLOW_SHARED_MAILBOXES): a shared mailbox with
 * Full Access, a delegator whose calendar only is shared, and a colleague's
 * mailbox with no access at all (Graph's 403 ErrorAccessDenied). Each is the
 * seed plus one unread message of its own (the directory's `mailboxFor`), so
 * a test can tell from any listing which mailbox answered. Built on first
 * use: a sandbox no test asks for them never pays for the copies.
 */
import type { SandboxMailbox } from './model.js';
import { mailboxFor } from './identity/directory.js';
import { GraphErrorResponse } from './errors.js';

/** What the sandbox's user may do in another mailbox. */
export type OtherMailboxAccess = 'full' | 'calendar' | 'none';

export interface OtherMailbox {
  readonly name: string;
  readonly displayName: string;
  readonly oid: string;
  readonly access: OtherMailboxAccess;
}

/** Local parts; the domain is the seed user's. */
export const OTHER_MAILBOXES: readonly OtherMailbox[] = [
  { name: 'support', displayName: 'Contoso Support', oid: '5a4ed000-5e00-4a00-8000-00000000a001', access: 'full' },
  { name: 'morgan.delegator', displayName: 'Morgan Ellis', oid: '5a4ed000-5e00-4a00-8000-00000000a002', access: 'calendar' },
  { name: 'riley.private', displayName: 'Riley Private', oid: '5a4ed000-5e00-4a00-8000-00000000a003', access: 'none' },
];

/** First path segments below a mailbox root that a calendar delegate may use. */
const CALENDAR_SEGMENTS = new Set(['calendar', 'calendars', 'calendarview', 'events', 'calendargroups']);

/** The other mailbox `key` (address, any case) names, or undefined. */
export function otherMailboxNamed(seed: SandboxMailbox, key: string): (OtherMailbox & { upn: string }) | undefined {
  const domain = seed.user.userPrincipalName.replace(/^[^@]*@/, '').toLowerCase();
  const k = key.toLowerCase();
  const found = OTHER_MAILBOXES.find((m) => `${m.name}@${domain}` === k || m.oid === k);
  return found && { ...found, upn: `${found.name}@${domain}` };
}

/** The mailbox itself (a copy of `seed` with its own identity and message). */
export function buildOtherMailbox(seed: SandboxMailbox, m: OtherMailbox & { upn: string }): SandboxMailbox {
  return mailboxFor({ name: m.name, upn: m.upn, oid: m.oid, displayName: m.displayName }, seed);
}

/** Graph's refusal of a request the user's access does not cover, or undefined when it is allowed. */
export function accessRefusal(m: OtherMailbox & { upn: string }, rest: readonly string[]): GraphErrorResponse | undefined {
  if (m.access === 'full') return undefined;
  // The user object itself (`GET /users/{upn}`) is directory data, readable with User.ReadBasic.All, not mailbox access.
  if (rest.length === 0) return undefined;
  if (m.access === 'calendar' && CALENDAR_SEGMENTS.has((rest[0] ?? '').toLowerCase())) return undefined;
  return new GraphErrorResponse(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}
