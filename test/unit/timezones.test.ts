import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  WINDOWS_TO_IANA,
  formatWallClock,
  parseWallClock,
  resolveTimeZone,
  toDateTimeTimeZone,
  utcToWallClock,
  wallClockToUtc,
  windowsTimeZoneName,
  zoneOffsetMinutes,
} from '../../src/sandbox/timezones.js';

const utc = (iso: string): string => new Date(iso).toISOString();
const toUtc = (dateTime: string, timeZone: string): string => wallClockToUtc({ dateTime, timeZone }).toISOString();

describe('resolveTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['GMT Standard Time', 'Europe/London'],
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Romance Standard Time', 'Europe/Paris'],
    ['Central Europe Standard Time', 'Europe/Budapest'],
    ['Eastern Standard Time', 'America/New_York'],
    ['Central Standard Time', 'America/Chicago'],
    ['Mountain Standard Time', 'America/Denver'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['Tokyo Standard Time', 'Asia/Tokyo'],
    ['India Standard Time', 'Asia/Kolkata'],
    ['AUS Eastern Standard Time', 'Australia/Sydney'],
    ['China Standard Time', 'Asia/Shanghai'],
    ['Singapore Standard Time', 'Asia/Singapore'],
  ])('maps the Windows name %s to %s', (windows, iana) => {
    expect(resolveTimeZone(windows)).toBe(iana);
  });

  it('matches Windows names case-insensitively', () => {
    expect(resolveTimeZone('pacific standard time')).toBe('America/Los_Angeles');
  });

  it('accepts IANA names Intl knows, as given', () => {
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(resolveTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(resolveTimeZone('europe/berlin')).toBe('Europe/Berlin');
  });

  it.each(['', 'Mars/Olympus_Mons', 'Pacific Time', '+01:00', 'Europe/Berlin; DROP', ' '])('rejects %j', (name) => {
    expect(resolveTimeZone(name)).toBeUndefined();
  });

  it('only maps to zones Intl accepts', () => {
    for (const iana of Object.values(WINDOWS_TO_IANA)) {
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: iana })).not.toThrow();
    }
  });
});

describe('windowsTimeZoneName', () => {
  it('finds the Windows name for IANA zones and their ICU aliases', () => {
    expect(windowsTimeZoneName('Europe/Berlin')).toBe('W. Europe Standard Time');
    expect(windowsTimeZoneName('Asia/Calcutta')).toBe('India Standard Time');
    expect(windowsTimeZoneName('Tokyo Standard Time')).toBe('Tokyo Standard Time');
    expect(windowsTimeZoneName('Etc/UTC')).toBe('UTC');
  });

  it('is undefined for zones outside the table and unknown names', () => {
    expect(windowsTimeZoneName('Europe/Vaduz')).toBeUndefined();
    expect(windowsTimeZoneName('Nowhere/City')).toBeUndefined();
  });
});

describe('parseWallClock / formatWallClock', () => {
  it('parses the Graph format and shorter forms', () => {
    expect(parseWallClock('2025-03-30T02:30:00.0000000')).toEqual({ year: 2025, month: 3, day: 30, hour: 2, minute: 30, second: 0, millisecond: 0 });
    expect(parseWallClock('2025-03-30T02:30')).toMatchObject({ hour: 2, minute: 30, second: 0 });
    expect(parseWallClock('2025-03-30')).toMatchObject({ day: 30, hour: 0 });
    expect(parseWallClock('2025-03-30T02:30:15.1234567').millisecond).toBe(123);
  });

  it.each(['2025-02-30T00:00:00', '2025-01-01T24:00:00', '2025-01-01 10:00:00', '2025-01-01T10:00:00Z', 'tomorrow', '2025-13-01'])(
    'rejects %j',
    (text) => {
      expect(() => parseWallClock(text)).toThrow(RangeError);
    },
  );

  it('formats with seven fractional digits', () => {
    expect(formatWallClock({ year: 2025, month: 1, day: 2, hour: 3, minute: 4, second: 5, millisecond: 120 })).toBe('2025-01-02T03:04:05.1200000');
  });
});

describe('wallClockToUtc', () => {
  it('applies standard and daylight offsets', () => {
    expect(toUtc('2025-01-15T09:00:00.0000000', 'W. Europe Standard Time')).toBe(utc('2025-01-15T08:00:00Z'));
    expect(toUtc('2025-07-15T09:00:00.0000000', 'Europe/Berlin')).toBe(utc('2025-07-15T07:00:00Z'));
    expect(toUtc('2025-01-15T09:00:00.0000000', 'Pacific Standard Time')).toBe(utc('2025-01-15T17:00:00Z'));
    expect(toUtc('2025-07-15T09:00:00.0000000', 'Pacific Standard Time')).toBe(utc('2025-07-15T16:00:00Z'));
    expect(toUtc('2025-07-15T09:00:00.0000000', 'UTC')).toBe(utc('2025-07-15T09:00:00Z'));
  });

  it('handles half-hour, quarter-hour and DST-free zones', () => {
    expect(toUtc('2025-01-01T10:00:00.0000000', 'India Standard Time')).toBe(utc('2025-01-01T04:30:00Z'));
    expect(toUtc('2025-01-01T10:00:00.0000000', 'Nepal Standard Time')).toBe(utc('2025-01-01T04:15:00Z'));
    expect(toUtc('2025-07-01T09:00:00.0000000', 'Tokyo Standard Time')).toBe(utc('2025-07-01T00:00:00Z'));
  });

  it('moves times in a spring-forward gap forward by the gap', () => {
    // Berlin skips 02:00–03:00 on 2025-03-30; US Pacific skips 02:00–03:00 on 2025-03-09.
    expect(toUtc('2025-03-30T02:30:00.0000000', 'Europe/Berlin')).toBe(utc('2025-03-30T01:30:00Z'));
    expect(toUtc('2025-03-09T02:30:00.0000000', 'Pacific Standard Time')).toBe(utc('2025-03-09T10:30:00Z'));
    expect(toUtc('2025-03-09T01:59:00.0000000', 'Pacific Standard Time')).toBe(utc('2025-03-09T09:59:00Z'));
    expect(toUtc('2025-03-09T03:00:00.0000000', 'Pacific Standard Time')).toBe(utc('2025-03-09T10:00:00Z'));
  });

  it('takes the earlier instant for times repeated at fall-back', () => {
    expect(toUtc('2025-10-26T02:30:00.0000000', 'Europe/Berlin')).toBe(utc('2025-10-26T00:30:00Z'));
    expect(toUtc('2025-11-02T01:30:00.0000000', 'Pacific Standard Time')).toBe(utc('2025-11-02T08:30:00Z'));
    // Southern hemisphere: Sydney falls back from 03:00 to 02:00 on 2025-04-06.
    expect(toUtc('2025-04-06T02:30:00.0000000', 'AUS Eastern Standard Time')).toBe(utc('2025-04-05T15:30:00Z'));
  });

  it('throws for unknown zones', () => {
    expect(() => wallClockToUtc({ dateTime: '2025-01-01T00:00:00', timeZone: 'Atlantis Standard Time' })).toThrow(/Atlantis/);
  });
});

describe('utcToWallClock', () => {
  it('writes Graph wall-clock strings in the zone', () => {
    expect(utcToWallClock(new Date('2025-03-30T00:59:59Z'), 'Europe/Berlin')).toBe('2025-03-30T01:59:59.0000000');
    expect(utcToWallClock(new Date('2025-03-30T01:00:00Z'), 'Europe/Berlin')).toBe('2025-03-30T03:00:00.0000000');
    expect(utcToWallClock(new Date('2025-10-26T00:30:00Z'), 'W. Europe Standard Time')).toBe('2025-10-26T02:30:00.0000000');
    expect(utcToWallClock(new Date('2025-10-26T01:30:00Z'), 'W. Europe Standard Time')).toBe('2025-10-26T02:30:00.0000000');
    expect(utcToWallClock(new Date('2025-01-01T00:00:00.250Z'), 'UTC')).toBe('2025-01-01T00:00:00.2500000');
    expect(utcToWallClock(new Date('2024-12-31T23:30:00Z'), 'Tokyo Standard Time')).toBe('2025-01-01T08:30:00.0000000');
  });

  it('keeps the requested zone name in DateTimeTimeZone', () => {
    expect(toDateTimeTimeZone(new Date('2025-06-01T12:00:00Z'), 'Pacific Standard Time')).toEqual({
      dateTime: '2025-06-01T05:00:00.0000000',
      timeZone: 'Pacific Standard Time',
    });
  });

  it('reports offsets in minutes', () => {
    expect(zoneOffsetMinutes(new Date('2025-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(zoneOffsetMinutes(new Date('2025-01-01T00:00:00Z'), 'Pacific Standard Time')).toBe(-480);
    expect(zoneOffsetMinutes(new Date('2025-01-01T00:00:00Z'), 'India Standard Time')).toBe(330);
  });

  it('round-trips: wall clock of an instant maps back to it, or to the earlier twin in a repeated hour', () => {
    const zones = ['Europe/Berlin', 'Pacific Standard Time', 'AUS Eastern Standard Time', 'India Standard Time', 'UTC', 'Eastern Standard Time'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const instant = new Date(Math.floor(ms / 1000) * 1000);
          const wall = utcToWallClock(instant, zone);
          const back = wallClockToUtc({ dateTime: wall, timeZone: zone });
          expect(utcToWallClock(back, zone)).toBe(wall);
          expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(instant.getTime() - back.getTime()).toBeLessThanOrEqual(3_600_000);
        },
      ),
      { numRuns: 500 },
    );
  });
});
