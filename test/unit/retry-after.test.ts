import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../src/graph/retry-after.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['5', 5000],
    [' 120 ', 120_000],
    ['1.5', 1500],
    ['0.25', 250],
    ['.5', 500],
    ['2.', 2000],
    ['0.0001', 1],
  ])('reads delay-seconds %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('reads an IMF-fixdate relative to now', () => {
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', NOW)).toBe(30_000);
  });

  it('accepts the obsolete RFC 850 and asctime forms', () => {
    expect(parseRetryAfter('Sunday, 01-Jun-25 12:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Sun Jun  1 12:00:10 2025', NOW)).toBe(10_000);
  });

  it('returns 0 for a date in the past', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(0);
  });

  it.each([null, undefined, '', '   ', '-1', '-0.5', '1e3', '0x10', 'soon', '5 s', '1,5', 'Infinity', 'NaN'])(
    'rejects %j',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it.each([
    'Sun, 31 Feb 2025 12:00:00 GMT',
    'Sun, 01 Jun 2025 24:00:00 GMT',
    'Sun, 01 Jun 2025 12:60:00 GMT',
    'Sun, 01 Foo 2025 12:00:00 GMT',
    'Sun, 01 Jun 2025 12:00:00 UTC',
    'Sun, 1 Jun 2025 12:00:00 GMT',
    '2025-06-01T12:00:30Z',
  ])('rejects the malformed date %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('never returns a negative or non-integer delay', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 4_102_444_800_000 }), (value, now) => {
        const ms = parseRetryAfter(value, now);
        if (ms !== undefined) {
          expect(Number.isInteger(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe('backoffDelay', () => {
  const opts = { baseMs: 500, capMs: 30_000 };

  it('doubles the ceiling per attempt until the cap', () => {
    const top = { ...opts, random: () => 0.999999 };
    expect(backoffDelay(0, top)).toBe(499);
    expect(backoffDelay(1, top)).toBe(999);
    expect(backoffDelay(3, top)).toBe(3999);
    expect(backoffDelay(10, top)).toBe(29_999);
    expect(backoffDelay(5000, top)).toBe(29_999);
  });

  it('uses full jitter down to zero', () => {
    expect(backoffDelay(4, { ...opts, random: () => 0 })).toBe(0);
    expect(backoffDelay(4, { ...opts, random: () => 0.5 })).toBe(4000);
  });

  it('treats odd attempts as the first and clamps a misbehaving random source', () => {
    const top = { ...opts, random: () => 0.999999 };
    expect(backoffDelay(-3, top)).toBe(499);
    expect(backoffDelay(Number.NaN, top)).toBe(499);
    expect(backoffDelay(2, { ...opts, random: () => 7 })).toBe(2000);
    expect(backoffDelay(2, { ...opts, random: () => -1 })).toBe(0);
    expect(backoffDelay(2, { ...opts, random: () => Number.NaN })).toBe(0);
  });

  it('stays within [0, cap] for any attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ms = backoffDelay(attempt, { ...opts, random: () => r });
        expect(Number.isInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(opts.capMs);
      }),
    );
  });

  it('defaults to Math.random', () => {
    const ms = backoffDelay(2, opts);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(2000);
  });
});
