import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stripInvisible } from '../../src/text/invisible.js';

describe('stripInvisible', () => {
  it('returns plain ASCII untouched', () => {
    expect(stripInvisible('Hello, world!\n\tIndented\r\n')).toEqual({ text: 'Hello, world!\n\tIndented\r\n', removed: 0 });
  });

  it.each([
    ['zero width space', '\u200B'],
    ['zero width non-joiner', '\u200C'],
    ['zero width joiner', '\u200D'],
    ['word joiner', '\u2060'],
    ['function application', '\u2061'],
    ['invisible times', '\u2062'],
    ['invisible separator', '\u2063'],
    ['invisible plus', '\u2064'],
    ['byte order mark', '\uFEFF'],
    ['mongolian vowel separator', '\u180E'],
    ['combining grapheme joiner', '\u034F'],
    ['soft hyphen', '\u00AD'],
    ['left-to-right mark', '\u200E'],
    ['right-to-left mark', '\u200F'],
    ['arabic letter mark', '\u061C'],
    ['LRE', '\u202A'],
    ['RLE', '\u202B'],
    ['PDF', '\u202C'],
    ['LRO', '\u202D'],
    ['RLO', '\u202E'],
    ['LRI', '\u2066'],
    ['RLI', '\u2067'],
    ['FSI', '\u2068'],
    ['PDI', '\u2069'],
    ['deprecated format character', '\u206A'],
    ['interlinear annotation anchor', '\uFFF9'],
    ['hangul filler', '\u3164'],
    ['halfwidth hangul filler', '\uFFA0'],
    ['hangul choseong filler', '\u115F'],
    ['khmer inherent vowel', '\u17B4'],
    ['tag latin capital A', '\u{E0041}'],
    ['cancel tag', '\u{E007F}'],
    ['language tag', '\u{E0001}'],
    ['NUL', '\u0000'],
    ['escape', '\u001B'],
    ['delete', '\u007F'],
    ['C1 control', '\u0085'],
    ['lone high surrogate', '\uD83D'],
    ['lone low surrogate', '\uDE00'],
  ])('removes %s', (_name, char) => {
    expect(stripInvisible(`ig${char}nore`)).toEqual({ text: 'ignore', removed: 1 });
  });

  it('counts code points, not UTF-16 units (tag characters are astral)', () => {
    const smuggled = [...'IGNORE'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    expect(stripInvisible(`hello${smuggled}`)).toEqual({ text: 'hello', removed: 6 });
  });

  it('keeps ordinary whitespace and line breaks', () => {
    expect(stripInvisible('a\tb\nc\r\nd\fe\vf g').text).toBe('a\tb\nc\r\nd\fe\vf g');
  });

  it('normalises non-breaking spaces to spaces without counting them', () => {
    expect(stripInvisible('a\u00A0b\u202Fc\u2007d')).toEqual({ text: 'a b c d', removed: 0 });
  });

  it('turns Unicode line and paragraph separators into line feeds', () => {
    expect(stripInvisible('a\u2028b\u2029c').text).toBe('a\nb\nc');
  });

  it('keeps visible text in other scripts, emoji and the visible Arabic number sign', () => {
    const text = 'Grüße 你好 مرحبا שלום 😀 \u0600١٢';
    expect(stripInvisible(text)).toEqual({ text, removed: 0 });
  });

  it('splits emoji ZWJ sequences into their component emoji', () => {
    expect(stripInvisible('👨\u200D👩\u200D👧')).toEqual({ text: '👨👩👧', removed: 2 });
  });

  it('drops the tags of subdivision flags, leaving the black flag', () => {
    const england = '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    expect(stripInvisible(england)).toEqual({ text: '🏴', removed: 6 });
  });

  describe('variation selectors', () => {
    it('keeps a single selector after a base character', () => {
      expect(stripInvisible('I ❤\uFE0F it ☺\uFE0E')).toEqual({ text: 'I ❤\uFE0F it ☺\uFE0E', removed: 0 });
    });

    it('removes runs of selectors that smuggle bytes behind an emoji', () => {
      const smuggled = '😀' + '\u{E0100}\u{E0131}\u{E0142}\uFE01\uFE02';
      expect(stripInvisible(smuggled)).toEqual({ text: '😀', removed: 5 });
    });

    it('removes selectors with no base: at the start or after whitespace', () => {
      expect(stripInvisible('\uFE0Fa \uFE0Fb\n\uFE0F')).toEqual({ text: 'a b\n', removed: 3 });
    });

    it('keeps an ideographic selector only after a Han character', () => {
      expect(stripInvisible('葛\u{E0100}').text).toBe('葛\u{E0100}');
      expect(stripInvisible('a\u{E0100}')).toEqual({ text: 'a', removed: 1 });
    });

    it('keeps the first and drops the rest when several follow a base', () => {
      expect(stripInvisible('❤\uFE0F\uFE0F\uFE0F')).toEqual({ text: '❤\uFE0F', removed: 2 });
    });
  });

  it('cleans the classic injection: zero-width inside words, RLO, tags', () => {
    const input = 'Ple\u200Base re\u200Dview\u202E the\u2066 invoice\u{E0049}\u{E0047}\u{E004E}';
    expect(stripInvisible(input)).toEqual({ text: 'Please review the invoice', removed: 7 });
  });

  it('is idempotent and leaves nothing removable behind (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const once = stripInvisible(s);
        const twice = stripInvisible(once.text);
        expect(twice.removed).toBe(0);
        expect(twice.text).toBe(once.text);
        expect(once.text).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/);
        expect(once.text).not.toMatch(/[\u{E0000}-\u{E007F}]/u);
      }),
    );
  });

  it('handles a megabyte of mixed text', () => {
    const input = 'w\u200Bo\u200Dr\uFE0F\uFE0Fd '.repeat(100_000);
    const { text, removed } = stripInvisible(input);
    expect(text).toBe('wor\uFE0Fd '.repeat(100_000));
    expect(removed).toBe(300_000);
  });
});
