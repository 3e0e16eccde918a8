/**
 * Time zone names and wall-clock arithmetic for the sandbox, built on Intl
 * alone. Graph speaks Windows zone names (`Pacific Standard Time`) as well as
 * IANA ones, and writes local times as `YYYY-MM-DDTHH:mm:ss.0000000` with the
 * zone in a separate field, so both directions are needed.
 */
import { findIana } from 'windows-iana';
import type { DateTimeTimeZone } from './model.js';

/**
 * Windows zone name → IANA zone, from CLDR's windowsZones table (territory
 * "001", the zone Windows itself treats as the primary one).
 */
export const WINDOWS_TO_IANA: Readonly<Record<string, string>> = {
  'UTC': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'GTB Standard Time': 'Europe/Bucharest',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'Egypt Standard Time': 'Africa/Cairo',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Arab Standard Time': 'Asia/Riyadh',
  'Arabian Standard Time': 'Asia/Dubai',
  'Iran Standard Time': 'Asia/Tehran',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Kolkata',
  'Nepal Standard Time': 'Asia/Katmandu',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Taipei Standard Time': 'Asia/Taipei',
  'W. Australia Standard Time': 'Australia/Perth',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina',
  'Eastern Standard Time': 'America/New_York',
  'SA Pacific Standard Time': 'America/Bogota',
  'Atlantic Standard Time': 'America/Halifax',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
};

const WINDOWS_BY_LOWER = new Map(Object.keys(WINDOWS_TO_IANA).map((name) => [name.toLowerCase(), name]));

// IANA aliases ICU may report instead of the names in the table above.
const IANA_ALIASES: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Kathmandu': 'Asia/Katmandu',
  'Europe/Kyiv': 'Europe/Kiev',
  'America/Argentina/Buenos_Aires': 'America/Buenos_Aires',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
  'GMT': 'UTC',
};

const IANA_TO_WINDOWS = new Map<string, string>(
  Object.entries(WINDOWS_TO_IANA).map(([windows, iana]) => [iana, windows]),
);

// Validating a name means constructing an Intl.DateTimeFormat (~0.1 ms), far
// more than a conversion costs, so valid IANA names are remembered. Keys are
// lower-cased, which bounds the cache by the number of zones ICU knows.
const ianaByLower = new Map<string, string>();

// findIana scans CLDR's table on every call (45–330 µs, measured): remembered per name, bounded.
const cldrByName = new Map<string, string | undefined>();

/** The IANA zone CLDR gives a Windows name, if it is one. */
function cldrWindows(name: string): string | undefined {
  if (cldrByName.has(name)) return cldrByName.get(name);
  const iana = findIana(name)[0];
  if (cldrByName.size < 512) cldrByName.set(name, iana);
  return iana;
}

/** Resolves a Windows or IANA zone name to an IANA name Intl accepts; undefined when unknown. */
export function resolveTimeZone(name: string): string | undefined {
  const lower = name.toLowerCase();
  const windows = WINDOWS_BY_LOWER.get(lower);
  if (windows !== undefined) return WINDOWS_TO_IANA[windows];
  // Every other Windows name CLDR knows ("E. Africa Standard Time"), as Graph accepts them all; IANA names have a '/'.
  if (!name.includes('/')) {
    const cldr = cldrWindows(name);
    if (cldr !== undefined) return cldr;
  }
  // Intl also accepts offsets such as "+01:00" on newer engines; Graph does not.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined;
  let resolved = ianaByLower.get(lower);
  if (resolved === undefined) {
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      return undefined;
    }
    ianaByLower.set(lower, resolved);
  }
  // ICU may answer with an alias (Asia/Kolkata → Asia/Calcutta): keep the caller's name then.
  return resolved.toLowerCase() === lower ? resolved : name;
}

/**
 * The zone a `Prefer: outlook.timezone` value is honoured in, or undefined
 * when Graph would not honour it (then it answers in UTC and sends no
 * `Preference-Applied`). Graph takes Windows names, and of IANA names only a
 * short list: here the primary zone of each Windows name in the table above
 * (Europe/Berlin, America/New_York…), not America/Toronto, Europe/Madrid,
 * Europe/Amsterdam, Europe/Zurich, Europe/Rome, Asia/Hong_Kong or
 * Australia/Melbourne, which real Graph answers in UTC.
 */
export function preferredZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (WINDOWS_BY_LOWER.has(trimmed.toLowerCase()) || (!trimmed.includes('/') && cldrWindows(trimmed) !== undefined)) return trimmed;
  const iana = IANA_TO_WINDOWS.has(trimmed) ? trimmed : IANA_ALIASES[trimmed];
  return iana !== undefined && IANA_TO_WINDOWS.has(iana) ? trimmed : undefined;
}

/** The Windows name for a Windows or IANA zone name, when the table knows one. */
export function windowsTimeZoneName(name: string): string | undefined {
  const iana = resolveTimeZone(name);
  if (iana === undefined) return undefined;
  return IANA_TO_WINDOWS.get(iana) ?? IANA_TO_WINDOWS.get(IANA_ALIASES[iana] ?? '');
}

/** Like resolveTimeZone, but throws a RangeError naming the zone when it is unknown. */
export function requireTimeZone(name: string): string {
  const iana = resolveTimeZone(name);
  if (iana === undefined) throw new RangeError(`Unknown time zone: "${name}"`);
  return iana;
}

/** A local wall-clock time with no zone attached. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

/** Parses Graph's `YYYY-MM-DDTHH:mm:ss.fffffff` (time and fraction optional); throws on anything else. */
export function parseWallClock(dateTime: string): WallClock {
  const m = WALL_CLOCK.exec(dateTime);
  if (m === null) throw new RangeError(`Not a wall-clock date-time: "${dateTime}"`);
  const wall: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millisecond: Math.floor(Number((m[7] ?? '0').padEnd(7, '0')) / 10_000),
  };
  // Round-tripping through Date.UTC catches 2025-02-30 and 25:00.
  const check = new Date(wallClockMs(wall));
  if (
    wall.hour > 23 || wall.minute > 59 || wall.second > 59 ||
    check.getUTCFullYear() !== wall.year || check.getUTCMonth() + 1 !== wall.month || check.getUTCDate() !== wall.day
  ) {
    throw new RangeError(`Not a valid date-time: "${dateTime}"`);
  }
  return wall;
}

/** Formats a wall-clock time the way Graph does: `YYYY-MM-DDTHH:mm:ss.0000000`. */
export function formatWallClock(wall: WallClock): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(wall.year).padStart(4, '0')}-${p2(wall.month)}-${p2(wall.day)}` +
    `T${p2(wall.hour)}:${p2(wall.minute)}:${p2(wall.second)}.${String(wall.millisecond * 10_000).padStart(7, '0')}`
  );
}

/** The wall-clock time as if it were UTC, in epoch milliseconds (the basis of all offset arithmetic here). */
function wallClockMs(wall: WallClock): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

/** The UTC wall clock of an epoch millisecond value (a naive calendar-arithmetic helper). */
export function wallClockFromMs(ms: number): WallClock {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

// Intl.DateTimeFormat construction dominates the cost of a conversion, and
// the seed converts a few hundred times, so formatters are kept per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(iana: string): Intl.DateTimeFormat {
  const key = iana.toLowerCase();
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

const DAY_MS = 86_400_000;

// formatToParts costs several microseconds and a conversion needs 2–4 of
// them. Offsets change a few times a year, so they are remembered per UTC day
// (null: a transition falls inside that day, compute exactly). Bounded.
const dayOffsets = new Map<string, number | null>();
const DAY_OFFSETS_MAX = 20_000;

/** Offset of `iana` from UTC at the instant `utcMs`, in milliseconds (local − UTC). */
function offsetMs(iana: string, utcMs: number): number {
  if (iana === 'UTC') return 0;
  const day = Math.floor(utcMs / DAY_MS);
  const key = `${iana}|${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const atStart = exactOffsetMs(iana, day * DAY_MS);
    offset = atStart === exactOffsetMs(iana, (day + 1) * DAY_MS - 1000) ? atStart : null;
    if (dayOffsets.size >= DAY_OFFSETS_MAX) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  return offset ?? exactOffsetMs(iana, utcMs);
}

function exactOffsetMs(iana: string, utcMs: number): number {
  const wholeSecond = Math.floor(utcMs / 1000) * 1000;
  const fields: Record<string, number> = {};
  let bc = false;
  for (const part of formatterFor(iana).formatToParts(new Date(wholeSecond))) {
    if (part.type === 'era') bc = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = fields['year'] ?? 1970;
  const local = wallClockMs({
    year: bc ? 1 - year : year,
    month: fields['month'] ?? 1,
    day: fields['day'] ?? 1,
    hour: fields['hour'] ?? 0,
    minute: fields['minute'] ?? 0,
    second: fields['second'] ?? 0,
    millisecond: 0,
  });
  return local - wholeSecond;
}

/** The UTC instant of a wall-clock time in an IANA zone (DST gaps move forward, overlaps take the earlier instant, as Outlook does). */
function zonedMsToUtc(localMs: number, iana: string): number {
  const before = offsetMs(iana, localMs - DAY_MS);
  const after = offsetMs(iana, localMs + DAY_MS);
  if (before === after) return localMs - before;
  const early = localMs - before;
  const late = localMs - after;
  const earlyValid = early + offsetMs(iana, early) === localMs;
  const lateValid = late + offsetMs(iana, late) === localMs;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // In a spring-forward gap: read the time with the offset in force before
  // it, which lands the same distance past the jump (02:30 → 03:30 CEST).
  return localMs - before;
}

/** The UTC instant of a wall-clock time in a Windows or IANA zone. */
export function zonedWallClockToUtc(wall: WallClock, zone: string): Date {
  return new Date(zonedMsToUtc(wallClockMs(wall), requireTimeZone(zone)));
}

/** Converts a Graph `DateTimeTimeZone` (wall clock + Windows/IANA zone) to the UTC instant it denotes. */
export function wallClockToUtc(value: DateTimeTimeZone): Date {
  const iana = requireTimeZone(value.timeZone);
  return new Date(zonedMsToUtc(wallClockMs(parseWallClock(value.dateTime)), iana));
}

/** Expresses a UTC instant as a wall-clock string in a Windows or IANA zone, in Graph's format. */
export function utcToWallClock(instant: Date, zone: string): string {
  const iana = requireTimeZone(zone);
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid date');
  return formatWallClock(wallClockFromMs(ms + offsetMs(iana, ms)));
}

/** Expresses a UTC instant in a zone as a Graph `DateTimeTimeZone`, keeping the zone name as given. */
export function toDateTimeTimeZone(instant: Date, zone: string): DateTimeTimeZone {
  return { dateTime: utcToWallClock(instant, zone), timeZone: zone };
}

/** The offset of a zone from UTC at an instant, in minutes (east positive: Berlin in summer is +120). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  return offsetMs(requireTimeZone(zone), instant.getTime()) / 60_000;
}
