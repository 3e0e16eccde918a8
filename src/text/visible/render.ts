/**
 * The walk: the parse5 tree, styled by the cascade and the visibility rules,
 * becomes lines of visible text.
 *
 * Invariants:
 * - The walk is iterative (an explicit stack of frames), whatever the depth.
 * - Each element is a frame carrying the inherited visual state; text is
 *   written only when its frame has a box (not removed) and its text is
 *   visible. A removed element's subtree is skipped after one scan for text,
 *   so hiddenRemoved counts it once.
 * - All style sheets are collected before the walk: a `<style>` anywhere
 *   applies to the whole document.
 *
 * Element decisions:
 * - Not rendered: head, script, style, title, meta, link, base, template
 *   (silently); iframe, frame(set), noframes, noembed, embed, param, source,
 *   track, datalist, rp, closed `<dialog>`, `<input type=hidden>`, the
 *   `hidden` attribute (unless CSS sets a display, as the UA rule
 *   `[hidden]{display:none}` is overridable), SVG outside `<text>` and
 *   `<foreignObject>`, MathML annotations (counted).
 * - Shown: `<object>` and `<canvas>` fallback content, `<noscript>` (scripting
 *   is off in a mail client), `<svg><text>`, MathML.
 * - Collapsed content: the body of a closed `<details>` is dropped and a
 *   "[collapsed section]" line stands in for it. Dropping keeps text a person
 *   sees only after a click from reading as part of the message (attackers
 *   hide instructions there); the marker tells the agent something is there.
 *   A single-choice `<select>` shows only its selected option; the other
 *   choices are dropped (a list box, `multiple` or `size` > 1, shows all).
 */
import type { ChildNode, Document, Element, ParentNode } from 'domhandler';
import { stripInvisible } from '../invisible.js';
import { LineBuilder, linkTarget } from './lines.js';
import { isQuoteStart } from './quotes.js';
import { decodeDataUrl, mediaMatches, styleSheetsFor, type StyleSheets } from './stylesheet.js';
import { isElement, MAX_TREE_DEPTH, type ParsedDocument } from './tree.js';
import { ROOT_STATE, StyleResolver, SVG_NAMESPACE, textVisible, type ElementStyle, type VisualState } from './visibility.js';
import type { Rgba } from './values.js';

const NO_CLASSES: readonly string[] = [];
// Elements whose content (an image, a drawing) is opaque paint when they are positioned over text.
// Mail is read with no network, so images, video and frames paint nothing; an inline SVG drawing does.
const REPLACED_COVERS = new Set(['svg']);
/** A word, as a reader counts them: a run of letters, digits and marks. */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const NO_KEYS: readonly string[] = [];

/** The marker standing in for the body of a closed `<details>`. */
export const COLLAPSED_MARKER = '[collapsed section]';

const MATHML_NAMESPACE = 'http://www.w3.org/1998/Math/MathML';

// Dropped without counting: every HTML mail has them, so counting would drown the signal.
const DROPPED_SILENTLY = new Set(['head', 'style', 'script', 'title', 'meta', 'link', 'base']);
// Dropped and counted: content a browser does not show.
const DROPPED_COUNTED = new Set([
  'iframe', 'frame', 'frameset', 'noframes', 'noembed', 'embed', 'param', 'source', 'track', 'datalist', 'rp',
  'template', 'video', 'audio',
]);
const SVG_NOT_RENDERED = new Set([
  'defs', 'symbol', 'clippath', 'mask', 'pattern', 'marker', 'lineargradient', 'radialgradient', 'filter',
  'title', 'desc', 'metadata', 'style', 'script',
]);
const SVG_TEXT = new Set(['text']);

const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog',
  'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frameset', 'header',
  'hgroup', 'hr', 'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'option', 'plaintext',
  'pre', 'section', 'summary', 'table', 'tbody', 'textarea', 'tfoot', 'thead', 'tr', 'ul', 'xmp', 'foreignobject',
]);
const PARAGRAPH_ELEMENTS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const COMPACT_PARENTS = new Set(['li', 'td', 'th', 'dd', 'dt']);
const LIST_ELEMENTS = new Set(['ul', 'ol', 'menu', 'dir']);
const PREFORMATTED_ELEMENTS = new Set(['pre', 'listing', 'xmp', 'plaintext', 'textarea']);
const BLOCK_DISPLAYS = new Set(['block', 'flex', 'grid', 'list-item', 'table', 'table-row', 'flow-root', 'table-caption']);

interface ListState {
  ordered: boolean;
  next: number;
}

type Foreign = 'html' | 'svg' | 'svg-text';

interface Frame {
  readonly el: Element | undefined;
  readonly tag: string;
  readonly parent: Frame | undefined;
  readonly removed: boolean;
  /** Text directly inside is not seen. */
  readonly hidden: boolean;
  hider: Frame | undefined;
  readonly countable: boolean;
  counted: boolean;
  readonly state: VisualState;
  readonly block: number;
  readonly list: ListState | undefined;
  readonly listDepth: number;
  readonly foreign: Foreign;
  linkId: number;
  sawText: boolean;
  /** A closed <details>: children other than its first <summary> are collapsed. */
  readonly closedDetails: boolean;
  summarySeen: boolean;
  /** For a single-choice <select>: the one option shown. */
  readonly shownOption: Element | undefined;
  /** For a list box (<select multiple> or size > 1): the options within its visible rows; the others need scrolling. */
  readonly listRows: ReadonlySet<Element> | undefined;
  /** The element is in a shadow tree (styled without the document's sheets). */
  readonly inShadow: boolean;
  /** Inside a shadow tree: its host's light children by the slot they are assigned to. */
  readonly slots: ReadonlyMap<string, ChildNode[]> | undefined;
  readonly collapsedMarker: boolean;
  /** An opaque box among this element's children that covers the others (see coverOf). */
  readonly overlay: Overlay | undefined;
  /** The containing block for absolutely positioned descendants (undefined: the initial containing block). */
  readonly containingBlock: Element | undefined;
  /** Text here may lie under a box painted over it (second pass; see Covers). */
  readonly covered: boolean;
}

/**
 * Boxes that may be painted over other text, found on a first pass, and the elements whose
 * content they may cover (undefined: the whole document). CSS 2 Appendix E paints positioned
 * boxes above in-flow content; without layout their reach is unknown, so a second pass withholds
 * everything in reach.
 */
interface Covers {
  readonly boxes: Set<Element>;
  readonly scopes: Set<Element | undefined>;
}

/** A child box laid over its siblings: absolutely positioned over the whole containing block, opaque. */
interface Overlay {
  readonly index: number;
  readonly zIndex: number;
  readonly colour: Rgba | undefined;
}

// Overlap detection looks at this many children or descendants at most, so it stays linear.
const MAX_OVERLAY_SCAN = 64;

/** What the walk produced. */
export interface RenderResult {
  lines: string[];
  structuralQuote: number | undefined;
  hiddenRemoved: number;
  invisibleRemoved: number;
  suspect: number;
  /** Words withheld because their visibility could not be determined. */
  withheld: number;
}

/** Renders a parsed document's visible text. */
export function renderDocument(parsed: ParsedDocument, markQuotes: boolean): RenderResult {
  return new Renderer(parsed, markQuotes).run();
}

class Renderer {
  hiddenRemoved = 0;
  invisibleRemoved = 0;
  suspect = 0;
  withheld = 0;
  private readonly out = new LineBuilder();
  private readonly sheets: StyleSheets;
  private nextLinkId = 1;
  private activeLink: { id: number; href: string } | undefined;

  private readonly document: Document;
  private readonly styles: StyleResolver;
  /** Styles inside shadow trees: no document sheets. */
  private readonly shadowStyles: StyleResolver;
  /** The document's sheets style shadow parts (::part()), which this engine does not match. */
  private readonly partRules: boolean;
  /** Id and class keys of the open elements, counted: lets the cascade skip rules whose ancestors are absent. */
  private readonly ancestors = new Map<string, number>();

  /** Covers found on this pass (recorded on the first, applied on the second). */
  private readonly found: Covers = { boxes: new Set(), scopes: new Set() };

  constructor(
    private readonly parsed: ParsedDocument,
    private readonly markQuotes: boolean,
    private readonly covers: Covers | undefined = undefined,
  ) {
    this.document = parsed.document;
    this.sheets = styleSheetsFor(parsed.quirks, collectStyleSheets(parsed.document, parsed.styleElements));
    this.styles = new StyleResolver(this.sheets, parsed.quirks);
    this.shadowStyles = new StyleResolver(styleSheetsFor(parsed.quirks, []), parsed.quirks);
    this.partRules = this.sheets.usesPart;
    this.suspect += this.sheets.failedSheets;
  }

  run(): RenderResult {
    const root: Frame = {
      el: undefined, tag: '#document', parent: undefined, removed: false, hidden: false, hider: undefined,
      countable: false, counted: false, state: ROOT_STATE, block: 0, list: undefined, listDepth: 0, foreign: 'html',
      linkId: 0, sawText: false, closedDetails: false, summarySeen: false, shownOption: undefined, listRows: undefined, inShadow: false, slots: undefined, collapsedMarker: false,
      overlay: undefined, containingBlock: undefined, covered: this.covers?.scopes.has(undefined) ?? false,
    };
    const stack: Array<{ frame: Frame; children: readonly ChildNode[]; index: number; keys: readonly string[] }> = [
      { frame: root, children: this.document.children, index: 0, keys: NO_KEYS },
    ];
    const trackAncestors = this.sheets.usesAncestors;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const node = top.children[top.index++];
      if (node === undefined) {
        stack.pop();
        for (const k of top.keys) {
          const n = (this.ancestors.get(k) ?? 1) - 1;
          if (n > 0) this.ancestors.set(k, n);
          else this.ancestors.delete(k);
        }
        this.close(top.frame);
        continue;
      }
      if (node.type === 'text') {
        const covered = top.frame.overlay !== undefined && top.index - 1 !== top.frame.overlay.index;
        this.text(node.data, this.collapsedChild(top.frame, node) ?? (covered ? this.coveredFrame(top.frame) : top.frame));
        continue;
      }
      if (!isElement(node)) continue;
      const frame = this.open(node, top.frame, top.index - 1);
      if (frame === undefined) continue;
      if (frame.removed) {
        this.countSubtree(frame, node);
        this.close(frame);
        continue;
      }
      const keys = trackAncestors ? this.sheets.elementKeys(node) : NO_KEYS;
      for (const k of keys) this.ancestors.set(k, (this.ancestors.get(k) ?? 0) + 1);
      const children = this.childrenOf(frame, node);
      stack.push({ frame: this.composed(frame, node), children, index: 0, keys });
    }
    if (this.covers === undefined && this.found.scopes.size > 0) return new Renderer(this.parsed, this.markQuotes, this.found).run();
    return {
      lines: this.out.finish(),
      structuralQuote: this.out.quoteLine,
      hiddenRemoved: this.hiddenRemoved,
      invisibleRemoved: this.invisibleRemoved,
      suspect: this.suspect,
      withheld: this.withheld,
    };
  }

  /**
   * The children an element shows (DOM §4.2.2 slots, HTML declarative shadow roots): a shadow host
   * shows its shadow tree; a slot shows the light children assigned to it, else its own
   * (fallback) children. Light children assigned to no slot are not rendered.
   */
  private childrenOf(frame: Frame, el: Element): readonly ChildNode[] {
    const root = shadowRootOf(el);
    if (root) {
      const slots = assignSlots(el, root);
      this.assigned = slots;
      for (const node of el.children) {
        if (node === root || slots.assigned.has(node)) continue;
        if (node.type === 'text' ? /\S/.test(node.data) : isElement(node) && node.name !== 'template') this.hiddenRemoved += 1;
      }
      return templateContent(root);
    }
    if (frame.inShadow && frame.tag === 'slot' && frame.slots) {
      const assigned = frame.slots.get(el.attribs.name ?? '');
      if (assigned && assigned.length > 0) return assigned;
    }
    return el.children;
  }

  /** The slot assignment of the last host whose children were composed. */
  private assigned: { byName: Map<string, ChildNode[]>; assigned: Set<ChildNode> } | undefined;

  /** The frame its children are walked under: inside a shadow tree for a host; back in the light tree for a slot's assigned nodes. */
  private composed(frame: Frame, el: Element): Frame {
    if (shadowRootOf(el) && this.assigned) {
      const slots = this.assigned.byName;
      this.assigned = undefined;
      return { ...frame, inShadow: true, slots };
    }
    if (frame.inShadow && frame.tag === 'slot' && (frame.slots?.get(el.attribs.name ?? '')?.length ?? 0) > 0) return { ...frame, inShadow: false, slots: undefined };
    return frame;
  }

  /** A stand-in frame for content of a closed <details>, or undefined when the node is not collapsed. */
  private collapsedChild(parent: Frame, node: ChildNode): Frame | undefined {
    if (!parent.closedDetails) return undefined;
    if (isElement(node) && node.name === 'summary' && !parent.summarySeen) {
      parent.summarySeen = true;
      return undefined;
    }
    return { ...parent, removed: true, hidden: true, hider: undefined, countable: true, counted: false, collapsedMarker: true, closedDetails: false };
  }

  /** A stand-in frame for text hidden under an overlay. */
  private coveredFrame(parent: Frame): Frame {
    return { ...parent, removed: true, hidden: true, hider: undefined, countable: true, counted: false, overlay: undefined };
  }


  /** Looks at an element's children for an opaque box absolutely positioned over all of them. */
  private overlayAmong(el: Element, state: VisualState): Overlay | undefined {
    const children = el.children;
    // The children's ancestors are el's plus el itself.
    const ancestors = new Map(this.ancestors);
    for (const k of this.sheets.elementKeys(el)) ancestors.set(k, (ancestors.get(k) ?? 0) + 1);
    for (let i = 0; i < children.length && i < MAX_OVERLAY_SCAN; i++) {
      const child = children[i] as ChildNode;
      if (!isElement(child) || !isEmptyBox(child)) continue;
      const style = this.styles.compute(child, state, ancestors);
      const b = style.box;
      if (style.removed || !b.solid || b.opaque === undefined) continue;
      if (b.position !== 'absolute' && b.position !== 'fixed') continue;
      const atOrigin = (b.top ?? 1) <= 0 && (b.left ?? 1) <= 0;
      const spans = ((b.right ?? 1) <= 0 || b.width === 'full') && ((b.bottom ?? 1) <= 0 || b.height === 'full');
      if (atOrigin && spans) return { index: i, zIndex: b.zIndex ?? 0, colour: b.opaque === 'image' ? undefined : b.opaque };
    }
    return undefined;
  }

  /**
   * Whether the next sibling is an empty, opaque, positioned box pulled up over
   * this element by a negative margin (positioned boxes paint above in-flow text).
   */
  private pulledOver(el: Element, style: ElementStyle, parentState: VisualState): boolean {
    let next = el.next;
    while (next && next.type === 'text' && !/\S/.test(next.data)) next = next.next;
    if (!next || !isElement(next)) return false;
    // Only a margin can pull the box up: an inline one, or one a style sheet gives through a class or id.
    const inlineMargin = next.attribs.style?.includes('margin') ?? false;
    const sheetMargin = !this.sheets.empty && (next.attribs.class !== undefined || next.attribs.id !== undefined);
    if (!inlineMargin && !sheetMargin) return false;
    if (!isEmptyBox(next)) return false;
    const nextStyle = this.styles.compute(next, parentState, this.ancestors);
    const b = nextStyle.box;
    if (nextStyle.removed || !b.solid || b.opaque === undefined || b.position === 'static' || b.marginTop === undefined || b.marginTop >= 0) return false;
    const own = style.box;
    const height = typeof own.height === 'number' ? own.height : singleLine(el) ? (own.lineHeight ?? style.state.fontPx * 1.2) : undefined;
    if (height === undefined || typeof b.height !== 'number') return false;
    const gap = own.marginBottom ?? (el.name === 'p' ? style.state.fontPx : 0);
    return -b.marginTop >= gap + height && b.height >= height;
  }

  private open(el: Element, parent: Frame, index: number): Frame | undefined {
    const tag = el.name.toLowerCase();
    if (DROPPED_SILENTLY.has(tag) && el.namespace !== SVG_NAMESPACE) return undefined;
    const collapsed = this.collapsedChild(parent, el);
    if (collapsed) parent = collapsed;

    let foreign: Foreign = parent.foreign;
    if (el.namespace === SVG_NAMESPACE) foreign = tag === 'foreignobject' ? 'html' : SVG_TEXT.has(tag) ? 'svg-text' : parent.foreign === 'svg-text' ? 'svg-text' : 'svg';
    else if (el.namespace !== MATHML_NAMESPACE) foreign = 'html';

    // The declarative shadow root itself is walked in place of the host's children (childrenOf).
    if (tag === 'template' && parent.el !== undefined && shadowRootOf(parent.el) === el) return undefined;
    let removedHere = false;
    if (parent.removed) removedHere = true;
    else if (DROPPED_COUNTED.has(tag) && el.namespace !== SVG_NAMESPACE) removedHere = true;
    else if (tag === 'dialog' && el.attribs.open === undefined) removedHere = true;
    else if (tag === 'input' && (el.attribs.type ?? '').trim().toLowerCase() === 'hidden') removedHere = true;
    else if (el.attribs.hidden !== undefined && el.attribs.hidden.trim().toLowerCase() === 'until-found') removedHere = true;
    else if (el.namespace === SVG_NAMESPACE && SVG_NOT_RENDERED.has(tag)) removedHere = true;
    else if (el.namespace === SVG_NAMESPACE && tag === 'svg' && svgIsEmpty(el)) removedHere = true;
    else if (el.namespace === MATHML_NAMESPACE && (tag === 'annotation' || tag === 'annotation-xml')) removedHere = true;
    else if (tag === 'option' && parent.shownOption !== undefined && parent.shownOption !== el) removedHere = true;
    else if (tag === 'option' && parent.listRows !== undefined && !parent.listRows.has(el)) removedHere = true;
    // SVG 2: a foreignObject's width and height default to 0 and its content is clipped to them.
    else if (el.namespace === SVG_NAMESPACE && tag === 'foreignobject' && (zeroLength(el.attribs.width ?? '0') || zeroLength(el.attribs.height ?? '0'))) removedHere = true;
    // A meter or progress bar is drawn as a gauge; its content is fallback that a browser does not show.
    else if ((tag === 'meter' || tag === 'progress') && el.namespace !== SVG_NAMESPACE) removedHere = true;

    // Document style sheets do not reach into a shadow tree (CSS Scoping 1 §3); inline styles and inheritance do.
    const style = removedHere ? undefined : (parent.inShadow ? this.shadowStyles : this.styles).compute(el, parent.state, this.ancestors);
    let state = style?.state ?? parent.state;
    const overlay = parent.overlay;
    if (style && overlay && index !== overlay.index) {
      const positioned = style.box.position !== 'static';
      const above = positioned && (index > overlay.index ? (style.box.zIndex ?? 0) >= overlay.zIndex : (style.box.zIndex ?? 0) > overlay.zIndex);
      if (!above) removedHere = true;
      else if (overlay.colour) state = { ...state, background: overlay.colour };
    }
    if (style && !removedHere && this.pulledOver(el, style, parent.state)) removedHere = true;
    if (style?.removed) removedHere = true;
    if (!removedHere && el.attribs.hidden !== undefined && style?.display === undefined) removedHere = true;
    // The UA rule [popover]:not(:popover-open) { display: none } hides a popover until script opens it; author CSS can override the display.
    if (!removedHere && el.attribs.popover !== undefined && style?.display === undefined) removedHere = true;
    // A shadow host shows its shadow tree, which this engine does not lay out: what the host shows of its own children is withheld.
    const shadowRoot = removedHere ? undefined : shadowRootOf(el);
    // A shadow tree with style sheets of its own (:host, ::slotted, scoped rules), or a document using ::part(), is styled in ways this engine does not model: withheld.
    if (shadowRoot && (this.partRules || hasStyleSheet(shadowRoot))) state = { ...state, uncertain: true };
    if (style?.suspect) this.suspect++;
    if (style && !removedHere && this.covers === undefined) this.noteCover(el, tag, style, parent);
    const covered = this.covers !== undefined && (parent.covered || this.covers.scopes.has(el)) && !this.covers.boxes.has(el) && !(style && this.paintsAboveCovers(el, style));

    const removed = parent.removed || removedHere;
    const hidden = removed || foreign === 'svg' || (state === parent.state && parent.foreign !== 'svg' && !parent.removed ? parent.hidden : !textVisible(state));
    const ownsList = LIST_ELEMENTS.has(tag);
    const startAttr = Number.parseInt(el.attribs.start ?? '', 10);
    const classes = tag === 'p' && el.attribs.class ? el.attribs.class.toLowerCase().split(/[\t\n\f\r ]+/) : NO_CLASSES;
    const frame: Frame = {
      el,
      tag,
      parent,
      removed,
      hidden,
      hider: hidden && parent.hidden ? parent.hider : undefined,
      countable: true,
      counted: false,
      state: PREFORMATTED_ELEMENTS.has(tag) && state.whiteSpace !== 'pre' ? { ...state, whiteSpace: 'pre' } : state,
      block: blockLevel(tag, classes, style?.display, parent.tag),
      list: ownsList ? { ordered: tag === 'ol', next: Number.isFinite(startAttr) ? startAttr : 1 } : parent.list,
      listDepth: parent.listDepth + (ownsList ? 1 : 0),
      foreign,
      linkId: 0,
      sawText: false,
      closedDetails: tag === 'details' && (el.attribs.open === undefined || this.exclusiveClosed(el)),
      summarySeen: false,
      shownOption: tag === 'select' ? shownOption(el) : tag === 'optgroup' ? parent.shownOption : undefined,
      listRows: tag === 'select' ? listRows(el) : tag === 'optgroup' ? parent.listRows : undefined,
      inShadow: parent.inShadow,
      slots: parent.slots,
      collapsedMarker: parent.collapsedMarker,
      overlay: !removed && style && style.box.position !== 'static' && el.children.length > 1 ? this.overlayAmong(el, state) : undefined,
      containingBlock: style && (style.box.position !== 'static' || style.box.transformed) ? el : parent.containingBlock,
      covered,
    };
    if (hidden && frame.hider === undefined) frame.hider = frame;
    if (!removed) this.afterOpen(frame, el);
    return frame;
  }

  /**
   * Records a box that may be painted over other text, and how far it may reach: a positioned box
   * (absolute, fixed, sticky, or relative pulled by a negative margin or drawing outside itself)
   * or a grid item placed in an explicit area, that paints something opaque — a background, a
   * border, an outline, a shadow, a backdrop filter, or replaced content. A fixed box may reach
   * anything; an absolute one anything in its containing block; the others their siblings.
   */
  private noteCover(el: Element, tag: string, style: ElementStyle, parent: Frame): void {
    const b = style.box;
    if (b.position === 'static' && !b.gridPlaced) return;
    const replaced = REPLACED_COVERS.has(tag) && !isTrackingPixel(el, this.sheets);
    const paints = b.solid && (b.opaque !== undefined || b.drawsEdges || replaced);
    if (!paints) return;
    this.found.boxes.add(el);
    if (b.position === 'fixed') this.found.scopes.add(undefined);
    else if (b.position === 'absolute') this.found.scopes.add(parent.containingBlock);
    else if (b.gridPlaced || b.drawsEdges || (b.position === 'relative' && (b.top ?? b.left ?? b.right ?? b.bottom) !== undefined)) this.found.scopes.add(parent.el);
    else if (b.negativeMargin) {
      // Pulled by a negative margin, an in-flow box reaches its neighbours: those before it (top, left) and after it (bottom, right).
      for (let n = el.prev; n; n = n.prev) if (isElement(n)) this.found.scopes.add(n);
      for (let n = el.next; n; n = n.next) if (isElement(n)) this.found.scopes.add(n);
    } else this.found.boxes.delete(el);
    // A sticky box stays in flow and scrolls with its container: a reader can scroll what it covers into view.
  }

  /**
   * A positioned sibling of the covers with a higher z-index paints above them (CSS 2 Appendix E:
   * one stacking context, ordered by z-index). Only siblings: deeper down, an ancestor may trap the
   * z-index in a stacking context of its own.
   */
  private paintsAboveCovers(el: Element, style: ElementStyle): boolean {
    if (style.box.position === 'static') return false;
    const z = style.box.zIndex ?? 0;
    let siblings = 0;
    let after = false;
    for (const n of el.parent?.children ?? []) {
      if (n === el) after = true;
      if (!isElement(n) || !this.covers?.boxes.has(n)) continue;
      siblings++;
      // Equal z-index (auto counts as 0): tree order decides, the later one on top.
      const coverZ = this.styles.compute(n, ROOT_STATE, this.ancestors).box.zIndex ?? 0;
      if (coverZ > z || (coverZ === z && after)) return false;
    }
    return siblings > 0;
  }

  private afterOpen(frame: Frame, el: Element): void {
    if (frame.block > 0) this.out.requestBreak(frame.block);
    if (this.markQuotes && isQuoteStart(el)) this.out.markQuote();
    switch (frame.tag) {
      case 'br':
        this.out.lineBreak();
        break;
      case 'rt':
        // Ruby text is drawn above its base: a separate word to a reader.
        this.out.space();
        break;
      case 'li':
        this.openListItem(frame, el);
        break;
      case 'td':
      case 'th':
        this.out.cellSeparator();
        break;
      case 'img':
        this.image(frame, el);
        break;
      case 'a':
        if (!frame.hidden && frame.foreign === 'html') this.openLink(frame, el.attribs.href);
        break;
      default:
        break;
    }
  }

  private close(frame: Frame): void {
    if (frame.removed) return;
    if (frame.linkId !== 0 && this.activeLink?.id === frame.linkId) this.closeLink();
    // A list item whose content was all hidden must not lend its bullet to what follows.
    if (frame.tag === 'li') this.out.prefix('');
    if (frame.tag === 'rt') this.out.space();
    if (frame.block > 0) this.out.requestBreak(frame.block);
  }

  private openListItem(frame: Frame, el: Element): void {
    const list = frame.list;
    let marker = '- ';
    if (list?.ordered) {
      const value = Number.parseInt(el.attribs.value ?? '', 10);
      if (Number.isFinite(value)) list.next = value;
      marker = `${list.next}. `;
      list.next += 1;
    }
    if (!frame.hidden) this.out.prefix('  '.repeat(Math.max(0, frame.listDepth - 1)) + marker);
  }

  private image(frame: Frame, el: Element): void {
    const alt = this.clean(el.attribs.alt ?? '').replace(/\s+/g, ' ').trim();
    if (frame.hidden) {
      this.countDropped(frame, alt);
      return;
    }
    if (isTrackingPixel(el, this.sheets)) {
      if (alt) this.hiddenRemoved += 1;
      return;
    }
    if (!alt) return;
    if (frame.state.uncertain || frame.covered) {
      this.withhold(alt);
      return;
    }
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

  private text(raw: string, frame: Frame): void {
    if (frame.foreign === 'svg') return;
    if (frame.hidden) {
      this.countDropped(frame, raw);
      // Whitespace in a font-size:0 gap between columns still separates their words for a reader.
      if (!frame.removed && /[\t\n\f\r ]/.test(raw)) this.out.space();
      return;
    }
    if (frame.state.uncertain || frame.covered) {
      this.withhold(raw);
      return;
    }
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

  /** Open <details> groups seen so far: in a group sharing a name, only the first open one stays open. */
  private readonly openDetailsNames = new Set<string>();

  /** Whether an open <details> is closed by the exclusivity of its name group (HTML: the parser closes later ones). */
  private exclusiveClosed(el: Element): boolean {
    const name = el.attribs.name;
    if (name === undefined || name === '') return false;
    if (this.openDetailsNames.has(name)) return true;
    this.openDetailsNames.add(name);
    return false;
  }

  /** Withholds every word under a node, template content included. */
  private withholdSubtree(root: ParentNode): void {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as { type?: string; data?: string; children?: unknown[] };
      if (node.type === 'text' && typeof node.data === 'string') this.withhold(node.data);
      else if (Array.isArray(node.children)) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }

  /** Counts the words of text whose visibility could not be determined; a gap stays, so neighbours do not join. */
  private withhold(raw: string): void {
    const words = this.clean(raw).match(WORD)?.length ?? 0;
    this.withheld += words;
    if (words > 0 || /[\t\n\f\r ]/.test(raw)) this.out.space();
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

  /** Counts a removed element once if anything inside it had text. */
  private countSubtree(frame: Frame, el: Element): void {
    const hider = frame.hider ?? frame;
    if (!hider.countable || hider.counted) return;
    const stack: ChildNode[] = [el];
    while (stack.length > 0) {
      const node = stack.pop() as ChildNode;
      if (node.type === 'text') {
        if (this.countDropped(frame, node.data)) return;
      } else if (isElement(node)) {
        if (node.name === 'img' && this.countDropped(frame, node.attribs.alt ?? '')) return;
        if (node.name === 'input' && this.countDropped(frame, node.attribs.value ?? '')) return;
        if (DROPPED_SILENTLY.has(node.name)) continue;
        for (const child of (node as ParentNode).children) stack.push(child);
      } else if ('children' in node) {
        // A template's content is a document fragment.
        for (const child of (node as ParentNode).children) stack.push(child);
      }
    }
  }

  /** Counts dropped text against its hiding element; true when it counted. */
  private countDropped(frame: Frame, text: string): boolean {
    const hider = frame.hider ?? frame;
    if (!hider.countable || hider.counted) return false;
    if (!/\S/.test(stripInvisible(text).text)) return false;
    hider.counted = true;
    this.hiddenRemoved += 1;
    if (frame.collapsedMarker) {
      this.out.requestBreak(1);
      this.out.write(COLLAPSED_MARKER);
      this.out.requestBreak(1);
    }
    return true;
  }
}

/** The text of the document's style sheets in document order, skipping those in template content or not in the tree. */
function collectStyleSheets(document: Document, styleElements: readonly Element[]): string[] {
  const sheets: string[] = [];
  for (const node of styleElements) {
    if (!inDocument(node, document)) continue;
    if (node.name === 'style') {
      const type = (node.attribs.type ?? '').trim().toLowerCase();
      if ((type === '' || type === 'text/css') && mediaMatches(node.attribs.media)) {
        sheets.push(node.children.map((c) => (c.type === 'text' ? c.data : '')).join(''));
      }
      continue;
    }
    const rel = node.attribs.rel ?? '';
    if (/(?:^|\s)stylesheet(?:\s|$)/i.test(rel) && !/(?:^|\s)alternate(?:\s|$)/i.test(rel)) {
      const css = decodeDataUrl(node.attribs.href ?? '');
      if (css !== undefined && mediaMatches(node.attribs.media)) sheets.push(css);
    }
  }
  return sheets;
}

/** Whether the element hangs from the document itself (not from a template's content fragment). */
function inDocument(el: Element, document: Document): boolean {
  let node: ParentNode | null = el.parent;
  for (let depth = 0; node && depth <= MAX_TREE_DEPTH + 1; depth++) {
    if (node === document) return true;
    if (isElement(node) && node.name === 'template') return false;
    node = node.parent;
  }
  return false;
}

/** An element with no text in it (looked at to a bounded depth): a candidate for a covering box. */
function isEmptyBox(el: Element): boolean {
  if (el.children.length === 0) return true;
  if (el.children.length === 1 && el.children[0]?.type === 'text') return !/\S/.test(el.children[0].data);
  const stack: ChildNode[] = [...el.children];
  let seen = 0;
  while (stack.length > 0) {
    if (++seen > MAX_OVERLAY_SCAN) return false;
    const n = stack.pop() as ChildNode;
    if (n.type === 'text' && /\S/.test(n.data)) return false;
    if (isElement(n)) {
      if (n.name === 'img' || n.name === 'input' || n.name === 'svg') return false;
      stack.push(...n.children);
    }
  }
  return true;
}

/** Short text with no element children that could wrap or break it: one line at desktop width. */
function singleLine(el: Element): boolean {
  let length = 0;
  for (const c of el.children) {
    if (c.type !== 'text') return false;
    length += c.data.trim().length;
  }
  return length > 0 && length <= 60;
}

function svgIsEmpty(el: Element): boolean {
  const zero = (v: string | undefined): boolean => v !== undefined && /^\s*0*\.?0*(?:px)?\s*$/.test(v) && /0/.test(v);
  return zero(el.attribs.width) || zero(el.attribs.height);
}

/** The option a single-choice select shows: the last selected one, else the first. */
function shownOption(select: Element): Element | undefined {
  const multiple = select.attribs.multiple !== undefined;
  const size = Number.parseInt(select.attribs.size ?? '', 10);
  if (multiple || (Number.isFinite(size) && size > 1)) return undefined;
  let first: Element | undefined;
  let selected: Element | undefined;
  const stack: ChildNode[] = [...select.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as ChildNode;
    if (!isElement(node)) continue;
    if (node.name === 'option') {
      first ??= node;
      if (node.attribs.selected !== undefined) selected = node;
    } else if (node.name === 'optgroup') {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as ChildNode);
    }
  }
  return selected ?? first;
}

/**
 * The options a list box shows without scrolling (HTML §15.5.15: `size` rows, 4 for a `multiple`
 * select without one; an optgroup label takes a row), or undefined for a drop-down.
 */
function listRows(select: Element): ReadonlySet<Element> | undefined {
  const multiple = select.attribs.multiple !== undefined;
  const size = Number.parseInt(select.attribs.size ?? '', 10);
  const rows = Number.isFinite(size) && size > 1 ? size : multiple ? (Number.isFinite(size) && size === 1 ? 1 : 4) : 0;
  if (rows === 0) return undefined;
  const shown = new Set<Element>();
  let row = 0;
  const stack: ChildNode[] = [...select.children].reverse();
  while (stack.length > 0 && row < rows) {
    const node = stack.pop() as ChildNode;
    if (!isElement(node)) continue;
    if (node.name === 'option') {
      shown.add(node);
      row++;
    } else if (node.name === 'optgroup') {
      row++;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as ChildNode);
    }
  }
  return shown;
}

function zeroLength(value: string): boolean {
  return /^\s*[+-]?0*\.?0*(?:px)?\s*$/.test(value) && /0/.test(value);
}

// HTML §4.13.1 (attachShadow): the elements that may host a shadow root, besides valid custom element names.
const SHADOW_HOSTS = new Set(['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span']);

/**
 * The template that is this element's declarative shadow root (HTML parser, "insert an HTML
 * element" for a template with shadowrootmode): the first child template whose shadowrootmode is
 * open or closed, when the element can host a shadow root. Any other template stays inert.
 */
function shadowRootOf(el: Element): Element | undefined {
  if (el.namespace === SVG_NAMESPACE || el.namespace === MATHML_NAMESPACE) return undefined;
  if (!SHADOW_HOSTS.has(el.name) && !/^[a-z][^\s/>A-Z]*-[^\s/>A-Z]*$/.test(el.name)) return undefined;
  for (const c of el.children) {
    if (!isElement(c) || c.name !== 'template') continue;
    const mode = (c.attribs.shadowrootmode ?? '').trim().toLowerCase();
    if (mode === 'open' || mode === 'closed') return c;
  }
  return undefined;
}

/** A template's content: the parser keeps it as a fragment, the template's only child. */
function templateContent(template: Element): readonly ChildNode[] {
  const first = template.children[0] as (ChildNode & { children?: ChildNode[] }) | undefined;
  if (first && first.type === 'root' && Array.isArray(first.children)) return first.children;
  return template.children;
}

/** DOM "assign slottables": each light child (element or text) goes to the first slot in tree order with its slot name. */
function assignSlots(host: Element, root: Element): { byName: Map<string, ChildNode[]>; assigned: Set<ChildNode> } {
  const names = new Set<string>();
  const stack: ChildNode[] = [...templateContent(root)].reverse();
  while (stack.length > 0) {
    const n = stack.pop() as ChildNode;
    if (!isElement(n)) continue;
    if (n.name === 'slot') names.add(n.attribs.name ?? '');
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as ChildNode);
  }
  const byName = new Map<string, ChildNode[]>();
  const assigned = new Set<ChildNode>();
  for (const node of host.children) {
    if (node === root) continue;
    if (node.type !== 'text' && !isElement(node)) continue;
    const name = isElement(node) ? (node.attribs.slot ?? '') : '';
    if (!names.has(name)) continue;
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(node);
    assigned.add(node);
  }
  return { byName, assigned };
}

/** Whether a shadow tree carries style sheets of its own. */
function hasStyleSheet(root: Element): boolean {
  const stack: ChildNode[] = [...templateContent(root)];
  while (stack.length > 0) {
    const n = stack.pop() as ChildNode;
    if (!isElement(n)) continue;
    if (n.name === 'style' || n.name === 'link') return true;
    stack.push(...n.children);
  }
  return false;
}

function isTrackingPixel(el: Element, sheets: StyleSheets): boolean {
  const tiny = (value: string | undefined): boolean => {
    if (value === undefined) return false;
    const n = Number.parseFloat(value);
    return Number.isFinite(n) && n <= 1;
  };
  if (tiny(el.attribs.width) || tiny(el.attribs.height)) return true;
  const style = el.attribs.style;
  if (!style) return false;
  for (const d of sheets.parseInline(style)) {
    if ((d.prop === 'width' || d.prop === 'height') && /^0*(?:\.\d+)?(?:px)?$|^1(?:\.0*)?(?:px)?$/.test(d.value)) return true;
  }
  return false;
}

function blockLevel(tag: string, classes: readonly string[], display: string | undefined, parentTag: string): number {
  let level = 0;
  // Outlook writes every line as <p class=MsoNormal> with zero margins; a paragraph
  // directly in a list item or cell would only spread the list or table out.
  if (PARAGRAPH_ELEMENTS.has(tag)) {
    const compact = tag === 'p' && (classes.some((c) => c.startsWith('mso')) || COMPACT_PARENTS.has(parentTag));
    level = compact ? 1 : 2;
  } else if (BLOCK_ELEMENTS.has(tag)) level = 1;
  if (display === undefined) return level;
  if (BLOCK_DISPLAYS.has(display)) return Math.max(level, 1);
  if (display.startsWith('inline')) return 0;
  return level;
}
