/** `GET /me`, `GET /me/mailboxSettings`. */
import type { HandlerResult, RequestContext } from './context.js';
import type { SandboxUser, WorkingHours } from './model.js';
import { inDeclarationOrder, parseSelect, shape, type Getters } from './odata/select.js';
import type { Route } from './router.js';
import { userType } from './schema.js';

function mailboxSettingsOf(user: SandboxUser): Record<string, unknown> {
  return {
    archiveFolder: '',
    timeZone: user.mailboxSettings.timeZone,
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    dateFormat: 'M/d/yyyy',
    timeFormat: 'h:mm tt',
    userPurpose: user.userPurpose ?? 'user',
    automaticRepliesSetting: {
      status: 'disabled',
      externalAudience: 'all',
      internalReplyMessage: '',
      externalReplyMessage: '',
      scheduledStartDateTime: { dateTime: '2025-01-01T00:00:00.0000000', timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: '2025-01-02T00:00:00.0000000', timeZone: 'UTC' },
    },
    language: { locale: 'en-US', displayName: 'English (United States)' },
    workingHours: workingHoursOf(user),
  };
}

/** The user's working hours: as set, else Outlook's default (Mon–Fri 09:00–17:00 in the mailbox's zone). */
export function workingHoursOf(user: SandboxUser): WorkingHours {
  return (
    user.mailboxSettings.workingHours ?? {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '09:00:00.0000000',
      endTime: '17:00:00.0000000',
      timeZone: { name: user.mailboxSettings.timeZone },
    }
  );
}

const nameParts = (u: SandboxUser) => u.displayName.split(/\s+/);

const userGetters: Getters<SandboxUser, undefined> = {
  businessPhones: () => [],
  displayName: (u) => u.displayName,
  givenName: (u) => nameParts(u)[0] ?? null,
  jobTitle: () => null,
  mail: (u) => u.mail,
  mobilePhone: () => null,
  officeLocation: () => null,
  preferredLanguage: () => 'en-US',
  surname: (u) => nameParts(u).slice(1).join(' ') || null,
  userPrincipalName: (u) => u.userPrincipalName,
  id: (u) => u.id,
  accountEnabled: () => true,
  userType: () => 'Member',
  mailNickname: (u) => u.mail.split('@')[0],
  mailboxSettings: (u) => mailboxSettingsOf(u),
};
const DEFAULT_USER_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

/** Directory objects return exactly what `$select` names (no forced `id`, unlike Outlook items). */
function getUser(ctx: RequestContext): HandlerResult {
  const selected = parseSelect(ctx.query.$select, userType);
  const names = selected ? inDeclarationOrder(userGetters, selected) : DEFAULT_USER_PROPERTIES;
  const context = selected ? `users(${selected.join(',')})/$entity` : 'users/$entity';
  const body = { '@odata.context': `${ctx.state.url}/$metadata#${context}`, ...shape(ctx.state.mailbox.user, undefined, userGetters, [], names) };
  return { status: 200, json: body };
}

function getMailboxSettings(ctx: RequestContext): HandlerResult {
  return { status: 200, json: { '@odata.context': `${ctx.state.url}/$metadata#${ctx.entityRoot}/mailboxSettings`, ...mailboxSettingsOf(ctx.state.mailbox.user) } };
}

function getMailboxTimeZone(ctx: RequestContext): HandlerResult {
  return { status: 200, json: { '@odata.context': `${ctx.state.url}/$metadata#${ctx.entityRoot}/mailboxSettings/timeZone`, value: ctx.state.mailbox.user.mailboxSettings.timeZone } };
}

/** Routes for the user and their mailbox settings. */
export const userRoutes: readonly Route[] = [
  { method: 'GET', pattern: '', handler: getUser },
  { method: 'GET', pattern: 'mailboxSettings', handler: getMailboxSettings },
  { method: 'GET', pattern: 'mailboxSettings/timeZone', handler: getMailboxTimeZone },
];
