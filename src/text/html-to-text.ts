/**
 * Converts an email's HTML into the text a person would actually see, so that
 * an agent reads what the human reads and nothing an attacker hid from them.
 *
 * Design:
 * - htmlparser2's Tokenizer drives our own tree builder, for two reasons. Its
 *   Parser keeps the open-element stack with `unshift`, which makes deeply
 *   nested input quadratic (200k unclosed tags take seconds). And its
 *   "pop until the matching tag" repair disagrees with browsers exactly where
 *   an attacker wants it to: `<span style=display:none><div></span>SECRET`
 *   or `<p><font style=font-size:0></p>SECRET` stay hidden in a browser. Ours
 *   follows the standard's "in body" rules where they decide visibility (see
 *   the tree-building tables), pushes and pops without recursion, and charges
 *   the repairs that can go quadratic to a work budget; past it, the rest of
 *   the document is treated as hidden.
 * - Each open element is a frame carrying the inherited visual state (computed
 *   font size, visibility, transparent text colour, cumulative opacity,
 *   white-space mode). Text is emitted only when the innermost frame is
 *   neither removed (no box at all) nor invisible.
 * - Styles come from inline `style` attributes and from `<style>` blocks
 *   (type, class and id selectors with descendant/child combinators; rules
 *   inside `@media` queries with conditions are ignored because they describe
 *   other screens). `!important`, CSS comments, escapes and `var()` are honoured.
 *
 * What counts as hidden (each one has a test):
 * - elements: head, style, script, title, meta, link, template, noscript,
 *   object, embed, iframe, frame(set), noframes, noembed, applet, svg, canvas,
 *   datalist, closed `<dialog>`; HTML comments (including `<!--[if mso]>`);
 *   the `hidden` attribute; `<input type=hidden>`.
 *   `aria-hidden` is not hiding: it only affects screen readers.
 * - CSS: display:none; visibility:hidden|collapse (inherited, so a descendant
 *   with visibility:visible shows again); content-visibility:hidden;
 *   computed font-size below 2px, including `font:0/0 a` (inherited and
 *   overridable, as `font-size:0` containers with sized columns are common);
 *   cumulative opacity below 0.1, also via filter:opacity(); text colour
 *   transparent or with alpha below 0.1; mso-hide:all; height/max-height or
 *   width/max-width ≤1px together with overflow hidden|clip; width and height
 *   both ≤1px; non-static position with an offset ≤ -500px or ≥ 5000px;
 *   negative margin-left/margin-top ≤ -500px; text-indent ≤ -500px or ≥ 5000px
 *   (with or without overflow:hidden); transform scale(0)/degenerate matrix or
 *   a translate that far; clip:rect() with zero area; clip-path inset() that
 *   covers the box, circle(0)/ellipse(0); zoom below 0.1.
 * - images: 1×1 (or thinner) tracking pixels are dropped with their alt text.
 *
 * Known limits:
 * - Text coloured like its background (white on white) is not detected: that
 *   needs layout and background resolution across the tree.
 * - `-webkit-text-fill-color: transparent` is ignored because gradient text
 *   uses it legitimately; CSS-generated content (::before) is not shown.
 * - Stylesheet selectors with attribute selectors, pseudo-classes or sibling
 *   combinators are ignored; so are styles declared after the element.
 * - Visual reordering by bidi overrides (`<bdo dir=rtl>`) is not reproduced:
 *   the agent reads logical order (bidi control characters are removed).
 * - mso-hide:all hides content that Outlook desktop hides; other clients may
 *   show it, and `<!--[if mso]>` alternatives are dropped, so a "bulletproof"
 *   button can vanish entirely.
 * - Tree building follows the standard's "in body" rules but not every
 *   insertion mode. Where it departs on purpose, it errs towards hiding:
 *   a <table> keeps an open <p> (quirks mode, which most mail uses), elements
 *   that break out of <svg> stay inside the dropped svg, and an end tag such
 *   as </form> that browsers apply to a non-current node is ignored.
 * - A <body> or <html> tag that arrives after content and hides the body
 *   hides everything, including what came before it (as in browsers); any
 *   other style it adds applies only to what follows.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { stripInvisible } from './invisible.js';

/** The line inserted before the first line of quoted reply/forward history. */
export const QUOTED_HISTORY_MARKER = '[quoted history]';

/** Options for {@link htmlToVisibleText} and {@link plainTextToVisibleText}. */
export interface VisibleTextOptions {
  /** Insert {@link QUOTED_HISTORY_MARKER} before quoted history (default true). */
  markQuotes?: boolean;
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
}

/** Converts email HTML into the text a person would see, with hidden content removed and quoted history marked. */
export function htmlToVisibleText(html: string, options: VisibleTextOptions = {}): VisibleText {
  const markQuotes = options.markQuotes ?? true;
  const converter = new HtmlConverter(html, markQuotes);
  const { lines, structuralQuote } = converter.run();
  const textualQuote = markQuotes ? findTextualQuoteStart(lines) : undefined;
  const quoteLine = earliest(structuralQuote, textualQuote);
  const assembled = assembleLines(lines, quoteLine);
  return withQuote(
    {
      text: assembled.text,
      hiddenRemoved: converter.hiddenRemoved,
      invisibleRemoved: converter.invisibleRemoved + assembled.invisibleRemoved,
    },
    assembled.quotedFrom,
  );
}

/** Cleans a plain-text body: removes invisible characters, normalises line endings and blank lines, marks quoted history. */
export function plainTextToVisibleText(text: string, options: VisibleTextOptions = {}): VisibleText {
  const markQuotes = options.markQuotes ?? true;
  const stripped = stripInvisible(text);
  const lines = stripped.text.replace(/\r\n?|[\v\f]/g, '\n').split('\n');
  const quoteLine = markQuotes ? findTextualQuoteStart(lines) : undefined;
  const assembled = assembleLines(lines, quoteLine);
  return withQuote(
    {
      text: assembled.text,
      hiddenRemoved: 0,
      invisibleRemoved: stripped.removed + assembled.invisibleRemoved,
    },
    assembled.quotedFrom,
  );
}

function withQuote(result: VisibleText, quotedFrom: number | undefined): VisibleText {
  return quotedFrom === undefined ? result : { ...result, quotedFrom };
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

// ---------------------------------------------------------------------------
// Element tables

const VOID_ELEMENTS = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input',
  'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

// Tree building follows the "in body" insertion mode of the HTML standard
// wherever the difference decides what is visible: end tags respect element
// scope and special elements, formatting elements closed by other tags are
// reopened before new content, and misnested formatting goes through the
// adoption agency algorithm. A simpler builder (pop until the matching tag)
// shows text that browsers keep inside a hidden element.

const FORMATTING_ELEMENTS = new Set([
  'a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u',
]);
// These put a marker on the list of active formatting elements: formatting does not cross them.
const MARKER_ELEMENTS = new Set(['applet', 'caption', 'marquee', 'object', 'td', 'template', 'th']);
const SPECIAL_ELEMENTS = new Set([
  'address', 'applet', 'area', 'article', 'aside', 'base', 'basefont', 'bgsound', 'blockquote', 'body', 'br',
  'button', 'caption', 'center', 'col', 'colgroup', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'embed',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'head', 'header', 'hgroup', 'hr', 'html', 'iframe', 'img', 'input', 'keygen', 'li', 'link', 'listing', 'main',
  'marquee', 'menu', 'meta', 'nav', 'noembed', 'noframes', 'noscript', 'object', 'ol', 'p', 'param',
  'plaintext', 'pre', 'script', 'search', 'section', 'select', 'source', 'style', 'summary', 'table', 'tbody',
  'td', 'template', 'textarea', 'tfoot', 'th', 'thead', 'title', 'tr', 'track', 'ul', 'wbr', 'xmp',
  'mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc',
]);
const DEFAULT_SCOPE = new Set([
  'applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template',
  'mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc',
]);
const LIST_ITEM_SCOPE = new Set([...DEFAULT_SCOPE, 'ol', 'ul']);
const BUTTON_SCOPE = new Set([...DEFAULT_SCOPE, 'button']);
const TABLE_SCOPE = new Set(['html', 'table', 'template']);
const IMPLIED_END_TAGS = new Set(['dd', 'dt', 'li', 'optgroup', 'option', 'p', 'rb', 'rp', 'rt', 'rtc']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
// Start tags that close an open <p>. <table> is left out: in quirks mode, which
// most mail renders in, a table stays inside the paragraph.
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset',
  'figcaption', 'figure', 'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section',
  'summary', 'ul', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'listing', 'form', 'plaintext', 'xmp', 'hr',
  'li', 'dd', 'dt',
]);
// End tags that close their element only when it is in scope.
const SCOPED_END_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'button', 'center', 'details', 'dialog', 'dir', 'div', 'dl',
  'fieldset', 'figcaption', 'figure', 'footer', 'header', 'hgroup', 'listing', 'main', 'menu', 'nav', 'ol',
  'pre', 'search', 'section', 'summary', 'ul', 'applet', 'marquee', 'object',
]);
const TABLE_END_TAGS = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup']);
const TABLE_SECTIONS = new Set(['tbody', 'thead', 'tfoot']);
const CELLS = new Set(['td', 'th']);
const LIST_ITEMS = new Set(['li']);
const DEFINITION_ITEMS = new Set(['dd', 'dt']);
const LIST_ITEM_SEARCH_STOPS_EXCEPT = new Set(['address', 'div', 'p']);
// Where text and most elements are "foster parented" to before the table.
const TABLE_CONTEXT = new Set(['table', 'tbody', 'tfoot', 'thead', 'tr']);
const TABLE_CONTENT = new Set([
  'caption', 'colgroup', 'col', 'tbody', 'tfoot', 'thead', 'tr', 'td', 'th', 'table', 'style', 'script',
  'template', 'form',
]);
// Special elements whose start tag still reopens formatting elements first.
const RECONSTRUCTS_FORMATTING = new Set([
  'applet', 'area', 'br', 'button', 'embed', 'img', 'input', 'keygen', 'marquee', 'object', 'select', 'wbr',
]);
// Raw text: their content is not body text, so it reopens nothing.
const RAW_TEXT_ELEMENTS = new Set([
  'script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext',
]);
// Everything before this index is the document: root, <html>, <body>.
const FIRST_CONTENT_DEPTH = 3;
// Tree repair is linear for ordinary mail; hostile markup can make it
// quadratic. Past this much work (roughly: stack steps, with a rebuilt frame
// costing REBUILD_COST) the rest of the document is treated as hidden.
const WORK_BUDGET_BASE = 1_000_000;
const WORK_BUDGET_PER_CHAR = 4;
const REBUILD_COST = 20;

// Dropped without counting: every HTML mail has them, so counting would drown the signal.
const DROPPED_SILENTLY = new Set(['head', 'style', 'script', 'title', 'meta', 'link', 'base']);
// Dropped and counted: content a mail client does not show.
const DROPPED_COUNTED = new Set([
  'template', 'noscript', 'object', 'embed', 'iframe', 'frame', 'frameset', 'noframes', 'noembed',
  'applet', 'svg', 'canvas', 'datalist',
]);
// What may live in <head>; anything else means the head was left unclosed.
const HEAD_CONTENT = new Set(['title', 'style', 'script', 'meta', 'link', 'base', 'noscript', 'template']);

const FOREIGN_ROOTS = new Set(['svg', 'math']);
const INTEGRATION_POINTS = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);

const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog',
  'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frameset', 'header',
  'hgroup', 'hr', 'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'option', 'plaintext',
  'pre', 'section', 'summary', 'table', 'tbody', 'textarea', 'tfoot', 'thead', 'tr', 'ul', 'xmp',
]);
const PARAGRAPH_ELEMENTS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const COMPACT_PARENTS = new Set(['li', 'td', 'th', 'dd', 'dt']);
const LIST_ELEMENTS = new Set(['ul', 'ol', 'menu', 'dir']);
const PREFORMATTED_ELEMENTS = new Set(['pre', 'listing', 'xmp', 'plaintext', 'textarea']);
const BLOCK_DISPLAYS = new Set(['block', 'flex', 'grid', 'list-item', 'table', 'table-row', 'flow-root', 'table-caption']);

const QUOTE_IDS = /^(?:x_)*(?:divrplyfwdmsg|appendonsend|mail-editor-reference-message-container)$/;
const QUOTE_CLASSES = new Set([
  'gmail_quote', 'gmail_quote_container', 'yahoo_quoted', 'moz-cite-prefix', 'protonmail_quote',
  'outlookmessageheader',
]);

// ---------------------------------------------------------------------------
// Visual state and frames

type WhiteSpace = 'normal' | 'pre' | 'pre-line';

interface VisualState {
  readonly fontPx: number;
  readonly opacity: number;
  readonly visibilityHidden: boolean;
  readonly transparentText: boolean;
  readonly whiteSpace: WhiteSpace;
  readonly vars: ReadonlyMap<string, string> | undefined;
}

const ROOT_STATE: VisualState = {
  fontPx: 16,
  opacity: 1,
  visibilityHidden: false,
  transparentText: false,
  whiteSpace: 'normal',
  vars: undefined,
};

const MIN_VISIBLE_FONT_PX = 2;
const MIN_VISIBLE_ALPHA = 0.1;
const OFFSCREEN_NEGATIVE_PX = -500;
const OFFSCREEN_POSITIVE_PX = 5000;
const MAX_CUSTOM_PROPERTIES = 256;

function isVisibleState(state: VisualState): boolean {
  return (
    !state.visibilityHidden &&
    !state.transparentText &&
    state.fontPx >= MIN_VISIBLE_FONT_PX &&
    state.opacity >= MIN_VISIBLE_ALPHA
  );
}

interface ListState {
  ordered: boolean;
  next: number;
}

interface Frame {
  readonly tag: string;
  readonly attribs: ReadonlyMap<string, string>;
  readonly id: string;
  readonly classes: readonly string[];
  /** The parent in the document, which differs from the stack for foster-parented content. */
  readonly parent: Frame | undefined;
  /** Index in the stack of open elements. */
  readonly depth: number;
  readonly fostered: boolean;
  /** No box at all: nothing inside produces text or line breaks. */
  readonly removed: boolean;
  /** Text directly inside is not seen (removed, or invisible by style). */
  readonly hidden: boolean;
  /** The element whose hiding covers this frame, for counting. */
  hider: Frame | undefined;
  /** Whether dropping this element's text counts in hiddenRemoved. */
  readonly countable: boolean;
  counted: boolean;
  readonly state: VisualState;
  readonly foreign: boolean;
  readonly inTemplate: boolean;
  readonly block: number;
  readonly list: ListState | undefined;
  readonly listDepth: number;
  /** Still on the stack of open elements. */
  open: boolean;
  /** On the list of active formatting elements. */
  listed: boolean;
  formattingKey: string | undefined;
  linkId: number;
  sawText: boolean;
  /** Collected text of a `<style>` element that applies to the document. */
  css: string | undefined;
}

function rootFrame(): Frame {
  return {
    tag: '#root',
    attribs: new Map(),
    id: '',
    classes: [],
    parent: undefined,
    depth: 0,
    fostered: false,
    removed: false,
    hidden: false,
    hider: undefined,
    countable: false,
    counted: false,
    state: ROOT_STATE,
    foreign: false,
    inTemplate: false,
    block: 0,
    list: undefined,
    listDepth: 0,
    open: true,
    listed: false,
    formattingKey: undefined,
    linkId: 0,
    sawText: false,
    css: undefined,
  };
}

// ---------------------------------------------------------------------------
// Output: lines with browser-like whitespace collapsing

class LineBuilder {
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

// ---------------------------------------------------------------------------
// The converter: tokenizer callbacks → frames → lines

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
const NO_CLASSES: readonly string[] = [];

class HtmlConverter implements TokenizerCallbacks {
  hiddenRemoved = 0;
  invisibleRemoved = 0;

  private out = new LineBuilder();
  private readonly sheet = new Stylesheet();
  private readonly tokenizer: Tokenizer;
  private readonly stack: Frame[];
  private readonly openCounts = new Map<string, number>();
  /** The list of active formatting elements; null is a marker. */
  private readonly formatting: Array<Frame | null> = [];
  // Entries per tag and per tag+attributes, so most list searches end before they start.
  private readonly listedTags = new Map<string, number>();
  private readonly listedKeys = new Map<string, number>();
  private tagName = '';
  private attribs: Map<string, string> | undefined;
  private attribName = '';
  private attribValue = '';
  private pendingText = '';
  private nextLinkId = 1;
  private activeLink: { id: number; href: string } | undefined;
  private bodyStarted = false;
  private work = 0;
  private readonly workBudget: number;
  private degraded = false;
  private degradedCounted = false;

  constructor(
    private readonly html: string,
    private readonly markQuotes: boolean,
  ) {
    const root = rootFrame();
    const htmlElement = this.createFrame('html', NO_ATTRIBUTES, root, root.depth + 1, false);
    const body = this.createFrame('body', NO_ATTRIBUTES, htmlElement, htmlElement.depth + 1, false);
    this.stack = [root, htmlElement, body];
    this.workBudget = WORK_BUDGET_BASE + WORK_BUDGET_PER_CHAR * html.length;
    this.tokenizer = new Tokenizer({ decodeEntities: true }, this);
  }

  run(): { lines: string[]; structuralQuote: number | undefined } {
    this.tokenizer.write(this.html);
    this.tokenizer.end();
    const lines = this.out.finish();
    return { lines, structuralQuote: this.out.quoteLine };
  }

  private get top(): Frame {
    // The document frames are never popped.
    return this.stack[this.stack.length - 1] as Frame;
  }

  private at(index: number): Frame {
    return this.stack[index] as Frame;
  }

  // --- tokenizer callbacks -------------------------------------------------

  ontext(start: number, endIndex: number): void {
    this.pendingText += this.html.slice(start, endIndex);
  }

  ontextentity(codepoint: number): void {
    this.pendingText += String.fromCodePoint(codepoint);
  }

  onattribname(start: number, endIndex: number): void {
    this.attribName = this.html.slice(start, endIndex).toLowerCase();
  }

  onattribdata(start: number, endIndex: number): void {
    this.attribValue += this.html.slice(start, endIndex);
  }

  onattribentity(codepoint: number): void {
    this.attribValue += String.fromCodePoint(codepoint);
  }

  onattribend(): void {
    // Most tags carry no attributes, so the map is made on the first one.
    this.attribs ??= new Map();
    if (!this.attribs.has(this.attribName)) this.attribs.set(this.attribName, this.attribValue);
    this.attribValue = '';
  }

  onopentagname(start: number, endIndex: number): void {
    this.tagName = this.normaliseTagName(this.html.slice(start, endIndex));
    this.attribs = undefined;
  }

  onopentagend(): void {
    this.openTag(false);
  }

  onselfclosingtag(): void {
    this.openTag(true);
  }

  onclosetag(start: number, endIndex: number): void {
    this.flushText();
    if (this.degraded) return;
    this.endTag(this.normaliseTagName(this.html.slice(start, endIndex)));
  }

  oncomment(): void {
    // Comments, including Outlook's conditional ones, are never shown.
  }

  oncdata(): void {
    // CDATA in HTML is a bogus comment.
  }

  ondeclaration(): void {}

  onprocessinginstruction(): void {}

  onend(): void {
    this.flushText();
    while (this.stack.length > FIRST_CONTENT_DEPTH) this.popFrame();
  }

  isInForeignContext(): boolean {
    return this.top.foreign;
  }

  private normaliseTagName(raw: string): string {
    const name = raw.toLowerCase();
    return name === 'image' && !this.top.foreign ? 'img' : name;
  }

  private openTag(selfClosing: boolean): void {
    const name = this.tagName;
    const attribs: ReadonlyMap<string, string> = this.attribs ?? NO_ATTRIBUTES;
    this.tagName = '';
    this.attribs = undefined;
    this.flushText();
    if (!this.degraded) this.startTag(name, attribs, selfClosing);
  }

  // --- start tags ----------------------------------------------------------

  private startTag(name: string, attribs: ReadonlyMap<string, string>, selfClosing: boolean): void {
    // A head left open ends where body content starts, as in browsers.
    if (this.top.tag === 'head' && !HEAD_CONTENT.has(name)) this.popFrame();
    if (name === 'html' || name === 'body') {
      this.mergeDocumentAttributes(name, attribs);
      return;
    }
    if (name === 'head') {
      if (this.bodyStarted || (this.openCounts.get('head') ?? 0) > 0) return;
    } else if (!HEAD_CONTENT.has(name)) {
      this.bodyStarted = true;
    }

    switch (name) {
      case 'li':
        this.closeOpenItem(LIST_ITEMS);
        break;
      case 'dd':
      case 'dt':
        this.closeOpenItem(DEFINITION_ITEMS);
        break;
      case 'a': {
        const previous = this.lastFormatting('a');
        if (previous) {
          this.adoptionAgency('a');
          if (previous.listed) this.removeFormatting(previous);
          if (previous.open) this.removeFromStack(previous);
        }
        break;
      }
      case 'nobr':
        this.reconstructFormatting();
        if (this.inScope('nobr', DEFAULT_SCOPE)) this.adoptionAgency('nobr');
        break;
      case 'button':
        if (this.inScope('button', DEFAULT_SCOPE)) {
          this.generateImpliedEndTags();
          this.popUntil((f) => f.tag === 'button');
        }
        break;
      case 'td':
      case 'th':
        if (this.inScope('td', TABLE_SCOPE) || this.inScope('th', TABLE_SCOPE)) {
          this.generateImpliedEndTags();
          this.popUntil((f) => CELLS.has(f.tag));
        }
        break;
      case 'tr':
        if (this.inScope('tr', TABLE_SCOPE)) this.popUntil((f) => f.tag === 'tr');
        break;
      case 'tbody':
      case 'thead':
      case 'tfoot':
        if (this.anyInScope(TABLE_SECTIONS, TABLE_SCOPE)) this.popUntil((f) => TABLE_SECTIONS.has(f.tag));
        break;
      case 'option':
      case 'optgroup':
        if (this.top.tag === 'option') this.popFrame();
        break;
      case 'select':
      case 'input':
      case 'textarea':
      case 'keygen':
        this.closeSelect();
        break;
      default:
        break;
    }
    if (CLOSES_P.has(name) && this.inScope('p', BUTTON_SCOPE)) this.closeP();
    if (HEADINGS.has(name) && HEADINGS.has(this.top.tag)) this.popFrame();
    if (!SPECIAL_ELEMENTS.has(name) || RECONSTRUCTS_FORMATTING.has(name)) this.reconstructFormatting();

    const frame = this.pushElement(name, attribs, true);
    if (FORMATTING_ELEMENTS.has(name)) this.pushFormatting(frame);
    else if (MARKER_ELEMENTS.has(name)) this.formatting.push(null);
    // Self-closing syntax only means something for SVG/MathML elements.
    if (VOID_ELEMENTS.has(name) || (selfClosing && frame.foreign)) this.popFrame();
  }

  /** `<html>` and `<body>` tags only add attributes to the one html/body element. */
  private mergeDocumentAttributes(name: string, attribs: ReadonlyMap<string, string>): void {
    if (name === 'body') this.bodyStarted = true;
    const index = name === 'html' ? 1 : 2;
    const current = this.at(index);
    const merged = new Map(current.attribs);
    for (const [key, value] of attribs) if (!merged.has(key)) merged.set(key, value);
    if (merged.size === current.attribs.size) return;
    const wasHidden = this.at(2).hidden;
    this.stack[index] = this.createFrame(name, merged, this.at(index - 1), index, false, current);
    this.rebuildFrom(index + 1);
    const body = this.at(2);
    if (!wasHidden && body.hidden && this.out.started) {
      // The attributes apply to the whole body, including what was already written.
      this.out = new LineBuilder();
      this.hiddenRemoved += 1;
      if (body.hider) body.hider.counted = true;
    }
  }

  private pushElement(name: string, attribs: ReadonlyMap<string, string>, withEffects: boolean): Frame {
    const top = this.top;
    const fostered = TABLE_CONTEXT.has(top.tag) && !TABLE_CONTENT.has(name) && !(name === 'input' && isHiddenInput(attribs));
    const parent = fostered ? this.fosterParent() : top;
    const frame = this.createFrame(name, attribs, parent, this.stack.length, fostered);
    this.stack.push(frame);
    this.openCounts.set(name, (this.openCounts.get(name) ?? 0) + 1);
    if (withEffects) this.afterOpen(frame, attribs);
    return frame;
  }

  private closeOpenItem(tags: ReadonlySet<string>): void {
    for (let i = this.stack.length - 1; i >= FIRST_CONTENT_DEPTH; i--) {
      this.spend(1);
      const node = this.at(i);
      if (tags.has(node.tag)) {
        this.generateImpliedEndTags(node.tag);
        this.popUntil((f) => f === node);
        return;
      }
      if (SPECIAL_ELEMENTS.has(node.tag) && !LIST_ITEM_SEARCH_STOPS_EXCEPT.has(node.tag)) return;
    }
  }

  private closeSelect(): void {
    for (let i = this.stack.length - 1; i >= FIRST_CONTENT_DEPTH; i--) {
      const tag = this.at(i).tag;
      if (tag === 'select') {
        this.popUntil((f) => f.tag === 'select');
        return;
      }
      if (tag !== 'option' && tag !== 'optgroup') return;
    }
  }

  // --- end tags ------------------------------------------------------------

  private endTag(name: string): void {
    // </html> and </body> only switch the insertion mode: nothing closes.
    if (name === 'html' || name === 'body') return;
    if (name === 'br') {
      this.startTag('br', NO_ATTRIBUTES, false);
      return;
    }
    if (name === 'p') {
      // A stray </p> is an empty paragraph, as in browsers.
      if (!this.inScope('p', BUTTON_SCOPE)) this.startTag('p', NO_ATTRIBUTES, false);
      this.closeP();
      return;
    }
    if (name === 'li') {
      if (this.inScope('li', LIST_ITEM_SCOPE)) this.closeThrough(name);
      return;
    }
    if (DEFINITION_ITEMS.has(name)) {
      if (this.inScope(name, DEFAULT_SCOPE)) this.closeThrough(name);
      return;
    }
    if (HEADINGS.has(name)) {
      if (this.anyInScope(HEADINGS, DEFAULT_SCOPE)) {
        this.generateImpliedEndTags();
        this.popUntil((f) => HEADINGS.has(f.tag));
      }
      return;
    }
    if (name === 'form') {
      // Browsers take the form off the stack but leave its open children inside it; keeping
      // it open is the visible-text equivalent. Only a form that is the current node closes.
      if (this.top.tag === 'form') this.popFrame();
      return;
    }
    if (TABLE_END_TAGS.has(name)) {
      if (this.inScope(name, TABLE_SCOPE)) {
        this.generateImpliedEndTags();
        this.popUntil((f) => f.tag === name);
      }
      return;
    }
    if (SCOPED_END_TAGS.has(name)) {
      if (this.inScope(name, DEFAULT_SCOPE)) {
        this.generateImpliedEndTags();
        this.popUntil((f) => f.tag === name);
      }
      return;
    }
    if (name === 'template' || name === 'noscript' || name === 'select') {
      // Their content is inert or raw in browsers, so the end tag always closes them.
      if ((this.openCounts.get(name) ?? 0) > 0) this.popUntil((f) => f.tag === name);
      return;
    }
    if (FORMATTING_ELEMENTS.has(name) && this.adoptionAgency(name)) return;
    this.anyOtherEndTag(name);
  }

  private anyOtherEndTag(name: string): void {
    if ((this.openCounts.get(name) ?? 0) === 0) return;
    for (let i = this.stack.length - 1; i >= FIRST_CONTENT_DEPTH; i--) {
      this.spend(1);
      const node = this.at(i);
      if (node.tag === name) {
        this.generateImpliedEndTags(name);
        this.popUntil((f) => f === node);
        return;
      }
      if (SPECIAL_ELEMENTS.has(node.tag)) return;
    }
  }

  private closeThrough(name: string): void {
    this.generateImpliedEndTags(name);
    this.popUntil((f) => f.tag === name);
  }

  private closeP(): void {
    this.closeThrough('p');
  }

  private generateImpliedEndTags(except?: string): void {
    while (this.stack.length > FIRST_CONTENT_DEPTH && IMPLIED_END_TAGS.has(this.top.tag) && this.top.tag !== except) {
      this.popFrame();
    }
  }

  private popUntil(done: (frame: Frame) => boolean): void {
    for (;;) {
      const popped = this.popFrame();
      if (popped === undefined || done(popped)) return;
    }
  }

  private inScope(name: string, boundaries: ReadonlySet<string>): boolean {
    if ((this.openCounts.get(name) ?? 0) === 0) return false;
    for (let i = this.stack.length - 1; i > 0; i--) {
      this.spend(1);
      const tag = this.at(i).tag;
      if (tag === name) return true;
      if (boundaries.has(tag)) return false;
    }
    return false;
  }

  private anyInScope(names: ReadonlySet<string>, boundaries: ReadonlySet<string>): boolean {
    for (let i = this.stack.length - 1; i > 0; i--) {
      this.spend(1);
      const tag = this.at(i).tag;
      if (names.has(tag)) return true;
      if (boundaries.has(tag)) return false;
    }
    return false;
  }

  private frameInScope(target: Frame, boundaries: ReadonlySet<string>): boolean {
    for (let i = this.stack.length - 1; i > 0; i--) {
      this.spend(1);
      const node = this.at(i);
      if (node === target) return true;
      if (boundaries.has(node.tag)) return false;
    }
    return false;
  }

  // --- the stack and the list of active formatting elements ----------------

  private popFrame(): Frame | undefined {
    if (this.stack.length <= FIRST_CONTENT_DEPTH) return undefined;
    const frame = this.stack.pop() as Frame;
    this.closed(frame);
    return frame;
  }

  private removeFromStack(frame: Frame): void {
    const index = frame.depth;
    if (this.stack[index] !== frame) return;
    this.stack.splice(index, 1);
    this.spend(this.stack.length - index);
    this.closed(frame);
    this.rebuildFrom(index);
  }

  private closed(frame: Frame): void {
    frame.open = false;
    const count = (this.openCounts.get(frame.tag) ?? 1) - 1;
    if (count > 0) this.openCounts.set(frame.tag, count);
    else this.openCounts.delete(frame.tag);
    if (MARKER_ELEMENTS.has(frame.tag)) this.clearFormattingToMarker();
    this.beforeClose(frame);
  }

  /** Recomputes frames from `index` up after the elements below them changed. */
  private rebuildFrom(index: number): void {
    for (let i = index; i < this.stack.length; i++) {
      this.spend(REBUILD_COST);
      const old = this.at(i);
      const parent = old.fostered ? this.fosterParent(i) : this.at(i - 1);
      const fresh = this.createFrame(old.tag, old.attribs, parent, i, old.fostered, old);
      this.stack[i] = fresh;
      if (old.listed) this.replaceFormatting(old, fresh);
    }
  }

  /** The parent of the innermost table below `index`: where content misplaced in a table goes. */
  private fosterParent(index = this.stack.length): Frame {
    for (let i = index - 1; i > 0; i--) {
      this.spend(1);
      if (this.at(i).tag === 'table') return this.at(i - 1);
    }
    return this.at(index - 1);
  }

  private lastFormatting(tag: string): Frame | undefined {
    if ((this.listedTags.get(tag) ?? 0) === 0) return undefined;
    for (let i = this.formatting.length - 1; i >= 0; i--) {
      this.spend(1);
      const entry = this.formatting[i];
      if (entry === null || entry === undefined) return undefined;
      if (entry.tag === tag) return entry;
    }
    return undefined;
  }

  private pushFormatting(frame: Frame): void {
    // "Noah's Ark": at most three identical entries after the last marker.
    let same = 0;
    let earliest = -1;
    const start = (this.listedKeys.get(formattingKey(frame)) ?? 0) >= 3 ? this.formatting.length - 1 : -1;
    for (let i = start; i >= 0; i--) {
      this.spend(1);
      const entry = this.formatting[i];
      if (entry === null || entry === undefined) break;
      if (entry.tag === frame.tag && sameAttributes(entry.attribs, frame.attribs)) {
        same++;
        earliest = i;
      }
    }
    if (same >= 3) this.removeFormattingAt(earliest);
    this.formatting.push(frame);
    this.listed(frame, true);
  }

  /** Keeps the membership flag and the counts in step with the list. */
  private listed(frame: Frame, member: boolean): void {
    if (frame.listed === member) return;
    frame.listed = member;
    const delta = member ? 1 : -1;
    const key = formattingKey(frame);
    this.listedTags.set(frame.tag, (this.listedTags.get(frame.tag) ?? 0) + delta);
    this.listedKeys.set(key, (this.listedKeys.get(key) ?? 0) + delta);
  }

  private removeFormatting(frame: Frame): void {
    this.removeFormattingAt(this.formatting.lastIndexOf(frame));
  }

  private removeFormattingAt(index: number): void {
    if (index < 0) return;
    this.spend(this.formatting.length - index);
    const [entry] = this.formatting.splice(index, 1);
    if (entry) this.listed(entry, false);
  }

  private replaceFormatting(old: Frame, fresh: Frame): void {
    const index = this.formatting.lastIndexOf(old);
    this.spend(this.formatting.length - Math.max(0, index));
    if (index < 0) return;
    this.formatting[index] = fresh;
    this.listed(old, false);
    this.listed(fresh, true);
  }

  private clearFormattingToMarker(): void {
    while (this.formatting.length > 0) {
      const entry = this.formatting.pop();
      if (entry === null || entry === undefined) return;
      this.listed(entry, false);
    }
  }

  /** Reopens formatting elements that other end tags closed, before new content goes in. */
  private reconstructFormatting(): void {
    const list = this.formatting;
    const last = list[list.length - 1];
    if (last === undefined || last === null || last.open) return;
    let i = list.length - 1;
    while (i > 0) {
      this.spend(1);
      const previous = list[i - 1];
      if (previous === null || previous === undefined || previous.open) break;
      i--;
    }
    for (; i < list.length; i++) {
      const entry = list[i];
      if (!entry) continue;
      const clone = this.pushElement(entry.tag, entry.attribs, false);
      list[i] = clone;
      this.listed(entry, false);
      this.listed(clone, true);
    }
  }

  /**
   * The adoption agency algorithm for a formatting end tag. Returns false when
   * the tag is to be handled as "any other end tag".
   */
  private adoptionAgency(subject: string): boolean {
    const current = this.top;
    if (current.tag === subject && !current.listed) {
      this.popFrame();
      return true;
    }
    for (let outer = 0; outer < 8; outer++) {
      const element = this.lastFormatting(subject);
      if (!element) return false;
      if (!element.open) {
        this.removeFormatting(element);
        return true;
      }
      if (!this.frameInScope(element, DEFAULT_SCOPE)) return true;
      const elementIndex = element.depth;
      let blockIndex = -1;
      for (let i = elementIndex + 1; i < this.stack.length; i++) {
        this.spend(1);
        if (SPECIAL_ELEMENTS.has(this.at(i).tag)) {
          blockIndex = i;
          break;
        }
      }
      if (blockIndex === -1) {
        this.popUntil((f) => f === element);
        this.removeFormatting(element);
        return true;
      }
      const furthestBlock = this.at(blockIndex);
      let bookmark = this.formatting.lastIndexOf(element);
      let lastNode = furthestBlock;
      let nodeIndex = blockIndex;
      for (let inner = 1; ; inner++) {
        nodeIndex--;
        const node = this.at(nodeIndex);
        if (node === element) break;
        let listIndex = node.listed ? this.formatting.lastIndexOf(node) : -1;
        if (inner > 3 && listIndex !== -1) {
          this.removeFormattingAt(listIndex);
          if (listIndex < bookmark) bookmark--;
          listIndex = -1;
        }
        if (listIndex === -1) {
          // Not formatting: the furthest block moves out of it.
          this.stack.splice(nodeIndex, 1);
          this.spend(this.stack.length - nodeIndex);
          this.closed(node);
          continue;
        }
        const clone = this.createFrame(node.tag, node.attribs, this.at(nodeIndex - 1), nodeIndex, false, node);
        clone.linkId = 0;
        this.stack[nodeIndex] = clone;
        this.replaceFormatting(node, clone);
        node.open = false;
        if (lastNode === furthestBlock) bookmark = listIndex + 1;
        lastNode = clone;
      }
      // The formatting element leaves the stack; a copy of it wraps the furthest block's content.
      const listIndex = this.formatting.lastIndexOf(element);
      this.removeFormattingAt(listIndex);
      if (listIndex < bookmark) bookmark--;
      this.stack.splice(elementIndex, 1);
      this.closed(element);
      const blockNow = this.stack.indexOf(furthestBlock, elementIndex);
      const copy = this.createFrame(element.tag, element.attribs, furthestBlock, blockNow + 1, false, element);
      copy.linkId = 0;
      this.stack.splice(blockNow + 1, 0, copy);
      this.openCounts.set(copy.tag, (this.openCounts.get(copy.tag) ?? 0) + 1);
      this.formatting.splice(Math.max(0, Math.min(bookmark, this.formatting.length)), 0, copy);
      this.listed(copy, true);
      this.spend(this.stack.length - elementIndex + this.formatting.length);
      this.rebuildFrom(elementIndex);
    }
    return true;
  }

  private spend(units: number): void {
    this.work += units;
    if (!this.degraded && this.work > this.workBudget) this.degraded = true;
  }

  // --- frames --------------------------------------------------------------

  private createFrame(
    tag: string,
    attribs: ReadonlyMap<string, string>,
    parent: Frame,
    depth: number,
    fostered: boolean,
    previous?: Frame,
  ): Frame {
    const id = (attribs.get('id') ?? '').trim().toLowerCase();
    const classAttr = attribs.get('class');
    const classes = classAttr ? classAttr.toLowerCase().split(/[\t\n\f\r ]+/).filter(Boolean) : NO_CLASSES;
    const foreign = FOREIGN_ROOTS.has(tag) ? true : INTEGRATION_POINTS.has(tag) && parent.foreign ? false : parent.foreign;
    const inTemplate = parent.inTemplate || tag === 'template';

    const matched = this.sheet.isEmpty() ? [] : this.sheet.match(tag, id, classes, parent);
    const inline = attribs.get('style');
    const css = matched.length > 0 || inline ? cascade(matched, inline ? parseDeclarations(inline) : undefined) : undefined;

    let state = parent.state;
    let removedByStyle = false;
    let display: string | undefined;
    if (css) {
      const vars = customProperties(css, parent.state.vars);
      const get = (prop: string): string | undefined => {
        const raw = css.get(prop);
        return raw === undefined ? undefined : resolveVars(raw, vars);
      };
      state = computeState(get, parent.state, vars);
      removedByStyle = isRemovedByStyle(get, state.fontPx);
      display = firstToken(get('display'));
    }
    if (PREFORMATTED_ELEMENTS.has(tag) && state.whiteSpace !== 'pre') state = { ...state, whiteSpace: 'pre' };

    const structural = DROPPED_SILENTLY.has(tag) || DROPPED_COUNTED.has(tag) || (tag === 'dialog' && !attribs.has('open'));
    const removedHere =
      structural ||
      removedByStyle ||
      attribs.has('hidden') ||
      (tag === 'input' && isHiddenInput(attribs)) ||
      (state.opacity < MIN_VISIBLE_ALPHA && parent.state.opacity >= MIN_VISIBLE_ALPHA);
    const removed = parent.removed || removedHere;
    const hidden = removed || !isVisibleState(state);
    const ownsList = LIST_ELEMENTS.has(tag);
    const startAttr = Number.parseInt(attribs.get('start') ?? '', 10);
    const list = ownsList
      ? (previous?.list ?? { ordered: tag === 'ol', next: Number.isFinite(startAttr) ? startAttr : 1 })
      : parent.list;

    const frame: Frame = {
      tag,
      attribs,
      id,
      classes,
      parent,
      depth,
      fostered,
      removed,
      hidden,
      hider: hidden && parent.hidden ? parent.hider : undefined,
      countable: !DROPPED_SILENTLY.has(tag),
      counted: previous?.counted ?? false,
      state,
      foreign,
      inTemplate,
      block: blockLevel(tag, classes, display, parent.tag),
      list,
      listDepth: parent.listDepth + (ownsList ? 1 : 0),
      open: true,
      listed: false,
      formattingKey: previous?.formattingKey,
      linkId: previous?.linkId ?? 0,
      sawText: previous?.sawText ?? false,
      css: previous ? previous.css : tag === 'style' && !inTemplate && appliesToScreen(attribs.get('media')) ? '' : undefined,
    };
    if (hidden && frame.hider === undefined) frame.hider = frame;
    return frame;
  }

  // --- output side effects -------------------------------------------------

  private afterOpen(frame: Frame, attribs: ReadonlyMap<string, string>): void {
    const tag = frame.tag;
    if (frame.removed) {
      if (tag === 'img') this.countDropped(frame, attribs.get('alt') ?? '');
      if (tag === 'input') this.countDropped(frame, attribs.get('value') ?? '');
      return;
    }
    if (frame.block > 0) this.out.requestBreak(frame.block);
    if (this.markQuotes && isQuoteStart(frame, attribs)) this.out.markQuote();

    switch (tag) {
      case 'br':
        this.out.lineBreak();
        break;
      case 'li':
        this.openListItem(frame, attribs);
        break;
      case 'td':
      case 'th':
        this.out.cellSeparator();
        break;
      case 'img':
        this.image(frame, attribs);
        break;
      case 'a':
        if (!frame.hidden) this.openLink(frame, attribs.get('href'));
        break;
      default:
        break;
    }
  }

  private beforeClose(frame: Frame): void {
    if (frame.css !== undefined) {
      this.sheet.add(frame.css);
      frame.css = undefined;
    }
    if (frame.removed) return;
    if (frame.linkId !== 0 && this.activeLink?.id === frame.linkId) this.closeLink();
    // A list item whose content was all hidden must not lend its bullet to what follows.
    if (frame.tag === 'li') this.out.prefix('');
    if (frame.block > 0) this.out.requestBreak(frame.block);
  }

  private openListItem(frame: Frame, attribs: ReadonlyMap<string, string>): void {
    const list = frame.list;
    let marker = '- ';
    if (list?.ordered) {
      const value = Number.parseInt(attribs.get('value') ?? '', 10);
      if (Number.isFinite(value)) list.next = value;
      marker = `${list.next}. `;
      list.next += 1;
    }
    if (!frame.hidden) this.out.prefix('  '.repeat(Math.max(0, frame.listDepth - 1)) + marker);
  }

  private image(frame: Frame, attribs: ReadonlyMap<string, string>): void {
    const alt = collapseWhitespace(this.clean(attribs.get('alt') ?? ''));
    if (frame.hidden) {
      this.countDropped(frame, alt);
      return;
    }
    if (isTrackingPixel(attribs)) {
      if (alt) this.hiddenRemoved += 1;
      return;
    }
    if (!alt) return;
    this.out.space();
    this.out.write(`[image: ${alt}]`);
    this.out.space();
  }

  private openLink(frame: Frame, href: string | undefined): void {
    if (this.activeLink) this.closeLink();
    if (href === undefined) return;
    frame.linkId = this.nextLinkId++;
    this.activeLink = { id: frame.linkId, href };
    this.out.beginCapture();
  }

  private closeLink(): void {
    const link = this.activeLink;
    this.activeLink = undefined;
    if (!link) return;
    const text = this.out.endCapture();
    if (!text) return;
    const shown = linkTarget(this.clean(link.href), text);
    if (shown === undefined) return;
    this.out.appendAfterSpace(`(${shown})`);
  }

  // --- text ----------------------------------------------------------------

  private flushText(): void {
    if (this.pendingText.length === 0) return;
    const raw = this.pendingText;
    this.pendingText = '';
    if (this.degraded) {
      this.countDegraded(raw);
      return;
    }
    let frame = this.top;
    if (frame.css !== undefined) {
      frame.css += raw;
      return;
    }
    const meaningful = /[^\t\n\f\r ]/.test(raw);
    if (meaningful && frame.tag === 'head') {
      // Text cannot live in <head>: browsers end the head and put it in the body.
      this.popFrame();
      frame = this.top;
    }
    if (!RAW_TEXT_ELEMENTS.has(frame.tag)) {
      if (meaningful && !HEAD_CONTENT.has(frame.tag)) this.bodyStarted = true;
      this.reconstructFormatting();
      frame = this.top;
      // Text misplaced in a table is shown before the table, styled by the table's parent.
      if (meaningful && TABLE_CONTEXT.has(frame.tag)) frame = this.fosterParent();
    }
    if (frame.hidden) {
      this.countDropped(frame, raw);
      // Whitespace in a font-size:0 gap between columns still separates their words for a reader.
      if (!frame.removed && /[\t\n\f\r ]/.test(raw)) this.out.space();
      return;
    }
    this.emitText(raw, frame);
  }

  private countDegraded(raw: string): void {
    if (this.degradedCounted || !/\S/.test(raw)) return;
    this.degradedCounted = true;
    this.hiddenRemoved += 1;
  }

  private emitText(raw: string, frame: Frame): void {
    const hadNbsp = raw.includes('\u00A0');
    let text = this.clean(raw);
    const mode = frame.state.whiteSpace;
    if (mode === 'normal') {
      this.writeCollapsed(text, hadNbsp);
      return;
    }
    text = text.replace(/\r\n?/g, '\n');
    if (!frame.sawText && PREFORMATTED_ELEMENTS.has(frame.tag) && text.startsWith('\n')) text = text.slice(1);
    frame.sawText = true;
    const segments = text.split('\n');
    segments.forEach((segment, index) => {
      if (index > 0) this.out.lineBreak();
      if (mode === 'pre') this.out.write(segment.replace(/[\v\f]/g, ' '));
      else this.writeCollapsed(segment, false);
    });
  }

  private writeCollapsed(text: string, hadNbsp: boolean): void {
    let collapsed = text.replace(/[\t\n\v\f\r ]+/g, ' ');
    if (collapsed === ' ' || collapsed === '') {
      if (hadNbsp) this.out.blankContent();
      else if (collapsed === ' ') this.out.space();
      return;
    }
    if (collapsed.startsWith(' ')) {
      this.out.space();
      collapsed = collapsed.slice(1);
    }
    const trailing = collapsed.endsWith(' ');
    this.out.write(trailing ? collapsed.slice(0, -1) : collapsed);
    if (trailing) this.out.space();
  }

  private clean(raw: string): string {
    const { text, removed } = stripInvisible(raw);
    this.invisibleRemoved += removed;
    return text;
  }

  private countDropped(frame: Frame, text: string): void {
    const hider = frame.hider ?? frame;
    if (!hider.countable || hider.counted) return;
    if (!/\S/.test(stripInvisible(text).text)) return;
    hider.counted = true;
    this.hiddenRemoved += 1;
  }
}

function isHiddenInput(attribs: ReadonlyMap<string, string>): boolean {
  return (attribs.get('type') ?? '').trim().toLowerCase() === 'hidden';
}

/** Tag and attributes, for the "same element" test of the list of active formatting elements. */
function formattingKey(frame: Frame): string {
  if (frame.formattingKey !== undefined) return frame.formattingKey;
  let key = frame.tag;
  const names = frame.attribs.size > 1 ? [...frame.attribs.keys()].sort() : frame.attribs.keys();
  for (const name of names) key += `\0${name}=${frame.attribs.get(name) ?? ''}`;
  frame.formattingKey = key;
  return key;
}

function sameAttributes(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

function blockLevel(tag: string, classes: readonly string[], display: string | undefined, parentTag: string): number {
  let level = 0;
  // Outlook writes every line as <p class=MsoNormal> with zero margins; a paragraph
  // directly in a list item or cell would only spread the list or table out.
  if (PARAGRAPH_ELEMENTS.has(tag)) {
    const compact = tag === 'p' && (classes.some((c) => c.startsWith('mso')) || COMPACT_PARENTS.has(parentTag));
    level = compact ? 1 : 2;
  }
  else if (BLOCK_ELEMENTS.has(tag)) level = 1;
  if (display === undefined) return level;
  if (BLOCK_DISPLAYS.has(display)) return Math.max(level, 1);
  if (display.startsWith('inline')) return 0;
  return level;
}

function isQuoteStart(frame: Frame, attribs: ReadonlyMap<string, string>): boolean {
  if (frame.id && QUOTE_IDS.test(frame.id)) return true;
  if (frame.classes.some((c) => QUOTE_CLASSES.has(c))) return true;
  if (frame.tag === 'blockquote' && (attribs.get('type') ?? '').trim().toLowerCase() === 'cite') return true;
  return frame.tag === 'hr' && frame.id === 'stopspelling';
}

function isTrackingPixel(attribs: ReadonlyMap<string, string>): boolean {
  const tiny = (value: string | undefined): boolean => {
    if (value === undefined) return false;
    const n = Number.parseFloat(value);
    return Number.isFinite(n) && n <= 1;
  };
  if (tiny(attribs.get('width')) || tiny(attribs.get('height'))) return true;
  const style = attribs.get('style');
  if (!style) return false;
  const decls = parseDeclarations(style);
  const px = (prop: string): number | undefined => {
    const d = decls.get(prop);
    return d === undefined ? undefined : lengthToPx(d.value, 16, false);
  };
  const w = px('width');
  const h = px('height');
  return (w !== undefined && w <= 1) || (h !== undefined && h <= 1);
}

function appliesToScreen(media: string | undefined): boolean {
  if (media === undefined) return true;
  const m = media.trim().toLowerCase();
  return m === '' || /^(?:only\s+)?(?:all|screen)$/.test(m);
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------
// Links

const HIDDEN_SCHEMES = new Set(['javascript', 'vbscript', 'data']);

function linkTarget(rawHref: string, text: string): string | undefined {
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

// ---------------------------------------------------------------------------
// CSS: declarations, cascade, values

interface Declaration {
  value: string;
  important: boolean;
}
type Declarations = Map<string, Declaration>;

// Only properties that decide visibility, layout breaks or white-space matter here.
const RELEVANT_PROPERTIES = new Set([
  'display', 'visibility', 'content-visibility', 'font-size', 'font', 'opacity', 'filter', 'color',
  'mso-hide', 'height', 'max-height', 'width', 'max-width', 'overflow', 'overflow-x', 'overflow-y',
  'position', 'left', 'right', 'top', 'bottom', 'inset', 'clip', 'clip-path', 'text-indent', 'margin',
  'margin-left', 'margin-top', 'transform', 'white-space', 'zoom',
]);

function isRelevantProperty(prop: string): boolean {
  return RELEVANT_PROPERTIES.has(prop) || prop.startsWith('--');
}

function stripCssComments(css: string): string {
  // An unterminated comment runs to the end, as in browsers.
  return css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ' ');
}

function unescapeCss(css: string): string {
  if (!css.includes('\\')) return css;
  return css.replace(/\\(?:([0-9a-fA-F]{1,6})[\t\n\f\r ]?|([^\n\r\f0-9a-fA-F]))/g, (_m, hex: string | undefined, ch: string | undefined) => {
    if (hex !== undefined) {
      const cp = Number.parseInt(hex, 16);
      return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
    }
    return ch ?? '';
  });
}

/** Splits on `separator` outside parentheses and quotes. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseDeclarations(source: string): Declarations {
  const decls: Declarations = new Map();
  const css = unescapeCss(stripCssComments(source));
  for (const part of splitTopLevel(css, ';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const prop = part.slice(0, colon).trim().toLowerCase();
    let value = part.slice(colon + 1).trim();
    const important = /!\s*important\s*$/i.exec(value);
    if (important) value = value.slice(0, important.index).trim();
    if (!prop || !value || !isRelevantProperty(prop)) continue;
    const existing = decls.get(prop);
    if (existing?.important && !important) continue;
    decls.set(prop, { value: value.toLowerCase(), important: important !== null });
  }
  return decls;
}

function cascade(matched: readonly SheetRule[], inline: Declarations | undefined): Map<string, string> {
  const rules = matched.length > 1 ? [...matched].sort((a, b) => a.specificity - b.specificity || a.order - b.order) : matched;
  const result = new Map<string, string>();
  const apply = (decls: Declarations | undefined, important: boolean): void => {
    if (!decls) return;
    for (const [prop, d] of decls) if (d.important === important) result.set(prop, d.value);
  };
  for (const rule of rules) apply(rule.decls, false);
  apply(inline, false);
  for (const rule of rules) apply(rule.decls, true);
  apply(inline, true);
  return result;
}

function customProperties(
  css: ReadonlyMap<string, string>,
  inherited: ReadonlyMap<string, string> | undefined,
): ReadonlyMap<string, string> | undefined {
  let vars: Map<string, string> | undefined;
  for (const [prop, value] of css) {
    if (!prop.startsWith('--')) continue;
    if (!vars) vars = new Map(inherited);
    // A cap keeps hostile markup from making every element copy a huge map.
    if (vars.size < MAX_CUSTOM_PROPERTIES || vars.has(prop)) vars.set(prop, value);
  }
  return vars ?? inherited;
}

function resolveVars(value: string, vars: ReadonlyMap<string, string> | undefined): string | undefined {
  let current = value;
  for (let round = 0; round < 8 && current.includes('var('); round++) {
    let failed = false;
    current = current.replace(/var\(\s*(--[^\s,()]+)\s*(?:,\s*([^()]*))?\)/g, (_m, name: string, fallback: string | undefined) => {
      const found = vars?.get(name) ?? fallback;
      if (found === undefined) failed = true;
      return found ?? '';
    });
    // An unresolvable var() makes the declaration invalid at computed-value time.
    if (failed) return undefined;
  }
  return current.includes('var(') ? undefined : current.trim();
}

function firstToken(value: string | undefined): string | undefined {
  return value?.trim().split(/\s+/)[0];
}

type Getter = (prop: string) => string | undefined;

function computeState(get: Getter, parent: VisualState, vars: ReadonlyMap<string, string> | undefined): VisualState {
  let fontPx = parent.fontPx;
  const fontShorthand = get('font');
  if (fontShorthand !== undefined) fontPx = fontSizeFromShorthand(fontShorthand, parent.fontPx) ?? fontPx;
  const fontSize = get('font-size');
  if (fontSize !== undefined) fontPx = computeFontSize(fontSize, parent.fontPx) ?? fontPx;

  let visibilityHidden = parent.visibilityHidden;
  const visibility = firstToken(get('visibility'));
  if (visibility === 'hidden' || visibility === 'collapse') visibilityHidden = true;
  else if (visibility === 'visible' || visibility === 'initial') visibilityHidden = false;

  let transparentText = parent.transparentText;
  const color = get('color');
  if (color !== undefined) transparentText = colorIsTransparent(color) ?? transparentText;

  let opacity = parent.opacity;
  const ownOpacity = parseAlpha(get('opacity'));
  if (ownOpacity !== undefined) opacity *= ownOpacity;
  const filter = get('filter');
  if (filter !== undefined) {
    for (const m of filter.matchAll(/opacity\(\s*([^)]*)\)/g)) opacity *= parseAlpha(m[1]) ?? 1;
  }

  let whiteSpace = parent.whiteSpace;
  const ws = firstToken(get('white-space'));
  if (ws === 'pre' || ws === 'pre-wrap' || ws === 'break-spaces') whiteSpace = 'pre';
  else if (ws === 'pre-line') whiteSpace = 'pre-line';
  else if (ws === 'normal' || ws === 'nowrap') whiteSpace = 'normal';

  return { fontPx, opacity, visibilityHidden, transparentText, whiteSpace, vars };
}

function isRemovedByStyle(get: Getter, fontPx: number): boolean {
  if (firstToken(get('display')) === 'none') return true;
  if (firstToken(get('mso-hide')) === 'all') return true;
  if (firstToken(get('content-visibility')) === 'hidden') return true;

  const tiny = (prop: string): boolean => {
    const px = lengthToPx(get(prop), fontPx, false);
    return px !== undefined && px <= 1;
  };
  const zeroHeight = tiny('height') || tiny('max-height');
  const zeroWidth = tiny('width') || tiny('max-width');
  if (zeroHeight && zeroWidth) return true;
  if (zeroHeight || zeroWidth) {
    const clips = ['overflow', 'overflow-x', 'overflow-y'].some((p) => /\b(?:hidden|clip)\b/.test(get(p) ?? ''));
    if (clips) return true;
  }

  const position = firstToken(get('position'));
  if (position !== undefined && position !== 'static') {
    const offsets = ['left', 'right', 'top', 'bottom'].map(get);
    offsets.push(...(get('inset')?.split(/\s+/) ?? []));
    if (offsets.some((v) => isOffscreen(v, fontPx))) return true;
  }
  const margin = get('margin')?.split(/\s+/) ?? [];
  const marginTop = get('margin-top') ?? margin[0];
  const marginLeft = get('margin-left') ?? margin[3] ?? margin[1] ?? margin[0];
  for (const value of [marginTop, marginLeft]) {
    const px = lengthToPx(value, fontPx, true);
    if (px !== undefined && px <= OFFSCREEN_NEGATIVE_PX) return true;
  }
  if (isOffscreen(get('text-indent'), fontPx)) return true;

  const transform = get('transform');
  if (transform !== undefined && transformHides(transform, fontPx)) return true;
  const clip = get('clip');
  if (clip !== undefined && clipHides(clip, fontPx)) return true;
  const clipPath = get('clip-path');
  if (clipPath !== undefined && clipPathHides(clipPath, fontPx)) return true;

  const zoom = parseAlpha(get('zoom'));
  return zoom !== undefined && zoom > 0 && zoom < MIN_VISIBLE_ALPHA;
}

function isOffscreen(value: string | undefined, fontPx: number): boolean {
  if (value === undefined) return false;
  const trimmed = value.trim();
  if (trimmed.endsWith('%')) {
    const pct = Number.parseFloat(trimmed);
    return Number.isFinite(pct) && (pct <= -100 || pct >= 1000);
  }
  const px = lengthToPx(trimmed, fontPx, true);
  return px !== undefined && (px <= OFFSCREEN_NEGATIVE_PX || px >= OFFSCREEN_POSITIVE_PX);
}

function transformHides(transform: string, fontPx: number): boolean {
  for (const m of transform.matchAll(/(scale(?:x|y|3d)?|translate(?:x|y|3d)?|matrix)\(([^)]*)\)/g)) {
    const fn = m[1] ?? '';
    const args = (m[2] ?? '').split(/[\s,]+/).filter(Boolean);
    if (fn.startsWith('scale')) {
      const factors = (fn === 'scale' ? args.slice(0, 2) : fn === 'scale3d' ? args.slice(0, 2) : args.slice(0, 1)).map(
        (a) => parseAlpha(a),
      );
      if (factors.some((f) => f !== undefined && Math.abs(f) < 0.01)) return true;
    } else if (fn.startsWith('translate')) {
      if (args.slice(0, 2).some((a) => isOffscreen(a, fontPx))) return true;
    } else {
      const [a, b, c, d, e, f] = args.map(Number);
      if (a !== undefined && b !== undefined && c !== undefined && d !== undefined && Math.abs(a * d - b * c) < 1e-4) return true;
      if ([e, f].some((v) => v !== undefined && (v <= OFFSCREEN_NEGATIVE_PX || v >= OFFSCREEN_POSITIVE_PX))) return true;
    }
  }
  return false;
}

function clipHides(clip: string, fontPx: number): boolean {
  const m = /rect\(([^)]*)\)/.exec(clip);
  if (!m) return false;
  const [top, right, bottom, left] = (m[1] ?? '').split(/[\s,]+/).filter(Boolean).map((v) => lengthToPx(v, fontPx, false));
  if (top !== undefined && bottom !== undefined && bottom - top <= 1) return true;
  return left !== undefined && right !== undefined && right - left <= 1;
}

function clipPathHides(clipPath: string, fontPx: number): boolean {
  const inset = /inset\(([^)]*)\)/.exec(clipPath);
  if (inset) {
    const values = (inset[1] ?? '').split(/\s+round\s+/)[0]?.split(/\s+/).filter(Boolean) ?? [];
    const pct = values.map((v) => (v.trim().endsWith('%') ? Number.parseFloat(v) : Number.NaN));
    const [t = Number.NaN, r = t, b = t, l = r] = pct;
    if (t + b >= 100 || l + r >= 100) return true;
  }
  const shape = /(circle|ellipse)\(\s*([^)]*)\)/.exec(clipPath);
  if (shape) {
    const radii = (shape[2] ?? '').split(/\s+at\s+/)[0]?.split(/\s+/).filter(Boolean) ?? [];
    const zero = radii.map((v) => {
      const px = v.endsWith('%') ? Number.parseFloat(v) : lengthToPx(v, fontPx, false);
      return px !== undefined && Number.isFinite(px) && px <= 0;
    });
    if (zero.some(Boolean)) return true;
  }
  return false;
}

const FONT_SIZE_KEYWORDS = new Map<string, number>([
  ['xx-small', 9], ['x-small', 10], ['small', 13], ['medium', 16], ['large', 18],
  ['x-large', 24], ['xx-large', 32], ['xxx-large', 48],
]);

function computeFontSize(value: string, parentPx: number): number | undefined {
  const v = value.trim();
  const keyword = FONT_SIZE_KEYWORDS.get(v);
  if (keyword !== undefined) return keyword;
  if (v === 'larger') return parentPx * 1.2;
  if (v === 'smaller') return parentPx / 1.2;
  if (v === 'inherit' || v === 'unset') return parentPx;
  if (v === 'initial' || v === 'revert') return 16;
  if (v.endsWith('%')) {
    const pct = Number.parseFloat(v);
    return Number.isFinite(pct) && pct >= 0 ? (parentPx * pct) / 100 : undefined;
  }
  const px = lengthToPx(v, parentPx, false);
  return px !== undefined && px >= 0 ? px : undefined;
}

function fontSizeFromShorthand(value: string, parentPx: number): number | undefined {
  for (const token of value.split(/\s+/)) {
    const size = token.split('/')[0] ?? '';
    if (FONT_SIZE_KEYWORDS.has(size) || size === 'larger' || size === 'smaller') return computeFontSize(size, parentPx);
    // A bare number is a font-weight, except 0, which can only be a size.
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[a-z]+|%)$/.test(size) || /^[+-]?0*\.?0+$/.test(size)) {
      return computeFontSize(size, parentPx);
    }
  }
  return undefined;
}

const UNIT_PX = new Map<string, number>([
  ['px', 1], ['pt', 96 / 72], ['pc', 16], ['in', 96], ['cm', 96 / 2.54], ['mm', 96 / 25.4], ['q', 96 / 101.6],
  ['rem', 16], ['vw', 12], ['vh', 8], ['vmin', 8], ['vmax', 12],
]);

/**
 * A CSS length in px. Relative units resolve against `fontPx`. Unitless
 * numbers count as px (quirks mode, which most mail renders in). Percentages
 * and functions are only understood when they are plainly zero.
 */
function lengthToPx(value: string | undefined, fontPx: number, allowNegative: boolean): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const fn = /^(?:calc|min|max|clamp)\((.*)\)$/.exec(v);
  if (fn) {
    const inner = (fn[1] ?? '').trim();
    const single = lengthToPx(inner, fontPx, allowNegative);
    if (single !== undefined) return single;
    const numbers = inner.match(/[+-]?(?:\d+\.?\d*|\.\d+)/g) ?? [];
    return numbers.length > 0 && numbers.every((n) => Number.parseFloat(n) === 0) ? 0 : undefined;
  }
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)$/.exec(v);
  if (!m) return undefined;
  const n = Number.parseFloat(m[1] ?? '');
  if (!Number.isFinite(n) || (!allowNegative && n < 0)) return undefined;
  const unit = m[2] ?? '';
  if (unit === '%') return n === 0 ? 0 : undefined;
  if (unit === '' ) return n;
  if (unit === 'em') return n * fontPx;
  if (unit === 'ex' || unit === 'ch') return (n * fontPx) / 2;
  const factor = UNIT_PX.get(unit);
  return factor === undefined ? undefined : n * factor;
}

/** An opacity-like value (number or percentage), clamped to 0..1. */
function parseAlpha(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%?)$/.exec(v);
  if (!m) return undefined;
  const n = Number.parseFloat(m[1] ?? '') / (m[2] ? 100 : 1);
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : undefined;
}

/** true/false when the colour decides text transparency; undefined when it inherits. */
function colorIsTransparent(value: string): boolean | undefined {
  const v = value.trim();
  if (v === 'inherit' || v === 'unset' || v === 'currentcolor') return undefined;
  if (v === 'transparent') return true;
  const hex = /^#([0-9a-f]{4}|[0-9a-f]{8})$/.exec(v)?.[1];
  if (hex !== undefined) {
    const alpha = hex.length === 4 ? Number.parseInt(hex.slice(3).repeat(2), 16) : Number.parseInt(hex.slice(6), 16);
    return alpha / 255 < MIN_VISIBLE_ALPHA;
  }
  const fn = /^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\((.*)\)$/.exec(v);
  if (fn) {
    const inner = fn[1] ?? '';
    const slash = inner.split('/');
    const parts = inner.split(',');
    const alphaText = slash.length > 1 ? slash[1] : parts.length === 4 ? parts[3] : undefined;
    const alpha = parseAlpha(alphaText);
    return alpha !== undefined && alpha < MIN_VISIBLE_ALPHA;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Stylesheets from <style> elements

interface Compound {
  tag: string | undefined;
  id: string | undefined;
  classes: string[];
}

interface SheetRule {
  /** Rightmost compound last. */
  compounds: Compound[];
  decls: Declarations;
  specificity: number;
  order: number;
}

const MAX_ANCESTOR_WALK = 256;

class Stylesheet {
  private readonly byKey = new Map<string, SheetRule[]>();
  // Repeated selectors (a style block pasted once per quoted message) become one rule.
  private readonly bySelector = new Map<string, SheetRule>();
  private order = 0;

  isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  add(source: string): void {
    const css = stripCssComments(source).replace(/<!--|-->/g, ' ');
    this.addBlock(css);
  }

  match(tag: string, id: string, classes: readonly string[], parent: Frame): SheetRule[] {
    const keys = ['*', tag, ...classes.map((c) => `.${c}`)];
    if (id) keys.push(`#${id}`);
    const matched: SheetRule[] = [];
    for (const key of keys) {
      for (const rule of this.byKey.get(key) ?? []) {
        if (matchesRule(rule, tag, id, classes, parent)) matched.push(rule);
      }
    }
    return matched;
  }

  private addBlock(css: string): void {
    let i = 0;
    while (i < css.length) {
      const open = findTopLevel(css, i, '{;}');
      if (open === -1) return;
      const prelude = css.slice(i, open).trim();
      if (css[open] !== '{') {
        i = open + 1;
        continue;
      }
      const close = findMatchingBrace(css, open);
      const body = css.slice(open + 1, close);
      i = close + 1;
      if (prelude.startsWith('@')) {
        // Unconditional screen media apply; queries with conditions describe other screens.
        if (/^@media\s+(?:only\s+)?(?:all|screen)\s*$/i.test(prelude)) this.addBlock(body);
        continue;
      }
      this.addRule(prelude, body);
    }
  }

  private addRule(prelude: string, body: string): void {
    const decls = parseDeclarations(body);
    if (decls.size === 0) return;
    for (const selectorText of prelude.split(',')) {
      const selector = selectorText.trim().toLowerCase().replace(/\s+/g, ' ');
      const existing = this.bySelector.get(selector);
      if (existing) {
        for (const [prop, d] of decls) {
          const old = existing.decls.get(prop);
          if (!old || d.important || !old.important) existing.decls.set(prop, d);
        }
        existing.order = this.order++;
        continue;
      }
      const compounds = parseSelector(selector);
      if (!compounds) continue;
      const last = compounds[compounds.length - 1];
      if (!last) continue;
      const key = last.id ? `#${last.id}` : last.classes[0] ? `.${last.classes[0]}` : (last.tag ?? '*');
      const specificity = compounds.reduce((s, c) => s + (c.id ? 10000 : 0) + c.classes.length * 100 + (c.tag ? 1 : 0), 0);
      const rule: SheetRule = { compounds, decls: new Map(decls), specificity, order: this.order++ };
      this.bySelector.set(selector, rule);
      const list = this.byKey.get(key);
      if (list) list.push(rule);
      else this.byKey.set(key, [rule]);
    }
  }
}

function findTopLevel(css: string, from: number, chars: string): number {
  let quote = '';
  for (let i = from; i < css.length; i++) {
    const c = css[i] ?? '';
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (chars.includes(c)) return i;
  }
  return -1;
}

function findMatchingBrace(css: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < css.length; i++) {
    const c = css[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return css.length;
}

const COMPOUND = /^(\*|[a-z][a-z0-9_-]*)?((?:[.#](?:[a-z0-9_-]|[^\0-\x7f])+)*)$/;

function parseSelector(selector: string): Compound[] | undefined {
  if (!selector || /[[\]:+~()]/.test(selector)) return undefined;
  const parts = selector.replace(/\s*>\s*/g, ' ').split(/\s+/).filter(Boolean);
  const compounds: Compound[] = [];
  for (const part of parts) {
    const m = COMPOUND.exec(part);
    if (!m) return undefined;
    const tag = m[1] === undefined || m[1] === '*' ? undefined : m[1];
    const simple = (m[2] ?? '').match(/[.#][^.#]+/g) ?? [];
    const ids = simple.filter((s) => s.startsWith('#')).map((s) => s.slice(1));
    if (ids.length > 1) return undefined;
    compounds.push({ tag, id: ids[0], classes: simple.filter((s) => s.startsWith('.')).map((s) => s.slice(1)) });
  }
  return compounds.length > 0 ? compounds : undefined;
}

function compoundMatches(c: Compound, tag: string, id: string, classes: readonly string[]): boolean {
  if (c.tag !== undefined && c.tag !== tag) return false;
  if (c.id !== undefined && c.id !== id) return false;
  return c.classes.every((cls) => classes.includes(cls));
}

function matchesRule(rule: SheetRule, tag: string, id: string, classes: readonly string[], parent: Frame): boolean {
  const { compounds } = rule;
  const last = compounds[compounds.length - 1];
  if (!last || !compoundMatches(last, tag, id, classes)) return false;
  // Descendant matching, greedy from the element upwards (child combinators are treated as descendant).
  let index = compounds.length - 2;
  let ancestor: Frame | undefined = parent;
  let steps = 0;
  while (index >= 0 && ancestor !== undefined && ancestor.depth > 0 && steps < MAX_ANCESTOR_WALK) {
    const wanted = compounds[index];
    if (wanted && compoundMatches(wanted, ancestor.tag, ancestor.id, ancestor.classes)) index--;
    ancestor = ancestor.parent;
    steps++;
  }
  return index < 0;
}

// ---------------------------------------------------------------------------
// Quoted history in text, and final assembly

const SEPARATOR_TITLES = [
  'original message', 'forwarded message', 'ursprüngliche nachricht', 'weitergeleitete nachricht',
  "message d'origine", 'message transféré', 'mensaje original', 'mensaje reenviado', 'messaggio originale',
  'messaggio inoltrato', 'oorspronkelijk bericht', 'doorgestuurd bericht', 'mensagem original',
];
const SEPARATOR_LINE = new RegExp(`^-{2,}\\s*(?:${SEPARATOR_TITLES.join('|')})\\s*-{2,}$`, 'i');
const BEGIN_FORWARDED = /^begin forwarded message:$/i;
const ON_START = /^(?:on|am|le|el|il|op|em)\s/i;
const WROTE_END = /(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu)\s*:$/i;
const FROM_LINE = /^\*?(?:from|von|de|van|da|från|fra)\s*:\*?\s*\S/i;
const SENT_LINE = /^\*?(?:sent|date|gesendet|datum|envoyé|enviado|verzonden|inviato|data|fecha|skickat|sendt)\s*:/i;
const SENT_INLINE = /\s\*?(?:sent|date)\s*:/i;
const RULE_LINE = /^[_-]{10,}$/;
const MAX_PATTERN_LINE = 500;

function findTextualQuoteStart(lines: readonly string[]): number | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line || line.length > MAX_PATTERN_LINE) continue;
    if (SEPARATOR_LINE.test(line) || BEGIN_FORWARDED.test(line)) return i;
    if (ON_START.test(line)) {
      const next = (lines[i + 1] ?? '').trim();
      if (WROTE_END.test(line) || (next.length < MAX_PATTERN_LINE && WROTE_END.test(next))) return i;
    }
    if (FROM_LINE.test(line)) {
      let header = SENT_INLINE.test(line);
      for (let j = i + 1; !header && j <= i + 4 && j < lines.length; j++) {
        header = SENT_LINE.test((lines[j] ?? '').trim());
      }
      if (header) {
        const previous = (lines[i - 1] ?? '').trim();
        return i > 0 && RULE_LINE.test(previous) ? i - 1 : i;
      }
    }
    if (line.startsWith('>') && (lines[i + 1] ?? '').trim().startsWith('>')) return i;
  }
  return undefined;
}

function assembleLines(
  lines: readonly string[],
  quoteLine: number | undefined,
): { text: string; quotedFrom: number | undefined; invisibleRemoved: number } {
  const out: string[] = [];
  let length = 0;
  let quotedFrom: number | undefined;
  let invisibleRemoved = 0;
  let blankPending = false;
  const push = (line: string): void => {
    length += (out.length > 0 ? 1 : 0) + line.length;
    out.push(line);
  };
  for (let i = 0; i < lines.length; i++) {
    if (i === quoteLine) {
      if (out.length > 0) push('');
      quotedFrom = out.length > 0 ? length + 1 : 0;
      push(QUOTED_HISTORY_MARKER);
      blankPending = false;
    }
    // Defence in depth: everything written was already cleaned, so this removes nothing in practice.
    const cleaned = stripInvisible(lines[i] ?? '');
    invisibleRemoved += cleaned.removed;
    let line = cleaned.text.trimEnd();
    if (line.length === 0) {
      blankPending = out.length > 0;
      continue;
    }
    if (out.length === 0) line = line.trimStart();
    if (blankPending) push('');
    blankPending = false;
    push(line);
  }
  return { text: out.join('\n'), quotedFrom, invisibleRemoved };
}
