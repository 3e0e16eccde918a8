/**
 * Events as Graph returns them: times in the `Prefer: outlook.timezone` zone
 * (UTC without one, or with a zone Graph does not know), bodies converted on
 * request, sandbox-internal fields left out.
 */
import type { RequestContext, SandboxState } from './context.js';
import { eventInZone } from './calendar.js';
import { convertBody, etagOf } from './message-view.js';
import type { DateTimeTimeZone, SandboxEvent } from './model.js';
import { getPath } from './odata/edm.js';
import type { ExpandItem } from './odata/expand.js';
import type { PathReader } from './odata/filter.js';
import { inDeclarationOrder, shape, type Getters } from './odata/select.js';
import { toGraphLocalDateTime } from './time.js';
import { preferredZone, wallClockToUtc } from './timezones.js';

export interface EventShapeContext {
  state: SandboxState;
  bodyType: 'text' | 'html' | undefined;
  zone: string;
  expand: readonly ExpandItem[];
  /** start and end are read together: each event is converted once per response. */
  zoned: WeakMap<SandboxEvent, SandboxEvent>;
}

/** The zone event times are returned in; records the preference as applied when honoured. */
export function eventZone(ctx: RequestContext): string {
  const asked = ctx.prefer.timeZone === undefined ? undefined : preferredZone(ctx.prefer.timeZone);
  // Graph answers in UTC for a zone it does not support (most IANA names), and says nothing about it.
  if (asked !== undefined) {
    ctx.applied.timeZone = asked;
    return asked;
  }
  return 'UTC';
}

const eventGetters: Getters<SandboxEvent, EventShapeContext> = {
  '@odata.etag': (e) => etagOf(e.changeKey),
  id: (e) => e.id,
  createdDateTime: (e) => e.createdDateTime,
  lastModifiedDateTime: (e) => e.lastModifiedDateTime,
  changeKey: (e) => e.changeKey,
  categories: (e) => e.categories,
  transactionId: () => null,
  originalStartTimeZone: (e) => e.originalStartTimeZone,
  originalEndTimeZone: (e) => e.originalEndTimeZone,
  iCalUId: (e) => e.iCalUId,
  reminderMinutesBeforeStart: () => 15,
  isReminderOn: (e) => !e.isAllDay,
  hasAttachments: () => false,
  subject: (e) => e.subject,
  bodyPreview: (e) => e.bodyPreview,
  importance: () => 'normal',
  sensitivity: (e) => e.sensitivity,
  isAllDay: (e) => e.isAllDay,
  isCancelled: (e) => e.isCancelled,
  isOrganizer: (e) => e.isOrganizer,
  responseRequested: () => true,
  seriesMasterId: (e) => e.seriesMasterId ?? null,
  showAs: (e) => e.showAs,
  type: (e) => e.type,
  webLink: (e) => e.webLink,
  onlineMeetingUrl: () => null,
  isOnlineMeeting: (e) => e.isOnlineMeeting,
  onlineMeetingProvider: (e) => e.onlineMeetingProvider,
  allowNewTimeProposals: () => true,
  isDraft: () => false,
  hideAttendees: () => false,
  originalStart: (e) => e.originalStart,
  responseStatus: (e) => e.responseStatus,
  body: (e, c) => convertBody(c.state, e.body, c.bodyType),
  start: (e, c) => inZone(e, c).start,
  end: (e, c) => inZone(e, c).end,
  location: (e) => e.location,
  locations: (e) => e.locations,
  recurrence: (e) => e.recurrence ?? null,
  attendees: (e) => e.attendees,
  organizer: (e) => e.organizer,
  onlineMeeting: (e) => e.onlineMeeting ?? null,
};
const DEFAULT_EVENT_PROPERTIES = Object.keys(eventGetters);

function inZone(e: SandboxEvent, c: EventShapeContext): SandboxEvent {
  let z = c.zoned.get(e);
  if (!z) c.zoned.set(e, (z = eventInZone(e, c.zone)));
  return z;
}

/** An event with `$select` and `$expand` applied. */
export function shapeEvent(e: SandboxEvent, ctx: EventShapeContext, selected: readonly string[] | undefined): Record<string, unknown> {
  const names = selected ? inDeclarationOrder(eventGetters, selected) : DEFAULT_EVENT_PROPERTIES;
  const out = shape(e, ctx, eventGetters, ['@odata.etag', 'id'], names);
  for (const ex of ctx.expand) {
    if (ex.name === 'attachments') out.attachments = [];
    else if (ex.name === 'singleValueExtendedProperties') {
      const list = e.singleValueExtendedProperties.filter((p) => !ex.filter || ex.filter.test(p));
      if (list.length > 0) out.singleValueExtendedProperties = list.map((p) => ({ id: p.id, value: p.value }));
    }
  }
  return out;
}

function utcWallClock(value: DateTimeTimeZone): string | undefined {
  try {
    return toGraphLocalDateTime(wallClockToUtc(value).getTime());
  } catch {
    return undefined;
  }
}

/** Reads `$filter`/`$orderby` paths with start/end in UTC, the zone Graph filters in. */
export function eventReader(state: SandboxState): PathReader {
  const ctx: EventShapeContext = { state, bodyType: undefined, zone: 'UTC', expand: [], zoned: new WeakMap() };
  return (item, path) => {
    const e = item as SandboxEvent;
    const head = path[0] as string;
    if ((head === 'start' || head === 'end') && path.length === 2) {
      return path[1] === 'dateTime' ? utcWallClock(e[head]) : 'UTC';
    }
    if (path.length === 1 && !(head in e)) return eventGetters[head]?.(e, ctx);
    return getPath(e, path);
  };
}
