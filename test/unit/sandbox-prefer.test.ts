import { describe, expect, it } from 'vitest';
import { formatPreferenceApplied, parsePrefer } from '../../src/sandbox/prefer.js';

describe('Prefer parsing', () => {
  it('reads comma-separated preferences and repeated headers', () => {
    expect(parsePrefer('outlook.body-content-type="text", IdType="ImmutableId"')).toEqual({ bodyContentType: 'text', immutableId: true });
    expect(parsePrefer(['outlook.timezone="Pacific Standard Time"', 'odata.maxpagesize=25'])).toEqual({ timeZone: 'Pacific Standard Time', immutableId: false, maxPageSize: 25 });
  });

  it('ignores case in names and values, commas inside quotes, and unknown preferences', () => {
    expect(parsePrefer('Outlook.Body-Content-Type="HTML"').bodyContentType).toBe('html');
    expect(parsePrefer('outlook.timezone="A, B", respond-async').timeZone).toBe('A, B');
    expect(parsePrefer('outlook.body-content-type=markdown')).toEqual({ immutableId: false });
    expect(parsePrefer(undefined)).toEqual({ immutableId: false });
  });

  it('accepts unquoted values', () => {
    expect(parsePrefer('outlook.timezone=Europe/Berlin').timeZone).toBe('Europe/Berlin');
  });
});

describe('Preference-Applied', () => {
  it('formats applied preferences as Graph does', () => {
    expect(formatPreferenceApplied({ bodyContentType: 'text', timeZone: 'Europe/Berlin', immutableId: true })).toBe('outlook.body-content-type="text", outlook.timezone="Europe/Berlin", IdType="ImmutableId"');
    expect(formatPreferenceApplied({})).toBeUndefined();
  });
});
