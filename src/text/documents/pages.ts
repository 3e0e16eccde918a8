import { DocumentReadError } from './errors.js';
import type { PageRange } from './types.js';

const SPEC = /^\s*(\d{1,6})\s*(?:(-)\s*(\d{1,6})?\s*)?$/;

/** Parses the `pages` argument: "2", "1-3" or "5-". */
export function parsePageSpec(spec: string): PageRange {
  const m = SPEC.exec(spec);
  if (!m) throw new DocumentReadError('document_bad_pages', `pages "${spec.slice(0, 40)}" is not a page range; write "2", "1-3" or "5-" (pages count from 1).`);
  const first = Number(m[1]);
  const last = m[2] ? (m[3] !== undefined ? Number(m[3]) : undefined) : first;
  if (first < 1) throw new DocumentReadError('document_bad_pages', `pages "${spec}": pages count from 1; write e.g. "1-3".`);
  if (last !== undefined && last < first) throw new DocumentReadError('document_bad_pages', `pages "${spec}": the range ends before it starts; write e.g. "${last}-${first}".`);
  return last === undefined ? { first } : { first, last };
}

/** The pages of a `total`-page document that `range` selects, or an error naming the real count. */
export function selectPages(range: PageRange | undefined, total: number, unit = 'page'): { first: number; last: number } {
  if (!range) return { first: 1, last: total };
  if (range.first > total) {
    throw new DocumentReadError('document_bad_pages', `The document has ${total} ${unit}${total === 1 ? '' : 's'}; pages starts at ${range.first}. Ask for 1-${total} or less.`);
  }
  return { first: range.first, last: Math.min(range.last ?? total, total) };
}
