/**
 * Calendar reads through `calendarView` (recurrences expanded, docs/GRAPH-NOTES.md §5),
 * with times in the user's zone via `Prefer: outlook.timezone`. Text search
 * scans a calendarView window and matches in our code: `$search` on events is
 * undocumented and `contains()` on calendarView is known to fail.
 */
import { UserFacingError } from '../errors.js';
import type { GraphClient } from '../graph/client.js';
import type { HandleStore } from '../handles/handle-store.js';
import { HandleStore as Handles } from '../handles/handle-store.js';
import type { CursorStore } from './cursor.js';
import { readUpTo, type LimitedRead } from './paging.js';
import { cleanList, compact, formatRecipient, stringOr } from './shape.js';
import { cleanOptional, cleanUntrusted } from '../text/untrusted.js';
import { visibleBody } from './body.js';
import { truncateText } from '../text/truncate.js';

const LIST_SELECT = [
  'id',
  'subject',
  'start',
  'end',
  'isAllDay',
  'isCancelled',
  'showAs',
  'location',
  'organizer',
  'attendees',
  'isOnlineMeeting',
  'onlineMeeting',
  'responseStatus',
  'type',
  'isOrganizer',
].join(',');
const SEARCH_SELECT = `${LIST_SELECT},bodyPreview`;
const GET_SELECT = `${LIST_SELECT},body,webLink,recurrence,seriesMasterId,categories,sensitivity,importance,onlineMeetingUrl`;

/**
 * Attendee names shown per event in lists (with the count of all of them): a
 * week of meetings stays small in the agent's context; the full list with
 * addresses and responses, and the join link, are one `ol_calendar_get_event` away.
 */
const LIST_ATTENDEES = 3;
/** Most events one calendar search scans before it stops and says so. */
export const SEARCH_SCAN_CAP = 2_000;

interface GraphDateTime {
  dateTime?: string;
  timeZone?: string;
}

interface GraphAttendee {
  type?: string;
  status?: { response?: string };
  emailAddress?: { name?: string; address?: string };
}

interface GraphEvent {
  id: string;
  subject?: string;
  start?: GraphDateTime;
  end?: GraphDateTime;
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: string;
  location?: { displayName?: string };
  organizer?: { emailAddress?: { name?: string; address?: string } };
  attendees?: GraphAttendee[];
  isOnlineMeeting?: boolean;
  onlineMeeting?: { joinUrl?: string } | null;
  onlineMeetingUrl?: string | null;
  responseStatus?: { response?: string };
  type?: string;
  isOrganizer?: boolean;
  bodyPreview?: string;
  body?: { contentType?: string; content?: string };
  webLink?: string;
  recurrence?: { pattern?: { type?: string; interval?: number; daysOfWeek?: string[] }; range?: { type?: string; endDate?: string; numberOfOccurrences?: number } } | null;
  seriesMasterId?: string;
  categories?: string[];
  sensitivity?: string;
}

/** One event in a list: when, what, where, who (names only), and how the user stands. */
export interface EventSummary {
  id: string;
  subject: string;
  start: string;
  end: string;
  /** `all day`, `cancelled`, `recurring`, `online`: only what is true. */
  flags?: string[];
  show_as?: string;
  location?: string;
  /** `me`, or the organizer's name (address when there is no name). */
  organizer?: string;
  my_response?: string;
  /** Up to three attendee names (resources left out). */
  attendees?: string[];
  /** How many attendees there are in all. */
  attendee_count?: number;
}

/** One event in full: every attendee with address and response, the join link, body. */
export interface EventDetail extends Omit<EventSummary, 'attendee_count'> {
  online_meeting_url?: string;
  web_link?: string;
  recurrence?: string;
  categories?: string[];
  sensitivity?: string;
  body?: { untrusted: true; text: string; total_chars: number; truncated?: boolean; hidden_removed?: number };
}

interface GraphCalendar {
  id: string;
  name?: string;
  isDefaultCalendar?: boolean;
}

/** A calendar argument that names no calendar; the message lists the available ones. */
export class CalendarNotFoundError extends UserFacingError {
  override name = 'CalendarNotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('calendar_not_found', message, options);
  }
}

/** Calendar reads for one mailbox. */
export class CalendarService {
  constructor(
    private readonly graph: GraphClient,
    private readonly handles: HandleStore,
    private readonly cursors: CursorStore,
  ) {}

  /** Events overlapping [from, to), recurrences expanded, one page. */
  async listEvents(tool: string, args: { from: Date; to: Date; calendar: string; limit: number; cursor?: string }, signal?: AbortSignal): Promise<{ events: EventSummary[]; next_cursor?: string }> {
    let read: LimitedRead<GraphEvent>;
    let limit = args.limit;
    if (args.cursor) {
      const { nextLink, extra } = await this.cursors.redeem<{ s?: number; l?: number }>(tool, this.graph.root, args.cursor);
      limit = extra?.l ?? limit;
      read = await readUpTo<GraphEvent>(this.graph, nextLink, { preferTimeZone: true, signal }, limit, { skip: extra?.s ?? 0 });
    } else {
      const options = { query: this.viewQuery(args.from, args.to, args.limit, LIST_SELECT), preferTimeZone: true, signal };
      read = await readUpTo<GraphEvent>(this.graph, await this.viewPath(args.calendar, signal), options, limit);
    }
    const events = await this.summaries(read.items);
    if (!read.resume) return { events };
    return { events, next_cursor: await this.cursors.issue(tool, this.graph.root, read.resume.link, { l: limit, ...(read.resume.skip ? { s: read.resume.skip } : {}) }) };
  }

  /** Events in [from, to) whose subject, location, organizer, attendees or preview contain every query term. */
  async search(args: { query: string; from: Date; to: Date; calendar: string; limit: number }, signal?: AbortSignal): Promise<{ events: EventSummary[]; scanned: number; scan_capped?: boolean }> {
    const terms = normalize(args.query).split(' ').filter(Boolean);
    const matches: GraphEvent[] = [];
    let scanned = 0;
    let more = false;
    const options = { query: this.viewQuery(args.from, args.to, 250, SEARCH_SELECT), preferTimeZone: true, signal };
    // Bounded by items scanned, not by pages: a Graph answering one event (or none) per page still stops.
    for await (const page of this.graph.pages<GraphEvent>(await this.viewPath(args.calendar, signal), options, { maxPages: SEARCH_SCAN_CAP })) {
      scanned += page.items.length;
      for (const e of page.items) if (matchesAll(e, terms)) matches.push(e);
      more = page.nextLink !== undefined;
      if (scanned >= SEARCH_SCAN_CAP || matches.length >= args.limit) break;
    }
    const events = await this.summaries(matches.slice(0, args.limit));
    return more && scanned >= SEARCH_SCAN_CAP ? { events, scanned, scan_capped: true } : { events, scanned };
  }

  /** One event with its full attendee list and its body as sanitised text. */
  async getEvent(idArg: string, maxChars: number, signal?: AbortSignal): Promise<EventDetail> {
    const id = await this.handles.resolve(idArg, 'id', 'event');
    const e = await this.graph.get<GraphEvent>(this.graph.mailbox`/events/${id}`, { query: [['$select', GET_SELECT]], preferTimeZone: true, signal });
    const [handle] = await this.handles.handlesFor([e.id]);
    const { attendee_count: _count, ...base } = this.summary(e, handle ?? e.id);
    const visible = await visibleBody(e.body);
    const cut = truncateText(visible.text, maxChars);
    return compact({
      ...base,
      organizer: e.isOrganizer ? 'me' : formatRecipient(e.organizer),
      attendees: attendeesOf(e).map(formatAttendee),
      online_meeting_url: cleanOptional(stringOr(e.onlineMeeting?.joinUrl) ?? stringOr(e.onlineMeetingUrl), 'url'),
      web_link: cleanOptional(stringOr(e.webLink), 'url'),
      recurrence: cleanOptional(describeRecurrence(e.recurrence ?? undefined), 'label'),
      categories: cleanList(e.categories, 'category'),
      sensitivity: label(e.sensitivity, 'normal'),
      body: cut.text ? compact({ untrusted: true as const, text: cut.text, total_chars: cut.totalChars, truncated: cut.truncated, hidden_removed: visible.hiddenRemoved }) : undefined,
    }) as EventDetail;
  }

  private viewQuery(from: Date, to: Date, top: number, select: string): Array<[string, string]> {
    return [
      // calendarView takes UTC when no offset is given (docs/GRAPH-NOTES.md §5), so send UTC explicitly.
      ['startDateTime', from.toISOString()],
      ['endDateTime', to.toISOString()],
      ['$top', String(top)],
      ['$select', select],
      ['$orderby', 'start/dateTime'],
    ];
  }

  private async viewPath(calendar: string, signal?: AbortSignal): Promise<string> {
    const c = calendar.trim();
    if (c === '' || c.toLowerCase() === 'primary') return this.graph.mailbox`/calendar/calendarView`;
    const id = await this.resolveCalendar(c, signal);
    return this.graph.mailbox`/calendars/${id}/calendarView`;
  }

  private async resolveCalendar(value: string, signal?: AbortSignal): Promise<string> {
    if (Handles.looksLikeHandle(value)) {
      const id = await this.handles.lookup(value);
      if (id) return id;
    } else if (/^[A-Za-z0-9+/=_-]{40,}$/.test(value)) {
      return value;
    }
    const page = await this.graph.getAll<GraphCalendar>(this.graph.mailbox`/calendars`, { query: [['$top', '100'], ['$select', 'id,name,isDefaultCalendar']], signal }, { maxPages: 50 });
    const hit = page.items.filter((c) => (c.name ?? '').toLowerCase() === value.toLowerCase());
    if (hit.length === 1 && hit[0]) return hit[0].id;
    const names = page.items.map((c) => `"${cleanUntrusted(stringOr(c.name), 'folder')}"${c.isDefaultCalendar ? ' (primary)' : ''}`).join(', ');
    throw new CalendarNotFoundError(
      hit.length > 1 ? `calendar: "${value}" matches ${hit.length} calendars. Use its id instead.` : `calendar: no calendar named "${value}". Available: ${names || '(none)'}; or use "primary".`,
    );
  }

  private async summaries(items: GraphEvent[]): Promise<EventSummary[]> {
    const handles = await this.handles.handlesFor(items.map((e) => e.id));
    return items.map((e, i) => this.summary(e, handles[i] ?? e.id));
  }

  private summary(e: GraphEvent, handle: string): EventSummary {
    const people = attendeesOf(e);
    const allDay = e.isAllDay === true;
    const recurring = e.type === 'occurrence' || e.type === 'exception' || e.type === 'seriesMaster';
    const online = e.isOnlineMeeting === true || !!(e.onlineMeeting?.joinUrl ?? e.onlineMeetingUrl);
    return compact({
      id: handle,
      subject: cleanUntrusted(stringOr(e.subject), 'subject') || '(no subject)',
      start: wallTime(e.start, allDay, false),
      end: wallTime(e.end, allDay, true),
      flags: [allDay && 'all day', e.isCancelled === true && 'cancelled', recurring && 'recurring', online && 'online'].filter((f): f is string => !!f),
      // "busy" is the default; only the exceptions carry information.
      show_as: label(e.showAs, 'busy'),
      location: placeOf(e, online),
      organizer: e.isOrganizer ? 'me' : nameOf(e.organizer),
      my_response: e.isOrganizer ? undefined : responseLabel(e.responseStatus?.response),
      attendees: people.slice(0, LIST_ATTENDEES).map((a) => nameOf(a) ?? '(unknown)'),
      attendee_count: people.length || undefined,
    }) as EventSummary;
  }
}

/**
 * The location, except the placeholder Teams writes into online meetings
 * ("Microsoft Teams Meeting"): the `online` flag says the same in one token.
 */
function placeOf(e: GraphEvent, online: boolean): string | undefined {
  const place = cleanOptional(e.location?.displayName, 'location');
  return online && place?.toLowerCase() === 'microsoft teams meeting' ? undefined : place;
}

/** Attendees that are people (rooms and equipment are resources). */
function attendeesOf(e: GraphEvent): GraphAttendee[] {
  return (e.attendees ?? []).filter((a) => a.type !== 'resource');
}

/** A person's display name, or the address when there is none (both cleaned: a stranger wrote them). */
function nameOf(r: { emailAddress?: { name?: string; address?: string } } | undefined): string | undefined {
  return cleanOptional(r?.emailAddress?.name, 'name') ?? cleanOptional(r?.emailAddress?.address, 'address');
}

/**
 * Graph returns wall-clock times in the Prefer zone (`2026-11-26T09:00:00.0000000`);
 * the agent gets `2026-11-26 09:00`. All-day events show dates, and their end as
 * the last day (inclusive), which is how people read them.
 */
function wallTime(t: GraphDateTime | undefined, allDay: boolean, isEnd: boolean): string {
  const s = stringOr(t?.dateTime) ?? '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s);
  if (!m || !m[1] || !m[2]) return cleanUntrusted(s, 'label');
  if (!allDay) return `${m[1]} ${m[2]}`;
  if (!isEnd) return m[1];
  const d = new Date(`${m[1]}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const RESPONSE_LABEL: Record<string, string> = {
  accepted: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  notResponded: 'no response',
  none: 'no response',
  organizer: 'organizer',
};

/** A Graph enum-like value (showAs, response, sensitivity) through the cleaner; the default says nothing, so it is dropped. */
function label(v: unknown, quiet: string): string | undefined {
  const s = cleanOptional(stringOr(v), 'label');
  return s && s !== quiet ? s : undefined;
}

/** The user's response as a short word; `none` says nothing and is dropped. */
function responseLabel(v: unknown): string | undefined {
  const raw = stringOr(v);
  if (!raw || raw === 'none') return undefined;
  return Object.hasOwn(RESPONSE_LABEL, raw) ? RESPONSE_LABEL[raw] : cleanUntrusted(raw, 'label');
}

function formatAttendee(a: GraphAttendee): string {
  const who = formatRecipient(a) ?? '(unknown)';
  const raw = stringOr(a.status?.response) ?? 'none';
  const response = Object.hasOwn(RESPONSE_LABEL, raw) ? RESPONSE_LABEL[raw] : cleanUntrusted(raw, 'label');
  return `${who} (${[a.type === 'optional' ? 'optional' : undefined, response].filter(Boolean).join(', ')})`;
}

function describeRecurrence(r: GraphEvent['recurrence']): string | undefined {
  if (!r?.pattern?.type) return undefined;
  const every = r.pattern.interval && r.pattern.interval > 1 ? `every ${r.pattern.interval} ` : '';
  const days = r.pattern.daysOfWeek?.length ? ` on ${r.pattern.daysOfWeek.join(', ')}` : '';
  const until = r.range?.type === 'endDate' && r.range.endDate ? ` until ${r.range.endDate}` : r.range?.type === 'numbered' ? ` for ${r.range.numberOfOccurrences} occurrences` : '';
  return `${every}${r.pattern.type}${days}${until}`.trim();
}


/** Lower-case, accents folded, punctuation to spaces: "Café-Review" matches "cafe review". */
function normalize(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
    .trim();
}

function matchesAll(e: GraphEvent, terms: string[]): boolean {
  if (terms.length === 0) return true;
  const hay = normalize(
    [
      e.subject,
      e.location?.displayName,
      e.organizer?.emailAddress?.name,
      e.organizer?.emailAddress?.address,
      ...(e.attendees ?? []).flatMap((a) => [a.emailAddress?.name, a.emailAddress?.address]),
      e.bodyPreview,
    ]
      .filter(Boolean)
      .join(' '),
  );
  return terms.every((t) => hay.includes(t));
}
