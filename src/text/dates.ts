/**
 * User-facing dates in an IANA time zone, using Intl only.
 *
 * DST policy (the same as Temporal's default `disambiguation: 'compatible'`):
 *  - a wall time that does not exist (spring-forward gap) is moved forward by
 *    the length of the gap: 02:30 on the day Berlin jumps 02:00→03:00 means
 *    03:30 CEST;
 *  - a wall time that occurs twice (fall-back overlap) means the earlier
 *    instant: 02:30 on the day Berlin goes 03:00→02:00 means 02:30 CEST.
 * A day's start is therefore always the first instant of that day, even in
 * zones whose DST switch happens at midnight.
 */
import { UserFacingError } from '../errors.js';

/** A wall-clock time; months are 1-based. */
export interface WallTime {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms?: number;
}

/** A date a person typed that we cannot read; the message names the field and shows accepted forms. */
export class DateInputError extends UserFacingError {
  override readonly name = 'DateInputError';
  constructor(
    readonly field: string,
    readonly input: string,
    message: string,
  ) {
    super('INVALID_DATE', message);
  }
}

const ACCEPTED_FORMS = 'Use YYYY-MM-DD or an ISO date-time such as 2025-03-01T09:00 or 2025-03-01T09:00:00Z.';
const MAX_ECHO = 60;
const DAY_MS = 86_400_000;
const USER_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?)?$/;

/**
 * Parses a date a person typed: `YYYY-MM-DD` (start of that day in `zone`, or
 * with `endOfDay` the start of the NEXT day, an exclusive end), a wall time
 * `YYYY-MM-DDTHH:mm[:ss[.fff]]` in `zone`, or an ISO date-time with `Z` or
 * `±HH:mm` (zone ignored). `endOfDay` only affects date-only input.
 */
export function parseUserDate(input: string, opts: { zone: string; endOfDay?: boolean; field: string }): Date {
  const { field, zone } = opts;
  if (!isValidTimeZone(zone)) {
    throw new DateInputError(field, input, `${field}: unknown time zone ${JSON.stringify(zone)}. Use an IANA name such as Europe/Berlin or UTC.`);
  }
  const invalid = (): DateInputError =>
    new DateInputError(field, input, `${field}: ${echo(input)} is not a valid date. ${ACCEPTED_FORMS}`);

  const m = USER_DATE.exec(input.trim());
  if (!m) throw invalid();
  const [, ys, ms, ds, hs, mis, ss, frac, z, sign, oh, om] = m;
  const y = Number(ys);
  const mo = Number(ms);
  const d = Number(ds);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw invalid();

  if (hs === undefined) {
    if (!opts.endOfDay) return zonedWallTimeToDate({ y, m: mo, d, h: 0, mi: 0, s: 0 }, zone);
    const next = new Date(utcFromWall({ y, m: mo, d, h: 0, mi: 0, s: 0 }) + DAY_MS);
    return zonedWallTimeToDate(
      { y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate(), h: 0, mi: 0, s: 0 },
      zone,
    );
  }

  const wall: WallTime = {
    y,
    m: mo,
    d,
    h: Number(hs),
    mi: Number(mis),
    s: ss === undefined ? 0 : Number(ss),
    // Digits past milliseconds are dropped: Date cannot hold them.
    ms: frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0')),
  };
  if (wall.h > 23 || wall.mi > 59 || wall.s > 59) throw invalid();
  if (z !== undefined) return new Date(utcFromWall(wall));
  if (sign !== undefined) {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) throw invalid();
    const offsetMs = (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
    return new Date(utcFromWall(wall) - offsetMs);
  }
  return zonedWallTimeToDate(wall, zone);
}

/** Formats `date` in `zone` compactly: `2026-11-26 09:14`, `2026-11-26` or `09:14`. */
export function formatInZone(date: Date, zone: string, style: 'datetime' | 'date' | 'time'): string {
  const w = wallTimeAt(date.getTime(), formatter(zone));
  const day = `${String(w.y).padStart(4, '0')}-${pad2(w.m)}-${pad2(w.d)}`;
  const time = `${pad2(w.h)}:${pad2(w.mi)}`;
  if (style === 'date') return day;
  if (style === 'time') return time;
  return `${day} ${time}`;
}

/**
 * The instant at which clocks in `zone` show `wall` (years 1–9999). DST gaps
 * move forward by the gap, overlaps take the earlier instant (see module doc).
 */
export function zonedWallTimeToDate(wall: WallTime, zone: string): Date {
  if (!isValidWallTime(wall)) throw new RangeError(`Invalid wall time ${JSON.stringify(wall)}`);
  const fmt = formatter(zone);
  const guess = utcFromWall(wall);
  const before = offsetAt(guess - DAY_MS, fmt);
  const after = offsetAt(guess + DAY_MS, fmt);
  // The true offset is one in force around the wall time; each candidate that
  // maps back onto the same wall time is a real occurrence of it.
  const candidates = [...new Set([before, offsetAt(guess, fmt), after])]
    .map((offset) => guess - offset)
    .filter((t) => offsetAt(t, fmt) === guess - t)
    .sort((a, b) => a - b);
  const earliest = candidates[0];
  if (earliest !== undefined) return new Date(earliest);
  // A gap: reading the wall time with the offset from before the jump lands
  // just after the jump, shifted forward by the gap's length.
  return new Date(guess - before);
}

/** Whether Intl knows `zone` as a time zone. */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** This process's time zone per Intl, or `UTC` when it cannot tell. */
export function systemTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

/**
 * Constructing an Intl.DateTimeFormat costs ~20 µs, formatting with one ~1 µs;
 * listing 50 messages would otherwise spend most of its time here. A pure
 * memo, bounded by the number of zones a process ever sees.
 */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let fmt = FORMATTERS.get(zone);
  if (!fmt) {
    fmt = newFormatter(zone);
    if (FORMATTERS.size < 256) FORMATTERS.set(zone, fmt);
  }
  return fmt;
}

function newFormatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    // Without the era, 1 BC and AD 1 would both read as year 1.
    era: 'short',
  });
}

function wallTimeAt(ms: number, fmt: Intl.DateTimeFormat): WallTime {
  const parts: Record<string, number> = {};
  let bc = false;
  for (const part of fmt.formatToParts(ms)) {
    if (part.type === 'era') bc = part.value === 'BC';
    else if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const field = (name: string): number => {
    const value = parts[name];
    if (value === undefined || !Number.isFinite(value)) throw new RangeError(`Intl returned no ${name} for ${ms}`);
    return value;
  };
  return { y: bc ? 1 - field('year') : field('year'), m: field('month'), d: field('day'), h: field('hour'), mi: field('minute'), s: field('second') };
}

// Offsets are whole seconds (even historic LMT ones), so comparing at second
// precision is exact.
function offsetAt(ms: number, fmt: Intl.DateTimeFormat): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return utcFromWall(wallTimeAt(whole, fmt)) - whole;
}

// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
function utcFromWall(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.y, w.m - 1, w.d);
  d.setUTCHours(w.h, w.mi, w.s, w.ms ?? 0);
  return d.getTime();
}

function isValidWallTime(w: WallTime): boolean {
  const ints = [w.y, w.m, w.d, w.h, w.mi, w.s, w.ms ?? 0];
  if (!ints.every((n) => Number.isInteger(n))) return false;
  return (
    w.y >= 1 &&
    w.y <= 9999 &&
    w.m >= 1 &&
    w.m <= 12 &&
    w.d >= 1 &&
    w.d <= daysInMonth(w.y, w.m) &&
    w.h >= 0 &&
    w.h <= 23 &&
    w.mi >= 0 &&
    w.mi <= 59 &&
    w.s >= 0 &&
    w.s <= 59 &&
    (w.ms ?? 0) >= 0 &&
    (w.ms ?? 0) <= 999
  );
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function echo(input: string): string {
  return JSON.stringify(input.length > MAX_ECHO ? `${input.slice(0, MAX_ECHO)}…` : input);
}
