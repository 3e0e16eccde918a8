import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { odataBool, odataDateTime, odataString } from '../../src/graph/query/odata.js';

/** Reads one OData string literal (`'…'`, `''` for a quote) that must span the whole input; throws otherwise. */
function parseODataString(literal: string): string {
  if (!literal.startsWith("'")) throw new Error('no opening quote');
  let out = '';
  let i = 1;
  while (i < literal.length) {
    const c = literal[i] as string;
    if (c === "'") {
      if (literal[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      if (i !== literal.length - 1) throw new Error(`literal ends early at ${i}`);
      return out;
    }
    out += c;
    i++;
  }
  throw new Error('unterminated literal');
}

const nasty = fc.string({
  unit: fc.oneof(fc.constantFrom("'", "''", '"', '\\', ' and ', ')', '\n', '\u0000', '😀', '\uD800'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 40,
});

describe('odataString', () => {
  it('doubles single quotes', () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(odataString('')).toBe("''");
    expect(odataString("x' or true or 'a'='a")).toBe("'x'' or true or ''a''=''a'");
  });

  it('round-trips any string through an OData literal parser', () => {
    fc.assert(fc.property(nasty, (s) => parseODataString(odataString(s)) === s));
  });
});

describe('odataDateTime', () => {
  it('writes UTC with second precision and no quotes', () => {
    expect(odataDateTime(new Date('2025-01-01T00:00:00Z'))).toBe('2025-01-01T00:00:00Z');
    expect(odataDateTime(new Date('2025-06-30T23:59:59.999Z'))).toBe('2025-06-30T23:59:59Z');
    expect(odataDateTime(new Date('2025-03-01T09:00:00+01:00'))).toBe('2025-03-01T08:00:00Z');
  });

  it('rejects invalid and out-of-range dates', () => {
    expect(() => odataDateTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => odataDateTime(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => odataDateTime(new Date('-000001-01-01T00:00:00Z'))).toThrow(RangeError);
  });

  it('always matches the literal shape Graph expects', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (d) => {
        const text = odataDateTime(d);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(Math.floor(d.getTime() / 1000) * 1000).toBe(Date.parse(text));
      }),
    );
  });
});

describe('odataBool', () => {
  it('writes OData booleans', () => {
    expect(odataBool(true)).toBe('true');
    expect(odataBool(false)).toBe('false');
  });
});
