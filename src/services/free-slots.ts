/**
 * Free time as interval arithmetic on instants (ms since the epoch): the
 * working hours of everyone involved, intersected, minus everything that
 * makes someone unavailable. Pure, so DST and zone cases are unit-tested
 * without Graph.
 */
import type { WallZone } from './time-zones.js';

export interface Interval {
  start: number;
  end: number;
}

/** Working hours as Graph gives them: days, a daily start and end (`HH:mm…`), and their own zone. */
export interface WorkingHoursSpec {
  days: readonly string[];
  start: string;
  end: string;
  zone: WallZone;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_MS = 86_400_000;

function hm(time: string): [number, number] {
  const m = /^(\d{1,2}):(\d{2})/.exec(time);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/**
 * The working intervals inside [from, to). Each civil day is placed with the
 * zone's own rules, so 09:00–17:00 stays 09:00–17:00 local on both sides of a
 * DST change; an end at or before the start runs into the next day.
 */
export function workingIntervals(wh: WorkingHoursSpec, from: number, to: number): Interval[] {
  const days = new Set(wh.days.map((d) => WEEKDAYS.indexOf(d.toLowerCase())).filter((i) => i >= 0));
  const [sh, sm] = hm(wh.start);
  const [eh, em] = hm(wh.end);
  const overnight = eh * 60 + em <= sh * 60 + sm;
  const out: Interval[] = [];
  // Civil days from two before `from` to one after `to`: zones span UTC−12…+14, and a shift may run past midnight.
  const first = Math.floor(from / DAY_MS) - 2;
  const last = Math.floor(to / DAY_MS) + 1;
  for (let day = first; day <= last; day++) {
    const date = new Date(day * DAY_MS);
    if (!days.has(date.getUTCDay())) continue;
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    const start = wh.zone.toInstant({ y, m, d, h: sh, mi: sm, s: 0 }).getTime();
    const next = overnight ? new Date((day + 1) * DAY_MS) : date;
    const end = wh.zone.toInstant({ y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate(), h: eh, mi: em, s: 0 }).getTime();
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e > s) out.push({ start: s, end: e });
  }
  return merge(out);
}

/** Sorted, overlapping or touching intervals joined. */
export function merge(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** Where both lists are covered. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = merge(a);
  const y = merge(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const p = x[i] as Interval;
    const q = y[j] as Interval;
    const s = Math.max(p.start, q.start);
    const e = Math.min(p.end, q.end);
    if (e > s) out.push({ start: s, end: e });
    if (p.end < q.end) i++;
    else j++;
  }
  return out;
}

/** `allowed` with every busy interval cut out. */
export function subtract(allowed: readonly Interval[], busy: readonly Interval[]): Interval[] {
  const blocks = merge(busy);
  const out: Interval[] = [];
  for (const a of merge(allowed)) {
    let cursor = a.start;
    for (const b of blocks) {
      if (b.end <= cursor || b.start >= a.end) continue;
      if (b.start > cursor) out.push({ start: cursor, end: b.start });
      cursor = Math.max(cursor, b.end);
      if (cursor >= a.end) break;
    }
    if (cursor < a.end) out.push({ start: cursor, end: a.end });
  }
  return out;
}

/** Free windows long enough for a meeting of `durationMs`. */
export function freeWindows(allowed: readonly Interval[], busy: readonly Interval[], durationMs: number): Interval[] {
  return subtract(allowed, busy).filter((w) => w.end - w.start >= durationMs);
}

/**
 * The free windows nearest to a proposal that did not work: the closest one
 * ending before it and the closest one starting after it (or containing a
 * fitting slot on either side), at most `max`, nearest first.
 */
export function nearestWindows(windows: readonly Interval[], proposal: Interval, max: number): Interval[] {
  const distance = (w: Interval) => (w.end <= proposal.start ? proposal.start - w.end : w.start >= proposal.end ? w.start - proposal.end : 0);
  return [...windows].sort((a, b) => distance(a) - distance(b) || a.start - b.start).slice(0, max).sort((a, b) => a.start - b.start);
}
