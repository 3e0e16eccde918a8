/**
 * Graph's `dateTimeTimeZone` ({dateTime: "2026-11-26T09:00:00.0000000",
 * timeZone: "Pacific Standard Time"}) read as what it claims: a wall time in
 * ITS OWN zone, Windows or IANA name. Never in the zone we asked for with
 * `Prefer: outlook.timezone` (Graph answers in UTC for a name it does not
 * support, and Microsoft's own get-event example answers a Pacific request in
 * UTC), and never as UTC because the field has no offset.
 *
 * Every field is type-checked first: a hostile or broken Graph sending a
 * number, null or an object gets it shown as "(no time)", never a thrown
 * "is not a function".
 */
import { formatInZone, zonedWallTimeToDate } from '../text/dates.js';
import { cleanUntrusted } from '../text/untrusted.js';
import { ianaZoneOf } from './time-zones.js';

const GRAPH_WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Names Graph writes for UTC that CLDR does not list under Windows or IANA names. */
const UTC_NAMES = new Set(['utc', 'tzone://microsoft/utc', 'coordinated universal time']);

/** The IANA zone of a Graph zone name (Windows or IANA), or undefined when it names none we know. */
export function zoneOfGraphName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return undefined;
  if (UTC_NAMES.has(name.trim().toLowerCase())) return 'UTC';
  return ianaZoneOf(name);
}

/**
 * The instant a Graph `dateTimeTimeZone` denotes, or undefined when it cannot
 * be known (not a date, or a zone name nobody maps: a custom zone's label).
 */
export function graphDateTimeInstant(t: unknown): Date | undefined {
  if (t === null || typeof t !== 'object') return undefined;
  const { dateTime, timeZone } = t as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string') return undefined;
  const m = GRAPH_WALL.exec(dateTime.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const wall = { y: Number(y), m: Number(mo), d: Number(d), h: Number(h), mi: Number(mi), s: Number(s ?? 0), ms: Number((frac ?? '0').slice(0, 3).padEnd(3, '0')) };
  try {
    // An explicit offset in the string wins over the label (Graph writes none, but it would be unambiguous).
    if (offset !== undefined) {
      const ms = Date.parse(`${dateTime.trim().slice(0, 19)}${offset === 'Z' ? 'Z' : offset}`);
      return Number.isNaN(ms) ? undefined : new Date(ms + wall.ms);
    }
    const zone = zoneOfGraphName(timeZone);
    return zone === undefined ? undefined : zonedWallTimeToDate(wall, zone);
  } catch {
    // zonedWallTimeToDate refuses impossible wall times (2026-02-30, 25:00).
    return undefined;
  }
}

/**
 * A Graph `dateTimeTimeZone` as the agent sees it: `2026-11-26 09:00` in
 * `zone` (the user's). All-day events are dates with no instant (Graph keeps
 * their midnight in any zone); their end is shown as the last day, inclusive,
 * which is how people read them. A time in a zone nobody can map keeps its own
 * wall clock and names the zone, rather than being guessed into the user's.
 */
export function showGraphDateTime(t: unknown, zone: string, opts: { allDay?: boolean; isEnd?: boolean } = {}): string {
  const raw = t !== null && typeof t === 'object' ? (t as { dateTime?: unknown }).dateTime : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return '(no time)';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(raw.trim());
  if (!m?.[1] || !m[2]) return cleanUntrusted(raw, 'label') || '(no time)';
  if (opts.allDay) {
    if (!opts.isEnd) return m[1];
    const d = new Date(`${m[1]}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return m[1];
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }
  const instant = graphDateTimeInstant(t);
  if (instant) return formatInZone(instant, zone, 'datetime');
  const label = (t as { timeZone?: unknown }).timeZone;
  const named = typeof label === 'string' && label.trim() !== '' ? cleanUntrusted(label, 'label') : 'time zone not given';
  return `${m[1]} ${m[2]} (${named})`;
}
