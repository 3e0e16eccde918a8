import { describe, expect, it } from 'vitest';
import { GraphErrorResponse } from '../../src/sandbox/errors.js';
import { compileFilter } from '../../src/sandbox/odata/filter.js';
import { checkSortableFilter, parseOrderBy, sortItems } from '../../src/sandbox/odata/orderby.js';
import { messageType } from '../../src/sandbox/schema.js';

function sortable(filter: string, orderby: string): true | string {
  try {
    checkSortableFilter(parseOrderBy(orderby, messageType), compileFilter(filter, messageType).properties);
    return true;
  } catch (e) {
    return (e as GraphErrorResponse).code;
  }
}

describe('$orderby', () => {
  it('parses directions, nested paths and canonicalises names', () => {
    expect(parseOrderBy('ReceivedDateTime DESC, from/emailAddress/name', messageType).map((k) => [k.key, k.desc])).toEqual([
      ['receivedDateTime', true],
      ['from/emailAddress/name', false],
    ]);
  });

  it('refuses unknown properties and bad syntax', () => {
    expect(() => parseOrderBy('nope desc', messageType)).toThrow("Could not find a property named 'nope'");
    expect(() => parseOrderBy('subject sideways', messageType)).toThrow(GraphErrorResponse);
  });

  it('sorts dates as instants, strings without case, nulls first, stably', () => {
    const items = [
      { id: 'a', receivedDateTime: '2025-01-02T00:00:00Z', subject: 'beta' },
      { id: 'b', receivedDateTime: '2025-01-01T23:00:00-02:00', subject: 'Alpha' },
      { id: 'c', receivedDateTime: '2025-01-01T00:00:00Z', subject: null },
      { id: 'd', receivedDateTime: '2025-01-01T00:00:00Z', subject: 'alpha' },
    ];
    expect(sortItems(items, parseOrderBy('receivedDateTime desc', messageType)).map((i) => i.id)).toEqual(['b', 'a', 'c', 'd']);
    expect(sortItems(items, parseOrderBy('subject', messageType)).map((i) => i.id)).toEqual(['c', 'b', 'd', 'a']);
  });
});

describe('InefficientFilter rule', () => {
  it('accepts $orderby properties that lead the $filter in the same order', () => {
    expect(sortable('receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false', 'receivedDateTime desc')).toBe(true);
    expect(sortable('receivedDateTime ge 1900-01-01T00:00:00Z and receivedDateTime lt 2030-01-01T00:00:00Z and isRead eq false', 'receivedDateTime desc')).toBe(true);
    expect(sortable("receivedDateTime ge 1900-01-01T00:00:00Z and subject ne 'x'", 'receivedDateTime desc, subject')).toBe(true);
  });

  it('refuses an $orderby property missing from the $filter, later in it, or out of order', () => {
    expect(sortable('isRead eq false', 'receivedDateTime desc')).toBe('InefficientFilter');
    expect(sortable('isRead eq false and receivedDateTime ge 1900-01-01T00:00:00Z', 'receivedDateTime desc')).toBe('InefficientFilter');
    expect(sortable("subject ne 'x' and receivedDateTime ge 1900-01-01T00:00:00Z", 'receivedDateTime desc, subject')).toBe('InefficientFilter');
    expect(sortable("contains(subject,'x')", 'receivedDateTime desc')).toBe('InefficientFilter');
  });

  it('uses Graph’s message', () => {
    try {
      checkSortableFilter(parseOrderBy('subject', messageType), []);
    } catch (e) {
      expect((e as GraphErrorResponse).message).toBe('The restriction or sort order is too complex for this operation.');
      expect((e as GraphErrorResponse).status).toBe(400);
    }
  });
});
