/**
 * Free time for the user and attendees from Graph's free/busy
 * (`POST /calendar/getSchedule`), never from a scan of the calendar. The
 * user's own schedule comes back with subjects and with the mailbox's
 * working hours and their zone, so no mailboxSettings read (and no extra
 * permission) is needed. Graph allows 20 schedules and a window under 62
 * days per request: larger asks are split.
 *
 * Availability policy: `busy`, `oof` (away) and `tentative` (a meeting that
 * may still happen) block a slot; `free` and `workingElsewhere` (working,
 * just not at the desk) do not. Tentative blocks are labelled so the agent
 * can offer them as a second choice.
 */
import { UserFacingError } from '../errors.js';
import type { GraphClient } from '../graph/client.js';
import { GraphError } from '../graph/errors.js';
import { formatInZone } from '../text/dates.js';
import { cleanOptional } from '../text/untrusted.js';
import { compact, objectsOf } from './shape.js';
import type { Interval } from './free-slots.js';
import type { GraphTimeZone } from './time-zones.js';

/** Graph's limits per getSchedule request. */
export const SCHEDULES_PER_REQUEST = 20;
const WINDOW_PER_REQUEST_MS = 61 * 86_400_000;
/** Busy blocks listed per answer; the rest are counted. */
const MAX_BUSY_LISTED = 30;
const BLOCKING = new Set(['busy', 'oof', 'tentative']);
/** getSchedule errors about the request itself (a bug of ours if they ever happen), passed on as they are. */
const ARGUMENT_ERRORS = new Set(['ErrorInvalidParameter', 'ErrorInvalidTimeInterval', 'ErrorTimeZoneNotSupported']);

interface GraphScheduleItem {
  status?: string;
  subject?: string;
  location?: string;
  isPrivate?: boolean;
  start?: { dateTime?: string; timeZone?: string };
  end?: { dateTime?: string; timeZone?: string };
}

interface GraphScheduleInformation {
  scheduleId?: string;
  scheduleItems?: GraphScheduleItem[];
  workingHours?: { daysOfWeek?: string[]; startTime?: string; endTime?: string; timeZone?: GraphTimeZone };
  error?: { message?: string; responseCode?: string };
}

export interface FreeTimeArgs {
  attendees: readonly string[];
  from: Date;
  to: Date;
  durationMinutes: number;
  workingHoursOnly: boolean;
  limit: number;
  proposal?: { start: Date; end: Date };
}

export interface BusyBlock {
  who: string;
  start: string;
  end: string;
  status: string;
  subject?: string;
}

export interface FreeTimeResult {
  time_zone: string;
  duration_minutes: number;
  slots: Array<{ start: string; end: string }>;
  more_slots?: number;
  busy: BusyBlock[];
  more_busy?: number;
  proposed?: { start: string; end: string; works: boolean; conflicts?: BusyBlock[]; outside_working_hours?: boolean; alternatives?: Array<{ start: string; end: string }> };
  unavailable?: Array<{ who: string; reason: string }>;
  notes?: string[];
}

/** Free/busy is not available for this account (Graph offers it to work or school accounts only). */
export class FreeBusyUnavailableError extends UserFacingError {
  override name = 'FreeBusyUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('free_busy_unavailable', message, options);
  }
}

interface Block extends Interval {
  who: string;
  status: string;
  subject?: string;
}

/** Free-time lookups for one mailbox. */
export class FreeTimeService {
  private me?: Promise<string>;

  constructor(
    private readonly graph: GraphClient,
    private readonly timeZone: () => string,
    /** The mailbox address when it is configured (app-only mode); otherwise read from /me once. */
    private readonly mailbox?: string,
  ) {}

  /** Free windows of at least the duration for the user and attendees, and the busy blocks that shaped them. */
  async findFreeTime(args: FreeTimeArgs, signal?: AbortSignal): Promise<FreeTimeResult> {
    const [{ graphZone }, { graphDateTimeInstant }, slots] = await Promise.all([import('./time-zones.js'), import('./graph-time.js'), import('./free-slots.js')]);
    const zone = this.timeZone();
    const me = await this.myAddress(signal);
    const others = [...new Map(args.attendees.map((a) => [a.trim().toLowerCase(), a.trim()])).values()].filter((a) => a.toLowerCase() !== me.toLowerCase());
    const infos = await this.schedules([me, ...others], args.from, args.to, signal);

    const from = args.from.getTime();
    const to = args.to.getTime();
    const blocks: Block[] = [];
    const unavailable: Array<{ who: string; reason: string }> = [];
    let allowed: Interval[] = [{ start: from, end: to }];
    for (const [i, info] of infos.entries()) {
      const who = i === 0 ? 'me' : (cleanOptional(info.scheduleId, 'address') ?? '(unknown)');
      if (info.error) {
        unavailable.push({ who, reason: cleanOptional(info.error.message, 'label') ?? cleanOptional(info.error.responseCode, 'label') ?? 'no free/busy' });
        continue;
      }
      for (const item of info.scheduleItems ?? []) {
        const status = typeof item.status === 'string' ? item.status : 'busy';
        if (!BLOCKING.has(status)) continue;
        // Each time in its own zone: asked in UTC, but a Graph (or a proxy) answering in another zone is still read right.
        const start = graphDateTimeInstant(item.start)?.getTime();
        const end = graphDateTimeInstant(item.end)?.getTime();
        if (start === undefined || end === undefined || end <= start) continue;
        // Others' details are only what their sharing setting lets Graph give; the user's own private items keep their subject for the user.
        blocks.push({ who, start, end, status, subject: cleanOptional(item.subject, 'subject') });
      }
      const wh = info.workingHours;
      if (args.workingHoursOnly && wh?.daysOfWeek?.length && wh.startTime && wh.endTime) {
        const spec = { days: wh.daysOfWeek, start: wh.startTime, end: wh.endTime, zone: graphZone(wh.timeZone, zone) };
        allowed = slots.intersect(allowed, slots.workingIntervals(spec, from, to));
      }
    }

    const durationMs = args.durationMinutes * 60_000;
    const windows = slots.freeWindows(allowed, blocks, durationMs);
    const shaping = blocks.filter((b) => allowed.some((a) => b.start < a.end && b.end > a.start)).sort((a, b) => a.start - b.start || a.who.localeCompare(b.who));
    const show = (i: Interval) => ({ start: formatInZone(new Date(i.start), zone, 'datetime'), end: formatInZone(new Date(i.end), zone, 'datetime') });
    const showBlock = (b: Block): BusyBlock => compact({ who: b.who, ...show(b), status: b.status, subject: b.subject }) as BusyBlock;
    const notes: string[] = [];
    if (args.workingHoursOnly && allowed.length === 0) notes.push('The working hours of the people asked for do not overlap in this window; try working_hours_only=false.');
    if (unavailable.length) notes.push('Slots ignore the people listed as unavailable.');

    let proposed: FreeTimeResult['proposed'];
    if (args.proposal) {
      const p = { start: args.proposal.start.getTime(), end: args.proposal.end.getTime() };
      const conflicts = blocks.filter((b) => b.start < p.end && b.end > p.start).sort((a, b) => a.start - b.start);
      const inHours = slots.subtract([p], allowed).length === 0;
      const works = conflicts.length === 0 && inHours;
      const fitting = slots.freeWindows(allowed, blocks, p.end - p.start);
      proposed = {
        ...compact({
        ...show(p),
        conflicts: conflicts.map(showBlock),
        outside_working_hours: !inHours,
        alternatives: works ? [] : slots.nearestWindows(fitting, p, 2).map(show),
        }),
        works,
      } as FreeTimeResult['proposed'];
    }

    // compact() drops empty arrays and false: the required fields are set after it.
    return {
      ...compact({
      more_slots: windows.length > args.limit ? windows.length - args.limit : undefined,
      more_busy: shaping.length > MAX_BUSY_LISTED ? shaping.length - MAX_BUSY_LISTED : undefined,
      unavailable,
      notes,
      }),
      time_zone: zone,
      duration_minutes: args.durationMinutes,
      slots: windows.slice(0, args.limit).map(show),
      busy: shaping.slice(0, MAX_BUSY_LISTED).map(showBlock),
      ...(proposed ? { proposed } : {}),
    };
  }

  private myAddress(signal?: AbortSignal): Promise<string> {
    if (this.mailbox) return Promise.resolve(this.mailbox);
    this.me ??= this.graph.get<{ mail?: string | null; userPrincipalName?: string }>(this.graph.mailbox``, { query: [['$select', 'mail,userPrincipalName']], signal }).then(
      (u) => u.mail || u.userPrincipalName || '',
    );
    this.me.catch(() => (this.me = undefined));
    return this.me;
  }

  /** getSchedule over every schedule and the whole window, in requests Graph accepts; results in the order asked. */
  private async schedules(ids: readonly string[], from: Date, to: Date, signal?: AbortSignal): Promise<GraphScheduleInformation[]> {
    const merged = ids.map((id): GraphScheduleInformation => ({ scheduleId: id, scheduleItems: [] }));
    for (let start = from.getTime(); start < to.getTime(); start += WINDOW_PER_REQUEST_MS) {
      const end = Math.min(to.getTime(), start + WINDOW_PER_REQUEST_MS);
      for (let i = 0; i < ids.length; i += SCHEDULES_PER_REQUEST) {
        const chunk = ids.slice(i, i + SCHEDULES_PER_REQUEST);
        const answer = await this.getSchedule(chunk, new Date(start), new Date(end), signal);
        chunk.forEach((id, k) => {
          const got = answer.find((a) => a.scheduleId?.toLowerCase() === id.toLowerCase()) ?? answer[k];
          const into = merged[i + k] as GraphScheduleInformation;
          if (!got) return;
          if (got.error) into.error = got.error;
          into.scheduleItems?.push(...objectsOf<GraphScheduleItem>(got.scheduleItems));
          into.workingHours ??= got.workingHours;
        });
      }
    }
    return merged;
  }

  private async getSchedule(schedules: string[], start: Date, end: Date, signal?: AbortSignal): Promise<GraphScheduleInformation[]> {
    const body = {
      schedules,
      // Sent and answered in UTC (no Prefer zone): instants without a zone to guess.
      startTime: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' },
      endTime: { dateTime: end.toISOString().slice(0, 19), timeZone: 'UTC' },
      availabilityViewInterval: 30,
    };
    try {
      const r = await this.graph.request<{ value?: GraphScheduleInformation[] }>('POST', this.graph.mailbox`/calendar/getSchedule`, { body, idempotent: true, signal });
      // Entries that are not objects (a null in value) say nothing about anyone: left out, never thrown on.
      return objectsOf<GraphScheduleInformation>(r.data?.value);
    } catch (err) {
      // Graph documents getSchedule for work or school accounts only and answers personal ones with assorted errors
      // (500s among them), so every failure that is not about our own arguments says so.
      if (err instanceof GraphError && !ARGUMENT_ERRORS.has(err.code) && err.status !== 429) {
        throw new FreeBusyUnavailableError(
          `Graph could not give free/busy (${err.status} ${err.code}). Free/busy (getSchedule) exists for work or school accounts only: with a personal Microsoft account, list the day with ol_calendar_list_events instead. Otherwise try again shortly.${err.requestId ? ` [request-id ${err.requestId}]` : ''}`,
        );
      }
      throw err;
    }
  }
}
