/** Finding folders, messages and calendars by id the way Exchange answers: malformed vs unknown. */
import { GraphErrorResponse, idMalformed, itemNotFound } from './errors.js';
import type { SandboxCalendar, SandboxFolder, SandboxMailbox, SandboxMessage, SandboxUser } from './model.js';

/** Graph's well-known folder names (locale-independent). */
export const WELL_KNOWN_FOLDERS: ReadonlySet<string> = new Set([
  'archive', 'clutter', 'conflicts', 'conversationhistory', 'deleteditems', 'drafts', 'inbox', 'junkemail',
  'localfailures', 'msgfolderroot', 'outbox', 'recoverableitemsdeletions', 'scheduled', 'searchfolders',
  'sentitems', 'serverfailures', 'syncissues',
]);

/**
 * Exchange ids are base64 (either alphabet, `=` padding) of a binary entry id
 * of at least a few dozen bytes; occurrence ids add `.YYYYMMDD`. Anything
 * else cannot name an item and is refused as malformed, not as unknown.
 */
export function isWellFormedId(id: string): boolean {
  const core = id.replace(/\.\d{8}$/, '');
  return core.length >= 40 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(core);
}

function checkId(id: string): void {
  if (!isWellFormedId(id)) throw idMalformed();
}

/** A folder by id or well-known name (case-insensitive). */
export function findFolder(mailbox: SandboxMailbox, idOrName: string): SandboxFolder {
  const lower = idOrName.toLowerCase();
  if (WELL_KNOWN_FOLDERS.has(lower)) {
    const f = mailbox.folders.find((x) => x.wellKnownName?.toLowerCase() === lower);
    if (!f) throw itemNotFound();
    return f;
  }
  const f = mailbox.folders.find((x) => x.id === idOrName);
  if (f) return f;
  checkId(idOrName);
  throw itemNotFound();
}

/** A message by id. */
export function findMessage(mailbox: SandboxMailbox, id: string): SandboxMessage {
  const m = mailbox.messages.find((x) => x.id === id);
  if (m) return m;
  checkId(id);
  throw itemNotFound();
}

/** A calendar by id. */
export function findCalendar(mailbox: SandboxMailbox, id: string): SandboxCalendar {
  const c = mailbox.calendars.find((x) => x.id === id);
  if (c) return c;
  checkId(id);
  throw itemNotFound();
}

/** The default calendar (the first one when none is flagged). */
export function defaultCalendar(mailbox: SandboxMailbox): SandboxCalendar {
  const c = mailbox.calendars.find((x) => x.isDefaultCalendar) ?? mailbox.calendars[0];
  if (!c) throw itemNotFound();
  return c;
}

/** Checks an id before looking it up elsewhere (events live in calendar.ts). */
export function requireWellFormedId(id: string): void {
  checkId(id);
}

/** The folder of the mailbox root (`msgfolderroot`), if the mailbox has one. */
export function rootFolder(mailbox: SandboxMailbox): SandboxFolder | undefined {
  return mailbox.folders.find((f) => f.wellKnownName?.toLowerCase() === 'msgfolderroot');
}

/** True when `/users/{key}` names this mailbox's user (id, mail or UPN, case-insensitive). */
export function isThisUser(user: SandboxUser, key: string): boolean {
  const k = key.toLowerCase();
  return [user.id, user.mail, user.userPrincipalName].some((v) => v.toLowerCase() === k);
}

/** 404 for a `/users/{key}` that is not this mailbox. */
export function unknownUser(key: string, mailPath: boolean): GraphErrorResponse {
  return mailPath
    ? new GraphErrorResponse(404, 'ErrorInvalidUser', `The requested user '${key}' is invalid.`)
    : new GraphErrorResponse(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
}
