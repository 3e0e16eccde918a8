/**
 * What a document reader hands back: the text a person would see, in labelled
 * parts, and a tally of what was left out and why. Parts marked `html` are
 * turned into visible text by the caller through the one visible-text engine
 * (src/services/body.ts), so HTML never has two converters.
 */

/** One labelled piece of a document (a page, a sheet, a slide, its notes, a comment). */
export interface DocumentPart {
  /** Where the text comes from, e.g. "Page 2", "Sheet \"Q3\" A1:C9", "Slide 3 notes". */
  label: string;
  text: string;
  /** `html` parts still go through the visible-text engine. */
  format?: 'text' | 'html';
}

/** Why words were left out; each reason counts words. */
export type HiddenReason =
  | 'not painted (invisible, background-coloured or covered)'
  | 'same colour as background'
  | 'outside the page'
  | 'too small to read'
  | 'hidden text'
  | 'deleted revision'
  | 'hidden sheet'
  | 'hidden row or column'
  | 'format that prints nothing'
  | 'hidden slide'
  | 'hidden or off-slide shape'
  | 'transparent text'
  | 'not checked (no page renderer here)';

/** The reader's result. */
export interface DocumentText {
  /** Human name of the format, e.g. "PDF", "Word document". */
  format: string;
  parts: DocumentPart[];
  /** Words left out, by reason. */
  hidden: Partial<Record<HiddenReason, number>>;
  /** Plain statements about the reading, e.g. "pages 2-3 of 9 read". */
  notes: string[];
  /**
   * Set when the reader could not run the check that decides what a person sees (a PDF without a page
   * renderer): all text that needed it was withheld and counted; the caller says why and what gives the check.
   */
  unchecked?: 'no-page-renderer';
  /** Pages, slides or sheets in the whole document, when the format has them. */
  units?: { kind: 'page' | 'slide' | 'sheet'; total: number; read: number };
}

/** What the reader knows about the file. */
export interface DocumentInput {
  name: string;
  contentType?: string;
  /** The `pages` argument, already checked (see pages.ts). */
  pages?: PageRange;
}

/** An inclusive range of 1-based pages; `last` undefined means "to the end". */
export interface PageRange {
  first: number;
  last?: number;
}

/** Counts words as a person would: runs of letters or digits. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

/** Adds `words` (when any) to the tally under `reason`. */
export function tally(hidden: DocumentText['hidden'], reason: HiddenReason, text: string): void {
  const n = countWords(text);
  if (n > 0) hidden[reason] = (hidden[reason] ?? 0) + n;
}
