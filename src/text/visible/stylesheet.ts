/**
 * Author style sheets and the cascade: which declarations apply to an element.
 *
 * - Sources, in document order: every `<style>` element anywhere in the
 *   document (outside `<template>`), `<link rel=stylesheet>` with a `data:`
 *   URL, and `@import` of `data:` URLs. A `<style>` after an element applies to
 *   it, as in browsers: all sheets are collected before any element is styled.
 * - css-tree parses; css-what parses selectors; css-select matches them on the
 *   parse5 tree (domhandler nodes), in quirks mode when the document is
 *   (class and id names then match case-insensitively).
 * - At-rules: `@media` is evaluated for a desktop screen of 1280×900 at 1dppx,
 *   light scheme, fine pointer with hover, scripting off; `@supports` asks
 *   css-tree's grammar whether a declaration is valid; `@layer` orders layers
 *   by first appearance (unlayered rules win over layered ones, reversed for
 *   `!important`); `@container`, `@scope`, `@document` and nested rules are
 *   skipped (their rules do not apply).
 * - Declarations are kept only for the properties that decide visibility,
 *   and only when valid: css-tree's grammar checks values (escapes decoded as
 *   the tokenizer does, so `display:none\9` is invalid), with the quirks-mode
 *   unitless-length rule; values holding var() are checked at computed time.
 *
 * Invariants: no recursion over document depth (the CSS AST is walked with an
 * explicit stack; data: imports nest at most MAX_IMPORT_DEPTH deep); selectors
 * are compiled lazily, only for elements whose id, class or tag can match the
 * rightmost compound, so a huge sheet costs parse time, not matching time.
 *
 * Known limits: no `:hover`/`:focus`/`:checked` changes after load (css-select
 * treats dynamic states as not matching); sub-layer ordering is by first
 * appearance only; a sheet css-tree cannot parse (stack overflow on absurd
 * nesting) is ignored and reported through `failedSheets`.
 */
import * as csstree from 'css-tree';
import { compile } from 'css-select';
import { parse as parseSelectorList, SelectorType, type Selector } from 'css-what';
import type { Element, Node as DomNode } from 'domhandler';
import { parseColor, splitTopLevel, unescapeCss } from './values.js';

/** A declaration that survived parsing and validation. */
export interface Declaration {
  readonly prop: string;
  readonly value: string;
  readonly important: boolean;
}

/** A declaration with its cascade position. */
interface Ranked {
  readonly decl: Declaration;
  readonly layer: number;
  readonly specificity: number;
  readonly order: number;
}

/** The properties that decide visibility, line breaks or white-space; others are dropped at parse time. */
const RELEVANT_PROPERTIES = new Set([
  'display', 'visibility', 'content-visibility', 'font-size', 'font', 'opacity', 'filter', 'color',
  'height', 'max-height', 'width', 'max-width', 'overflow', 'overflow-x', 'overflow-y', 'line-height',
  'position', 'left', 'right', 'top', 'bottom', 'inset', 'clip', 'clip-path', 'text-indent', 'margin',
  'margin-left', 'margin-top', 'margin-bottom', 'transform', 'scale', 'translate', 'white-space', 'text-wrap', 'text-wrap-mode',
  'zoom', 'z-index', 'background', 'background-color', 'background-image', 'background-clip',
  '-webkit-background-clip', '-webkit-text-fill-color', 'text-shadow', 'mask', 'mask-image', '-webkit-mask',
  '-webkit-mask-image', 'mso-hide', 'float', 'contain', '-webkit-text-stroke', '-webkit-text-stroke-width',
  '-webkit-text-stroke-color', 'block-size', 'inline-size', 'max-block-size', 'max-inline-size',
  // Not evaluated: present, they make the element's text uncertain (visibility.ts, undecidable()).
  'animation', 'animation-name', 'rotate', 'mix-blend-mode', 'backdrop-filter', 'mask-border', '-webkit-mask-box-image',
  'offset', 'offset-path', 'font-size-adjust', '-webkit-line-clamp', 'line-clamp',
  'animation-fill-mode', 'animation-direction', 'animation-iteration-count', 'animation-timeline', 'animation-duration', 'animation-delay',
  // Direction and writing mode, and the flow-relative properties they map (visibility.ts, mapLogical()).
  'direction', 'writing-mode', 'margin-right', 'margin-inline', 'margin-inline-start', 'margin-inline-end', 'margin-block',
  'margin-block-start', 'margin-block-end', 'inset-inline', 'inset-inline-start', 'inset-inline-end', 'inset-block',
  'inset-block-start', 'inset-block-end', 'letter-spacing', 'color-scheme', 'font-family',
  // What a box paints over others (render.ts, covers).
  'border', 'border-width', 'border-style', 'border-color', 'border-top', 'border-right', 'border-bottom', 'border-left',
  'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width', 'outline', 'outline-width',
  'outline-style', 'box-shadow', 'grid-area', 'grid-row', 'grid-column', 'grid-row-start', 'grid-column-start', 'content',
]);

const UNITLESS_QUIRK_PROPERTIES = new Set([
  'height', 'max-height', 'width', 'max-width', 'left', 'right', 'top', 'bottom', 'margin', 'margin-left',
  'margin-top', 'text-indent', 'font-size', 'clip', 'line-height',
]);

const MAX_IMPORT_DEPTH = 4;

// A css-tree parser keeps one token buffer and clears all of it on every parse, so once it has read
// a large sheet, every small parse after it (a style attribute, a value) costs as much as the large
// one. Small inputs therefore get a parser of their own, whose buffer stays small.
const SMALL_INPUT_CHARS = 16_384;
const smallParser = csstree.fork({});

function parserFor(text: string): csstree.Syntax {
  return text.length <= SMALL_INPUT_CHARS ? smallParser : (csstree as unknown as csstree.Syntax);
}

// Caches of pure results, shared across documents: mail repeats the same declarations, inline
// styles and selectors in every message of a template. Each is emptied past its bound.
const MAX_VALIDATION_CACHE = 20_000;
const MAX_INLINE_CACHE = 5_000;
const MAX_SELECTOR_CACHE = 20_000;
const MAX_SHEET_CACHE_CHARS = 4_000_000;
const validity = new Map<string, boolean>();
/** A parsed sheet: rules (with declarations) and layer statements (without), in order; null when unparseable. */
interface SheetItem {
  readonly prelude: string;
  readonly decls: readonly Declaration[] | undefined;
  readonly layer: string;
  /** A `@keyframes` name whose frames set a property that decides visibility (decls is then undefined). */
  readonly keyframes?: string;
  /** A font family an @font-face resizes (size-adjust, ascent/descent overrides): its glyph size needs the font's metrics. */
  readonly resizedFont?: string;
  /** That @keyframes' end frames: declarations at 0% (from) and 100% (to), !important ones left out (CSS Animations 1 §3). */
  readonly frames?: KeyframeEnds;
}

/** The declarations a @keyframes sets at its start (0%) and end (100%). */
export interface KeyframeEnds {
  readonly from: readonly Declaration[];
  readonly to: readonly Declaration[];
}

const UNIVERSAL: Selector = { type: SelectorType.Universal, namespace: null };

/** The declaration standing for a rule this engine cannot evaluate: the elements it may match are withheld. */
export const UNCERTAIN_PROPERTY = '-outlook-uncertain';

function uncertainDecl(reason: string): Declaration {
  return { prop: UNCERTAIN_PROPERTY, value: reason, important: true };
}

// At-rules whose condition or effect depends on layout or time this engine does not compute: their rules may or may not apply.
const UNDECIDED_AT_RULES = new Set(['container', 'scope']);
const KEYFRAMES_AT_RULES = new Set(['keyframes', '-webkit-keyframes']);
// Pseudo-elements that restyle part of the element's own text (the rest only style generated boxes).
const OWN_TEXT_PSEUDO_ELEMENTS = new Set(['first-line', 'first-letter']);
const GENERATED_BOX_PSEUDO_ELEMENTS = new Set(['before', 'after']);

/**
 * Whether a ::before/::after rule generates a box (content other than none/normal) that paints
 * over other boxes: a background, a border, an outline, a shadow or a backdrop filter, or
 * absolute/fixed positioning. A clearfix (`content:""; display:table`) paints nothing.
 */
function generatedBoxPaints(decls: readonly Declaration[]): boolean {
  const content = decls.filter((d) => d.prop === 'content').pop();
  if (content === undefined || content.value === 'none' || content.value === 'normal') return false;
  return decls.some((d) => {
    if (d.prop === 'position') return /^(?:absolute|fixed)$/.test(d.value);
    if (!/^(?:background|background-color|background-image|border|border-[a-z-]+|outline|outline-width|outline-style|box-shadow|backdrop-filter)$/.test(d.prop)) return false;
    return !/^(?:none|0|0px|transparent|hidden|initial|rgba\(0,\s*0,\s*0,\s*0\))$/.test(d.value);
  });
}

/** Where a block sits: its cascade layer, the selector nested rules are relative to, and why its rules are undecided. */
interface BlockContext {
  readonly layer: string;
  readonly parent: string | undefined;
  readonly undecided: string | undefined;
}
const ANONYMOUS_LAYER = '\0anonymous';
const sheetCache = new Map<string, SheetItem[] | null>();
let sheetCacheChars = 0;
const inlineCache = new Map<string, Declaration[]>();
const selectorCache = new Map<string, Selector[][] | null>();
const queryCache = new Map<string, ((el: Element) => boolean) | null>();

/**
 * Pseudo-classes decided for a reader who has just opened the mail (no script, no pointer over
 * it, no fragment in the URL, not in a shadow tree): they match nothing, or what the spec says.
 */
const READER_PSEUDOS: Record<string, string | ((el: Element, value?: string | null) => boolean)> = {
  target: () => false,
  'target-within': () => false,
  // :host and :host-context match only shadow hosts from inside their shadow tree (CSS Scoping 1); document sheets are outside every one.
  host: () => false,
  'host-context': () => false,
  '-webkit-any-link': 'a[href], area[href]',
  // :dir() (Selectors 4) matches the element's directionality: the nearest dir attribute (auto read as ltr).
  dir: (el, value) => {
    let node: Element | null = el;
    while (node && node.type === 'tag') {
      const dir = node.attribs.dir?.trim().toLowerCase();
      if (dir === 'rtl' || dir === 'ltr') return dir === (value ?? '').trim().toLowerCase();
      if (dir === 'auto') break;
      node = node.parent as Element | null;
    }
    return (value ?? '').trim().toLowerCase() === 'ltr';
  },
};

// Selectors 4 and Chromium's own: a plain (not forgiving) selector list using any other pseudo-class or pseudo-element is invalid, so the whole rule is dropped.
const KNOWN_PSEUDO_CLASSES = new Set([
  'active', 'any-link', 'autofill', 'blank', 'buffering', 'checked', 'closed', 'current', 'default', 'defined', 'dir', 'disabled', 'empty', 'enabled',
  'first', 'first-child', 'first-of-type', 'focus', 'focus-visible', 'focus-within', 'fullscreen', 'future', 'has', 'has-slotted', 'host',
  'host-context', 'hover', 'in-range', 'indeterminate', 'invalid', 'is', 'lang', 'last-child', 'last-of-type', 'left', 'link', 'local-link',
  'matches', 'modal', 'muted', 'not', 'nth-child', 'nth-last-child', 'nth-last-of-type', 'nth-of-type', 'only-child', 'only-of-type', 'open',
  'optional', 'out-of-range', 'past', 'paused', 'picture-in-picture', 'placeholder-shown', 'playing', 'popover-open', 'read-only',
  'read-write', 'required', 'right', 'root', 'scope', 'seeking', 'stalled', 'state', 'target', 'target-within', 'user-invalid', 'user-valid',
  'valid', 'visited', 'volume-locked', 'where', 'active-view-transition', 'active-view-transition-type', 'xr-overlay', 'horizontal',
  'vertical', 'decrement', 'increment', 'start', 'end', 'double-button', 'single-button', 'no-button', 'corner-present', 'window-inactive',
  'before', 'after', 'first-line', 'first-letter', 'contains', 'icontains', 'checkbox', 'radio',
]);
const KNOWN_PSEUDO_ELEMENTS = new Set([
  'before', 'after', 'first-line', 'first-letter', 'marker', 'placeholder', 'selection', 'backdrop', 'file-selector-button', 'cue', 'cue-region',
  'part', 'slotted', 'highlight', 'spelling-error', 'grammar-error', 'target-text', 'details-content', 'view-transition', 'view-transition-group',
  'view-transition-image-pair', 'view-transition-old', 'view-transition-new', 'scroll-marker', 'scroll-marker-group', 'scroll-button', 'column',
  'picker', 'checkmark', 'picker-icon', 'search-text',
]);

/** Whether a parsed selector uses a pseudo-class or pseudo-element no browser knows (vendor-prefixed ones are given the benefit of the doubt). */
function unknownPseudo(tokens: readonly Selector[]): boolean {
  for (const t of tokens) {
    if (t.type !== 'pseudo' && t.type !== 'pseudo-element') continue;
    const name = t.name.toLowerCase();
    // Chromium accepts any ::-webkit- pseudo-element (matching nothing it does not know); other vendors' prefixes it rejects.
    if (name.startsWith('-webkit-')) continue;
    if (!(t.type === 'pseudo' ? KNOWN_PSEUDO_CLASSES : KNOWN_PSEUDO_ELEMENTS).has(name)) return true;
  }
  return false;
}

/** The family an @font-face block resizes (CSS Fonts 5 size-adjust, ascent-override, descent-override other than normal/100%), or undefined. */
function fontFaceResizes(block: csstree.CssNode): string | undefined {
  let family: string | undefined;
  let resizes = false;
  for (const d of childrenOf(block)) {
    if (d.type !== 'Declaration') continue;
    const prop = d.property.toLowerCase();
    const value = stripComments(rawText(d.value)).trim().toLowerCase();
    if (prop === 'font-family') family = value.replace(/^["']|["']$/g, '');
    else if ((prop === 'size-adjust' && value !== '100%') || ((prop === 'ascent-override' || prop === 'descent-override') && value !== 'normal')) resizes = true;
  }
  return resizes ? family : undefined;
}

function compileCached(tokens: Selector[], key: string, quirks: boolean): ((el: Element) => boolean) | null {
  const cacheKey = `${quirks ? 1 : 0}${key}`;
  const cached = queryCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let matcher: ((el: Element) => boolean) | null;
  try {
    const query = compile<DomNode, Element>([tokens], { quirksMode: quirks, xmlMode: false, cacheResults: false, pseudos: READER_PSEUDOS });
    matcher = (e) => query(e);
  } catch {
    // A selector css-select cannot compile is treated as not matching, like an invalid one.
    matcher = null;
  }
  if (queryCache.size >= MAX_SELECTOR_CACHE) queryCache.clear();
  queryCache.set(cacheKey, matcher);
  return matcher;
}

/** A matched rule, identified for memoising computed styles. */
export interface MatchedRule {
  readonly id: number;
}

/** Rules filed under the id, class or tag of their rightmost compound. */
interface IndexEntry {
  /** Rules that need no ancestor with a given id or class. */
  free: Rule[] | undefined;
  /** The other rules, by the key of the nearest ancestor they need. */
  byAncestor: Map<string, Rule[]> | undefined;
}

/** A style rule's complex selector with its declarations. */
interface Rule extends MatchedRule {
  readonly tokens: Selector[];
  readonly decls: readonly Declaration[];
  readonly specificity: number;
  readonly order: number;
  readonly layer: number;
  /** The selector list's text and the index of this selector in it, for the compiled-query cache. */
  readonly prelude: string;
  readonly index: number;
  /** Keys (#id, .class) the subject's ancestors must carry. */
  readonly ancestors: readonly string[];
  matcher: ((el: Element) => boolean) | null | undefined;
  /** For a selector css-select cannot compile: the same rule, uncertain, matching its selector with pseudo-classes removed. */
  loose: Rule | null | undefined;
}

/** The screen every `@media` query is evaluated against. */
const SCREEN = { width: 1280, height: 900, resolution: 1 };

export class StyleSheets {
  /** Sheets css-tree could not parse; their rules are missing. */
  failedSheets = 0;
  /** A sheet has a ::part() rule (it styles shadow trees, which rules here do not reach). */
  usesPart = false;
  private readonly index = new Map<string, IndexEntry>();
  private readonly layers = new Map<string, number>();
  private order = 0;
  private sheetSerial = 0;
  private ancestorRules = 0;
  private ruleCount = 0;
  /** Names of @keyframes that change a property deciding visibility. */
  private readonly keyframes = new Set<string>();
  private readonly keyframeFrames = new Map<string, KeyframeEnds>();
  /** Families (lower case) an @font-face resizes. */
  readonly resizedFonts = new Set<string>();

  constructor(private readonly quirks: boolean) {}

  get empty(): boolean {
    return this.ruleCount === 0;
  }

  /** Adds one style sheet's text, in document order. */
  addSheet(text: string): void {
    if (/::part\(/i.test(text)) this.usesPart = true;
    const key = `${this.quirks ? 1 : 0}${text}`;
    let items = sheetCache.get(key);
    if (items === undefined) {
      items = this.parseSheet(text, 0, []);
      if (sheetCacheChars + key.length > MAX_SHEET_CACHE_CHARS) {
        sheetCache.clear();
        sheetCacheChars = 0;
      }
      if (key.length <= MAX_SHEET_CACHE_CHARS) {
        sheetCache.set(key, items);
        sheetCacheChars += key.length;
      }
    }
    if (items === null) {
      this.failedSheets++;
      return;
    }
    // Anonymous layers are distinct in every sheet.
    const serial = this.sheetSerial++;
    const local = (layer: string): string => (layer.includes(ANONYMOUS_LAYER) ? layer.replaceAll(ANONYMOUS_LAYER, `${ANONYMOUS_LAYER}${serial}:`) : layer);
    for (const item of items) {
      if (item.resizedFont !== undefined) this.resizedFonts.add(item.resizedFont);
      else if (item.keyframes !== undefined) {
        this.keyframes.add(item.keyframes);
        if (item.frames) this.keyframeFrames.set(item.keyframes, item.frames);
      }
      else if (item.decls === undefined) this.layerRank(local(item.layer));
      else this.addRule(item.prelude, item.decls, local(item.layer));
    }
  }

  /**
   * Parses a sheet into rules and layer statements, with @media, @supports and data: @import
   * already applied, nested rules flattened (CSS Nesting: `&` is the parent selector, a selector
   * without `&` is relative to it) and the rules of at-rules this engine cannot decide
   * (UNDECIDED_AT_RULES) kept as uncertain.
   */
  private parseSheet(text: string, depth: number, items: SheetItem[]): SheetItem[] | null {
    let ast: csstree.CssNode;
    try {
      ast = parserFor(text).parse(text, {
        parseValue: false,
        parseRulePrelude: false,
        parseAtrulePrelude: false,
        positions: false,
      });
    } catch {
      return null;
    }
    // An explicit stack of (block children, context) keeps nesting off the call stack.
    const work: Array<{ nodes: csstree.CssNode[]; index: number; ctx: BlockContext }> = [
      { nodes: childrenOf(ast), index: 0, ctx: { layer: '', parent: undefined, undecided: undefined } },
    ];
    let anonymous = 0;
    let sawRule = false;
    while (work.length > 0) {
      const top = work[work.length - 1] as (typeof work)[number];
      const node = top.nodes[top.index++];
      if (node === undefined) {
        work.pop();
        continue;
      }
      const ctx = top.ctx;
      if (node.type === 'Rule') {
        sawRule = true;
        const prelude = nestSelector(rawText(node.prelude), ctx.parent);
        this.ruleBlock(node.block, prelude, ctx, items, work);
        continue;
      }
      if (node.type === 'Raw' && ctx.parent !== undefined) {
        // css-tree leaves nested rules it does not recognise (`.c &{…}`) raw: they are parsed again as rules.
        const nested = reparseRaw(node.value);
        if (nested) work.push({ nodes: nested, index: 0, ctx });
        else items.push({ prelude: ctx.parent, decls: [uncertainDecl('unparsed nested content')], layer: ctx.layer });
        continue;
      }
      if (node.type !== 'Atrule') continue;
      const name = node.name.toLowerCase();
      const prelude = rawText(node.prelude ?? null).trim();
      // CSS Cascade 5 §2.1: @import after any rule other than @charset and @layer statements is invalid and ignored.
      if (name !== 'import' && name !== 'charset' && !(name === 'layer' && !node.block)) sawRule = true;
      if (name === 'import' && sawRule) continue;
      if (name === 'import') {
        const css = depth < MAX_IMPORT_DEPTH && ctx.parent === undefined ? importedSheet(prelude) : undefined;
        if (css !== undefined) this.parseSheet(css, depth + 1, items);
        continue;
      }
      if (KEYFRAMES_AT_RULES.has(name)) {
        if (node.block && this.keyframesMatter(node.block)) items.push({ prelude: '', decls: undefined, layer: '', keyframes: unescapeCss(prelude).replace(/^["']|["']$/g, ''), frames: this.keyframeEnds(node.block) });
        continue;
      }
      if (name === 'font-face') {
        const family = node.block ? fontFaceResizes(node.block) : undefined;
        if (family !== undefined) items.push({ prelude: '', decls: undefined, layer: '', resizedFont: family });
        continue;
      }
      if (name === 'layer') {
        const names = prelude ? prelude.split(',').map((n) => n.trim().toLowerCase()) : [];
        if (!node.block) {
          for (const n of names) items.push({ prelude: '', decls: undefined, layer: joinLayer(ctx.layer, n) });
          continue;
        }
        const layer = joinLayer(ctx.layer, names[0] ?? `${ANONYMOUS_LAYER}${anonymous++}`);
        items.push({ prelude: '', decls: undefined, layer });
        this.enterBlock(node.block, { ...ctx, layer }, items, work);
        continue;
      }
      if (!node.block) continue;
      if ((name === 'media' && mediaMatches(prelude)) || (name === 'supports' && this.supports(prelude))) {
        this.enterBlock(node.block, ctx, items, work);
      } else if (UNDECIDED_AT_RULES.has(name)) {
        this.enterBlock(node.block, { ...ctx, undecided: ctx.undecided ?? `@${name}` }, items, work);
      }
      // Any other at-rule is one a browser ignores here (unknown, or not about element styles).
    }
    return items;
  }

  /** A conditional block's content: nested inside a rule, its declarations apply to the rule's selector. */
  private enterBlock(block: csstree.CssNode, ctx: BlockContext, items: SheetItem[], work: Array<{ nodes: csstree.CssNode[]; index: number; ctx: BlockContext }>): void {
    if (ctx.parent !== undefined) this.ruleBlock(block, ctx.parent, ctx, items, work);
    else work.push({ nodes: childrenOf(block), index: 0, ctx });
  }

  /** A style rule's block: its declarations become one item, its nested rules and at-rules are walked next. */
  private ruleBlock(block: csstree.CssNode, prelude: string, ctx: BlockContext, items: SheetItem[], work: Array<{ nodes: csstree.CssNode[]; index: number; ctx: BlockContext }>): void {
    const decls = this.declarations(block);
    if (decls.length > 0) items.push({ prelude, decls: ctx.undecided ? [uncertainDecl(ctx.undecided)] : decls, layer: ctx.layer });
    const nested = childrenOf(block).filter((n) => n.type !== 'Declaration');
    if (nested.length > 0) work.push({ nodes: nested, index: 0, ctx: { ...ctx, parent: prelude } });
  }

  /** Whether a @keyframes block sets a property that decides visibility. */
  private keyframesMatter(block: csstree.CssNode): boolean {
    return childrenOf(block).some((frame) => frame.type === 'Rule' && this.declarations(frame.block).some((d) => !d.prop.startsWith('--')));
  }

  /** The declarations at 0% and 100% of a @keyframes block (a later frame for the same offset adds to an earlier one). */
  private keyframeEnds(block: csstree.CssNode): KeyframeEnds {
    const from: Declaration[] = [];
    const to: Declaration[] = [];
    for (const frame of childrenOf(block)) {
      if (frame.type !== 'Rule') continue;
      const offsets = rawText(frame.prelude).toLowerCase().split(',').map((o) => o.trim());
      const decls = this.declarations(frame.block).filter((d) => !d.important);
      if (offsets.some((o) => o === 'from' || /^0+(?:\.0*)?%$/.test(o))) from.push(...decls);
      if (offsets.some((o) => o === 'to' || /^100(?:\.0*)?%$/.test(o))) to.push(...decls);
    }
    return { from, to };
  }

  /** The end frames of the @keyframes with this name, when it changes a property deciding visibility. */
  keyframesNamed(name: string): KeyframeEnds | undefined {
    return this.keyframeFrames.get(name);
  }

  /** Whether an `animation` or `animation-name` value names keyframes that change a property deciding visibility. */
  animates(value: string): boolean {
    if (this.keyframes.size === 0) return false;
    return value.split(/[\s,]+/).some((t) => this.keyframes.has(t.replace(/^["']|["']$/g, '')));
  }

  /** The declarations of matching rules, in cascade order (later wins), normal ones then important ones. */
  /** The rules whose selector matches the element, or undefined when none does. */
  matchRules(el: Element, ancestors: ReadonlyMap<string, number>): readonly MatchedRule[] | undefined {
    if (this.ruleCount === 0) return undefined;
    const matched: Rule[] = [];
    const test = (rules: readonly Rule[] | undefined): void => {
      if (!rules) return;
      for (const rule of rules) {
        // An ancestor the selector needs is missing: no need to compile or run it.
        if (rule.ancestors.length > 1 && !rule.ancestors.every((k) => ancestors.has(k))) continue;
        const m = this.match(rule, el);
        if (m) matched.push(m);
      }
    };
    const consider = (key: string): void => {
      const entry = this.index.get(key);
      if (!entry) return;
      test(entry.free);
      // Rules needing an ancestor are filed under their nearest one: only present ancestors are looked at.
      const byAncestor = entry.byAncestor;
      if (!byAncestor) return;
      if (byAncestor.size <= ancestors.size) {
        for (const [k, rules] of byAncestor) if (ancestors.has(k)) test(rules);
      } else {
        for (const k of ancestors.keys()) test(byAncestor.get(k));
      }
    };
    const fold = (s: string): string => (this.quirks ? s.toLowerCase() : s);
    const id = el.attribs.id;
    if (id) consider(`#${fold(id)}`);
    const cls = el.attribs.class;
    if (cls) {
      const seen = new Set<string>();
      for (const c of cls.split(/[\t\n\f\r ]+/)) {
        const k = fold(c);
        if (!k || seen.has(k)) continue;
        seen.add(k);
        consider(`.${k}`);
      }
    }
    consider(el.name.toLowerCase());
    consider('*');
    return matched.length === 0 ? undefined : matched;
  }

  /** The declarations of matched rules in cascade order (later wins), normal ones then important ones. */
  declarationsOf(matched: readonly MatchedRule[]): { normal: Declaration[]; important: Declaration[] } {
    const ranked: Ranked[] = [];
    for (const rule of matched as readonly Rule[]) {
      for (const decl of rule.decls) ranked.push({ decl, layer: rule.layer, specificity: rule.specificity, order: rule.order });
    }
    const normal = ranked.filter((r) => !r.decl.important).sort(byCascade(false)).map((r) => r.decl);
    const important = ranked.filter((r) => r.decl.important).sort(byCascade(true)).map((r) => r.decl);
    return { normal, important };
  }

  /** Parses a `style` attribute into valid, relevant declarations. */
  parseInline(text: string): Declaration[] {
    const key = `${this.quirks ? 1 : 0}${text}`;
    const cached = inlineCache.get(key);
    if (cached) return cached;
    let decls: Declaration[];
    try {
      decls = this.declarations(parserFor(text).parse(text, { context: 'declarationList', parseValue: false, positions: false }));
    } catch {
      decls = [];
    }
    if (inlineCache.size >= MAX_INLINE_CACHE) inlineCache.clear();
    inlineCache.set(key, decls);
    return decls;
  }

  /** Whether `prop: value` is valid CSS (for @supports and declaration filtering). */
  isValid(prop: string, value: string, requireKnown: boolean): boolean {
    if (prop.startsWith('--')) return true;
    if (value.includes('var(')) return true;
    const key = `${requireKnown ? 1 : 0}${this.quirks ? 1 : 0}${prop}:${value}`;
    const cached = validity.get(key);
    if (cached !== undefined) return cached;
    let valid = fastValid(prop, value) ?? checkValue(prop, value, requireKnown);
    if (!valid && this.quirks && UNITLESS_QUIRK_PROPERTIES.has(prop)) {
      valid = checkValue(prop, value.replace(/(^|[\s,(])([+-]?(?:\d+\.?\d*|\.\d+))(?=$|[\s,)])/g, '$1$2px'), requireKnown);
    }
    if (validity.size > MAX_VALIDATION_CACHE) validity.clear();
    validity.set(key, valid);
    return valid;
  }

  /** The rule when it matches; its uncertain twin when the selector could not be compiled but may match; else undefined. */
  private match(rule: Rule, el: Element): Rule | undefined {
    if (rule.matcher === undefined) rule.matcher = compileCached(rule.tokens, `${rule.index}\0${rule.prelude}`, this.quirks);
    if (rule.matcher === null) {
      // :is() and :where() take forgiving lists: entries css-select cannot compile are dropped, as a browser drops invalid ones.
      const forgiven = forgive(rule.tokens, this.quirks);
      rule.matcher = forgiven === undefined ? null : forgiven === 'never' ? () => false : compileCached(forgiven, `forgiven${rule.index}\0${rule.prelude}`, this.quirks);
    }
    if (rule.matcher !== null) return rule.matcher(el) ? rule : undefined;
    if (rule.loose === undefined) {
      // Pseudo-classes css-select does not know are dropped: what remains matches at least what the selector does.
      const tokens: Selector[] = rule.tokens.filter((t) => t.type !== SelectorType.Pseudo);
      const last = tokens[tokens.length - 1];
      if (tokens.length === 0 || (last && isCombinator(last))) tokens.push(UNIVERSAL);
      const matcher = compileCached(tokens, `loose${rule.index}\0${rule.prelude}`, this.quirks);
      rule.loose = { ...rule, id: -1 - rule.id, decls: [uncertainDecl('selector not evaluated')], matcher: matcher ?? (() => true), loose: null };
    }
    return rule.loose && rule.loose.matcher?.(el) ? rule.loose : undefined;
  }

  private addRule(prelude: string, decls: readonly Declaration[], layerName: string): void {
    const ownDecls = decls;
    let selectors = parseSelectorsCached(prelude);
    if (selectors === null) {
      // An invalid selector list drops the whole rule, as in browsers. A valid one css-what cannot
      // read (css-tree's grammar accepts it) may match anything its rightmost compounds allow.
      if (!validSelectorList(prelude)) return;
      selectors = looseSelectors(prelude);
      decls = [uncertainDecl('selector not evaluated')];
    }
    // A plain selector list is invalid as a whole when one selector in it is (Selectors 4 §4.1).
    if (selectors.some(unknownPseudo)) return;
    const layer = layerName ? this.layerRank(layerName) : Number.POSITIVE_INFINITY;
    const order = this.order++;
    for (let i = 0; i < selectors.length; i++) {
      let tokens = selectors[i] as Selector[];
      let ruleDecls = decls;
      const pseudo = tokens.find((t) => t.type === 'pseudo-element');
      if (pseudo) {
        // ::before, ::after and the like style generated boxes, not the element's own text;
        // ::first-line and ::first-letter restyle part of it, which this engine does not split.
        // A ::before/::after box that paints (CSS 2 §12.1: generated content is a box of the element) may lie over the element's text.
        const name = pseudo.name.toLowerCase();
        const covering = GENERATED_BOX_PSEUDO_ELEMENTS.has(name) && generatedBoxPaints(ownDecls);
        if ((!OWN_TEXT_PSEUDO_ELEMENTS.has(name) && !covering) || ownDecls.length === 0) continue;
        tokens = tokens.filter((t) => t !== pseudo);
        if (tokens.length === 0 || isCombinator(tokens[tokens.length - 1] as Selector)) tokens = [...tokens, UNIVERSAL];
        ruleDecls = [uncertainDecl(`::${pseudo.name}`)];
      }
      const ancestors = this.ancestorKeysOf(tokens);
      if (ancestors.length > 0) this.ancestorRules++;
      const rule: Rule = {
        id: this.ruleCount, tokens, decls: ruleDecls, specificity: specificity(tokens), order, layer, prelude, index: i,
        ancestors, matcher: undefined, loose: undefined,
      };
      const key = this.rightmostKey(tokens);
      let entry = this.index.get(key);
      if (!entry) {
        entry = { free: undefined, byAncestor: undefined };
        this.index.set(key, entry);
      }
      const nearest = ancestors[0];
      if (nearest === undefined) (entry.free ??= []).push(rule);
      else {
        entry.byAncestor ??= new Map();
        const list = entry.byAncestor.get(nearest);
        if (list) list.push(rule);
        else entry.byAncestor.set(nearest, [rule]);
      }
      this.ruleCount++;
    }
  }

  /** Whether some rule needs an ancestor with a given id or class (then ancestor keys are worth tracking). */
  get usesAncestors(): boolean {
    return this.ancestorRules > 0;
  }

  /** The id and class keys of an element, as rules index them. */
  elementKeys(el: Element): string[] {
    const keys: string[] = [];
    const fold = (v: string): string => (this.quirks ? v.toLowerCase() : v);
    if (el.attribs.id) keys.push(`#${fold(el.attribs.id)}`);
    const cls = el.attribs.class;
    if (cls) for (const c of cls.split(/[\t\n\f\r ]+/)) if (c) keys.push(`.${fold(c)}`);
    return keys;
  }

  /**
   * Id and class keys of the compounds a selector requires as ancestors of its subject: those
   * reached from the subject through descendant and child combinators only.
   */
  private ancestorKeysOf(tokens: readonly Selector[]): string[] {
    const keys: string[] = [];
    let i = tokens.length - 1;
    while (i >= 0 && !isCombinator(tokens[i] as Selector)) i--;
    while (i >= 0) {
      const combinator = tokens[i] as Selector;
      if (combinator.type !== 'descendant' && combinator.type !== 'child') break;
      i--;
      let key: string | undefined;
      for (; i >= 0 && !isCombinator(tokens[i] as Selector); i--) {
        const t = tokens[i] as Selector;
        if (t.type === 'attribute' && t.name === 'id' && t.action === 'equals' && t.ignoreCase !== true) key = `#${this.quirks ? t.value.toLowerCase() : t.value}`;
        else if (t.type === 'attribute' && t.name === 'class' && t.action === 'element' && t.ignoreCase !== true) key ??= `.${this.quirks ? t.value.toLowerCase() : t.value}`;
      }
      if (key) keys.push(key);
    }
    return keys;
  }

  private rightmostKey(tokens: readonly Selector[]): string {
    let tag: string | undefined;
    let cls: string | undefined;
    for (let i = tokens.length - 1; i >= 0; i--) {
      const t = tokens[i] as Selector;
      if (isCombinator(t)) break;
      if (t.type === 'attribute' && t.name === 'id' && t.action === 'equals' && t.ignoreCase !== true) {
        return `#${this.quirks ? t.value.toLowerCase() : t.value}`;
      }
      if (t.type === 'attribute' && t.name === 'class' && t.action === 'element' && t.ignoreCase !== true) {
        cls ??= `.${this.quirks ? t.value.toLowerCase() : t.value}`;
      }
      if (t.type === 'tag') tag = t.name.toLowerCase();
    }
    return cls ?? tag ?? '*';
  }

  private declarations(block: csstree.CssNode | null): Declaration[] {
    const out: Declaration[] = [];
    if (!block) return out;
    for (const node of childrenOf(block)) {
      if (node.type !== 'Declaration') continue;
      const prop = unescapeCss(node.property).toLowerCase();
      if (!prop.startsWith('--') && !RELEVANT_PROPERTIES.has(prop)) continue;
      // Comments are whitespace to the tokenizer, wherever they are (`display:none/**/`).
      const raw = stripComments(rawText(node.value)).trim();
      const value = prop.startsWith('--') ? raw : unescapeCss(raw);
      if (!value && !prop.startsWith('--')) continue;
      if (!this.isValid(prop, value, false)) {
        // css-tree's grammar lags behind browsers on functional notation (circle(10%), relative
        // colours): such a declaration may well apply, so the elements it styles are withheld.
        if (value.includes('(')) out.push(uncertainDecl(`${prop} not evaluated`));
        continue;
      }
      out.push({ prop, value: prop.startsWith('--') ? value : value.toLowerCase(), important: node.important !== false });
    }
    return out;
  }

  private layerRank(name: string): number {
    let rank = this.layers.get(name);
    if (rank === undefined) {
      rank = this.layers.size;
      this.layers.set(name, rank);
    }
    return rank;
  }

  /** Evaluates an `@supports` condition. */
  supports(condition: string): boolean {
    const verdict = evaluateCondition(condition, (feature) => {
      const fn = /^(selector|font-tech|font-format)\(([\s\S]*)\)$/i.exec(feature);
      if (fn) {
        if ((fn[1] ?? '').toLowerCase() !== 'selector') return false;
        try {
          compile(fn[2] ?? '', { quirksMode: this.quirks });
          return true;
        } catch {
          return false;
        }
      }
      const colon = feature.indexOf(':');
      if (colon < 0) return undefined;
      const prop = unescapeCss(feature.slice(0, colon)).trim().toLowerCase();
      const value = unescapeCss(feature.slice(colon + 1)).trim();
      return value !== '' && this.isValid(prop, value, true);
    });
    return verdict ?? false;
  }
}

/** A nested rule's selector made absolute: `&` stands for the parent selector, and a selector without `&` is its descendant. */
function nestSelector(selector: string, parent: string | undefined): string {
  if (parent === undefined) return selector;
  const outer = `:is(${parent})`;
  return splitTopLevel(selector, ',')
    .map((part) => {
      const p = part.trim();
      if (p.includes('&')) return p.replaceAll('&', outer);
      return /^[>+~]/.test(p) ? `${outer} ${p}` : `${outer} ${p}`;
    })
    .join(', ');
}

/** Nested rules css-tree left raw, parsed again as a sheet; undefined when they are not rules. */
function reparseRaw(text: string): csstree.CssNode[] | undefined {
  try {
    const nodes = childrenOf(parserFor(text).parse(text, { parseValue: false, parseRulePrelude: false, parseAtrulePrelude: false, positions: false }));
    return nodes.length > 0 && nodes.every((n) => n.type === 'Rule' || n.type === 'Atrule') ? nodes : undefined;
  } catch {
    return undefined;
  }
}

/** Whether css-tree's selector grammar accepts a selector list (then a css-what failure is css-what's, not the author's). */
function validSelectorList(prelude: string): boolean {
  let failed = false;
  try {
    csstree.parse(prelude, { context: 'selectorList', positions: false, onParseError: () => (failed = true) });
  } catch {
    return false;
  }
  return !failed;
}

/** The rightmost compound of each selector with pseudo-classes removed: it matches at least what the selector matches. */
function looseSelectors(prelude: string): Selector[][] {
  const out: Selector[][] = [];
  for (const part of splitTopLevel(prelude, ',')) {
    const compound = (part.split(/\s*[\s>+~]\s*(?![^([]*[)\]])/).pop() ?? '').replace(/::?[\w-]+(?:\((?:[^()]|\([^()]*\))*\))?/g, '').replaceAll('&', '');
    let tokens: Selector[] | undefined;
    try {
      tokens = compound.trim() ? parseSelectorList(compound.trim())[0] : undefined;
    } catch {
      tokens = undefined;
    }
    out.push(tokens ?? [UNIVERSAL]);
  }
  return out;
}

/**
 * A selector with the entries of its :is() and :where() lists that css-select cannot compile
 * removed (they are forgiving lists); 'never' when a list is left empty (it then matches nothing);
 * undefined when nothing was removed.
 */
function forgive(tokens: readonly Selector[], quirks: boolean): Selector[] | 'never' | undefined {
  let changed = false;
  let never = false;
  const out = tokens.map((t) => {
    if (t.type !== SelectorType.Pseudo || (t.name !== 'is' && t.name !== 'where') || !Array.isArray(t.data)) return t;
    const kept = t.data.filter((entry) => {
      try {
        compile([entry], { quirksMode: quirks });
        return true;
      } catch {
        return false;
      }
    });
    if (kept.length === t.data.length) return t;
    changed = true;
    if (kept.length === 0) never = true;
    return { ...t, data: kept };
  });
  if (never) return 'never';
  return changed ? out : undefined;
}

/** Removes CSS comments outside strings. */
export function stripComments(css: string): string {
  if (!css.includes('/*')) return css;
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < css.length; i++) {
    const c = css[i] as string;
    if (quote) {
      out += c;
      if (c === '\\') out += css[++i] ?? '';
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? css.length : end + 1;
      out += ' ';
    } else out += c;
  }
  return out;
}

function parseSelectorsCached(prelude: string): Selector[][] | null {
  let selectors = selectorCache.get(prelude);
  if (selectors !== undefined) return selectors;
  try {
    selectors = parseSelectorList(prelude);
  } catch {
    selectors = null;
  }
  if (selectorCache.size >= MAX_SELECTOR_CACHE) selectorCache.clear();
  selectorCache.set(prelude, selectors);
  return selectors;
}

/** The CSS text of an `@import` of a `data:` URL whose media list matches, else undefined. */
function importedSheet(prelude: string): string | undefined {
  const m = /^(?:url\(\s*(["']?)([\s\S]*?)\1\s*\)|(["'])([\s\S]*?)\3)\s*([\s\S]*)$/i.exec(prelude);
  if (!m) return undefined;
  const url = m[2] ?? m[4] ?? '';
  const rest = (m[5] ?? '').trim();
  if (rest && !/^layer\b/i.test(rest) && !mediaMatches(rest)) return undefined;
  return decodeDataUrl(url);
}

// Built sheets for recently seen sets of style sheet texts: messages from one template share them.
// A StyleSheets is read-only once built (compiled selectors are cached on its rules, which is pure).
const MAX_BUILT_SHEETS = 32;
interface BuiltSheets {
  readonly texts: readonly string[];
  readonly sheets: StyleSheets;
  readonly chars: number;
}
const builtSheets = new Map<string, BuiltSheets>();
let builtSheetsChars = 0;

/** The style sheets of a document whose sheets have these texts, in order. */
export function styleSheetsFor(quirks: boolean, texts: readonly string[]): StyleSheets {
  // A short key (lengths and openings) finds the candidate; the texts themselves confirm it.
  const key = `${quirks ? 1 : 0}${texts.map((t) => `${t.length}:${t.slice(0, 64)}`).join('\0')}`;
  const known = builtSheets.get(key);
  if (known && known.texts.length === texts.length && known.texts.every((t, i) => t === texts[i])) {
    // Most recently used last, so the oldest is evicted first.
    builtSheets.delete(key);
    builtSheets.set(key, known);
    return known.sheets;
  }
  const sheets = new StyleSheets(quirks);
  for (const text of texts) sheets.addSheet(text);
  const chars = texts.reduce((n, t) => n + t.length, 0);
  if (chars <= MAX_SHEET_CACHE_CHARS) {
    if (known) {
      builtSheets.delete(key);
      builtSheetsChars -= known.chars;
    }
    while (builtSheets.size >= MAX_BUILT_SHEETS || (builtSheets.size > 0 && builtSheetsChars + chars > MAX_SHEET_CACHE_CHARS)) {
      const [oldest, entry] = builtSheets.entries().next().value as [string, BuiltSheets];
      builtSheets.delete(oldest);
      builtSheetsChars -= entry.chars;
    }
    builtSheets.set(key, { texts, sheets, chars });
    builtSheetsChars += chars;
  }
  return sheets;
}

function byCascade(important: boolean): (a: Ranked, b: Ranked) => number {
  return (a, b) => {
    if (a.layer !== b.layer) {
      // Normal: later layers win, unlayered last. Important: reversed.
      const diff = a.layer === b.layer ? 0 : a.layer < b.layer ? -1 : 1;
      return important ? -diff : diff;
    }
    return a.specificity - b.specificity || a.order - b.order;
  };
}

function joinLayer(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

function childrenOf(node: csstree.CssNode): csstree.CssNode[] {
  const children = (node as { children?: csstree.List<csstree.CssNode> | null }).children;
  return children ? children.toArray() : [];
}

function rawText(node: csstree.CssNode | null): string {
  if (!node) return '';
  if (node.type === 'Raw') return node.value;
  return csstree.generate(node);
}

// css-what marks id and class tokens ignoreCase: 'quirks' (case-insensitive only in quirks mode,
// where keys are folded to lower case); only an explicit `i` flag (true) keeps them out of the index.

function isCombinator(t: Selector): boolean {
  return t.type === 'child' || t.type === 'descendant' || t.type === 'sibling' || t.type === 'adjacent' ||
    t.type === 'parent' || t.type === 'column-combinator';
}

const ZERO_SPECIFICITY_PSEUDOS = new Set(['where']);
const MAX_ARGUMENT_PSEUDOS = new Set(['is', 'not', 'has', 'matches', '-webkit-any', '-moz-any']);

/** Specificity packed as a·10⁶ + b·10³ + c. */
function specificity(tokens: readonly Selector[]): number {
  let total = 0;
  for (const t of tokens) {
    if (t.type === 'attribute') total += t.name === 'id' && t.action === 'equals' ? 1_000_000 : 1000;
    else if (t.type === 'tag') total += 1;
    else if (t.type === 'pseudo') {
      const name = t.name.toLowerCase();
      if (ZERO_SPECIFICITY_PSEUDOS.has(name)) continue;
      const args = Array.isArray(t.data) ? (t.data as Selector[][]) : undefined;
      if (args && MAX_ARGUMENT_PSEUDOS.has(name)) total += Math.max(0, ...args.map(specificity));
      else if (args && (name === 'nth-child' || name === 'nth-last-child')) total += 1000 + Math.max(0, ...args.map(specificity));
      else total += 1000;
    }
  }
  return total;
}

const WIDE_KEYWORDS = new Set(['inherit', 'initial', 'unset', 'revert', 'revert-layer']);
const DISPLAY_KEYWORDS = new Set([
  'none', 'block', 'inline', 'inline-block', 'flex', 'inline-flex', 'grid', 'inline-grid', 'table', 'inline-table',
  'table-row', 'table-cell', 'table-caption', 'table-row-group', 'table-header-group', 'table-footer-group',
  'table-column', 'table-column-group', 'list-item', 'contents', 'flow-root',
]);
const KEYWORD_PROPERTIES: Record<string, ReadonlySet<string>> = {
  display: DISPLAY_KEYWORDS,
  visibility: new Set(['visible', 'hidden', 'collapse']),
  overflow: new Set(['visible', 'hidden', 'clip', 'scroll', 'auto']),
  'overflow-x': new Set(['visible', 'hidden', 'clip', 'scroll', 'auto']),
  'overflow-y': new Set(['visible', 'hidden', 'clip', 'scroll', 'auto']),
  position: new Set(['static', 'relative', 'absolute', 'fixed', 'sticky']),
  'white-space': new Set(['normal', 'nowrap', 'pre', 'pre-wrap', 'pre-line', 'break-spaces']),
};
const COLOUR_PROPERTIES = new Set(['color', 'background-color', '-webkit-text-fill-color', '-webkit-text-stroke-color']);
const LENGTH_PROPERTIES = new Set(['height', 'width', 'max-height', 'max-width', 'font-size', 'line-height', 'left', 'right', 'top', 'bottom', 'margin-top', 'margin-left', 'margin-bottom', 'text-indent']);
const NEGATIVE_ALLOWED = new Set(['left', 'right', 'top', 'bottom', 'margin-top', 'margin-left', 'margin-bottom', 'text-indent']);
const SIMPLE_LENGTH = /^(-?)(?:\d+\.?\d*|\.\d+)(?:px|em|rem|%|pt)$/;

/**
 * Validity of the most common declarations, decided without the grammar (true), or undefined to
 * ask it. Only plainly valid values are answered here, so the answer never differs from css-tree's.
 */
function fastValid(prop: string, value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (WIDE_KEYWORDS.has(v)) return true;
  const keywords = KEYWORD_PROPERTIES[prop];
  if (keywords?.has(v)) return true;
  if (COLOUR_PROPERTIES.has(prop)) {
    if (v === 'currentcolor') return true;
    const c = parseColor(v);
    if (c && Number.isFinite(c.r) && /^(?:#[0-9a-f]{3,8}|[a-z]+|rgba?\([\d.,\s%/]+\))$/.test(v)) return true;
    return undefined;
  }
  if (LENGTH_PROPERTIES.has(prop)) {
    if (v === '0') return true;
    const m = SIMPLE_LENGTH.exec(v);
    if (m && (m[1] === '' || NEGATIVE_ALLOWED.has(prop))) return true;
  }
  if (prop === 'opacity' && /^(?:0|1|0?\.\d+|\d{1,3}%)$/.test(v)) return true;
  return undefined;
}

let lexerChecks: ((prop: string, value: string) => 'ok' | 'unknown' | 'invalid') | undefined;

function checkValue(prop: string, value: string, requireKnown: boolean): boolean {
  lexerChecks ??= (p, v) => {
    try {
      const parser = parserFor(v);
      const ast = parser.parse(v, { context: 'value', positions: false });
      const result = parser.lexer.matchProperty(p, ast);
      if (!result.error) return 'ok';
      return result.error.name === 'SyntaxReferenceError' ? 'unknown' : 'invalid';
    } catch {
      return 'invalid';
    }
  };
  // css-tree accepts IE's `\9` hack; a browser reads it as part of the identifier.
  if (value.includes('\uFFFD')) return false;
  const verdict = lexerChecks(prop, value);
  if (verdict === 'ok') return true;
  // Properties css-tree does not know (mso-hide and the like) are kept; @supports asks for known ones.
  return verdict === 'unknown' && !requireKnown;
}

/** Text of a `data:` URL holding CSS, or undefined for other URLs. */
export function decodeDataUrl(url: string): string | undefined {
  const m = /^\s*data:([^,]*),([\s\S]*)$/i.exec(url);
  if (!m) return undefined;
  const meta = (m[1] ?? '').toLowerCase();
  const mime = meta.split(';')[0]?.trim() ?? '';
  if (mime && mime !== 'text/css') return undefined;
  const payload = m[2] ?? '';
  try {
    if (/;\s*base64\s*$/.test(meta)) return Buffer.from(decodeURIComponent(payload), 'base64').toString('utf8');
    return decodeURIComponent(payload);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// @media and @supports conditions

const MAX_CONDITION_DEPTH = 32;

/** Whether a media query list matches the desktop screen. An empty list matches. */
export function mediaMatches(list: string | undefined): boolean {
  if (list === undefined) return true;
  const cached = mediaCache.get(list);
  if (cached !== undefined) return cached;
  const result = evaluateMediaList(list);
  if (mediaCache.size >= MAX_SELECTOR_CACHE) mediaCache.clear();
  mediaCache.set(list, result);
  return result;
}

const mediaCache = new Map<string, boolean>();

function evaluateMediaList(list: string): boolean {
  const text = list.replace(/\/\*[\s\S]*?\*\//g, ' ').trim().toLowerCase();
  if (!text) return true;
  return splitTopLevel(text, ',').some((q) => queryMatches(q.trim()));
}

const MEDIA_TYPES_MATCHING = new Set(['all', 'screen']);
const MEDIA_TYPES_KNOWN = new Set(['print', 'speech', 'tty', 'tv', 'projection', 'handheld', 'braille', 'embossed', 'aural']);

function queryMatches(query: string): boolean {
  if (!query) return false;
  const m = /^(?:(not|only)\s+)?([a-z-]+)(?:\s+and\s+([\s\S]+))?$/.exec(query);
  if (m && !['not', 'only'].includes(m[2] ?? '') && !(m[2] ?? '').startsWith('(')) {
    const type = m[2] ?? '';
    let matched: boolean;
    if (MEDIA_TYPES_MATCHING.has(type)) matched = true;
    else if (MEDIA_TYPES_KNOWN.has(type)) matched = false;
    else return false; // An unknown type ("yahoo") never matches, even negated.
    if (m[3] !== undefined) {
      const cond = evaluateCondition(m[3], mediaFeature);
      if (cond === undefined) return false;
      matched = matched && cond;
    }
    return m[1] === 'not' ? !matched : matched;
  }
  return evaluateCondition(query, mediaFeature) ?? false;
}

/**
 * Evaluates `not`/`and`/`or` over parenthesised features. `leaf` returns
 * undefined for syntax it does not know, which makes the whole condition
 * unknown (false for @media and @supports alike).
 */
function evaluateCondition(text: string, leaf: (feature: string) => boolean | undefined): boolean | undefined {
  const tokens = conditionTokens(text.trim());
  if (tokens === undefined) return undefined;
  let pos = 0;
  let depth = 0;
  const parseOne = (): boolean | undefined => {
    const t = tokens[pos++];
    if (t === undefined) return undefined;
    if (t === 'not') {
      const v = parseOne();
      return v === undefined ? undefined : !v;
    }
    if (!t.startsWith('(') && !/^[a-z-]+\(/.test(t)) return undefined;
    if (!t.startsWith('(')) return leaf(t);
    const inner = t.slice(1, -1).trim();
    if (/^\(|^not\s/.test(inner) || /\)\s+(?:and|or)\s+[(n]/.test(inner)) {
      if (++depth > MAX_CONDITION_DEPTH) return undefined;
      const v = evaluateCondition(inner, leaf);
      depth--;
      return v;
    }
    return leaf(inner);
  };
  let result = parseOne();
  while (pos < tokens.length && result !== undefined) {
    const op = tokens[pos++];
    const right = parseOne();
    if (right === undefined) return undefined;
    if (op === 'and') result = result && right;
    else if (op === 'or') result = result || right;
    else return undefined;
  }
  return result;
}

function conditionTokens(text: string): string[] | undefined {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const fn = /^[a-z-]+\(/i.exec(text.slice(i, i + 40));
    const start = i;
    if (c === '(' || fn) {
      let depth = 0;
      for (; i < text.length; i++) {
        if (text[i] === '(') depth++;
        else if (text[i] === ')' && --depth === 0) break;
      }
      if (depth !== 0) return undefined;
      tokens.push(text.slice(start, ++i));
      continue;
    }
    const word = /^[a-z]+/i.exec(text.slice(i))?.[0];
    if (!word) return undefined;
    tokens.push(word.toLowerCase());
    i += word.length;
  }
  return tokens;
}

function mediaLength(value: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(px|em|rem|pt|cm|mm|in|vw|vh)?$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number.parseFloat(m[1] ?? '');
  const unit = m[2] ?? '';
  if (unit === '') return n === 0 ? 0 : undefined;
  const factor: Record<string, number> = { px: 1, em: 16, rem: 16, pt: 96 / 72, cm: 96 / 2.54, mm: 96 / 25.4, in: 96, vw: 12.8, vh: 9 };
  return n * (factor[unit] ?? Number.NaN);
}

const DISCRETE_FEATURES: Record<string, string> = {
  orientation: 'landscape', 'prefers-color-scheme': 'light', 'prefers-reduced-motion': 'no-preference',
  'prefers-contrast': 'no-preference', 'prefers-reduced-transparency': 'no-preference', 'prefers-reduced-data': 'no-preference',
  'forced-colors': 'none', 'inverted-colors': 'none', hover: 'hover', 'any-hover': 'hover', pointer: 'fine',
  'any-pointer': 'fine', 'display-mode': 'browser', scripting: 'none', update: 'fast', 'color-gamut': 'srgb',
  'dynamic-range': 'standard', 'video-dynamic-range': 'standard', 'overflow-block': 'scroll', 'overflow-inline': 'scroll',
};

const RANGE_FEATURES: Record<string, number> = {
  width: SCREEN.width, height: SCREEN.height, 'device-width': SCREEN.width, 'device-height': SCREEN.height,
};
const NUMBER_FEATURES: Record<string, number> = {
  color: 8, 'color-index': 0, monochrome: 0, grid: 0, resolution: SCREEN.resolution,
  '-webkit-device-pixel-ratio': SCREEN.resolution, 'device-pixel-ratio': SCREEN.resolution,
  'aspect-ratio': SCREEN.width / SCREEN.height, 'device-aspect-ratio': SCREEN.width / SCREEN.height,
};

function featureValue(name: string, raw: string): { actual: number; wanted: number } | undefined {
  const v = raw.trim();
  if (name in RANGE_FEATURES) {
    const wanted = mediaLength(v);
    return wanted === undefined ? undefined : { actual: RANGE_FEATURES[name] as number, wanted };
  }
  if (name in NUMBER_FEATURES) {
    let wanted: number;
    const ratio = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(v);
    if (ratio) wanted = Number(ratio[1]) / Number(ratio[2]);
    else if (/dppx$|x$/.test(v)) wanted = Number.parseFloat(v);
    else if (/dpi$/.test(v)) wanted = Number.parseFloat(v) / 96;
    else if (/dpcm$/.test(v)) wanted = (Number.parseFloat(v) * 2.54) / 96;
    else wanted = Number(v);
    return Number.isFinite(wanted) ? { actual: NUMBER_FEATURES[name] as number, wanted } : undefined;
  }
  return undefined;
}

function mediaFeature(feature: string): boolean | undefined {
  const f = feature.trim();
  // Range syntax: (width >= 600px), (400px <= width <= 700px).
  const range = /^([^<>=]+?)\s*(<=|>=|<|>|=)\s*([^<>=]+?)(?:\s*(<=|>=|<|>|=)\s*([^<>=]+?))?$/.exec(f);
  if (range && !f.includes(':')) {
    const compare = (left: string, op: string, right: string): boolean | undefined => {
      const leftIsName = /^[a-z-]+$/.test(left.trim()) && !/^\d/.test(left.trim());
      const name = (leftIsName ? left : right).trim();
      const value = featureValue(name, leftIsName ? right : left);
      if (!value) return undefined;
      const [a, b] = leftIsName ? [value.actual, value.wanted] : [value.wanted, value.actual];
      if (op === '<') return a < b;
      if (op === '<=') return a <= b;
      if (op === '>') return a > b;
      if (op === '>=') return a >= b;
      return Math.abs(a - b) < 1e-6;
    };
    const first = compare(range[1] ?? '', range[2] ?? '', range[3] ?? '');
    if (range[4] === undefined) return first;
    const second = compare(range[3] ?? '', range[4], range[5] ?? '');
    return first === undefined || second === undefined ? undefined : first && second;
  }
  const colon = f.indexOf(':');
  const name = (colon < 0 ? f : f.slice(0, colon)).trim();
  if (colon < 0) {
    if (name in DISCRETE_FEATURES) return DISCRETE_FEATURES[name] !== 'none' && DISCRETE_FEATURES[name] !== 'no-preference';
    if (name in RANGE_FEATURES || name in NUMBER_FEATURES) return (RANGE_FEATURES[name] ?? NUMBER_FEATURES[name] ?? 0) !== 0;
    return undefined;
  }
  const raw = f.slice(colon + 1).trim();
  if (name in DISCRETE_FEATURES) return DISCRETE_FEATURES[name] === raw;
  const prefix = /^(min|max)-(.+)$/.exec(name);
  const base = prefix ? (prefix[2] ?? '') : name;
  const base2 = base.replace(/^-webkit-(min|max)-/, '-webkit-');
  const webkitPrefix = /^-webkit-(min|max)-(.+)$/.exec(name);
  const bound = prefix?.[1] ?? webkitPrefix?.[1];
  const value = featureValue(webkitPrefix ? `-webkit-${webkitPrefix[2] ?? ''}` : base2, raw);
  if (!value) return undefined;
  if (bound === 'min') return value.actual >= value.wanted;
  if (bound === 'max') return value.actual <= value.wanted;
  return Math.abs(value.actual - value.wanted) < 1e-6;
}
