/**
 * Calendar logic of the sandbox: recurrence expansion (Graph's
 * PatternedRecurrence), calendarView windows, occurrence ids and zone
 * conversion of events. Pure functions over the mailbox; the HTTP server
 * calls them.
 *
 * Occurrences are never stored. Their ids are derived (`<masterId>.<YYYYMMDD>`,
 * the date being the occurrence's original date in the recurrence time zone),
 * so any id calendarView hands out can be resolved again by findEvent.
 * A stored event of type `exception` with `seriesMasterId` and `originalStart`
 * replaces the occurrence of that date; ids listed in the master's
 * `cancelledOccurrences` are deleted occurrences.
 */
import type { DateTimeTimeZone, PatternedRecurrence, SandboxEvent, SandboxMailbox } from './model.js';
import { parseWallClock, requireTimeZone, utcToWallClock, wallClockFromMs, wallClockToUtc, zonedWallClockToUtc, formatWallClock, type WallClock } from './timezones.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const INDEXES = ['first', 'second', 'third', 'fourth'] as const;
// Bounds the work a wide window over an endless series can cause.
const MAX_OCCURRENCES = 10_000;

// Civil dates are whole days since 1970-01-01, which makes stepping and
// comparing them plain integer arithmetic.
function civil(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / DAY_MS);
}

function civilFromString(date: string): number {
  const wall = parseWallClock(date.slice(0, 10));
  return civil(wall.year, wall.month, wall.day);
}

function ymd(days: number): { year: number; month: number; day: number } {
  const d = new Date(days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function weekday(days: number): number {
  // 1970-01-01 was a Thursday.
  return (((days + 4) % 7) + 7) % 7;
}

function daysInMonth(year: number, month: number): number {
  return civil(year, month + 1, 1) - civil(year, month, 1);
}

function compactDate(days: number): string {
  const { year, month, day } = ymd(days);
  return `${String(year).padStart(4, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

function wallAt(days: number, timeOfDayMs: number): WallClock {
  return wallClockFromMs(days * DAY_MS + timeOfDayMs);
}

function timeOfDayMs(wall: WallClock): number {
  return ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000 + wall.millisecond;
}

function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The derived id of a series' occurrence on `date` (`YYYY-MM-DD`, in the recurrence time zone). */
export function occurrenceId(seriesMasterId: string, date: string): string {
  return `${seriesMasterId}.${compactDate(civilFromString(date))}`;
}

/** Splits a derived occurrence id into its master id and date (`YYYY-MM-DD`); undefined for other ids. */
export function parseOccurrenceId(id: string): { seriesMasterId: string; date: string } | undefined {
  // Base64 never contains '.', so the last one separates the date.
  const m = /^(.+)\.(\d{4})(\d{2})(\d{2})$/.exec(id);
  if (m === null || m[1] === undefined) return undefined;
  return { seriesMasterId: m[1], date: `${m[2]}-${m[3]}-${m[4]}` };
}

/** Dates (ascending, ≥ from, ≤ limit) that the pattern selects, before the range's end/count is applied. */
function* patternDates(recurrence: PatternedRecurrence, from: number, limit: number): Generator<number> {
  const { pattern } = recurrence;
  const interval = Math.max(1, Math.floor(pattern.interval) || 1);
  const days = new Set((pattern.daysOfWeek ?? []).map((name) => WEEKDAYS.indexOf(name)));
  const first = ymd(from);

  switch (pattern.type) {
    case 'daily':
      for (let d = from; d <= limit; d += interval) yield d;
      return;

    case 'weekly': {
      if (days.size === 0) days.add(weekday(from));
      const firstDay = Math.max(0, WEEKDAYS.indexOf((pattern.firstDayOfWeek ?? 'sunday').toLowerCase() as (typeof WEEKDAYS)[number]));
      // The week holding the start date is week 0; every interval-th week counts.
      const weekStart = from - ((weekday(from) - firstDay + 7) % 7);
      for (let w = weekStart; w <= limit; w += 7 * interval) {
        for (let i = 0; i < 7; i++) {
          const d = w + i;
          if (d >= from && d <= limit && days.has(weekday(d))) yield d;
        }
      }
      return;
    }

    case 'absoluteMonthly':
    case 'relativeMonthly':
      for (let k = 0; ; k += interval) {
        const monthIndex = first.year * 12 + (first.month - 1) + k;
        const year = Math.floor(monthIndex / 12);
        const month = (monthIndex % 12) + 1;
        if (civil(year, month, 1) > limit) return;
        const d = pattern.type === 'absoluteMonthly'
          ? clampedDay(year, month, pattern.dayOfMonth ?? first.day)
          : relativeDay(year, month, days, pattern.index);
        if (d !== undefined && d >= from && d <= limit) yield d;
      }

    case 'absoluteYearly':
    case 'relativeYearly': {
      const month = pattern.month ?? first.month;
      for (let year = first.year; civil(year, month, 1) <= limit; year += interval) {
        const d = pattern.type === 'absoluteYearly'
          ? clampedDay(year, month, pattern.dayOfMonth ?? first.day)
          : relativeDay(year, month, days, pattern.index);
        if (d !== undefined && d >= from && d <= limit) yield d;
      }
      return;
    }
  }
}

// Outlook puts "day 31" on the last day of shorter months (and Feb 29 on Feb 28).
function clampedDay(year: number, month: number, dayOfMonth: number): number {
  return civil(year, month, Math.min(Math.max(1, dayOfMonth), daysInMonth(year, month)));
}

// With several daysOfWeek, Graph counts days matching any of them:
// "first {monday, tuesday}" is the month's first Monday or Tuesday.
function relativeDay(year: number, month: number, days: Set<number>, index: PatternedRecurrence['pattern']['index']): number | undefined {
  const start = civil(year, month, 1);
  const matches: number[] = [];
  for (let d = start; d < start + daysInMonth(year, month); d++) if (days.has(weekday(d))) matches.push(d);
  if (index === 'last') return matches[matches.length - 1];
  return matches[INDEXES.indexOf(index ?? 'first')];
}

interface RawOccurrence {
  date: number;
  startMs: number;
  endMs: number;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
}

function overlaps(startMs: number, endMs: number, windowStart: number, windowEnd: number): boolean {
  if (startMs >= windowEnd) return false;
  // A zero-length event at the window's start belongs to it.
  return endMs > windowStart || (endMs === startMs && startMs >= windowStart);
}

function recurrenceZone(master: SandboxEvent): string {
  return master.recurrence?.range.recurrenceTimeZone || master.start.timeZone;
}

/** Pattern occurrences of a master overlapping [windowStart, windowEnd), ignoring exceptions and deletions. */
function rawOccurrences(master: SandboxEvent, windowStart: number, windowEnd: number, maxResults = MAX_OCCURRENCES): RawOccurrence[] {
  const recurrence = master.recurrence;
  if (recurrence === undefined || windowEnd <= windowStart) return [];
  const zone = recurrenceZone(master);
  const from = civilFromString(recurrence.range.startDate);
  // No occurrence dated after the window's last UTC day (+ the widest zone offset) can start inside it.
  let limit = Math.floor(windowEnd / DAY_MS) + 2;
  if (recurrence.range.type === 'endDate' && recurrence.range.endDate) {
    limit = Math.min(limit, civilFromString(recurrence.range.endDate));
  }
  const maxCount = recurrence.range.type === 'numbered' ? Math.max(0, recurrence.range.numberOfOccurrences ?? 0) : Infinity;

  const startWall = parseWallClock(master.start.dateTime);
  const endWall = parseWallClock(master.end.dateTime);
  // All-day series keep midnight-to-midnight wall times in their own zone;
  // timed series keep their time of day in the recurrence zone across DST
  // and keep their real duration.
  const allDayLengthMs = civil(endWall.year, endWall.month, endWall.day) * DAY_MS + timeOfDayMs(endWall)
    - (civil(startWall.year, startWall.month, startWall.day) * DAY_MS + timeOfDayMs(startWall));
  const masterStart = wallClockToUtc(master.start).getTime();
  const durationMs = wallClockToUtc(master.end).getTime() - masterStart;
  const timeOfDay = master.isAllDay ? timeOfDayMs(startWall) : timeOfDayMs(parseWallClock(utcToWallClock(new Date(masterStart), zone)));

  const out: RawOccurrence[] = [];
  let count = 0;
  const spanMs = master.isAllDay ? allDayLengthMs : durationMs;
  for (const date of patternDates(recurrence, from, limit)) {
    if (++count > maxCount || out.length >= maxResults) break;
    // Dates well before the window still count towards `numbered`, but need no zone arithmetic.
    if ((date + 2) * DAY_MS + spanMs <= windowStart) continue;
    let start: DateTimeTimeZone;
    let end: DateTimeTimeZone;
    let startMs: number;
    let endMs: number;
    if (master.isAllDay) {
      start = { dateTime: formatWallClock(wallAt(date, timeOfDay)), timeZone: master.start.timeZone };
      end = { dateTime: formatWallClock(wallAt(date, timeOfDay + allDayLengthMs)), timeZone: master.end.timeZone };
      startMs = wallClockToUtc(start).getTime();
      endMs = wallClockToUtc(end).getTime();
    } else {
      startMs = zonedWallClockToUtc(wallAt(date, timeOfDay), zone).getTime();
      endMs = startMs + durationMs;
      start = { dateTime: utcToWallClock(new Date(startMs), master.start.timeZone), timeZone: master.start.timeZone };
      end = { dateTime: utcToWallClock(new Date(endMs), master.end.timeZone), timeZone: master.end.timeZone };
    }
    if (overlaps(startMs, endMs, windowStart, windowEnd)) out.push({ date, startMs, endMs, start, end });
  }
  return out;
}

// Outlook's GlobalObjectId carries the instance date in bytes 16–19
// (year, month, day); the master has zeros there.
function occurrenceICalUId(masterUid: string, date: number): string {
  const { year, month, day } = ymd(date);
  const stamp = year.toString(16).padStart(4, '0') + month.toString(16).padStart(2, '0') + day.toString(16).padStart(2, '0');
  if (/^040000008200E00074C5B7101A82E008[0-9A-F]{8}/i.test(masterUid)) {
    return masterUid.slice(0, 32) + stamp.toUpperCase() + masterUid.slice(40);
  }
  return `${masterUid}-${stamp}`;
}

function materialise(master: SandboxEvent, raw: RawOccurrence): SandboxEvent {
  const copy = structuredClone(master);
  delete copy.recurrence;
  delete copy.cancelledOccurrences;
  const id = `${master.id}.${compactDate(raw.date)}`;
  return {
    ...copy,
    id,
    type: 'occurrence',
    seriesMasterId: master.id,
    originalStart: isoUtc(raw.startMs),
    iCalUId: occurrenceICalUId(master.iCalUId, raw.date),
    start: raw.start,
    end: raw.end,
    webLink: master.webLink.split(encodeURIComponent(master.id)).join(encodeURIComponent(id)),
  };
}

/** Occurrence id → the stored exception that replaces it, for one master. */
function exceptionsOf(mailbox: SandboxMailbox, master: SandboxEvent): Map<string, SandboxEvent> {
  const zone = recurrenceZone(master);
  const map = new Map<string, SandboxEvent>();
  for (const event of mailbox.events) {
    if (event.type !== 'exception' || event.seriesMasterId !== master.id) continue;
    const key = event.originalStart
      ? occurrenceId(master.id, utcToWallClock(new Date(event.originalStart), zone).slice(0, 10))
      : event.id;
    map.set(key, event);
  }
  return map;
}

/** Occurrences of a series in a window, without deleted ones and those replaced by exceptions. */
function liveOccurrences(mailbox: SandboxMailbox, master: SandboxEvent, windowStart: number, windowEnd: number): SandboxEvent[] {
  const cancelled = new Set(master.cancelledOccurrences ?? []);
  const replaced = exceptionsOf(mailbox, master);
  return rawOccurrences(master, windowStart, windowEnd)
    .map((raw) => materialise(master, raw))
    .filter((occurrence) => !cancelled.has(occurrence.id) && !replaced.has(occurrence.id));
}

function eventBounds(event: SandboxEvent): [number, number] {
  return [wallClockToUtc(event.start).getTime(), wallClockToUtc(event.end).getTime()];
}

function sortByStart(events: SandboxEvent[]): SandboxEvent[] {
  const keyed = events.map((event) => ({ event, bounds: eventBounds(event) }));
  keyed.sort((a, b) => a.bounds[0] - b.bounds[0] || a.bounds[1] - b.bounds[1] || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
  return keyed.map((k) => k.event);
}

/** Occurrences of a series master whose time overlaps [start, end), in pattern order (exceptions and deletions not applied). */
export function expandRecurrence(master: SandboxEvent, start: Date, end: Date): SandboxEvent[] {
  return rawOccurrences(master, start.getTime(), end.getTime()).map((raw) => materialise(master, raw));
}

/** The first occurrence of a series (Graph requires a master's start/end to equal it); undefined if the pattern yields none within 10 years. */
export function firstOccurrence(master: SandboxEvent): SandboxEvent | undefined {
  const recurrence = master.recurrence;
  if (recurrence === undefined) return undefined;
  const from = (civilFromString(recurrence.range.startDate) - 2) * DAY_MS;
  const raw = rawOccurrences(master, from, from + 3660 * DAY_MS, 1)[0];
  return raw === undefined ? undefined : materialise(master, raw);
}

/**
 * Graph's calendarView for one calendar: single instances, exceptions and
 * expanded occurrences overlapping [start, end), sorted by start. Stored
 * events are returned as stored (not copies); occurrences are fresh objects.
 */
export function listCalendarView(mailbox: SandboxMailbox, calendarId: string, start: Date, end: Date): SandboxEvent[] {
  const windowStart = start.getTime();
  const windowEnd = end.getTime();
  const out: SandboxEvent[] = [];
  for (const event of mailbox.events) {
    if (event.calendarId !== calendarId) continue;
    if (event.type === 'seriesMaster') {
      out.push(...liveOccurrences(mailbox, event, windowStart, windowEnd));
    } else if (event.type === 'singleInstance' || event.type === 'exception') {
      const [s, e] = eventBounds(event);
      if (overlaps(s, e, windowStart, windowEnd)) out.push(event);
    }
  }
  return sortByStart(out);
}

/** Graph's `/events/{masterId}/instances`: occurrences and exceptions of one series overlapping [start, end). */
export function listInstances(mailbox: SandboxMailbox, seriesMasterId: string, start: Date, end: Date): SandboxEvent[] {
  const master = mailbox.events.find((e) => e.id === seriesMasterId && e.type === 'seriesMaster');
  if (master === undefined) return [];
  const windowStart = start.getTime();
  const windowEnd = end.getTime();
  const exceptions = [...exceptionsOf(mailbox, master).values()].filter((e) => {
    const [s, t] = eventBounds(e);
    return overlaps(s, t, windowStart, windowEnd);
  });
  return sortByStart([...liveOccurrences(mailbox, master, windowStart, windowEnd), ...exceptions]);
}

/** A stored event by id, or the occurrence a derived occurrence id denotes (undefined if deleted or not in the pattern). */
export function findEvent(mailbox: SandboxMailbox, id: string): SandboxEvent | undefined {
  const stored = mailbox.events.find((e) => e.id === id);
  if (stored !== undefined) return stored;
  const parsed = parseOccurrenceId(id);
  if (parsed === undefined) return undefined;
  const master = mailbox.events.find((e) => e.id === parsed.seriesMasterId && e.type === 'seriesMaster');
  if (master === undefined || master.cancelledOccurrences?.includes(id)) return undefined;
  const exception = exceptionsOf(mailbox, master).get(id);
  if (exception !== undefined) return exception;
  let date: number;
  try {
    date = civilFromString(parsed.date);
  } catch {
    return undefined;
  }
  // Any occurrence dated `date` starts within a day of that date's midnight UTC.
  const raw = rawOccurrences(master, (date - 2) * DAY_MS, (date + 3) * DAY_MS).find((r) => r.date === date);
  return raw === undefined ? undefined : materialise(master, raw);
}

/**
 * A copy of the event with start/end expressed in `zone` (Windows or IANA),
 * as Graph does for `Prefer: outlook.timezone`. All-day events keep their
 * midnight wall times and only take the zone's name. Throws RangeError for an
 * unknown zone.
 */
export function eventInZone(event: SandboxEvent, zone: string): SandboxEvent {
  requireTimeZone(zone);
  const copy = structuredClone(event);
  if (event.isAllDay) {
    copy.start = { dateTime: formatWallClock(parseWallClock(event.start.dateTime)), timeZone: zone };
    copy.end = { dateTime: formatWallClock(parseWallClock(event.end.dateTime)), timeZone: zone };
  } else {
    copy.start = { dateTime: utcToWallClock(wallClockToUtc(event.start), zone), timeZone: zone };
    copy.end = { dateTime: utcToWallClock(wallClockToUtc(event.end), zone), timeZone: zone };
  }
  return copy;
}
