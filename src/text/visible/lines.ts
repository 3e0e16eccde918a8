/**
 * Output lines with browser-like whitespace collapsing, and link targets.
 *
 * Invariants:
 * - Text arrives already cleaned of invisible characters and never holds a
 *   line break; breaks come only from requestBreak/lineBreak, so blocks give
 *   line boundaries and at most one blank line separates paragraphs.
 * - Table cells on one row are joined with " | "; list items get "- " or
 *   "N. " markers indented by list depth.
 * - A link's target is shown after its text in parentheses, unless the text
 *   already shows it; `javascript:`, `vbscript:`, `data:` and in-page `#`
 *   targets are never shown.
 *
 * Known limits: no column layout (cells are read row by row, left to right),
 * no bidi reordering (the agent reads logical order).
 */

/** Builds the lines of visible text. */
export class LineBuilder {
  readonly lines: string[] = [];
  quoteLine: number | undefined;
  private cur = '';
  private hasContent = false;
  private pendingBreaks = 0;
  private pendingSpace = false;
  private pendingSeparator = false;
  private spaceBeforeWord = false;
  private pendingPrefix = '';
  private quotePending = false;
  private capture: string | undefined;

  get started(): boolean {
    return this.hasContent || this.lines.length > 0;
  }

  /** A block boundary: 1 ends the line, 2 leaves a blank line. */
  requestBreak(n: number): void {
    if (this.started) this.pendingBreaks = Math.max(this.pendingBreaks, n);
  }

  /** A forced line break (`<br>`, a newline in preformatted text). */
  lineBreak(): void {
    if (this.started) this.pendingBreaks = Math.min(this.pendingBreaks + 1, 2);
  }

  space(): void {
    this.pendingSpace = true;
  }

  /**
   * Appends `text` (a link target) after a space. What follows is separated by
   * a space if one was pending, or if it starts with a letter or digit.
   */
  appendAfterSpace(text: string): void {
    const hadSpace = this.pendingSpace;
    this.pendingSpace = true;
    this.write(text);
    if (hadSpace) this.pendingSpace = true;
    else this.spaceBeforeWord = true;
  }

  cellSeparator(): void {
    if (this.hasContent) this.pendingSeparator = true;
  }

  prefix(text: string): void {
    this.pendingPrefix = text;
  }

  markQuote(): void {
    if (this.quoteLine !== undefined) return;
    this.requestBreak(1);
    this.quotePending = true;
  }

  beginCapture(): void {
    this.capture = '';
  }

  endCapture(): string {
    const captured = this.capture ?? '';
    this.capture = undefined;
    return captured.replace(/\s+/g, ' ').trim();
  }

  /** A line that holds only non-breaking spaces: it occupies a line but shows nothing. */
  blankContent(): void {
    if (this.pendingBreaks > 0 && this.started) this.openNewLine();
    else if (this.hasContent) {
      this.pendingSpace = true;
      return;
    }
    this.pendingBreaks = 0;
    this.hasContent = true;
  }

  /** Appends visible content; `content` holds no line breaks. */
  write(content: string): void {
    if (content.length === 0) return;
    if (this.pendingBreaks > 0 && this.started) {
      this.openNewLine();
      if (this.capture !== undefined) this.capture += ' ';
    } else if (this.hasContent && this.cur.length > 0) {
      const wordGap = this.spaceBeforeWord && /^[\p{L}\p{N}]/u.test(content);
      const gap = this.pendingSeparator ? ' | ' : this.pendingSpace || wordGap ? ' ' : '';
      this.cur += gap;
      if (this.capture !== undefined) this.capture += gap;
    }
    this.pendingBreaks = 0;
    this.pendingSpace = false;
    this.pendingSeparator = false;
    this.spaceBeforeWord = false;
    if (this.quotePending) {
      this.quoteLine = this.cur.length === 0 ? this.lines.length : this.lines.length + 1;
      if (this.cur.length > 0) this.openNewLine();
      this.quotePending = false;
    }
    if (this.pendingPrefix) {
      this.cur += this.pendingPrefix;
      this.pendingPrefix = '';
    }
    this.cur += content;
    this.hasContent = true;
    if (this.capture !== undefined) this.capture += content;
  }

  finish(): string[] {
    if (this.hasContent) this.lines.push(this.cur);
    this.cur = '';
    this.hasContent = false;
    return this.lines;
  }

  private openNewLine(): void {
    this.lines.push(this.cur);
    for (let i = 1; i < this.pendingBreaks; i++) this.lines.push('');
    this.cur = '';
    this.hasContent = false;
    this.pendingBreaks = 0;
    this.pendingSpace = false;
    this.pendingSeparator = false;
  }
}

const HIDDEN_SCHEMES = new Set(['javascript', 'vbscript', 'data']);

/** The target to show after a link's text, or undefined when the text already shows it or it is not a destination. */
export function linkTarget(rawHref: string, text: string): string | undefined {
  // Browsers ignore tabs and newlines anywhere in a URL and trim C0/space at the ends.
  // eslint-disable-next-line no-control-regex
  const href = rawHref.replace(/[\t\n\r]/g, '').replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
  if (!href || href.startsWith('#')) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme !== undefined && HIDDEN_SCHEMES.has(scheme)) return undefined;
  const lowerText = text.toLowerCase();
  if (scheme === 'mailto') {
    const address = safeDecode(href.slice('mailto:'.length).split('?')[0] ?? '').trim();
    if (!address || lowerText.includes(address.toLowerCase())) return undefined;
    return address;
  }
  if (normaliseUrl(text) === normaliseUrl(href) || lowerText.includes(href.toLowerCase())) return undefined;
  return href;
}

function normaliseUrl(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

