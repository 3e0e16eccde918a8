/** src/services/graph-time.ts: a dateTimeTimeZone is read in the zone it names. */
import { describe, expect, it } from 'vitest';
import { graphDateTimeInstant, showGraphDateTime } from '../../src/services/graph-time.js';

const at = (dateTime: unknown, timeZone?: unknown) => graphDateTimeInstant({ dateTime, timeZone })?.toISOString();

describe('graphDateTimeInstant', () => {
  it('reads Windows names, IANA names and the UTC spellings Graph writes', () => {
    expect(at('2019-03-15T12:00:00.0000000', 'Pacific Standard Time')).toBe('2019-03-15T19:00:00.000Z');
    expect(at('2019-03-15T12:00:00.0000000', 'America/Los_Angeles')).toBe('2019-03-15T19:00:00.000Z');
    expect(at('2026-12-04T14:30:00.0000000', 'W. Europe Standard Time')).toBe('2026-12-04T13:30:00.000Z');
    expect(at('2014-11-03T17:00:00.0000000', 'UTC')).toBe('2014-11-03T17:00:00.000Z');
    expect(at('2014-11-03T17:00:00.0000000', 'tzone://Microsoft/Utc')).toBe('2014-11-03T17:00:00.000Z');
    expect(at('2026-07-01T09:00:00.1234567', 'AUS Eastern Standard Time')).toBe('2026-06-30T23:00:00.123Z');
  });

  it('an explicit offset in the string wins; unknown zones and wrong types give no instant', () => {
    expect(at('2026-12-01T10:00:00+02:00', 'UTC')).toBe('2026-12-01T08:00:00.000Z');
    expect(at('2026-12-01T10:00:00.0000000', 'Customized Time Zone')).toBeUndefined();
    expect(at('2026-12-01T10:00:00.0000000')).toBeUndefined();
    expect(at(42, 'UTC')).toBeUndefined();
    expect(at('2026-02-30T10:00:00', 'UTC')).toBeUndefined();
    expect(graphDateTimeInstant(null)).toBeUndefined();
    expect(graphDateTimeInstant('2026-12-01T10:00:00')).toBeUndefined();
  });

  it('a wall time in a DST gap moves forward by the gap (the project-wide policy)', () => {
    // 2026-03-29 02:30 does not exist in Berlin: it means 03:30 CEST.
    expect(at('2026-03-29T02:30:00.0000000', 'W. Europe Standard Time')).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('showGraphDateTime', () => {
  it("shows the instant in the user's zone; all-day dates as they are, the end as the last day", () => {
    expect(showGraphDateTime({ dateTime: '2014-11-03T17:00:00.0000000', timeZone: 'UTC' }, 'America/Los_Angeles')).toBe('2014-11-03 09:00');
    expect(showGraphDateTime({ dateTime: '2026-12-04T00:00:00.0000000', timeZone: 'Pacific Standard Time' }, 'Asia/Tokyo', { allDay: true })).toBe('2026-12-04');
    expect(showGraphDateTime({ dateTime: '2026-12-05T00:00:00.0000000', timeZone: 'Pacific Standard Time' }, 'Asia/Tokyo', { allDay: true, isEnd: true })).toBe('2026-12-04');
  });

  it('names a zone it cannot map, and says when there is no time at all', () => {
    expect(showGraphDateTime({ dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'Customized Time Zone' }, 'UTC')).toBe('2026-12-01 10:00 (Customized Time Zone)');
    expect(showGraphDateTime({ dateTime: '2026-12-01T10:00:00.0000000' }, 'UTC')).toBe('2026-12-01 10:00 (time zone not given)');
    expect(showGraphDateTime({ dateTime: 5 }, 'UTC')).toBe('(no time)');
    expect(showGraphDateTime(undefined, 'UTC')).toBe('(no time)');
  });
});
