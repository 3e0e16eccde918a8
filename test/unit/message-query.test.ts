import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildQueryString,
  compileMessageQuery,
  matchesClientFilter,
  QueryError,
  type CompiledMessageQuery,
  type MessageQuery,
} from '../../src/graph/query/message-query.js';

const SELECT = ['id', 'subject', 'from'] as const;

function param(c: CompiledMessageQuery, name: string): string | undefined {
  return c.params.find(([n]) => n === name)?.[1];
}

function names(c: CompiledMessageQuery): string[] {
  return c.params.map(([n]) => n);
}

/** Decodes the `$search` value back to the KQL inside it. */
function searchKql(c: CompiledMessageQuery): string {
  const value = param(c, '$search');
  if (value === undefined) throw new Error('no $search');
  expect(value.startsWith('"') && value.endsWith('"')).toBe(true);
  return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

function compileError(q: Partial<MessageQuery>): QueryError {
  try {
    compileMessageQuery({ top: 25, select: SELECT, ...q });
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error('expected a QueryError');
}

describe('compileMessageQuery: filter mode', () => {
  it('lists the whole mailbox newest first with the orderby property leading the filter', () => {
    const c = compileMessageQuery({ top: 25, select: SELECT });
    expect(c).toEqual({
      path: 'messages',
      mode: 'filter',
      params: [
        ['$filter', 'receivedDateTime ge 1900-01-01T00:00:00Z'],
        ['$orderby', 'receivedDateTime desc'],
        ['$top', '25'],
        ['$select', 'id,subject,from'],
      ],
    });
    expect(c.clientFilter).toBeUndefined();
  });

  it('puts every constraint into $filter in the documented order', () => {
    const c = compileMessageQuery({
      top: 10,
      select: SELECT,
      folder: 'inbox',
      from: "o'brien@contoso.com",
      receivedAfter: new Date('2025-01-01T00:00:00Z'),
      receivedBefore: new Date('2025-01-31T23:59:59Z'),
      modifiedAfter: new Date('2025-01-15T12:00:00Z'),
      hasAttachment: true,
      unreadOnly: true,
    });
    expect(c.path).toBe('mailFolders/inbox/messages');
    expect(c.mode).toBe('filter');
    expect(param(c, '$filter')).toBe(
      'receivedDateTime ge 2025-01-01T00:00:00Z and receivedDateTime le 2025-01-31T23:59:59Z and isRead eq false' +
        " and from/emailAddress/address eq 'o''brien@contoso.com' and hasAttachments eq true" +
        ' and lastModifiedDateTime ge 2025-01-15T12:00:00Z',
    );
    expect(names(c)).toEqual(['$filter', '$orderby', '$top', '$select']);
  });

  it('filters on hasAttachments eq false and ignores unreadOnly false', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, hasAttachment: false, unreadOnly: false });
    expect(param(c, '$filter')).toBe('receivedDateTime ge 1900-01-01T00:00:00Z and hasAttachments eq false');
  });

  it('rounds the lower bound up and the upper bound down to whole seconds', () => {
    const c = compileMessageQuery({
      top: 5,
      select: SELECT,
      receivedAfter: new Date('2025-01-01T10:00:00.200Z'),
      receivedBefore: new Date('2025-01-02T10:00:00.800Z'),
    });
    expect(param(c, '$filter')).toBe('receivedDateTime ge 2025-01-01T10:00:01Z and receivedDateTime le 2025-01-02T10:00:00Z');
  });

  it('percent-encodes folder ids so they stay one path segment', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, folder: 'AAMk/abc+d=/../send' });
    expect(c.path).toBe('mailFolders/AAMk%2Fabc%2Bd%3D%2F..%2Fsend/messages');
  });

  it('treats a blank folder or query as absent', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, folder: '  ', query: ' \t ' });
    expect(c.path).toBe('messages');
    expect(c.mode).toBe('filter');
  });

  it('deduplicates $select', () => {
    const c = compileMessageQuery({ top: 5, select: ['id', 'subject', 'id'] });
    expect(param(c, '$select')).toBe('id,subject');
  });
});

describe('compileMessageQuery: search mode', () => {
  it('sends free text as $search with no $filter or $orderby', () => {
    const c = compileMessageQuery({ top: 25, select: SELECT, query: 'pizza' });
    expect(c).toEqual({
      path: 'messages',
      mode: 'search',
      params: [
        ['$search', '"pizza"'],
        ['$top', '25'],
        ['$select', 'id,subject,from'],
      ],
    });
  });

  it('moves every expressible constraint into KQL and the rest into clientFilter', () => {
    const receivedAfter = new Date('2025-03-01T09:30:00Z');
    const receivedBefore = new Date('2025-03-31T18:00:00Z');
    const modifiedAfter = new Date('2025-03-10T00:00:00Z');
    const c = compileMessageQuery({
      top: 50,
      select: SELECT,
      folder: 'archive',
      query: 'budget OR forecast',
      from: 'alice@contoso.com',
      to: 'Bob "B" Jones',
      receivedAfter,
      receivedBefore,
      modifiedAfter,
      hasAttachment: true,
      unreadOnly: true,
    });
    expect(c.mode).toBe('search');
    expect(c.path).toBe('mailFolders/archive/messages');
    expect(names(c)).toEqual(['$search', '$top', '$select']);
    expect(searchKql(c)).toBe(
      '(budget OR forecast) from:"alice@contoso.com" to:"Bob B Jones" received>=2025-02-28 received<=2025-04-01 hasAttachments:true',
    );
    expect(c.clientFilter).toEqual({ receivedAfter, receivedBefore, modifiedAfter, unreadOnly: true });
    expect(param(c, '$select')).toBe('id,subject,from,receivedDateTime,lastModifiedDateTime,isRead');
  });

  it('switches to search for a sender given by name', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, from: 'Alice Smith', unreadOnly: true });
    expect(c.mode).toBe('search');
    expect(searchKql(c)).toBe('from:"Alice Smith"');
    expect(c.clientFilter).toEqual({ unreadOnly: true });
    expect(param(c, '$select')).toBe('id,subject,from,isRead');
  });

  it('switches to search for any recipient', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, to: 'carol@contoso.com', hasAttachment: false });
    expect(c.mode).toBe('search');
    expect(searchKql(c)).toBe('to:"carol@contoso.com" hasAttachments:false');
    expect(c.clientFilter).toBeUndefined();
  });

  it('keeps a user KQL property restriction and groups it away from ours', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, query: 'from:bob subject:report', hasAttachment: true });
    expect(searchKql(c)).toBe('(from:bob subject:report) hasAttachments:true');
  });

  it('cannot be broken out of by quotes or backslashes in the user text', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, query: 'x" OR "y\\', from: 'Eve' });
    expect(param(c, '$search')).toBe('"(x\\"OR\\" \\"y\\") from:\\"Eve\\""');
  });

  it('falls back to filter mode when the query repairs to nothing', () => {
    const c = compileMessageQuery({ top: 5, select: SELECT, query: '"" ()' });
    expect(c.mode).toBe('filter');
  });

  it('widens KQL day bounds so that no zone interpretation drops a wanted message', () => {
    const utcDayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }),
        (d) => {
          const after = searchKql(compileMessageQuery({ top: 1, select: SELECT, query: 'x', receivedAfter: d }));
          const before = searchKql(compileMessageQuery({ top: 1, select: SELECT, query: 'x', receivedBefore: d }));
          const lo = /received>=(\d{4}-\d{2}-\d{2})/.exec(after)?.[1];
          const hi = /received<=(\d{4}-\d{2}-\d{2})/.exec(before)?.[1];
          if (lo === undefined || hi === undefined) throw new Error('missing bound');
          // Start of the day in UTC-12 (latest start) is still not after d ...
          expect(utcDayStart(lo) + 12 * 3_600_000).toBeLessThanOrEqual(d.getTime());
          // ... and the end of the day in UTC+14 (earliest end) is still not before d.
          expect(utcDayStart(hi) + 86_400_000 - 14 * 3_600_000).toBeGreaterThan(d.getTime());
        },
      ),
    );
  });

  it('omits an upper KQL bound past year 9999 but still filters exactly', () => {
    const receivedBefore = new Date('9999-12-31T12:00:00Z');
    const c = compileMessageQuery({ top: 5, select: SELECT, query: 'x', receivedBefore });
    expect(searchKql(c)).toBe('x');
    expect(c.clientFilter).toEqual({ receivedBefore });
  });
});

describe('compileMessageQuery: validation', () => {
  it.each([0, 1001, 2.5, Number.NaN])('rejects top=%s', (top) => {
    const err = compileError({ top });
    expect(err.field).toBe('top');
    expect(err.message).toMatch(/top must be a whole number from 1 to 1000/);
    expect(err.code).toBe('INVALID_QUERY');
    expect(err.name).toBe('QueryError');
  });

  it('accepts the top bounds', () => {
    expect(param(compileMessageQuery({ top: 1, select: SELECT }), '$top')).toBe('1');
    expect(param(compileMessageQuery({ top: 1000, select: SELECT }), '$top')).toBe('1000');
  });

  it('rejects a range whose start is after its end', () => {
    const err = compileError({ receivedAfter: new Date('2025-02-01T00:00:00Z'), receivedBefore: new Date('2025-01-01T00:00:00Z') });
    expect(err.message).toContain('is after the end date');
    expect(err.message).toContain('2025-02-01T00:00:00.000Z');
  });

  it('accepts an empty-width range', () => {
    const d = new Date('2025-01-01T00:00:00Z');
    expect(compileMessageQuery({ top: 1, select: SELECT, receivedAfter: d, receivedBefore: d }).mode).toBe('filter');
  });

  it('rejects a query over the length cap and accepts one at it', () => {
    expect(compileError({ query: 'a'.repeat(1001) }).message).toMatch(/1001 characters long; the limit is 1000/);
    expect(compileMessageQuery({ top: 1, select: SELECT, query: `  ${'a'.repeat(1000)}  ` }).mode).toBe('search');
  });

  it('rejects invalid and out-of-range dates', () => {
    expect(compileError({ receivedAfter: new Date(Number.NaN) }).field).toBe('receivedAfter');
    expect(compileError({ modifiedAfter: new Date('1800-01-01T00:00:00Z') }).message).toMatch(/between 1900-01-01 and 9999-12-31/);
  });

  it('rejects an empty or malformed $select', () => {
    expect(compileError({ select: [] }).field).toBe('select');
    expect(compileError({ select: ['id,body'] }).message).toContain('"id,body" is not a message property name');
  });

  it('rejects a sender or recipient with nothing searchable in it', () => {
    expect(compileError({ to: '"\\"' }).message).toBe('to: "\\"\\\\\\"" has nothing to search for. Give an address or part of a name.');
    expect(compileError({ from: '""' }).field).toBe('from');
  });

  it('rejects an over-long sender and ignores a blank one', () => {
    expect(compileError({ from: `${'a'.repeat(320)}@x.com` }).field).toBe('from');
    expect(compileMessageQuery({ top: 1, select: SELECT, from: ' \n ', to: '' }).mode).toBe('filter');
  });
});

describe('compileMessageQuery: invariants', () => {
  const optDate = fc.option(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), {
    nil: undefined,
  });
  const optText = fc.option(fc.string({ unit: fc.constantFrom('a', '@', ' ', '"', '\\', "'", '(', ')', 'OR', ':', '\n', 'é') , maxLength: 20 }), {
    nil: undefined,
  });
  const query = fc.record(
    {
      query: optText,
      folder: optText,
      from: optText,
      to: optText,
      receivedAfter: optDate,
      receivedBefore: optDate,
      modifiedAfter: optDate,
      hasAttachment: fc.option(fc.boolean(), { nil: undefined }),
      unreadOnly: fc.option(fc.boolean(), { nil: undefined }),
      top: fc.integer({ min: 1, max: 1000 }),
      select: fc.constantFrom(['id'], ['id', 'subject'], ['receivedDateTime', 'isRead']),
    },
    { requiredKeys: ['top', 'select'] },
  );

  it('never combines $search with $filter/$orderby and always leads the filter with the orderby property', () => {
    fc.assert(
      fc.property(query, (q) => {
        let c: CompiledMessageQuery;
        try {
          c = compileMessageQuery(q);
        } catch (err) {
          expect(err).toBeInstanceOf(QueryError);
          return;
        }
        const has = (n: string): boolean => names(c).includes(n);
        if (has('$search')) {
          expect(c.mode).toBe('search');
          expect(has('$filter') || has('$orderby')).toBe(false);
        } else {
          expect(c.mode).toBe('filter');
          expect(c.clientFilter).toBeUndefined();
        }
        if (has('$orderby')) {
          expect(param(c, '$orderby')).toBe('receivedDateTime desc');
          expect(param(c, '$filter')).toMatch(/^receivedDateTime ge \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z( and |$)/);
        }
        const selected = (param(c, '$select') ?? '').split(',');
        if (c.clientFilter?.unreadOnly) expect(selected).toContain('isRead');
        if (c.clientFilter?.modifiedAfter) expect(selected).toContain('lastModifiedDateTime');
        if (c.clientFilter?.receivedAfter || c.clientFilter?.receivedBefore) expect(selected).toContain('receivedDateTime');
        expect(c.path).toMatch(/^(messages|mailFolders\/[^/?#]+\/messages)$/);
      }),
    );
  });
});

describe('buildQueryString', () => {
  it('percent-encodes values, keeps $ in names and never uses +', () => {
    expect(
      buildQueryString([
        ['$search', '"from:\\"a b\\" c+d"'],
        ['$top', '5'],
      ]),
    ).toBe('$search=%22from%3A%5C%22a%20b%5C%22%20c%2Bd%22&$top=5');
    expect(buildQueryString([])).toBe('');
  });

  it('round-trips through URLSearchParams for any values', () => {
    const value = fc.string({ unit: fc.oneof(fc.constantFrom('&', '=', '+', '%', '#', '?', ' ', '"', '\\', '$'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('$search', '$filter', '$top', '$select', 'x y', 'a&b'), value), { maxLength: 5 }), (params) => {
        const parsed = [...new URLSearchParams(buildQueryString(params)).entries()];
        expect(parsed).toEqual(params);
      }),
    );
  });

  it('replaces lone surrogates instead of throwing', () => {
    expect(new URLSearchParams(buildQueryString([['$search', 'a\uD800b']])).get('$search')).toBe('a\uFFFDb');
  });
});

describe('matchesClientFilter', () => {
  const item = { receivedDateTime: '2025-03-10T12:00:00Z', lastModifiedDateTime: '2025-03-11T08:00:00Z', isRead: false };

  it('passes everything without a filter', () => {
    expect(matchesClientFilter({}, undefined)).toBe(true);
    expect(matchesClientFilter({}, {})).toBe(true);
  });

  it('applies inclusive received bounds', () => {
    expect(matchesClientFilter(item, { receivedAfter: new Date('2025-03-10T12:00:00Z') })).toBe(true);
    expect(matchesClientFilter(item, { receivedAfter: new Date('2025-03-10T12:00:01Z') })).toBe(false);
    expect(matchesClientFilter(item, { receivedBefore: new Date('2025-03-10T12:00:00Z') })).toBe(true);
    expect(matchesClientFilter(item, { receivedBefore: new Date('2025-03-10T11:59:59Z') })).toBe(false);
  });

  it('applies unreadOnly and modifiedAfter', () => {
    expect(matchesClientFilter(item, { unreadOnly: true })).toBe(true);
    expect(matchesClientFilter({ ...item, isRead: true }, { unreadOnly: true })).toBe(false);
    expect(matchesClientFilter(item, { modifiedAfter: new Date('2025-03-11T08:00:00Z') })).toBe(true);
    expect(matchesClientFilter(item, { modifiedAfter: new Date('2025-03-11T08:00:01Z') })).toBe(false);
  });

  it('fails items missing a needed field and reads offset-less times as UTC', () => {
    expect(matchesClientFilter({ isRead: false }, { receivedAfter: new Date(0) })).toBe(false);
    expect(matchesClientFilter({}, { unreadOnly: true })).toBe(false);
    expect(matchesClientFilter({ receivedDateTime: '2025-03-10T12:00:00' }, { receivedAfter: new Date('2025-03-10T12:00:00Z') })).toBe(true);
    expect(matchesClientFilter({ receivedDateTime: '2025-03-10T12:00:00+01:00' }, { receivedAfter: new Date('2025-03-10T11:30:00Z') })).toBe(false);
  });
});
