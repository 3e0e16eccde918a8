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

/** What a person may do in another mailbox (Exchange: Full Access, a calendar delegate, nothing). */
export type OtherMailboxAccess = 'full' | 'calendar' | 'none';

export interface OtherMailbox {
  readonly name: string;
  readonly displayName: string;
  readonly oid: string;
  /** What the seed's owner may do there (their default grant). */
  readonly access: OtherMailboxAccess;
  /** Its `mailboxSettings.userPurpose`: a shared mailbox, or a person's own. */
  readonly purpose: 'shared' | 'user';
}

/** Per person (their `name`: the UPN's local part up to the first dot), per other mailbox (its local part): the access granted. */
export type MailboxGrants = Readonly<Record<string, Readonly<Record<string, OtherMailboxAccess>>>>;

/**
 * Who may open what in a team sandbox, besides the owner's defaults: Blake works the support desk and is
 * Morgan's full delegate; anyone else (Casey, user4, …) has no access to any other mailbox.
 */
const TEAM_GRANTS: MailboxGrants = { blake: { support: 'full', 'morgan.delegator': 'full' } };

/** The name grants are keyed by for a mailbox's user (as `directoryUsers` names people). */
export function personName(upn: string): string {
  return (upn.replace(/@.*$/, '').split('.')[0] ?? '').toLowerCase();
}

/** What `person` may do in `mailbox`: `grants` (the sandbox's options) first, then the defaults. */
export function accessOf(person: string, owner: string, mailbox: OtherMailbox, grants: MailboxGrants = {}): OtherMailboxAccess {
  const given = grants[person]?.[mailbox.name];
  if (given) return given;
  if (person === owner) return mailbox.access;
  return TEAM_GRANTS[person]?.[mailbox.name] ?? 'none';
}

/** Local parts; the domain is the seed user's. */
export const OTHER_MAILBOXES: readonly OtherMailbox[] = [
  { name: 'support', displayName: 'Contoso Support', oid: '5a4ed000-5e00-4a00-8000-00000000a001', access: 'full', purpose: 'shared' },
  { name: 'morgan.delegator', displayName: 'Morgan Ellis', oid: '5a4ed000-5e00-4a00-8000-00000000a002', access: 'calendar', purpose: 'user' },
  { name: 'riley.private', displayName: 'Riley Private', oid: '5a4ed000-5e00-4a00-8000-00000000a003', access: 'none', purpose: 'user' },
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

const LARGEST_COPIED_ATTACHMENT = 1024 * 1024;

/** The mailbox itself (a copy of `seed` with its own identity and message). */
export function buildOtherMailbox(seed: SandboxMailbox, m: OtherMailbox & { upn: string }): SandboxMailbox {
  const mailbox = mailboxFor({ name: m.name, upn: m.upn, oid: m.oid, displayName: m.displayName }, seed);
  mailbox.user.userPurpose = m.purpose;
  // Without the seed's multi-megabyte attachments (the scans archive): these mailboxes are kept in the saved
  // sandbox file too, and large-attachment behaviour is the owner's mailbox's to show.
  for (const msg of mailbox.messages) {
    msg.attachments = msg.attachments.filter((a) => a.bytes.length <= LARGEST_COPIED_ATTACHMENT);
    if (msg.attachments.length === 0) msg.hasAttachments = false;
  }
  return mailbox;
}

/** Every other mailbox, built from `seed`, by UPN (lower-case). */
export function otherMailboxesOf(seed: SandboxMailbox): Map<string, SandboxMailbox> {
  const domain = seed.user.userPrincipalName.replace(/^[^@]*@/, '').toLowerCase();
  return new Map(OTHER_MAILBOXES.map((m) => {
    const upn = `${m.name}@${domain}`;
    return [upn, buildOtherMailbox(seed, { ...m, upn })];
  }));
}

/** Graph's refusal of a request `access` does not cover, or undefined when it is allowed. */
export function accessRefusal(access: OtherMailboxAccess, rest: readonly string[]): GraphErrorResponse | undefined {
  if (access === 'full') return undefined;
  // The user object itself (`GET /users/{upn}`) is directory data, readable with User.ReadBasic.All, not mailbox access.
  if (rest.length === 0) return undefined;
  const first = (rest[0] ?? '').toLowerCase();
  if (access === 'calendar' && CALENDAR_SEGMENTS.has(first)) return undefined;
  // The ready token reads the settings (userPurpose) of every mailbox it may open, as an app-only token with
  // MailboxSettings.Read does; a delegated token from the identity endpoint gets Graph's 403 (checkGrant).
  if (access === 'calendar' && first === 'mailboxsettings') return undefined;
  return new GraphErrorResponse(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}

/** Who may open each other mailbox, for `sandbox --json`: by address, its purpose and each person's access. */
export function otherMailboxDirectory(people: readonly { name: string; upn: string }[], grants: MailboxGrants = {}): Array<{ upn: string; purpose: string; access: Record<string, OtherMailboxAccess> }> {
  const owner = people[0];
  if (!owner) return [];
  const domain = owner.upn.replace(/^[^@]*@/, '').toLowerCase();
  return OTHER_MAILBOXES.map((m) => ({
    upn: `${m.name}@${domain}`,
    purpose: m.purpose,
    access: Object.fromEntries(people.map((p) => [p.name, accessOf(p.name, owner.name, m, grants)])),
  }));
}
