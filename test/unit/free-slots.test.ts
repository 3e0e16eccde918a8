/** Slot arithmetic and working hours across DST changes, in Windows, IANA and custom zones. */
import { describe, expect, it } from 'vitest';
import { freeWindows, intersect, merge, nearestWindows, subtract, workingIntervals, type Interval } from '../../src/services/free-slots.js';
import { graphZone, ianaZoneOf, type GraphTimeZone } from '../../src/services/time-zones.js';
import { zonedWallTimeToDate } from '../../src/text/dates.js';

const Z = (iso: string) => Date.parse(iso);
const iso = (i: Interval) => [new Date(i.start).toISOString().slice(0, 16), new Date(i.end).toISOString().slice(0, 16)];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const office = (name: string | GraphTimeZone) => ({ days: WEEKDAYS, start: '09:00:00.0000000', end: '17:00:00.0000000', zone: graphZone(typeof name === 'string' ? { name } : name, 'UTC') });

/** A custom zone with US Eastern rules, as an admin would define it in Exchange. */
const CUSTOM_EASTERN: GraphTimeZone = {
  '@odata.type': '#microsoft.graph.customTimeZone',
  name: 'Customized Time Zone',
  bias: 300,
  standardOffset: { time: '02:00:00.0000000', dayOccurrence: 1, dayOfWeek: 'sunday', month: 11, year: 0 },
  daylightOffset: { time: '02:00:00.0000000', dayOccurrence: 2, dayOfWeek: 'sunday', month: 3, year: 0, daylightBias: -60 },
};
/** Southern hemisphere: daylight time from the first Sunday of October to the first Sunday of April (Sydney). */
const CUSTOM_SYDNEY: GraphTimeZone = {
  '@odata.type': '#microsoft.graph.customTimeZone',
  name: 'Customized Time Zone',
  bias: -600,
  standardOffset: { time: '03:00:00.0000000', dayOccurrence: 1, dayOfWeek: 'sunday', month: 4, year: 0 },
  daylightOffset: { time: '02:00:00.0000000', dayOccurrence: 1, dayOfWeek: 'sunday', month: 10, year: 0, daylightBias: -60 },
};

describe('time zones from Graph', () => {
  it('maps Windows names through CLDR and keeps IANA names', () => {
    expect(ianaZoneOf('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaZoneOf('Eastern Standard Time')).toBe('America/New_York');
    expect(ianaZoneOf('Tokyo Standard Time')).toBe('Asia/Tokyo');
    expect(ianaZoneOf('Europe/Paris')).toBe('Europe/Paris');
    expect(ianaZoneOf('Nowhere Standard Time')).toBeUndefined();
    expect(graphZone({ name: 'Nowhere Standard Time' }, 'UTC').label).toBe('UTC');
  });

  it.each([
    ['US Eastern', CUSTOM_EASTERN, 'America/New_York'],
    ['Sydney', CUSTOM_SYDNEY, 'Australia/Sydney'],
  ])('a custom zone with %s rules places every hour of 2026 where the IANA zone does (gaps forward, overlaps earlier)', (_name, custom, iana) => {
    const zone = graphZone(custom, 'UTC');
    for (let day = 0; day < 365; day++) {
      const d = new Date(Date.UTC(2026, 0, 1 + day));
      for (const h of [0, 1, 2, 3, 9, 23]) {
        for (const mi of [0, 30]) {
          const wall = { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h, mi, s: 0 };
          expect(zone.toInstant(wall).toISOString(), JSON.stringify(wall)).toBe(zonedWallTimeToDate(wall, iana).toISOString());
        }
      }
    }
  });
});

describe('working hours across DST', () => {
  it('Europe/Berlin (Windows name): 09:00-17:00 local on both sides of the March and October changes', () => {
    const march = workingIntervals(office('W. Europe Standard Time'), Z('2026-03-27T00:00Z'), Z('2026-03-31T00:00Z')).map(iso);
    expect(march).toEqual([
      ['2026-03-27T08:00', '2026-03-27T16:00'], // Friday, CET
      ['2026-03-30T07:00', '2026-03-30T15:00'], // Monday, CEST
    ]);
    const october = workingIntervals(office('W. Europe Standard Time'), Z('2026-10-23T00:00Z'), Z('2026-10-27T00:00Z')).map(iso);
    expect(october).toEqual([
      ['2026-10-23T07:00', '2026-10-23T15:00'],
      ['2026-10-26T08:00', '2026-10-26T16:00'],
    ]);
  });

  it('America/New_York: the March and November changes, as IANA name and as a custom zone', () => {
    for (const zone of ['America/New_York', CUSTOM_EASTERN] as const) {
      expect(workingIntervals(office(zone), Z('2026-03-06T00:00Z'), Z('2026-03-10T00:00Z')).map(iso)).toEqual([
        ['2026-03-06T14:00', '2026-03-06T22:00'],
        ['2026-03-09T13:00', '2026-03-09T21:00'],
      ]);
      expect(workingIntervals(office(zone), Z('2026-10-30T00:00Z'), Z('2026-11-03T00:00Z')).map(iso)).toEqual([
        ['2026-10-30T13:00', '2026-10-30T21:00'],
        ['2026-11-02T14:00', '2026-11-02T22:00'],
      ]);
    }
  });

  it('a working day that starts inside the spring-forward gap starts after the jump', () => {
    const sunday = { days: ['sunday'], start: '02:30:00', end: '06:00:00', zone: graphZone({ name: 'Europe/Berlin' }, 'UTC') };
    expect(workingIntervals(sunday, Z('2026-03-29T00:00Z'), Z('2026-03-30T00:00Z')).map(iso)).toEqual([['2026-03-29T01:30', '2026-03-29T04:00']]);
  });

  it('a night shift (end before start) runs into the next day and is clipped to the window', () => {
    const night = { days: ['friday'], start: '22:00', end: '06:00', zone: graphZone({ name: 'UTC' }, 'UTC') };
    expect(workingIntervals(night, Z('2026-12-04T00:00Z'), Z('2026-12-05T03:00Z')).map(iso)).toEqual([['2026-12-04T22:00', '2026-12-05T03:00']]);
  });
});

describe('interval arithmetic', () => {
  const i = (s: number, e: number): Interval => ({ start: s, end: e });
  it('merges, intersects and subtracts', () => {
    expect(merge([i(5, 7), i(1, 3), i(3, 4)])).toEqual([i(1, 4), i(5, 7)]);
    expect(intersect([i(0, 10), i(20, 30)], [i(5, 25)])).toEqual([i(5, 10), i(20, 25)]);
    expect(subtract([i(0, 10)], [i(2, 3), i(2, 4), i(8, 12)])).toEqual([i(0, 2), i(4, 8)]);
    expect(subtract([i(0, 10)], [i(-5, 15)])).toEqual([]);
  });
  it('keeps only windows long enough, and picks the nearest around a proposal', () => {
    const windows = freeWindows([i(0, 100)], [i(10, 20), i(21, 40), i(70, 80)], 10);
    expect(windows).toEqual([i(0, 10), i(40, 70), i(80, 100)]);
    expect(nearestWindows(windows, i(60, 75), 2)).toEqual([i(40, 70), i(80, 100)]);
  });
});
