/**
 * Converts an email's HTML into the text a person would actually see, so that
 * an agent reads what the human reads and nothing an attacker hid from them.
 *
 * This facade composes the modules in ./visible/, one per concern:
 * - tree.ts: parse5 builds the tree by the HTML standard (as browsers do),
 *   within an input cap and Chromium's nesting-depth cap;
 * - stylesheet.ts: every style sheet in the document, the cascade
 *   (specificity, order, !important, @layer), @media for a 1280×900 desktop
 *   screen, @supports, css-select matching (quirks-aware);
 * - visibility.ts: inherited visual state and the hiding rules;
 * - render.ts: the iterative walk that writes visible text;
 * - lines.ts: whitespace collapsing, lists, cells and links;
 * - quotes.ts: quoted history and the final assembly.
 * Each module's header states its invariants and known limits. The reference
 * for "what a person sees" is a desktop browser with scripting off.
 */
import { stripInvisible } from './invisible.js';
import { QUOTED_HISTORY_MARKER, assembleLines, findTextualQuoteStart } from './visible/quotes.js';
import { renderDocument } from './visible/render.js';
import { parseDocument } from './visible/tree.js';

export { QUOTED_HISTORY_MARKER };

/** Options for {@link htmlToVisibleText} and {@link plainTextToVisibleText}. */
export interface VisibleTextOptions {
  /** Insert {@link QUOTED_HISTORY_MARKER} before quoted history (default true). */
  markQuotes?: boolean;
  /** Characters of HTML read at most (default MAX_INPUT_CHARS); the browser renderer passes already-capped HTML. */
  inputCap?: number;
  /** A last line to add (the browser renderer's truncation marker for the input it capped). */
  suffix?: string;
}

/** The visible text of a message body and what was taken out of it. */
export interface VisibleText {
  text: string;
  /** Hidden elements (and tracking images) whose non-blank text was dropped. */
  hiddenRemoved: number;
  /** Invisible code points removed from visible text (see stripInvisible). */
  invisibleRemoved: number;
  /** Character index of the quoted-history marker line, when one was inserted. */
  quotedFrom?: number;
  /** Elements shown although layout that is not computed (overlap, small clipping boxes) might hide them. */
  suspect?: number;
  /** Characters of HTML not read because the body exceeded the input cap; the text ends with a marker saying so. */
  truncatedInput?: number;
  /** Words withheld because their visibility could not be determined (builtin; the text ends with a line saying so). */
  withheld?: number;
  /** Words the browser renderer judged hidden. */
  hiddenWords?: number;
  /** The renderer that produced the text, when it was not the builtin engine called directly. */
  renderer?: 'builtin' | 'browser';
  /** Why the configured renderer was not used (the text ends with the same note). */
  note?: string;
}

/** Converts email HTML into the text a person would see, with hidden content removed and quoted history marked. */
export function htmlToVisibleText(html: string, options: VisibleTextOptions = {}): VisibleText {
  const markQuotes = options.markQuotes ?? true;
  const parsed = parseDocument(html, options.inputCap);
  const rendered = renderDocument(parsed, markQuotes);
  const lines = rendered.lines;
  const textualQuote = markQuotes ? findTextualQuoteStart(lines) : undefined;
  const quoteLine = earliest(rendered.structuralQuote, textualQuote);
  if (rendered.withheld > 0) lines.push('', withheldMarker(rendered.withheld));
  if (parsed.cutChars > 0) lines.push('', truncationMarker(parsed.cutChars));
  if (options.suffix !== undefined) lines.push('', options.suffix);
  const assembled = assembleLines(lines, quoteLine);
  const result: VisibleText = {
    text: assembled.text,
    hiddenRemoved: rendered.hiddenRemoved,
    invisibleRemoved: rendered.invisibleRemoved + assembled.invisibleRemoved,
  };
  if (assembled.quotedFrom !== undefined) result.quotedFrom = assembled.quotedFrom;
  if (rendered.suspect > 0) result.suspect = rendered.suspect;
  if (parsed.cutChars > 0) result.truncatedInput = parsed.cutChars;
  if (rendered.withheld > 0) result.withheld = rendered.withheld;
  return result;
}

/** The line that says how many words were withheld because their visibility could not be determined. */
export function withheldMarker(words: number): string {
  return `[${words} word${words === 1 ? '' : 's'} withheld: visibility could not be determined]`;
}

/** The line that ends a body cut by the input cap. */
export function truncationMarker(cutChars: number): string {
  return `[message cut: the last ${cutChars} characters of HTML were not read]`;
}

/** Cleans a plain-text body: removes invisible characters, normalises line endings and blank lines, marks quoted history. */
export function plainTextToVisibleText(text: string, options: VisibleTextOptions = {}): VisibleText {
  const markQuotes = options.markQuotes ?? true;
  const stripped = stripInvisible(text);
  const lines = stripped.text.replace(/\r\n?|[\v\f]/g, '\n').split('\n');
  const quoteLine = markQuotes ? findTextualQuoteStart(lines) : undefined;
  const assembled = assembleLines(lines, quoteLine);
  const result: VisibleText = {
    text: assembled.text,
    hiddenRemoved: 0,
    invisibleRemoved: stripped.removed + assembled.invisibleRemoved,
  };
  if (assembled.quotedFrom !== undefined) result.quotedFrom = assembled.quotedFrom;
  return result;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
