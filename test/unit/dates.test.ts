import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DateInputError,
  formatInZone,
  isValidTimeZone,
  parseUserDate,
  systemTimeZone,
  zonedWallTimeToDate,
  type WallTime,
} from '../../src/text/dates.js';

const BERLIN = 'Europe/Berlin';
const LA = 'America/Los_Angeles';

function parse(input: string, zone = BERLIN, endOfDay = false): string {
  return parseUserDate(input, { zone, endOfDay, field: 'from_date' }).toISOString();
}

function dateError(input: string, zone = BERLIN): DateInputError {
  try {
    parseUserDate(input, { zone, field: 'from_date' });
  } catch (err) {
    if (err instanceof DateInputError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

/** Wall time of `ms` in `zone`, to the second, read with Intl independently of the code under test. */
function wallOf(ms: number, zone: string): WallTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(ms)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return { y: parts.year ?? 0, m: parts.month ?? 0, d: parts.day ?? 0, h: parts.hour ?? 0, mi: parts.minute ?? 0, s: parts.second ?? 0 };
}

function wallMs(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.y, w.m - 1, w.d);
  d.setUTCHours(w.h, w.mi, w.s, w.ms ?? 0);
  return d.getTime();
}

describe('parseUserDate: calendar dates', () => {
  it('takes the start of the day in the zone', () => {
    expect(parse('2025-01-15')).toBe('2025-01-14T23:00:00.000Z');
    expect(parse('2025-07-15')).toBe('2025-07-14T22:00:00.000Z');
    expect(parse('2025-07-15', LA)).toBe('2025-07-15T07:00:00.000Z');
    expect(parse('2025-07-15', 'UTC')).toBe('2025-07-15T00:00:00.000Z');
  });

  it('with endOfDay returns the start of the next day (an exclusive end)', () => {
    expect(parse('2025-01-15', BERLIN, true)).toBe('2025-01-15T23:00:00.000Z');
    expect(parse('2025-12-31', 'UTC', true)).toBe('2026-01-01T00:00:00.000Z');
    expect(parse('2024-02-28', 'UTC', true)).toBe('2024-02-29T00:00:00.000Z');
    expect(parse('2025-02-28', 'UTC', true)).toBe('2025-03-01T00:00:00.000Z');
  });

  it('follows DST-length days: 23 hours in spring, 25 in autumn', () => {
    const spring = Date.parse(parse('2025-03-30', BERLIN, true)) - Date.parse(parse('2025-03-30'));
    const autumn = Date.parse(parse('2025-10-26', BERLIN, true)) - Date.parse(parse('2025-10-26'));
    expect(spring).toBe(23 * 3_600_000);
    expect(autumn).toBe(25 * 3_600_000);
    expect(parse('2025-03-09', LA, true)).toBe('2025-03-10T07:00:00.000Z');
    expect(parse('2025-11-02', LA, true)).toBe('2025-11-03T08:00:00.000Z');
  });

  it('starts a day at its first instant where DST begins at midnight', () => {
    // Chile skipped 00:00–01:00 on 2024-09-08: the day began at 01:00 -03.
    const start = parseUserDate('2024-09-08', { zone: 'America/Santiago', field: 'from_date' });
    expect(start.toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(formatInZone(start, 'America/Santiago', 'datetime')).toBe('2024-09-08 01:00');
  });

  it('accepts leap days only in leap years', () => {
    expect(parse('2024-02-29', 'UTC')).toBe('2024-02-29T00:00:00.000Z');
    expect(parse('2000-02-29', 'UTC')).toBe('2000-02-29T00:00:00.000Z');
    expect(dateError('2025-02-29').input).toBe('2025-02-29');
    expect(dateError('1900-02-29').field).toBe('from_date');
    expect(dateError('2100-02-29')).toBeInstanceOf(DateInputError);
  });

  it('keeps two-digit years as written', () => {
    expect(parse('0099-06-01', 'UTC')).toBe('0099-06-01T00:00:00.000Z');
  });
});

describe('parseUserDate: date-times', () => {
  it('reads a wall time in the zone', () => {
    expect(parse('2025-03-01T09:00')).toBe('2025-03-01T08:00:00.000Z');
    expect(parse('2025-03-01 09:00')).toBe('2025-03-01T08:00:00.000Z');
    expect(parse('2025-03-01T09:00:05')).toBe('2025-03-01T08:00:05.000Z');
    expect(parse('2025-03-01T09:00:05.123')).toBe('2025-03-01T08:00:05.123Z');
    expect(parse('2025-03-01T09:00:05.1')).toBe('2025-03-01T08:00:05.100Z');
    expect(parse('2025-03-01T09:00:05.123456789')).toBe('2025-03-01T08:00:05.123Z');
    expect(parse('2025-08-01T09:00', LA)).toBe('2025-08-01T16:00:00.000Z');
  });

  it('ignores endOfDay for date-times', () => {
    expect(parse('2025-03-01T09:00', BERLIN, true)).toBe('2025-03-01T08:00:00.000Z');
  });

  it('honours Z and explicit offsets over the zone', () => {
    expect(parse('2025-03-01T09:00:00Z', LA)).toBe('2025-03-01T09:00:00.000Z');
    expect(parse('2025-03-01T09:00z', LA)).toBe('2025-03-01T09:00:00.000Z');
    expect(parse('2025-03-01T09:00+05:30', LA)).toBe('2025-03-01T03:30:00.000Z');
    expect(parse('2025-03-01T09:00:00-08:00', BERLIN)).toBe('2025-03-01T17:00:00.000Z');
    expect(parse('2025-03-01T00:30:00+01:00', 'UTC')).toBe('2025-02-28T23:30:00.000Z');
    expect(parse('  2025-03-01T09:00:00Z  ')).toBe('2025-03-01T09:00:00.000Z');
  });

  it('moves a wall time in a spring-forward gap forward by the gap', () => {
    expect(parse('2025-03-30T02:30')).toBe('2025-03-30T01:30:00.000Z');
    expect(formatInZone(new Date(parse('2025-03-30T02:30')), BERLIN, 'time')).toBe('03:30');
    expect(parse('2025-03-09T02:30', LA)).toBe('2025-03-09T10:30:00.000Z');
    expect(formatInZone(new Date(parse('2025-03-09T02:30', LA)), LA, 'time')).toBe('03:30');
  });

  it('takes the earlier instant for a wall time in a fall-back overlap', () => {
    expect(parse('2025-10-26T02:30')).toBe('2025-10-26T00:30:00.000Z');
    expect(parse('2025-11-02T01:30', LA)).toBe('2025-11-02T08:30:00.000Z');
    // Just outside the overlap there is only one reading.
    expect(parse('2025-10-26T03:00')).toBe('2025-10-26T02:00:00.000Z');
    expect(parse('2025-10-26T01:59:59')).toBe('2025-10-25T23:59:59.000Z');
  });
});

describe('parseUserDate: errors', () => {
  it('names the field, echoes the input and shows the accepted forms', () => {
    expect(dateError('2025-02-30').message).toBe(
      'from_date: "2025-02-30" is not a valid date. Use YYYY-MM-DD or an ISO date-time such as 2025-03-01T09:00 or 2025-03-01T09:00:00Z.',
    );
  });

  it.each([
    '',
    '   ',
    'yesterday',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-3-1',
    '20250301',
    '0000-01-01',
    '2025-03-01T24:00',
    '2025-03-01T09:60',
    '2025-03-01T09:00:60',
    '2025-03-01T9:00',
    '2025-03-01T09',
    '2025-03-01T09:00+25:00',
    '2025-03-01T09:00+01:60',
    '2025-03-01T09:00+0100',
    '2025-03-01Z',
    '2025-03-01T09:00:00.Z',
    '01/03/2025',
    '2025-03-01T09:00:00Z extra',
  ])('rejects %j', (input) => {
    const err = dateError(input);
    expect(err.code).toBe('INVALID_DATE');
    expect(err.name).toBe('DateInputError');
    expect(err.message).toContain(`from_date: ${JSON.stringify(input)} is not a valid date.`);
  });

  it('shortens a very long echo and escapes control characters', () => {
    const err = dateError(`${'x'.repeat(100)}\n`);
    expect(err.message).toContain(`"${'x'.repeat(60)}…"`);
    expect(dateError('a\nb').message).toContain('"a\\nb"');
  });

  it('reports an unknown zone', () => {
    expect(dateError('2025-03-01', 'Mars/Olympus').message).toBe(
      'from_date: unknown time zone "Mars/Olympus". Use an IANA name such as Europe/Berlin or UTC.',
    );
  });
});

describe('formatInZone', () => {
  const d = new Date('2026-11-26T08:14:59Z');

  it('formats compactly in the zone', () => {
    expect(formatInZone(d, BERLIN, 'datetime')).toBe('2026-11-26 09:14');
    expect(formatInZone(d, BERLIN, 'date')).toBe('2026-11-26');
    expect(formatInZone(d, BERLIN, 'time')).toBe('09:14');
    expect(formatInZone(d, LA, 'datetime')).toBe('2026-11-26 00:14');
    expect(formatInZone(new Date('2026-11-26T07:59:00Z'), LA, 'datetime')).toBe('2026-11-25 23:59');
    expect(formatInZone(new Date('2026-01-01T00:00:00Z'), 'UTC', 'datetime')).toBe('2026-01-01 00:00');
  });

  it('reads back through parseUserDate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), fc.constantFrom(BERLIN, LA, 'UTC', 'Asia/Kolkata'), (sec, zone) => {
        const minute = new Date(Math.floor(sec / 60) * 60_000);
        const back = parseUserDate(formatInZone(minute, zone, 'datetime'), { zone, field: 'x' });
        // An overlap hour reads back as its earlier occurrence; otherwise exactly.
        expect(formatInZone(back, zone, 'datetime')).toBe(formatInZone(minute, zone, 'datetime'));
        expect(back.getTime()).toBeLessThanOrEqual(minute.getTime());
      }),
    );
  });
});

describe('zonedWallTimeToDate', () => {
  const zones = fc.constantFrom(BERLIN, LA, 'UTC', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Apia', 'Asia/Kathmandu');

  it('maps the wall time of any instant back to that instant or an earlier one showing the same time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_208_988_800, max: 4_102_444_800 }), zones, (sec, zone) => {
        const ms = sec * 1000;
        const wall = wallOf(ms, zone);
        const back = zonedWallTimeToDate(wall, zone).getTime();
        expect(back).toBeLessThanOrEqual(ms);
        expect(wallOf(back, zone)).toEqual(wall);
      }),
    );
  });

  it('maps any wall time to an instant showing it, or the time just after a gap', () => {
    const wall = fc.record({
      y: fc.integer({ min: 1970, max: 2040 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(wall, zones, (w, zone) => {
        const shown = wallMs(wallOf(zonedWallTimeToDate(w, zone).getTime(), zone));
        expect(shown - wallMs(w)).toBeGreaterThanOrEqual(0);
        expect(shown - wallMs(w)).toBeLessThanOrEqual(24 * 3_600_000);
      }),
    );
  });

  it('handles the whole day Samoa skipped', () => {
    const d = zonedWallTimeToDate({ y: 2011, m: 12, d: 30, h: 12, mi: 0, s: 0 }, 'Pacific/Apia');
    expect(formatInZone(d, 'Pacific/Apia', 'datetime')).toBe('2011-12-31 12:00');
  });

  it('keeps milliseconds and works at the ends of the year range', () => {
    expect(zonedWallTimeToDate({ y: 2025, m: 6, d: 1, h: 12, mi: 0, s: 0, ms: 250 }, 'UTC').toISOString()).toBe('2025-06-01T12:00:00.250Z');
    expect(zonedWallTimeToDate({ y: 1, m: 1, d: 1, h: 0, mi: 0, s: 0 }, 'UTC').toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(zonedWallTimeToDate({ y: 9999, m: 12, d: 31, h: 23, mi: 59, s: 59 }, 'UTC').toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it('rejects impossible wall times and unknown zones', () => {
    expect(() => zonedWallTimeToDate({ y: 2025, m: 2, d: 29, h: 0, mi: 0, s: 0 }, 'UTC')).toThrow(RangeError);
    expect(() => zonedWallTimeToDate({ y: 2025, m: 1, d: 1, h: 24, mi: 0, s: 0 }, 'UTC')).toThrow(RangeError);
    expect(() => zonedWallTimeToDate({ y: 2025, m: 1, d: 1, h: 1.5, mi: 0, s: 0 }, 'UTC')).toThrow(RangeError);
    expect(() => zonedWallTimeToDate({ y: 2025, m: 1, d: 1, h: 0, mi: 0, s: 0 }, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('time zone helpers', () => {
  it('recognises IANA zones', () => {
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('reports a usable system zone', () => {
    expect(isValidTimeZone(systemTimeZone())).toBe(true);
  });
});
