/**
 * The one cleaner for untrusted one-line strings: everything that comes from
 * Graph (names, subjects, folder names, categories, locations, attachment
 * names, content types, links) was written by a stranger and reaches the
 * agent through it, in text and structuredContent alike.
 *
 * Invariants:
 * - the result holds no line break, no control character, no invisible,
 *   bidi-control or tag character (see stripInvisible), so a value can never
 *   start a line of its own in a rendering (no fake fence end, no fake
 *   `From:` line, no "SYSTEM NOTICE");
 * - whitespace runs become one space and the ends are trimmed;
 * - the result is at most `max` code points plus an explicit marker, so a
 *   2 MB subject comes back as about 500 characters and "…(truncated)".
 * The work is bounded by the cap, not by the input: only a prefix a few times
 * the cap is examined.
 */
import { stripInvisible } from './invisible.js';

/** What a string is, which decides its length cap. */
export type UntrustedKind = 'subject' | 'name' | 'address' | 'folder' | 'category' | 'location' | 'filename' | 'contentType' | 'url' | 'label';

/** Length caps in code points, before the truncation marker. */
export const UNTRUSTED_CAPS: Readonly<Record<UntrustedKind, number>> = Object.freeze({
  subject: 500,
  name: 200,
  address: 320, // RFC 5321: 64 + 1 + 255
  folder: 256,
  category: 200,
  location: 300,
  filename: 255,
  contentType: 200,
  url: 2048,
  label: 500,
});

/** Appended to a value cut at its cap. */
export const UNTRUSTED_TRUNCATION_MARKER = '…(truncated)';

// Line and paragraph separators and every C0/C1 control (tab and newlines included) become a space.
const BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029\u0085]+/gu;
const SPACES = /\s+/gu;

/**
 * Cleans one untrusted string for display to the agent. Anything that is not a
 * string (`undefined`, `null`, or a number or object where a hostile or broken
 * Graph put one) becomes '': the type is checked here, at the one funnel, so no
 * caller can reach a string method on something else.
 */
export function cleanUntrusted(value: unknown, kind: UntrustedKind): string {
  if (typeof value !== 'string') return '';
  const max = UNTRUSTED_CAPS[kind];
  // Invisible characters may pad the input; examine a generous prefix only, so a 2 MB field costs what 8 KB does.
  const window = Math.max(max * 8, 4096);
  const examined = value.length > window ? value.slice(0, window) : value;
  const cut = value.length > window;
  const text = stripInvisible(examined.replace(BREAKS_AND_CONTROLS, ' ')).text.replace(SPACES, ' ').trim();
  const chars = Array.from(text);
  if (chars.length <= max && !cut) return text;
  return chars.slice(0, max).join('').trimEnd() + UNTRUSTED_TRUNCATION_MARKER;
}

/** {@link cleanUntrusted} for optional fields: an empty result becomes `undefined`. */
export function cleanOptional(value: unknown, kind: UntrustedKind): string | undefined {
  const out = cleanUntrusted(value, kind);
  return out === '' ? undefined : out;
}
