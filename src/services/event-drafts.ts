/**
 * Meeting "drafts" that invite nobody (docs/DESIGN.md promise 2, docs/GRAPH-NOTES.md §1).
 * Graph emails every attendee the moment an event with attendees is created
 * or patched, so the event is created as an appointment WITHOUT attendees; the
 * proposed attendees are kept in an extended property and a visible line in
 * the body, and the human adds them in Outlook and presses Send. Discard
 * re-reads the event and refuses once it has attendees, because deleting an
 * organiser's meeting sends cancellations.
 */
import { GraphError, GraphNetworkError } from '../graph/errors.js';
import type { GraphClient } from '../graph/client.js';
import type { HandleStore } from '../handles/handle-store.js';
import type { DraftRegistry } from '../drafts/registry.js';
import { DraftAttachmentError, DraftInputError, DraftStateError } from '../drafts/errors.js';
import { PROPOSED_ATTENDEES_PROPERTY, newCreationId, propertyValue, tagFilter, tagProperties, tagValue } from '../drafts/tag.js';
import { checkRecipientCount, checkSizes, formatAddress, parseAddresses, type Address } from '../drafts/validate.js';
import { escapeHtml } from '../text/markdown.js';
import { formatInZone, parseUserDate } from '../text/dates.js';
import { odataDateTime } from '../graph/query/odata.js';
import type { DraftService } from './drafts.js';
import { stringOr } from './shape.js';
import { cleanOptional, cleanUntrusted } from '../text/untrusted.js';
import { renderBody, type BodyFormat } from './drafts.js';

/** The line shown in the event body; the human reads it in Outlook. */
export const PROPOSED_LINE = 'Proposed attendees — add them in Outlook and press Send:';
export const NO_INVITATION_NOTE = 'Saved in the calendar without attendees. No invitation was sent: the user adds the proposed attendees in Outlook and presses Send.';
/** Longest event a draft may span (a typo in a year should not block a month). */
const MAX_EVENT_DAYS = 14;

export interface CreateEventDraftArgs {
  subject: string;
  start: string;
  end: string;
  timeZone?: string;
  attendees?: string[];
  body?: string;
  bodyFormat?: BodyFormat;
  location?: string;
  onlineMeeting?: boolean;
}

export interface EventConflict {
  subject: string;
  start: string;
  end: string;
}

export interface EventDraftResult {
  event_id: string;
  web_url?: string;
  subject: string;
  start: string;
  end: string;
  proposed_attendees: string[];
  conflicts: EventConflict[];
  note: string;
}

interface GraphEvent {
  id: string;
  subject?: string;
  webLink?: string;
  isCancelled?: boolean;
  isAllDay?: boolean;
  showAs?: string;
  start?: { dateTime?: string; timeZone?: string };
  end?: { dateTime?: string; timeZone?: string };
  attendees?: unknown[];
  isOrganizer?: boolean;
  singleValueExtendedProperties?: Array<{ id?: string; value?: string }>;
}

export interface EventDraftServiceOptions {
  graph: GraphClient;
  handles: HandleStore;
  registry: DraftRegistry;
  /** Its ownership check is shared: one rule for mail and events. */
  drafts: DraftService;
  profile: string;
  timeZone: () => string;
  now: () => Date;
}

/** The event body: the user's text, then the visible proposed-attendees line. */
export function eventBodyHtml(bodyHtml: string, proposed: readonly Address[]): string {
  const line = proposed.length > 0 ? `<p><b>${escapeHtml(PROPOSED_LINE)}</b> ${escapeHtml(proposed.map(formatAddress).join('; '))}</p>` : '';
  return [bodyHtml, line].filter(Boolean).join('\n');
}

/** Refuses a request body that would invite anyone; the last line of defence of promise 2. */
export function assertNoAttendees(body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) {
    if (key.toLowerCase() === 'attendees') throw new Error('Internal guard: an event draft must never be written with attendees (Graph would invite them at once).');
  }
}

function utcWall(d: Date): { dateTime: string; timeZone: string } {
  return { dateTime: d.toISOString().slice(0, 19), timeZone: 'UTC' };
}

/** Event drafts of one profile. */
export class EventDraftService {
  constructor(private readonly o: EventDraftServiceOptions) {}

  /** Creates an appointment with the proposed attendees stored on it (not invited). */
  async create(args: CreateEventDraftArgs, signal?: AbortSignal): Promise<EventDraftResult> {
    const zone = args.timeZone ?? this.o.timeZone();
    checkSizes(args.subject, args.body);
    if (args.subject.trim() === '') throw new DraftInputError('subject must not be empty.');
    const start = parseUserDate(args.start, { zone, field: 'start' });
    const end = parseUserDate(args.end, { zone, field: 'end' });
    if (end.getTime() <= start.getTime()) throw new DraftInputError('end must be after start.');
    if (end.getTime() - start.getTime() > MAX_EVENT_DAYS * 86_400_000) throw new DraftInputError(`The event spans more than ${MAX_EVENT_DAYS} days; check start and end.`);
    const proposed = parseAddresses(args.attendees, 'attendees') ?? [];
    checkRecipientCount(proposed);
    const creationId = newCreationId();
    const body: Record<string, unknown> = {
      subject: args.subject,
      body: { contentType: 'html', content: eventBodyHtml(args.body ? await renderBody(args.body, args.bodyFormat) : '', proposed) },
      start: utcWall(start),
      end: utcWall(end),
      singleValueExtendedProperties: [...tagProperties(this.o.profile, creationId), { id: PROPOSED_ATTENDEES_PROPERTY, value: JSON.stringify(proposed.map(formatAddress)) }],
    };
    if (args.location) body.location = { displayName: args.location };
    // An online meeting link on an appointment notifies nobody; attendees are what would.
    if (args.onlineMeeting) body.isOnlineMeeting = true;
    assertNoAttendees(body);
    // Read before creating: an unreadable registry must refuse now, not after the event exists.
    await this.o.registry.list();
    const event = await this.createOnce(body, creationId, signal);
    try {
      await this.o.registry.add({ id: event.id, kind: 'event', creationId, subject: args.subject, createdAt: this.o.now().toISOString(), webLink: event.webLink });
    } catch (err) {
      const handle = await this.o.handles.handleFor(event.id).catch(() => event.id);
      throw new DraftAttachmentError(
        `Event draft ${handle} was created in the calendar (it invites nobody), but recording it failed: ${err instanceof Error ? err.message : String(err)} Do not create it again: fix the cause, or delete it in Outlook.`,
        { cause: err },
      );
    }
    const conflicts = await this.conflicts(start, end, event.id, signal).catch(() => []);
    return {
      event_id: await this.o.handles.handleFor(event.id),
      web_url: cleanOptional(stringOr(event.webLink), 'url'),
      subject: args.subject,
      start: formatInZone(start, zone, 'datetime'),
      end: formatInZone(end, zone, 'datetime'),
      proposed_attendees: proposed.map(formatAddress),
      conflicts,
      note: NO_INVITATION_NOTE,
    };
  }

  /** Deletes an own event draft, only while it still has no attendees (else Graph would send cancellations). */
  async discard(eventIdArg: string, signal?: AbortSignal): Promise<{ event_id: string; subject: string; note: string }> {
    const { graph } = this.o;
    const { id, item } = await this.o.drafts.owned(eventIdArg, 'event', signal);
    if ((item.attendees?.length ?? 0) > 0) {
      throw new DraftStateError(
        'This event now has attendees (it was sent from Outlook). Deleting it would email them a cancellation, so it is left alone; cancel it in Outlook if that is intended.',
      );
    }
    if (item.isOrganizer === false) throw new DraftStateError('This event is organised by someone else; it is left alone.');
    await graph.request('DELETE', graph.mailbox`/events/${id}`, { signal, idempotent: true });
    await this.o.registry.remove(id);
    return { event_id: await this.o.handles.handleFor(id), subject: cleanUntrusted(stringOr(item.subject), 'subject'), note: 'Deleted from the calendar. It had no attendees, so nobody was notified.' };
  }

  private async createOnce(body: Record<string, unknown>, creationId: string, signal?: AbortSignal): Promise<GraphEvent> {
    const { graph } = this.o;
    const attempt = async () => (await graph.request<GraphEvent>('POST', graph.mailbox`/events`, { body, signal })).data;
    try {
      return await attempt();
    } catch (err) {
      const uncertain = (err instanceof GraphNetworkError && err.reason !== 'aborted') || (err instanceof GraphError && err.status >= 500);
      if (!uncertain) throw err;
      const page = await graph.getAll<GraphEvent>(
        graph.mailbox`/events`,
        { query: [['$filter', tagFilter(tagValue(this.o.profile, creationId))], ['$select', 'id,subject,webLink'], ['$top', '2']], signal },
        { maxItems: 1, maxPages: 20 },
      );
      return page.items[0] ?? attempt();
    }
  }

  private async conflicts(start: Date, end: Date, ownId: string, signal?: AbortSignal): Promise<EventConflict[]> {
    const { graph } = this.o;
    const page = await graph.getAll<GraphEvent>(
      graph.mailbox`/calendarView`,
      {
        query: [
          ['startDateTime', odataDateTime(start)],
          ['endDateTime', odataDateTime(end)],
          ['$select', 'id,subject,start,end,showAs,isCancelled,isAllDay'],
          ['$top', '50'],
        ],
        signal,
      },
      { maxItems: 50, maxPages: 50 },
    );
    const zone = this.o.timeZone();
    // calendarView answers in UTC here (no Prefer zone), but each time is read in the zone it names.
    const { showGraphDateTime } = await import('./graph-time.js');
    const when = (e: GraphEvent, isEnd: boolean) => showGraphDateTime(isEnd ? e.end : e.start, zone, { allDay: e.isAllDay === true, isEnd });
    return page.items
      .filter((e) => e.id !== ownId && !e.isCancelled && e.showAs !== 'free')
      .map((e) => ({ subject: cleanUntrusted(stringOr(e.subject), 'subject') || '(no subject)', start: when(e, false), end: when(e, true) }));
  }
}

/** The proposed attendees stored on an event draft, if any. */
export function proposedAttendeesOf(item: GraphEvent): string[] {
  const raw = propertyValue(item, PROPOSED_ATTENDEES_PROPERTY);
  try {
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

