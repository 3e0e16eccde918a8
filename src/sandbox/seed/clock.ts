/**
 * Seed times are relative to `now` and laid out in the user's zone
 * (Europe/Berlin), so mail arrives in office hours whatever `now` is.
 */
import { parseWallClock, utcToWallClock, zonedWallClockToUtc } from '../timezones.js';

/** The mailbox owner's zone. */
export const USER_ZONE = 'Europe/Berlin';

const DAY_MS = 86_400_000;

/** When a seeded message arrived: `[daysAgo, 'HH:mm']` in the user's zone (daysAgo ≥ 1), or minutes before now. */
export type Moment = readonly [daysAgo: number, time: string] | number;

/** Time helpers bound to one `now`. */
export interface SeedClock {
  now: Date;
  /** The instant a Moment denotes (always before now). */
  at(moment: Moment): Date;
  /** `YYYY-MM-DD` of the Monday of now's week (in the user's zone), shifted by `days`. */
  weekDate(days: number): string;
  /** Days from this week's Monday to the first Friday after today (4, or 11 from Friday on): the demo's "Friday". */
  readonly proposalDay: number;
  /** Outlook's quote header style: `Monday, March 3, 2025 9:14 AM`. */
  longDate(at: Date): string;
  /** Gmail's quote header style: `Mon, 3 Mar 2025 at 09:14`. */
  shortDate(at: Date): string;
}

/** `YYYY-MM-DDTHH:mm:ssZ`, the way Graph writes instants. */
export function isoUtc(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function civilShift(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

/** A clock for building a seed at `now`. */
export function createSeedClock(now: Date): SeedClock {
  const today = utcToWallClock(now, USER_ZONE).slice(0, 10);
  const weekdayIndex = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const monday = civilShift(today, -weekdayIndex);
  const long = new Intl.DateTimeFormat('en-US', {
    timeZone: USER_ZONE, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit',
  });
  const short = new Intl.DateTimeFormat('en-GB', {
    timeZone: USER_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  return {
    now,
    at(moment) {
      if (typeof moment === 'number') return new Date(Math.floor(now.getTime() / 1000) * 1000 - moment * 60_000);
      const [daysAgo, time] = moment;
      if (daysAgo < 1) throw new RangeError('Moments today are given in minutes, so they cannot lie in the future');
      return zonedWallClockToUtc(parseWallClock(`${civilShift(today, -daysAgo)}T${time}`), USER_ZONE);
    },
    weekDate: (days) => civilShift(monday, days),
    proposalDay: weekdayIndex < 4 ? 4 : 11,
    longDate: (at) => long.format(at).replace(' at ', ' ').replace(/\u202f/g, ' '),
    shortDate: (at) => short.format(at).replace(/,(?= \d{2}:)/, ' at'),
  };
}
