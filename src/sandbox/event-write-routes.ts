/**
 * Event writes, with Graph's side effects on people (docs/GRAPH-NOTES.md §1): creating
 * or patching a meeting with attendees sends invitations/updates, deleting or
 * cancelling an organiser's meeting sends cancellations, forward and the
 * responses email someone. An event without attendees (an appointment)
 * notifies nobody.
 */
import { randomBytes } from 'node:crypto';
import { findEvent } from './calendar.js';
import { newChangeKey, newGraphId, type HandlerResult, type RequestContext } from './context.js';
import { GraphErrorResponse, itemNotFound } from './errors.js';
import { eventZone, shapeEvent } from './event-view.js';
import { previewOf } from './html-text.js';
import { defaultCalendar, findCalendar, requireWellFormedId } from './lookup.js';
import { bodyPreference } from './mail-routes.js';
import { textOf } from './message-view.js';
import type { Attendee, DateTimeTimeZone, PatternedRecurrence, Recipient, SandboxEvent } from './model.js';
import type { Route } from './router.js';
import { eventType } from './schema.js';
import { toGraphInstant } from './time.js';
import { resolveTimeZone } from './timezones.js';
import { checkProperties, extendedProperties, itemBody, notify, objectBody, optionalObjectBody, recipients } from './write-support.js';

function dateTimeTimeZone(value: unknown, name: 'start' | 'end'): DateTimeTimeZone {
  const v = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (!v || typeof v.dateTime !== 'string') {
    throw new GraphErrorResponse(400, 'ErrorInvalidRequest', `Your request can't be completed. The event's '${name}' needs a dateTime and a timeZone.`);
  }
  const zone = typeof v.timeZone === 'string' ? v.timeZone : 'UTC';
  if (resolveTimeZone(zone) === undefined) {
    throw new GraphErrorResponse(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`);
  }
  return { dateTime: v.dateTime, timeZone: zone };
}

function attendees(value: unknown): Attendee[] {
  const types = Array.isArray(value) ? value.map((a: unknown) => (a as { type?: unknown } | null)?.type) : [];
  return recipients(value).map((r, i) => {
    const t = types[i];
    return { type: t === 'optional' || t === 'resource' ? t : 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: r.emailAddress };
  });
}

const asRecipients = (list: readonly Attendee[]): Recipient[] => list.map((a) => ({ emailAddress: a.emailAddress }));

function pick(b: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(b).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : b[key];
}

function eventEntity(ctx: RequestContext, e: SandboxEvent, status: number): HandlerResult {
  const body = {
    '@odata.context': `${ctx.state.url}/$metadata#${ctx.entityRoot}/events/$entity`,
    ...shapeEvent(e, { state: ctx.state, bodyType: bodyPreference(ctx), zone: eventZone(ctx), expand: [], zoned: new WeakMap() }, undefined),
  };
  return { status, json: body };
}

function createEvent(ctx: RequestContext): HandlerResult {
  const b = objectBody(ctx);
  checkProperties(b, eventType);
  const cal = ctx.params.calendarId !== undefined ? findCalendar(ctx.state.mailbox, ctx.params.calendarId) : defaultCalendar(ctx.state.mailbox);
  const now = toGraphInstant(ctx.state.clock().getTime());
  const id = newGraphId();
  const start = dateTimeTimeZone(pick(b, 'start'), 'start');
  const end = dateTimeTimeZone(pick(b, 'end'), 'end');
  const body = itemBody(pick(b, 'body'), { contentType: 'html', content: '' });
  const user = ctx.state.mailbox.user;
  const invited = attendees(pick(b, 'attendees'));
  const recurrence = pick(b, 'recurrence') as PatternedRecurrence | undefined | null;
  const online = pick(b, 'isOnlineMeeting') === true;
  const location = pick(b, 'location') as { displayName?: string } | undefined;
  const event: SandboxEvent = {
    id,
    calendarId: cal.id,
    iCalUId: `040000008200E00074C5B7101A82E00800000000${randomBytes(24).toString('hex').toUpperCase()}`,
    subject: String(pick(b, 'subject') ?? ''),
    bodyPreview: previewOf(textOf(ctx.state, body)),
    body,
    start,
    end,
    originalStartTimeZone: start.timeZone,
    originalEndTimeZone: end.timeZone,
    isAllDay: pick(b, 'isAllDay') === true,
    isCancelled: false,
    isOrganizer: true,
    isOnlineMeeting: online,
    onlineMeetingProvider: online ? 'teamsForBusiness' : 'unknown',
    showAs: (pick(b, 'showAs') as SandboxEvent['showAs'] | undefined) ?? 'busy',
    sensitivity: (pick(b, 'sensitivity') as SandboxEvent['sensitivity'] | undefined) ?? 'normal',
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    location: { displayName: location?.displayName ?? '' },
    locations: location?.displayName ? [{ displayName: location.displayName }] : [],
    organizer: { emailAddress: { name: user.displayName, address: user.mail } },
    attendees: invited,
    categories: ((pick(b, 'categories') as unknown[] | undefined) ?? []).map(String),
    type: recurrence ? 'seriesMaster' : 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    createdDateTime: now,
    lastModifiedDateTime: now,
    changeKey: newChangeKey(),
    singleValueExtendedProperties: extendedProperties(pick(b, 'singleValueExtendedProperties')),
  };
  if (recurrence) event.recurrence = recurrence;
  if (online) event.onlineMeeting = { joinUrl: `https://teams.microsoft.com/l/meetup-join/${randomBytes(16).toString('hex')}` };
  ctx.state.mailbox.events.push(event);
  // No flag suppresses this: an event created with attendees is sent at once.
  notify(ctx, 'invitation', asRecipients(invited), event.subject);
  return eventEntity(ctx, event, 201);
}

/** The event a route names, as stored; an occurrence is first turned into a stored exception. */
function storedEvent(ctx: RequestContext, materialise: boolean): SandboxEvent {
  const id = ctx.params.eventId as string;
  const found = findEvent(ctx.state.mailbox, id);
  if (!found) {
    requireWellFormedId(id);
    throw itemNotFound();
  }
  if (ctx.params.calendarId !== undefined && found.calendarId !== findCalendar(ctx.state.mailbox, ctx.params.calendarId).id) throw itemNotFound();
  if (found.type === 'occurrence' && materialise) {
    const exception: SandboxEvent = { ...found, type: 'exception' };
    ctx.state.mailbox.events.push(exception);
    return exception;
  }
  return found;
}

function patchEvent(ctx: RequestContext): HandlerResult {
  const b = objectBody(ctx);
  checkProperties(b, eventType);
  const e = storedEvent(ctx, true);
  const before = asRecipients(e.attendees);
  if (pick(b, 'subject') !== undefined) e.subject = String(pick(b, 'subject'));
  if (pick(b, 'body') !== undefined) {
    e.body = itemBody(pick(b, 'body'), e.body);
    e.bodyPreview = previewOf(textOf(ctx.state, e.body));
  }
  if (pick(b, 'start') !== undefined) e.start = dateTimeTimeZone(pick(b, 'start'), 'start');
  if (pick(b, 'end') !== undefined) e.end = dateTimeTimeZone(pick(b, 'end'), 'end');
  if (pick(b, 'attendees') !== undefined) e.attendees = attendees(pick(b, 'attendees'));
  if (pick(b, 'location') !== undefined) e.location = { displayName: String((pick(b, 'location') as { displayName?: unknown } | null)?.displayName ?? '') };
  if (pick(b, 'categories') !== undefined) e.categories = ((pick(b, 'categories') as unknown[]) ?? []).map(String);
  if (pick(b, 'showAs') !== undefined) e.showAs = pick(b, 'showAs') as SandboxEvent['showAs'];
  for (const p of extendedProperties(pick(b, 'singleValueExtendedProperties'))) {
    const existing = e.singleValueExtendedProperties.find((x) => x.id.toLowerCase() === p.id.toLowerCase());
    if (existing) existing.value = p.value;
    else e.singleValueExtendedProperties.push(p);
  }
  e.lastModifiedDateTime = toGraphInstant(ctx.state.clock().getTime());
  e.changeKey = newChangeKey();
  // Graph sends updates for an organiser's meeting (and cancellations to removed attendees).
  if (e.isOrganizer) notify(ctx, 'update', [...before, ...asRecipients(e.attendees)], e.subject);
  return eventEntity(ctx, e, 200);
}

function removeEvent(ctx: RequestContext, e: SandboxEvent): void {
  const events = ctx.state.mailbox.events;
  if (e.type === 'occurrence' && e.seriesMasterId !== undefined) {
    const master = events.find((x) => x.id === e.seriesMasterId);
    if (master) (master.cancelledOccurrences ??= []).push(e.id);
    return;
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const x = events[i] as SandboxEvent;
    if (x === e || (e.type === 'seriesMaster' && x.seriesMasterId === e.id)) events.splice(i, 1);
  }
}

function deleteEvent(ctx: RequestContext): HandlerResult {
  const e = storedEvent(ctx, false);
  if (e.isOrganizer && !e.isCancelled) notify(ctx, 'cancellation', asRecipients(e.attendees), e.subject);
  removeEvent(ctx, e);
  return { status: 204, empty: true };
}

function cancelEvent(ctx: RequestContext): HandlerResult {
  optionalObjectBody(ctx);
  const e = storedEvent(ctx, false);
  if (!e.isOrganizer) throw new GraphErrorResponse(400, 'ErrorAccessDenied', "Your request can't be completed. You need to be an organizer to cancel a meeting.");
  notify(ctx, 'cancellation', asRecipients(e.attendees), e.subject);
  removeEvent(ctx, e);
  return { status: 202, empty: true };
}

function forwardEvent(ctx: RequestContext): HandlerResult {
  const b = objectBody(ctx);
  const e = storedEvent(ctx, false);
  const to = recipients(b.toRecipients ?? pick(b, 'toRecipients'));
  if (to.length === 0) throw new GraphErrorResponse(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
  notify(ctx, 'forward', to, e.subject);
  return { status: 202, empty: true };
}

function respondTo(response: 'accepted' | 'declined' | 'tentativelyAccepted') {
  return (ctx: RequestContext): HandlerResult => {
    const b = optionalObjectBody(ctx);
    const e = storedEvent(ctx, true);
    if (e.isOrganizer) throw new GraphErrorResponse(400, 'ErrorInvalidRequest', "Your request can't be completed. You can't respond to a meeting you organized.");
    e.responseStatus = { response, time: toGraphInstant(ctx.state.clock().getTime()) };
    e.changeKey = newChangeKey();
    // sendResponse defaults to true: only an explicit false keeps the organiser uninformed.
    if (b.sendResponse !== false) notify(ctx, 'response', [e.organizer], e.subject);
    return { status: 202, empty: true };
  };
}

/** Registers a route under `events/{id}`, `calendar/events/{id}` and `calendars/{calendarId}/events/{id}`. */
function onEvent(method: Route['method'], suffix: string, handler: Route['handler']): Route[] {
  return ['events/{eventId}', 'calendar/events/{eventId}', 'calendars/{calendarId}/events/{eventId}'].map((p) => ({ method, pattern: p + suffix, handler }));
}

/** Routes for event writes. */
export const eventWriteRoutes: readonly Route[] = [
  { method: 'POST', pattern: 'events', handler: createEvent },
  { method: 'POST', pattern: 'calendar/events', handler: createEvent },
  { method: 'POST', pattern: 'calendars/{calendarId}/events', handler: createEvent },
  ...onEvent('PATCH', '', patchEvent),
  ...onEvent('DELETE', '', deleteEvent),
  ...onEvent('POST', '/cancel', cancelEvent),
  ...onEvent('POST', '/forward', forwardEvent),
  ...onEvent('POST', '/accept', respondTo('accepted')),
  ...onEvent('POST', '/decline', respondTo('declined')),
  ...onEvent('POST', '/tentativelyAccept', respondTo('tentativelyAccepted')),
];
