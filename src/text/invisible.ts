/**
 * Removal of characters that change what a model reads without changing what a
 * person sees: zero-width and other format characters, bidi controls, Unicode
 * tag characters, control characters, stray variation selectors.
 *
 * Decisions worth knowing:
 * - ZWJ (U+200D) and ZWNJ (U+200C) are removed too. Emoji ZWJ sequences fall
 *   apart into their component emoji (a family becomes three people) and
 *   Persian/Indic text loses a shaping hint; both stay readable, whereas keeping
 *   ZWJ would leave an invisible character an attacker can thread through words.
 * - Tag characters (U+E0000–U+E007F) go as well, so subdivision flags such as
 *   England's degrade to a plain black flag. Tags are the classic way to smuggle
 *   ASCII that renders as nothing.
 * - U+034F COMBINING GRAPHEME JOINER, the Hangul fillers (U+115F, U+1160,
 *   U+3164, U+FFA0) and the Khmer inherent vowels (U+17B4, U+17B5) are removed:
 *   they are default-ignorable, render as nothing and are popular for blank
 *   "invisible" text.
 * - Format characters (category Cf) are removed except the prepended
 *   concatenation marks (Arabic number sign and friends), which are visible.
 * - Variation selectors survive only as a single selector directly after a
 *   visible base character (U+FE0F after ❤ is what makes it red); runs of them
 *   carry arbitrary hidden bytes ("emoji smuggling"), so every selector after
 *   the first, and any selector with no base, is removed. The ideographic
 *   selectors (U+E0100–U+E01EF) are kept only after a Han character.
 * - Control characters go, except tab, line feed, vertical tab, form feed and
 *   carriage return, which are ordinary whitespace. U+2028/U+2029 become a line
 *   feed; NBSP and its narrow/figure variants become a plain space (not counted).
 * - Lone surrogates are removed: they are not text and break JSON consumers.
 */

const PREPENDED_VISIBLE_FORMAT = '\\u0600-\\u0605\\u06DD\\u070F\\u0890\\u0891\\u08E2\\u{110BD}\\u{110CD}';

const INVISIBLE = new RegExp(
  `(?![\\t\\n\\v\\f\\r${PREPENDED_VISIBLE_FORMAT}])` +
    // Combining marks (U+034F, U+17B4, U+17B5) sit outside the class: inside one they read as a typo to linters.
    '(?:[\\p{Cf}\\p{Cc}\\p{Cs}\\u115F\\u1160\\u3164\\uFFA0\\u{E0000}-\\u{E00FF}\\u{E01F0}-\\u{E0FFF}]|\\u034F|\\u17B4|\\u17B5)',
  'gu',
);

const VARIATION_SELECTORS = /[\uFE00-\uFE0F\u180B-\u180D\u180F\u{E0100}-\u{E01EF}]+/gu;
const IDEOGRAPHIC_SELECTOR = /^[\u{E0100}-\u{E01EF}]/u;
const HAN = /\p{Script=Han}/u;
const WHITESPACE = /\s/u;

const SPACE_LIKE = /[\u00A0\u2007\u202F]/g;
const LINE_SEPARATORS = /[\u2028\u2029]/g;

// Everything printable ASCII plus tab/newlines needs no work; most mail is.
const NEEDS_WORK = /[^\t\n\v\f\r\x20-\x7E]/;

/** Removes invisible and control characters from `text` and reports how many code points were removed. */
export function stripInvisible(text: string): { text: string; removed: number } {
  if (!NEEDS_WORK.test(text)) return { text, removed: 0 };

  let removed = 0;
  let out = text.replace(INVISIBLE, () => {
    removed += 1;
    return '';
  });

  out = out.replace(VARIATION_SELECTORS, (run: string, offset: number, whole: string) => {
    const selectors = Array.from(run);
    const first = selectors[0] ?? '';
    const base = previousCodePoint(whole, offset);
    const keepFirst =
      base !== undefined &&
      !WHITESPACE.test(base) &&
      (!IDEOGRAPHIC_SELECTOR.test(first) || HAN.test(base));
    removed += keepFirst ? selectors.length - 1 : selectors.length;
    return keepFirst ? first : '';
  });

  out = out.replace(SPACE_LIKE, ' ').replace(LINE_SEPARATORS, '\n');
  return { text: out, removed };
}

function previousCodePoint(text: string, offset: number): string | undefined {
  if (offset <= 0) return undefined;
  const low = text.charCodeAt(offset - 1);
  if (low >= 0xdc00 && low <= 0xdfff && offset >= 2) {
    const high = text.charCodeAt(offset - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(offset - 2, offset);
  }
  return text.slice(offset - 1, offset);
}
