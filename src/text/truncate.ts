/**
 * Explicit truncation of text handed to the agent: the cut is announced in the
 * text itself, so the model never mistakes a partial body for the whole one.
 *
 * Lengths are UTF-16 code units (`string.length`), the unit the tool's
 * `max_chars` limit is stated in. The limit bounds the body text that is kept;
 * the marker line is added on top of it.
 */

/** Builds the line that announces a cut. */
export type TruncationMarkerBuilder = (shownChars: number, totalChars: number) => string;

// How far back from the limit a cut may move to land on a line or word
// boundary: a fifth of the limit, but never more than this many characters.
const MAX_BOUNDARY_LOOKBACK = 400;

/** Formats an integer with comma thousands separators, independent of the host locale. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The default marker line: `[truncated: showing 4,000 of 12,345 characters; call again with a larger max_chars to see more]`. */
export function truncationMarker(shownChars: number, totalChars: number): string {
  return (
    `[truncated: showing ${formatCount(shownChars)} of ${formatCount(totalChars)} characters; ` +
    'call again with a larger max_chars to see more]'
  );
}

/** Cuts `text` to at most `maxChars` characters on a line or word boundary when one is near, and appends a marker line saying so. */
export function truncateText(
  text: string,
  maxChars: number,
  options: { marker?: TruncationMarkerBuilder } = {},
): { text: string; truncated: boolean; totalChars: number } {
  if (Number.isNaN(maxChars) || maxChars < 0) {
    throw new RangeError(`maxChars must be a non-negative number, got ${maxChars}`);
  }
  const totalChars = text.length;
  if (totalChars <= maxChars) return { text, truncated: false, totalChars };

  const kept = text.slice(0, cutIndex(text, Math.floor(maxChars))).trimEnd();
  const marker = (options.marker ?? truncationMarker)(kept.length, totalChars);
  return { text: kept.length > 0 ? `${kept}\n\n${marker}` : marker, truncated: true, totalChars };
}

function cutIndex(text: string, limit: number): number {
  let hard = limit;
  // Never leave half of a surrogate pair behind.
  if (hard > 0 && isHighSurrogate(text.charCodeAt(hard - 1))) hard -= 1;

  const floor = Math.max(0, hard - Math.min(MAX_BOUNDARY_LOOKBACK, Math.floor(limit / 5)));
  // The character at `hard` is the first one dropped: if it is a boundary,
  // the hard cut is already clean.
  if (isBoundary(text.charCodeAt(hard))) return hard;

  const newline = text.lastIndexOf('\n', hard - 1);
  if (newline >= floor && newline > 0) return newline;
  for (let i = hard - 1; i >= floor && i > 0; i--) {
    if (isBoundary(text.charCodeAt(i))) return i;
  }
  return hard;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isBoundary(code: number): boolean {
  // space, tab, LF, VT, FF, CR
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}
