import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCount, truncateText, truncationMarker } from '../../src/text/truncate.js';

describe('truncationMarker', () => {
  it('uses the documented wording with thousands separators', () => {
    expect(truncationMarker(4000, 12345)).toBe(
      '[truncated: showing 4,000 of 12,345 characters; call again with a larger max_chars to see more]',
    );
  });

  it('formats counts independently of the locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('truncateText', () => {
  it('leaves text within the limit alone', () => {
    expect(truncateText('short', 100)).toEqual({ text: 'short', truncated: false, totalChars: 5 });
  });

  it('leaves text of exactly the limit alone', () => {
    expect(truncateText('12345', 5)).toEqual({ text: '12345', truncated: false, totalChars: 5 });
  });

  it('truncates one character over the limit and says so', () => {
    const result = truncateText('abcdef', 5);
    expect(result.truncated).toBe(true);
    expect(result.totalChars).toBe(6);
    expect(result.text).toBe(`abcde\n\n${truncationMarker(5, 6)}`);
  });

  it('cuts on a word boundary near the limit', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const result = truncateText(text, 22);
    expect(result.text.startsWith('The quick brown fox\n\n')).toBe(true);
    expect(result.text).toContain('showing 19 of 43 characters');
  });

  it('prefers a line boundary', () => {
    const text = `${'a'.repeat(90)}\nsecond line with words`;
    const result = truncateText(text, 100);
    expect(result.text.split('\n\n')[0]).toBe('a'.repeat(90));
  });

  it('cuts hard when no boundary is near', () => {
    const text = `word ${'x'.repeat(200)}`;
    const result = truncateText(text, 100);
    expect(result.text.split('\n\n')[0]).toBe(text.slice(0, 100));
  });

  it('keeps the cut clean when the first dropped character is whitespace', () => {
    expect(truncateText('hello world', 5).text.split('\n\n')[0]).toBe('hello');
  });

  it('never splits a surrogate pair', () => {
    const text = 'ab😀😀😀';
    // The limit falls between the two halves of the first emoji.
    const result = truncateText(text, 3);
    const kept = result.text.split('\n\n')[0] ?? '';
    expect(kept).toBe('ab');
    expect(kept).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('keeps a whole emoji when the limit falls after it', () => {
    expect(truncateText('ab😀😀', 4).text.split('\n\n')[0]).toBe('ab😀');
  });

  it('handles a zero limit: the marker alone', () => {
    expect(truncateText('anything', 0)).toEqual({ text: truncationMarker(0, 8), truncated: true, totalChars: 8 });
  });

  it('handles a limit of one', () => {
    expect(truncateText('abc', 1).text).toBe(`a\n\n${truncationMarker(1, 3)}`);
  });

  it('handles a limit that only covers a surrogate half', () => {
    expect(truncateText('😀x', 1).text).toBe(truncationMarker(0, 3));
  });

  it('treats an infinite limit as no limit', () => {
    expect(truncateText('abc', Number.POSITIVE_INFINITY).truncated).toBe(false);
  });

  it('rejects negative and NaN limits', () => {
    expect(() => truncateText('abc', -1)).toThrow(RangeError);
    expect(() => truncateText('abc', Number.NaN)).toThrow(RangeError);
  });

  it('floors fractional limits', () => {
    expect(truncateText('abcdef', 2.9).text.startsWith('ab\n\n')).toBe(true);
  });

  it('accepts a custom marker', () => {
    const result = truncateText('abcdef', 3, { marker: (shown, total) => `<cut ${shown}/${total}>` });
    expect(result.text).toBe('abc\n\n<cut 3/6>');
  });

  it('does not count trailing whitespace before the cut as shown', () => {
    expect(truncateText('abc    defghijkl', 6).text).toBe(`abc\n\n${truncationMarker(3, 16)}`);
  });

  it('always keeps a prefix within the limit, without a dangling high surrogate (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(320), (text, max) => {
        const marker = '<M>';
        const result = truncateText(text, max, { marker: () => marker });
        expect(result.totalChars).toBe(text.length);
        if (!result.truncated) {
          expect(result.text).toBe(text);
          return;
        }
        const kept = result.text === marker ? '' : result.text.slice(0, -(marker.length + 2));
        expect(kept.length).toBeLessThanOrEqual(max);
        expect(text.startsWith(kept)).toBe(true);
        expect(kept).not.toMatch(/[\uD800-\uDBFF]$/);
      }),
    );
  });
});
