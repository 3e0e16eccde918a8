import { describe, expect, it } from 'vitest';
import { GraphErrorResponse } from '../../src/sandbox/errors.js';
import { matchesKql, parseKql, prepareDocument, unquoteSearch, wordPrefixMatch, type SearchDocument } from '../../src/sandbox/kql.js';

const doc: SearchDocument = {
  subject: 'Quarterly report: Fabrikam Phase 2',
  body: 'Hi Avery,\n\nPlease   find the budget attached. Invoice INV-2025-0142 is overdue.',
  from: ['Blake Rivera', 'blake.rivera@fabrikam.test'],
  to: ['Avery Quinn', 'avery@contoso.test'],
  cc: ['Casey Lin', 'casey@contoso.test'],
  bcc: [],
  attachments: ['Budget-2025.xlsx'],
  hasAttachments: true,
  received: Date.parse('2025-03-10T08:00:00Z'),
  sent: Date.parse('2025-03-10T07:59:00Z'),
  size: 20_000,
};
const prepared = prepareDocument(doc);
const search = (q: string) => matchesKql(parseKql(unquoteSearch(q)), prepared);

describe('KQL $search', () => {
  it('unquotes the $search value and its escapes', () => {
    expect(unquoteSearch('"subject:\\"quarterly report\\""')).toBe('subject:"quarterly report"');
    expect(unquoteSearch('"a\\\\b"')).toBe('a\\b');
    expect(unquoteSearch('budget')).toBe('budget');
  });

  it('matches bare words in subject, body, people and attachment names, at word starts', () => {
    expect(search('"quarter"')).toBe(true);
    expect(search('"budget"')).toBe(true);
    expect(search('"rivera"')).toBe(true);
    expect(search('"xlsx"')).toBe(true);
    expect(search('"dget"')).toBe(false);
    expect(search('"uarterly"')).toBe(false);
    expect(search('budget')).toBe(true);
  });

  it('ANDs terms implicitly and supports OR, NOT, - and parentheses', () => {
    expect(search('"budget invoice"')).toBe(true);
    expect(search('"budget penguin"')).toBe(false);
    expect(search('"penguin OR budget"')).toBe(true);
    expect(search('"budget NOT invoice"')).toBe(false);
    expect(search('"budget -penguin"')).toBe(true);
    expect(search('"(penguin OR walrus) AND budget"')).toBe(false);
    expect(search('"budget and penguin"')).toBe(false);
  });

  it('matches phrases as consecutive words, whitespace-insensitively', () => {
    expect(search('"\\"find the budget\\""')).toBe(true);
    expect(search('"\\"the find budget\\""')).toBe(false);
  });

  it('restricts by people, subject, body and attachments', () => {
    expect(search('"from:blake"')).toBe(true);
    expect(search('"from:blake.rivera@fabrikam.test"')).toBe(true);
    expect(search('"from:avery"')).toBe(false);
    expect(search('"to:avery"')).toBe(true);
    expect(search('"cc:casey"')).toBe(true);
    expect(search('"participants:casey"')).toBe(true);
    expect(search('"recipients:blake"')).toBe(false);
    expect(search('"subject:\\"fabrikam phase\\""')).toBe(true);
    expect(search('"subject:budget"')).toBe(false);
    expect(search('"body:overdue"')).toBe(true);
    expect(search('"attachment:budget-2025"')).toBe(true);
    expect(search('"From:Blake subject:quarterly"')).toBe(true);
  });

  it('filters by hasAttachments, dates and size', () => {
    expect(search('"hasAttachments:true"')).toBe(true);
    expect(search('"hasattachments:false"')).toBe(false);
    expect(search('"received:2025-03-10"')).toBe(true);
    expect(search('"received=3/10/2025"')).toBe(true);
    expect(search('"received>=2025-03-10"')).toBe(true);
    expect(search('"received>2025-03-10"')).toBe(false);
    expect(search('"received<2025-03-10"')).toBe(false);
    expect(search('"received<=2025-03-10"')).toBe(true);
    expect(search('"received:2025-03-01..2025-03-10"')).toBe(true);
    expect(search('"sent>=2025-03-11"')).toBe(false);
    expect(search('"size>10000"')).toBe(true);
    expect(search('"size<10KB"')).toBe(false);
  });

  it('refuses malformed queries with 400', () => {
    for (const q of ['""', '"(budget"', '"budget)"', '"OR"', '"budget AND"']) {
      expect(() => parseKql(unquoteSearch(q)), q).toThrow(GraphErrorResponse);
    }
  });

  it('wordPrefixMatch needs a word boundary before the match', () => {
    expect(wordPrefixMatch('Re: the report', 'rep')).toBe(true);
    expect(wordPrefixMatch('Re: the report', 'port')).toBe(false);
    expect(wordPrefixMatch('x-ray', 'ray')).toBe(true);
  });
});
