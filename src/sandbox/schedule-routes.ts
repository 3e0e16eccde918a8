/**
 * `POST /me/calendar/getSchedule`: free/busy for the user and other people.
 * Graph's limits are enforced as Graph does (at most 20 schedules, a window
 * under 62 days, an interval of 5–1440 minutes); the user's own items carry
 * subjects, other people's only what their sharing setting allows, and an
 * address nobody knows gets an `error` entry instead of failing the request.
 * A scheduleItem has exactly v1.0's properties (isPrivate, status, subject,
 * location, start, end): the beta-only isMeeting/isRecurring/isException/
 * isReminderSet are not sent, so no client can come to rely on them.
 */
import { listCalendarView } from './calendar.js';
import type { HandlerResult, RequestContext } from './context.js';
import { GraphErrorResponse } from './errors.js';
import { eventZone } from './event-view.js';
import { defaultCalendar, isThisUser } from './lookup.js';
import type { SandboxEvent, SandboxSchedule, WorkingHours } from './model.js';
import type { Route } from './router.js';
import { resolveTimeZone, toDateTimeTimeZone, wallClockToUtc } from './timezones.js';
import { workingHoursOf } from './user-routes.js';
import { objectBody } from './write-support.js';

const MAX_SCHEDULES = 20;
const MAX_WINDOW_DAYS = 62;
const DAY_MS = 86_400_000;

type Status = SandboxSchedule['items'][number]['status'];

/** availabilityView digits, and which status wins when items overlap within one interval. */
const VIEW_DIGIT: Readonly<Record<Status, string>> = { free: '0', tentative: '1', busy: '2', oof: '3', workingElsewhere: '4' };
const SEVERITY: readonly Status[] = ['free', 'workingElsewhere', 'tentative', 'busy', 'oof'];

interface Item {
  start: number;
  end: number;
  status: Status;
  subject?: string;
  location?: string;
  isPrivate: boolean;
}

function invalid(message: string): GraphErrorResponse {
  return new GraphErrorResponse(400, 'ErrorInvalidParameter', message);
}

function readTime(value: unknown, field: string): number {
  const v = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (!v || typeof v.dateTime !== 'string' || typeof v.timeZone !== 'string') throw invalid(`${field} is required: {dateTime, timeZone}.`);
  if (resolveTimeZone(v.timeZone) === undefined) throw new GraphErrorResponse(400, 'ErrorTimeZoneNotSupported', `The time zone '${v.timeZone}' is not supported.`);
  try {
    return wallClockToUtc({ dateTime: v.dateTime, timeZone: v.timeZone }).getTime();
  } catch {
    throw invalid(`The value '${v.dateTime}' of ${field} is invalid.`);
  }
}

function ownItems(ctx: RequestContext, start: number, end: number): Item[] {
  const mailbox = ctx.state.mailbox;
  const view = listCalendarView(mailbox, defaultCalendar(mailbox).id, new Date(start), new Date(end));
  return view
    .filter((e: SandboxEvent) => !e.isCancelled)
    .map((e) => ({
      start: wallClockToUtc(e.start).getTime(),
      end: wallClockToUtc(e.end).getTime(),
      status: e.showAs === 'unknown' ? 'busy' : e.showAs,
      subject: e.subject,
      location: e.location.displayName,
      isPrivate: e.sensitivity === 'private',
    }));
}

function otherItems(s: SandboxSchedule, start: number, end: number): Item[] {
  return s.items
    .map((i) => ({
      start: Date.parse(i.start),
      end: Date.parse(i.end),
      status: i.status,
      ...(s.detail === 'limited' ? { subject: i.subject, location: i.location } : {}),
      isPrivate: false,
    }))
    .filter((i) => i.start < end && i.end > start);
}

function availabilityView(items: readonly Item[], start: number, end: number, intervalMs: number): string {
  let view = '';
  for (let t = start; t < end; t += intervalMs) {
    let worst: Status = 'free';
    for (const i of items) if (i.start < t + intervalMs && i.end > t && SEVERITY.indexOf(i.status) > SEVERITY.indexOf(worst)) worst = i.status;
    view += VIEW_DIGIT[worst];
  }
  return view;
}

function scheduleEntry(id: string, items: Item[], workingHours: WorkingHours, start: number, end: number, intervalMs: number, zone: string): Record<string, unknown> {
  return {
    scheduleId: id,
    availabilityView: availabilityView(items, start, end, intervalMs),
    scheduleItems: items.map((i) => ({
      isPrivate: i.isPrivate,
      status: i.status,
      ...(i.subject !== undefined ? { subject: i.subject } : {}),
      ...(i.location !== undefined ? { location: i.location } : {}),
      start: toDateTimeTimeZone(new Date(i.start), zone),
      end: toDateTimeTimeZone(new Date(i.end), zone),
    })),
    workingHours,
  };
}

function getSchedule(ctx: RequestContext): HandlerResult {
  const body = objectBody(ctx);
  const schedules = body.schedules;
  if (!Array.isArray(schedules) || schedules.length === 0 || schedules.some((s) => typeof s !== 'string' || s.trim() === '')) {
    throw invalid('schedules must be a non-empty list of SMTP addresses.');
  }
  if (schedules.length > MAX_SCHEDULES) throw invalid(`The number of schedules requested exceeds the limit of ${MAX_SCHEDULES}.`);
  const start = readTime(body.startTime, 'startTime');
  const end = readTime(body.endTime, 'endTime');
  if (end <= start) throw invalid('endTime must be after startTime.');
  if (end - start >= MAX_WINDOW_DAYS * DAY_MS) {
    throw new GraphErrorResponse(400, 'ErrorInvalidTimeInterval', `The time duration specified for FreeBusyViewOptions.TimeWindow is invalid. It must be less than ${MAX_WINDOW_DAYS} days.`);
  }
  const interval = body.availabilityViewInterval === undefined ? 30 : body.availabilityViewInterval;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 5 || interval > 1440) {
    throw invalid('availabilityViewInterval must be an integer between 5 and 1440.');
  }
  const zone = eventZone(ctx);
  const mailbox = ctx.state.mailbox;
  const value = (schedules as string[]).map((id) => {
    if (isThisUser(mailbox.user, id)) return scheduleEntry(id, ownItems(ctx, start, end), workingHoursOf(mailbox.user), start, end, interval * 60_000, zone);
    const other = mailbox.schedules?.find((s) => s.address.toLowerCase() === id.trim().toLowerCase());
    if (other) return scheduleEntry(id, otherItems(other, start, end), other.workingHours, start, end, interval * 60_000, zone);
    // Graph's answer for an address it cannot resolve: a numeric responseCode inside a 200.
    return { scheduleId: id, error: { message: `Unable to resolve e-mail address ${id} to an Active Directory object.`, responseCode: '5009' } };
  });
  return { status: 200, json: { '@odata.context': `${ctx.state.url}/$metadata#Collection(microsoft.graph.scheduleInformation)`, value } };
}

/** Routes for free/busy. */
export const scheduleRoutes: readonly Route[] = [
  { method: 'POST', pattern: 'calendar/getSchedule', handler: getSchedule },
  { method: 'POST', pattern: 'calendars/{calendarId}/getSchedule', handler: getSchedule },
];
