import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  kqlFrom,
  kqlHasAttachments,
  kqlJoin,
  kqlPhrase,
  kqlPhraseText,
  kqlReceivedOnOrAfter,
  kqlReceivedOnOrBefore,
  kqlTo,
  kqlUserTerms,
  searchParamValue,
} from '../../src/graph/query/kql.js';

/** Strings rich in the characters that break quoting: quotes, backslashes, parens, controls, unicode, lone surrogates. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', '\\', "'", '(', ')', ' ', ':', '\n', '\t', '\u0000', '\u2028', 'OR', 'AND', 'NOT', 'é', '😀', '\uD800', '\uDC00'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

/** Reads one backslash-escaped `"…"` literal that must span the whole input; throws otherwise. */
function unescapeQuoted(literal: string): string {
  if (!literal.startsWith('"')) throw new Error('no opening quote');
  let out = '';
  let i = 1;
  while (i < literal.length) {
    const c = literal[i] as string;
    if (c === '\\') {
      const next = literal[i + 1];
      if (next !== '"' && next !== '\\') throw new Error(`bad escape at ${i}`);
      out += next;
      i += 2;
    } else if (c === '"') {
      if (i !== literal.length - 1) throw new Error(`literal ends early at ${i}`);
      return out;
    } else {
      out += c;
      i++;
    }
  }
  throw new Error('unterminated literal');
}

/** Top-level structure of a KQL string: phrases must close, parentheses balance; returns depth-0 tokens. */
function topLevelTokens(kql: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let current = '';
  const flush = (): void => {
    if (depth === 0 && current !== '') tokens.push(current);
    current = '';
  };
  for (let i = 0; i < kql.length; i++) {
    const c = kql[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < kql.length && kql[j] !== '"') j += kql[j] === '\\' ? 2 : 1;
      if (j >= kql.length) throw new Error('unclosed phrase');
      current += kql.slice(i, j + 1);
      i = j;
    } else if (c === '(') {
      flush();
      depth++;
    } else if (c === ')') {
      flush();
      depth--;
      if (depth < 0) throw new Error('unbalanced )');
    } else if (c === ' ') {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  if (depth !== 0) throw new Error('unbalanced (');
  return tokens;
}

describe('kqlPhraseText', () => {
  it('removes what a phrase parser might read as an escape or a terminator', () => {
    expect(kqlPhraseText('O\'Brien, "Pat"')).toBe("O'Brien, Pat");
    expect(kqlPhraseText('a\\b\u0000c\n\td')).toBe('a b c d');
    expect(kqlPhraseText(' \\" ')).toBe('');
  });

  it('always yields a phrase body free of quotes, backslashes and controls', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        // eslint-disable-next-line no-control-regex -- asserting control characters are gone
        expect(kqlFrom(s)).toMatch(/^from:"[^"\\\u0000-\u001f]*"$/);
        expect(kqlPhraseText(kqlPhraseText(s))).toBe(kqlPhraseText(s));
      }),
    );
  });
});

describe('kqlPhrase', () => {
  it('quotes and backslash-escapes " and \\', () => {
    expect(kqlPhrase('Bob Smith')).toBe('"Bob Smith"');
    expect(kqlPhrase('say "hi"')).toBe('"say \\"hi\\""');
    expect(kqlPhrase('a\\b')).toBe('"a\\\\b"');
    expect(kqlPhrase('')).toBe('""');
  });

  it('round-trips any string through a phrase unescaper', () => {
    fc.assert(fc.property(nasty, (s) => unescapeQuoted(kqlPhrase(s)) === s));
  });
});

describe('property restrictions', () => {
  it('always quote values', () => {
    expect(kqlFrom('alice@contoso.com')).toBe('from:"alice@contoso.com"');
    expect(kqlTo('Bob "B" Jones')).toBe('to:"Bob B Jones"');
    expect(kqlFrom(' a\\b\n"c" ')).toBe('from:"a b c"');
    expect(kqlFrom('"')).toBe('from:""');
    expect(kqlHasAttachments(true)).toBe('hasAttachments:true');
    expect(kqlHasAttachments(false)).toBe('hasAttachments:false');
  });

  it('writes received bounds as UTC calendar days', () => {
    expect(kqlReceivedOnOrAfter(new Date('2025-01-01T23:30:00Z'))).toBe('received>=2025-01-01');
    expect(kqlReceivedOnOrBefore(new Date('2025-02-28T00:00:00Z'))).toBe('received<=2025-02-28');
  });

  it('rejects dates KQL cannot write', () => {
    expect(() => kqlReceivedOnOrAfter(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('searchParamValue', () => {
  it('wraps the KQL in one escaped literal', () => {
    expect(searchParamValue('pizza')).toBe('"pizza"');
    expect(searchParamValue('from:"bob" subject:report')).toBe('"from:\\"bob\\" subject:report"');
    expect(searchParamValue('a\\"b')).toBe('"a\\\\\\"b"');
  });

  it('is a single well-formed literal decoding to the input, for any input', () => {
    fc.assert(fc.property(nasty, (s) => unescapeQuoted(searchParamValue(s)) === s));
  });
});

describe('kqlUserTerms (user KQL passthrough)', () => {
  it.each([
    ['pizza', 'pizza'],
    ['  budget   review ', 'budget review'],
    ['from:bob subject:report', 'from:bob subject:report'],
    ['from:"Bob Smith" subject:report', 'from:"Bob Smith" subject:report'],
    ['(budget OR forecast) NOT draft', '(budget OR forecast) NOT draft'],
    ['NEAR(3)', 'NEAR(3)'],
  ])('keeps well-formed KQL %j as %j', (input, expected) => {
    expect(kqlUserTerms(input)).toBe(expected);
  });

  it.each([
    ['unclosed "phrase', 'unclosed "phrase"'],
    ['a) b', 'a b'],
    ['((a OR b', '((a OR b))'],
    ['()', ''],
    ['""', ''],
    ['a () b', 'a b'],
    ['a()b', 'a b'],
    ['line\nbreak\u0000nul', 'line break nul'],
    ['"say \\"hi\\""', '"say hi"'],
    ['"trailing backslash\\', '"trailing backslash"'],
    ['C:\\temp', '"C: temp"'],
    ['a\\) OR b', '"a" OR b'],
    ['from:"\\"', 'from:'],
    ['"a""b"', '"a" "b"'],
    ['"a"b', '"a" b'],
  ])('repairs %j into %j', (input, expected) => {
    expect(kqlUserTerms(input)).toBe(expected);
  });

  it('always yields balanced parentheses and closed phrases', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        topLevelTokens(kqlUserTerms(s));
      }),
    );
  });

  it('never leaves a backslash, nor a quote other than phrase delimiters', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const out = kqlUserTerms(s);
        expect(out).not.toContain('\\');
        const phrases = out.match(/"[^"]*"/g) ?? [];
        expect(out.replace(/"[^"]*"/g, '')).not.toContain('"');
        expect(phrases.every((p) => p.length > 2)).toBe(true);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(fc.property(nasty, (s) => kqlUserTerms(kqlUserTerms(s)) === kqlUserTerms(s)));
  });
});

describe('kqlJoin', () => {
  it('leaves a single term bare and groups anything else', () => {
    expect(kqlJoin('pizza', ['from:"x"'])).toBe('pizza from:"x"');
    expect(kqlJoin('"quarterly report"', ['from:"x"'])).toBe('"quarterly report" from:"x"');
    expect(kqlJoin('a OR b', ['from:"x"'])).toBe('(a OR b) from:"x"');
    expect(kqlJoin('subject:report', ['from:"x"'])).toBe('(subject:report) from:"x"');
    expect(kqlJoin('OR', ['from:"x"'])).toBe('(OR) from:"x"');
  });

  it('adds no parentheses without restrictions and drops an empty fragment', () => {
    expect(kqlJoin('a OR b', [])).toBe('a OR b');
    expect(kqlJoin('', ['from:"x"'])).toBe('from:"x"');
    expect(kqlJoin(undefined, ['from:"x"', 'hasAttachments:true'])).toBe('from:"x" hasAttachments:true');
  });

  it('never lets user text absorb or cancel a restriction we add', () => {
    fc.assert(
      fc.property(nasty, nasty, (query, name) => {
        const restriction = kqlFrom(name);
        const kql = unescapeQuoted(searchParamValue(kqlJoin(kqlUserTerms(query), [restriction, 'hasAttachments:true'])));
        const top = topLevelTokens(kql);
        // Our restrictions stand alone at the top level, after the user's group,
        // so they AND with whatever the user wrote.
        expect(top.slice(-2)).toEqual([restriction, 'hasAttachments:true']);
        const user = top.slice(0, -2);
        expect(user.length).toBeLessThanOrEqual(1);
        expect(user.every((t) => !/^(AND|OR|NOT|NEAR|ONEAR)$/.test(t))).toBe(true);
      }),
    );
  });
});
