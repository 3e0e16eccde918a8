/**
 * Which Graph permission each sandbox route needs, and Graph's answer when a
 * token lacks it, so a client that asked for too few scopes fails here the
 * way it would against Microsoft Graph. Applies only to tokens from the
 * sandbox's identity endpoint; the sandbox's own ready token may do anything.
 */
import { GraphErrorResponse } from '../errors.js';
import { accessRefusal, type OtherMailboxAccess } from '../other-mailboxes.js';

/** What a verified access token allows. */
export interface Grant {
  readonly appOnly: boolean;
  /** Permission names, lower-cased (`mail.read`). */
  readonly permissions: ReadonlySet<string>;
  /** A personal Microsoft account (outlook.com): Graph offers it no free/busy. */
  readonly personal?: boolean;
  /** The person a delegated token stands for: in team mode, whose mailbox Graph serves. */
  readonly oid?: string;
}

const SEND_ACTIONS = new Set(['send', 'sendmail', 'reply', 'replyall', 'forward']);
const MAIL = new Set(['messages', 'mailfolders']);
const CALENDAR = new Set(['events', 'calendar', 'calendars', 'calendarview', 'calendargroups']);

interface Requirement {
  anyOf: string[];
  status: number;
  code: string;
  message: string;
}

const ACCESS_DENIED = { status: 403, code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' };

/** The permissions (any one suffices) a request needs; `segments` are below `/me` or `/users/{id}`. */
export function requirementFor(method: string, segments: readonly string[], appOnly: boolean): Requirement | undefined {
  const first = (segments[0] ?? '').toLowerCase();
  const last = (segments[segments.length - 1] ?? '').toLowerCase();
  const read = method === 'GET' || method === 'HEAD';
  if (segments.length === 0) {
    return {
      anyOf: appOnly ? ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'] : ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    };
  }
  // getSchedule is a POST that only reads free/busy (least privilege Calendars.Read).
  if (last === 'getschedule') return { anyOf: ['Calendars.Read', 'Calendars.ReadWrite', 'Calendars.Read.Shared'], ...ACCESS_DENIED };
  if (first === 'people') return { anyOf: ['People.Read', 'People.Read.All'], ...ACCESS_DENIED };
  if (first === 'mailboxsettings') return { anyOf: read ? ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'] : ['MailboxSettings.ReadWrite'], ...ACCESS_DENIED };
  if (first === 'sendmail' || (first === 'messages' && SEND_ACTIONS.has(last))) return { anyOf: ['Mail.Send'], ...ACCESS_DENIED };
  // The .Shared permissions cover the person's own mail and calendars too ("mail a user can access, including their own").
  if (MAIL.has(first)) return { anyOf: read ? ['Mail.Read', 'Mail.ReadWrite', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared'] : ['Mail.ReadWrite', 'Mail.ReadWrite.Shared'], ...ACCESS_DENIED };
  if (CALENDAR.has(first)) return { anyOf: read ? ['Calendars.Read', 'Calendars.ReadWrite', 'Calendars.Read.Shared', 'Calendars.ReadWrite.Shared'] : ['Calendars.ReadWrite', 'Calendars.ReadWrite.Shared'], ...ACCESS_DENIED };
  return undefined;
}

/**
 * What a delegated token needs in another person's mailbox besides the plain permission: Graph's `.Shared`
 * permissions (mail and calendars; a send needs only Mail.Send). Settings of anyone else's mailbox are not
 * readable by a delegated token at all: there is no `MailboxSettings.Read.Shared`, and Graph answers 403
 * even to a person with Full Access.
 */
function sharedRequirement(method: string, segments: readonly string[]): Requirement | 'never' | undefined {
  const first = (segments[0] ?? '').toLowerCase();
  const last = (segments[segments.length - 1] ?? '').toLowerCase();
  const read = method === 'GET' || method === 'HEAD';
  if (first === 'mailboxsettings') return 'never';
  if (first === 'messages' && SEND_ACTIONS.has(last)) return undefined;
  if (MAIL.has(first)) return { anyOf: read ? ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'] : ['Mail.ReadWrite.Shared'], ...ACCESS_DENIED };
  if (CALENDAR.has(first) && last !== 'getschedule') return { anyOf: read ? ['Calendars.Read.Shared', 'Calendars.ReadWrite.Shared'] : ['Calendars.ReadWrite.Shared'], ...ACCESS_DENIED };
  return undefined;
}

/**
 * Graph's error for a request the grant does not allow, or undefined when it may proceed. `other`: the
 * request names another person's mailbox, and what the token's person may do there (their Exchange
 * rights); an app-only token's application permissions reach every mailbox.
 */
export function checkGrant(grant: Grant, method: string, segments: readonly string[], viaMe: boolean, other?: { access: OtherMailboxAccess }): GraphErrorResponse | undefined {
  if (viaMe && grant.appOnly) return new GraphErrorResponse(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  // getSchedule is documented for work or school accounts only.
  if (grant.personal && (segments[segments.length - 1] ?? '').toLowerCase() === 'getschedule') {
    return new GraphErrorResponse(400, 'BadRequest', 'This API is not supported for personal Microsoft accounts.');
  }
  const has = (need: Requirement) => need.anyOf.some((p) => grant.permissions.has(p.toLowerCase()));
  const delegatedElsewhere = other !== undefined && !grant.appOnly && segments.length > 0;
  const shared = delegatedElsewhere ? sharedRequirement(method, segments) : undefined;
  if (shared === 'never') return new GraphErrorResponse(ACCESS_DENIED.status, ACCESS_DENIED.code, ACCESS_DENIED.message);
  if (shared) {
    // The .Shared permission is what counts there (Mail.Read.Shared also covers the person's own mail).
    if (!has(shared)) return new GraphErrorResponse(shared.status, shared.code, shared.message);
  } else {
    const need = requirementFor(method, segments, grant.appOnly);
    if (need && !has(need)) return new GraphErrorResponse(need.status, need.code, need.message);
  }
  return delegatedElsewhere && other ? accessRefusal(other.access, segments) : undefined;
}
