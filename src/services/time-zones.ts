/**
 * The time zones Graph writes in mailbox settings and working hours, turned
 * into something that can place a wall-clock time on the time line:
 * - IANA names as they are;
 * - Windows names ("W. Europe Standard Time", the Exchange default) through
 *   CLDR's windowsZones table (the `windows-iana` package carries it, kept
 *   current with CLDR; a copy of our own would go stale);
 * - `customTimeZone` (an admin-defined zone: a bias and yearly standard and
 *   daylight transitions), computed from its rules.
 * DST gaps and overlaps follow the same policy as src/text/dates.ts: a wall
 * time in a gap moves forward by the gap, an ambiguous one means the earlier
 * instant.
 */
import { findIana } from 'windows-iana';
import { isValidTimeZone, zonedWallTimeToDate, type WallTime } from '../text/dates.js';

/** A zone that can turn a wall-clock time into an instant. */
export interface WallZone {
  /** What to call the zone in messages: the IANA name, or the custom zone's name. */
  readonly label: string;
  toInstant(wall: WallTime): Date;
}

/** Graph's `timeZoneBase` / `customTimeZone`, as far as they matter here. */
export interface GraphTimeZone {
  name?: string;
  '@odata.type'?: string;
  bias?: number;
  standardOffset?: GraphTransition;
  daylightOffset?: GraphTransition & { daylightBias?: number };
}

/** One yearly transition of a custom zone: `dayOccurrence` 1–4, or 5 for the last. */
export interface GraphTransition {
  time?: string;
  dayOccurrence?: number;
  dayOfWeek?: string;
  month?: number;
  year?: number;
}

/**
 * windows-iana scans its table on every call (45 µs for a miss, 330 µs for a
 * hit, measured), and every event time asks: a pure memo, bounded like the
 * Intl formatter cache in src/text/dates.ts.
 */
const IANA_OF = new Map<string, string | undefined>();

/** The IANA zone for a Windows or IANA name; undefined when neither. */
export function ianaZoneOf(name: string | undefined): string | undefined {
  const n = name?.trim();
  if (!n) return undefined;
  if (IANA_OF.has(n)) return IANA_OF.get(n);
  // Territory "001" (the first entry) is the zone Windows itself treats as primary.
  const fromWindows = findIana(n)[0];
  const zone = fromWindows && isValidTimeZone(fromWindows) ? fromWindows : isValidTimeZone(n) ? n : undefined;
  if (IANA_OF.size < 256) IANA_OF.set(n, zone);
  return zone;
}

/** The zone a Graph time zone object denotes, or `fallback` (an IANA name) when it names none we can use. */
export function graphZone(tz: GraphTimeZone | undefined, fallback: string): WallZone {
  if (tz && (tz['@odata.type']?.endsWith('customTimeZone') || (tz.bias !== undefined && tz.standardOffset !== undefined))) return customZone(tz);
  const iana = ianaZoneOf(tz?.name) ?? fallback;
  return { label: iana, toInstant: (wall) => zonedWallTimeToDate(wall, iana) };
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Minutes since midnight of `HH:mm[:ss…]`. */
function minutesOf(time: string | undefined): number {
  const m = /^(\d{1,2}):(\d{2})/.exec(time ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

/** The day of month of the n-th (5 = last) `weekday` of a month. */
function nthWeekday(year: number, month: number, weekday: number, occurrence: number): number {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let day = 1 + ((weekday - first + 7) % 7) + 7 * (Math.min(Math.max(occurrence, 1), 5) - 1);
  while (day > days) day -= 7;
  return day;
}

/** Local wall-clock minutes since the epoch at which a transition happens in `year`. */
function transitionLocal(t: GraphTransition, year: number): number | undefined {
  if (!t.month) return undefined;
  const weekday = WEEKDAYS.indexOf((t.dayOfWeek ?? 'sunday').toLowerCase());
  const day = nthWeekday(year, t.month, weekday < 0 ? 0 : weekday, t.dayOccurrence ?? 1);
  return Date.UTC(year, t.month - 1, day) / 60_000 + minutesOf(t.time);
}

/**
 * A custom zone: UTC = local + bias + (standard or daylight bias). Daylight
 * time starts at `daylightOffset.time` local standard time and ends at
 * `standardOffset.time` local daylight time; either order in the year
 * (southern zones start daylight time late in the year).
 */
function customZone(tz: GraphTimeZone): WallZone {
  const bias = tz.bias ?? 0;
  const stdBias = bias + ((tz.standardOffset as { bias?: number } | undefined)?.bias ?? 0);
  const dstBias = bias + (tz.daylightOffset?.daylightBias ?? 0);
  return {
    label: tz.name?.trim() || 'custom time zone',
    toInstant(wall) {
      const local = Date.UTC(wall.y, wall.m - 1, wall.d, wall.h, wall.mi, wall.s) / 60_000;
      const start = tz.daylightOffset ? transitionLocal(tz.daylightOffset, wall.y) : undefined;
      const end = tz.standardOffset ? transitionLocal(tz.standardOffset, wall.y) : undefined;
      let daylight = false;
      if (start !== undefined && end !== undefined && dstBias !== stdBias) {
        const gap = stdBias - dstBias; // minutes the clocks jump forward at the start
        // A wall time inside the spring-forward gap does not exist: read it with the standard bias (forward by the gap).
        const inGap = local >= start && local < start + gap;
        daylight = !inGap && (start < end ? local >= start && local < end : local >= start || local < end);
      }
      return new Date((local + (daylight ? dstBias : stdBias)) * 60_000 + (wall.ms ?? 0));
    },
  };
}
