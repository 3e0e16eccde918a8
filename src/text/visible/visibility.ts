/**
 * Visibility rules: from an element's cascaded style to the inherited visual
 * state its text is drawn with, and whether it has a box at all.
 *
 * Each element gets a VisualState derived from its parent's (font size,
 * visibility, cumulative opacity, text fill and colour, nearest opaque
 * background, white-space mode, custom properties), plus a verdict:
 * - removed: no box, so nothing inside shows (display:none, collapsed to
 *   zero size with clipping overflow, pushed off-screen, scaled or clipped
 *   to nothing, opacity chain below 0.1, behind an ancestor's background);
 * - text invisible: the box exists but its text cannot be seen (visibility
 *   hidden, font below 2px, fill transparent, colour within COLOUR_DISTANCE
 *   of the nearest opaque background), overridable by descendants.
 *
 * Decisions (each has a test):
 * - `mso-hide:all` is ignored: it hides only in Outlook desktop, and a
 *   desktop browser (the referee) shows it. Outlook's `<!--[if mso]>` copy is
 *   a comment to a browser, so a bulletproof button keeps its HTML copy.
 * - width/height apply only to boxes that are not inline; max-height and
 *   height do not clip table cells or rows.
 * - Off-screen: positioned offsets ≤ -200px left/top, ≤ -500px right/bottom
 *   or ≥ 5000px; margin-left ≤ -200px; negative text-indent ≤ -200px;
 *   text-indent ≥ 100% (or ≥ 1280px) with clipping overflow.
 * - Gradient text (transparent fill over a `background-clip:text`
 *   background) and text drawn by a visible `text-shadow` are visible.
 * - `z-index` < 0 on a positioned element under an ancestor, inside the
 *   same stacking context, that paints an opaque background: hidden.
 *
 * Known limits (layout is not computed):
 * - An opaque box laid over text by absolute positioning is not detected,
 *   nor is text pushed off-screen by a sibling's width, nor overflow clipped
 *   by a fixed-size ancestor. Elements whose text might be hidden that way
 *   (clipping boxes of a few px, small negative offsets) count as `suspect`.
 * - Background colours come from ancestors only (not siblings painted
 *   underneath); a background image makes the background unknown, and
 *   text on an unknown background is kept.
 */
import type { Element } from 'domhandler';
import { UNCERTAIN_PROPERTY, type Declaration, type MatchedRule, type StyleSheets } from './stylesheet.js';
import {
  colourDistance, components, composite, firstToken, lengthToPx, parseAlpha, parseColor, percentOnly,
  resolveVars, type LengthContext, type Rgba,
} from './values.js';

export type WhiteSpace = 'normal' | 'pre' | 'pre-line';

/** What an element passes on to its descendants. */
export interface VisualState {
  readonly fontPx: number;
  /**
   * The font size comes from an absolute length (px, pt, rem, calc…), directly or through em and %
   * of one. Chromium raises relative sizes below its minimum logical font size (6px) to it, and
   * leaves absolute ones alone.
   */
  readonly fontAbsolute: boolean;
  readonly opacity: number;
  readonly visibilityHidden: boolean;
  readonly color: Rgba;
  /** -webkit-text-fill-color, when set; otherwise the fill is `color`. */
  readonly fill: Rgba | undefined;
  /** Nearest opaque background under the text; undefined when unknown (an image). */
  readonly background: Rgba | undefined;
  /** The text clips a background (gradient text). */
  readonly clipsBackground: boolean;
  /** A text-shadow that draws the text visibly. */
  readonly shadowDraws: boolean;
  readonly whiteSpace: WhiteSpace;
  readonly vars: ReadonlyMap<string, string> | undefined;
  /** An ancestor in the current stacking context paints an opaque background. */
  readonly coveredBelow: boolean;
  /**
   * Whether the text's visibility depends on something this engine cannot evaluate (see
   * undecidable()): such text is withheld and counted, never shown. Inherited, and no descendant
   * can clear it: whatever hides the ancestor hides the descendant too.
   */
  readonly uncertain: boolean;
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const LINK_BLUE: Rgba = { r: 0, g: 0, b: 0xee, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/** The state of the canvas: 16px black text on white. */
export const ROOT_STATE: VisualState = {
  fontPx: 16,
  fontAbsolute: false,
  opacity: 1,
  visibilityHidden: false,
  color: BLACK,
  fill: undefined,
  background: WHITE,
  clipsBackground: false,
  shadowDraws: false,
  whiteSpace: 'normal',
  vars: undefined,
  coveredBelow: false,
  uncertain: false,
};

export const MIN_VISIBLE_FONT_PX = 2;
/** Chromium's default minimum logical font size, applied to relative font sizes only. */
const MIN_LOGICAL_FONT_PX = 6;
export const MIN_VISIBLE_ALPHA = 0.1;
/** Text this close (Euclidean sRGB distance) to its background counts as the same colour. */
export const COLOUR_DISTANCE = 20;
const MIN_VISIBLE_SCALE = 0.1;
const OFFSCREEN_LEFT_TOP_PX = -200;
const OFFSCREEN_NEGATIVE_PX = -500;
const OFFSCREEN_POSITIVE_PX = 5000;
const VIEWPORT_WIDTH_PX = 1280;
const SUSPECT_CLIP_PX = 8;
const SUSPECT_OFFSET_PX = -40;
const MAX_CUSTOM_PROPERTIES = 256;

/** Whether text drawn with this state can be seen. */
export function textVisible(state: VisualState): boolean {
  if (state.visibilityHidden || state.fontPx < MIN_VISIBLE_FONT_PX || state.opacity < MIN_VISIBLE_ALPHA) return false;
  if (state.clipsBackground || state.shadowDraws) return true;
  const fill = state.fill ?? state.color;
  if (fill.a < MIN_VISIBLE_ALPHA) return false;
  if (state.background === undefined) return true;
  return !(colourDistance(composite(fill, state.background), state.background) < COLOUR_DISTANCE);
}

/** The computed verdict for one element. */
export interface ElementStyle {
  readonly state: VisualState;
  /** No box: nothing inside is shown. */
  readonly removed: boolean;
  /** Visible, but layout we do not compute might hide it. */
  readonly suspect: boolean;
  /** The computed display keyword, when CSS set one. */
  readonly display: string | undefined;
  /** What overlap detection needs: the box as far as it is known without layout. */
  readonly box: Box;
}

/** An element's positioning and painting, for deciding whether it covers other text. */
export interface Box {
  readonly position: string;
  readonly zIndex: number | undefined;
  /** An opaque background colour, or 'image'; undefined when the background is not opaque. */
  readonly opaque: Rgba | 'image' | undefined;
  readonly top: number | undefined;
  readonly left: number | undefined;
  readonly right: number | undefined;
  readonly bottom: number | undefined;
  /** Width and height in px, or 'full' for 100% and more. */
  readonly width: number | 'full' | undefined;
  readonly height: number | 'full' | undefined;
  readonly marginTop: number | undefined;
  readonly marginBottom: number | undefined;
  readonly lineHeight: number | undefined;
  /** The element is fully opaque and visible (no opacity, visibility or transform tricks of its own). */
  readonly solid: boolean;
}

const STATIC_BOX: Box = {
  position: 'static', zIndex: undefined, opaque: undefined, top: undefined, left: undefined, right: undefined,
  bottom: undefined, width: undefined, height: undefined, marginTop: undefined, marginBottom: undefined,
  lineHeight: undefined, solid: true,
};

interface Cascaded {
  value: string;
  seq: number;
}

const TABLE_PARTS = new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot', 'table']);
const INLINE_BY_DEFAULT = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'label', 'mark',
  'nobr', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var',
]);
const BACKGROUND_ATTRIBUTE_ELEMENTS = new Set(['body', 'table', 'td', 'th', 'tr', 'tbody', 'thead', 'tfoot']);
// <font size=N> in px (the HTML standard's legacy font size table).
const FONT_SIZE_ATTRIBUTE = [10, 10, 13, 16, 18, 24, 32, 48];

/**
 * Computes element styles for one document. Results are memoised on what they depend on (the
 * parent's state, the tag, the style attribute, presentational attributes and the matched rules):
 * mail repeats the same cells and paragraphs hundreds of times.
 */
export class StyleResolver {
  private readonly memo = new WeakMap<VisualState, Map<string, ElementStyle>>();
  private readonly states = new Map<string, VisualState>();
  private readonly varIds = new WeakMap<ReadonlyMap<string, string>, number>();
  private rootPx = 16;

  /** One object per distinct state, so that equal parents share memoised children. */
  private intern(state: VisualState): VisualState {
    if (state === ROOT_STATE) return state;
    let varId = 0;
    if (state.vars) {
      varId = this.varIds.get(state.vars) ?? 0;
      if (varId === 0) {
        varId = this.varIds.get(state.vars) ?? this.states.size + 1;
        this.varIds.set(state.vars, varId);
      }
    }
    const c = (x: Rgba | undefined): string => (x ? `${x.r},${x.g},${x.b},${x.a}` : '-');
    const key = `${state.fontPx}${state.fontAbsolute ? 'a' : ''}|${state.opacity}|${state.visibilityHidden ? 1 : 0}|${c(state.color)}|${c(state.fill)}|${c(state.background)}|` +
      `${state.clipsBackground ? 1 : 0}${state.shadowDraws ? 1 : 0}${state.coveredBelow ? 1 : 0}${state.uncertain ? 1 : 0}|${state.whiteSpace}|${varId}`;
    const known = this.states.get(key);
    if (known) return known;
    this.states.set(key, state);
    return state;
  }

  constructor(
    private readonly sheets: StyleSheets,
    private readonly quirks: boolean,
  ) {}

  /**
   * The style of `el` whose parent has state `parent`. `ancestors` (the id and class keys of all
   * its ancestors, with counts) lets rules that need a missing ancestor be skipped unmatched.
   */
  compute(el: Element, parent: VisualState, ancestors: ReadonlyMap<string, number>): ElementStyle {
    const matched = this.sheets.matchRules(el, ancestors);
    const key = styleKey(el, matched);
    let byKey = this.memo.get(parent);
    const cached = byKey?.get(key);
    if (cached) return cached;
    const computed = computeStyle(el, parent, this.sheets, this.quirks, matched, this.rootPx);
    // rem resolves against the root element's font size.
    if (el.parent?.type === 'root' && el.name === 'html') this.rootPx = computed.state.fontPx;
    const state = this.intern(computed.state);
    const style: ElementStyle =
      state === computed.state
        ? computed
        : {
            state,
            removed: computed.removed,
            suspect: computed.suspect,
            display: computed.display,
            get box(): Box {
              return computed.box;
            },
          };
    if (!byKey) {
      byKey = new Map();
      this.memo.set(parent, byKey);
    }
    byKey.set(key, style);
    return style;
  }
}

const HINT_ATTRIBUTES = ['bgcolor', 'color', 'size', 'text', 'fill', 'fill-opacity', 'display', 'visibility', 'opacity', 'font-size', 'transform'];

function styleKey(el: Element, matched: readonly MatchedRule[] | undefined): string {
  let key = `${el.name}\u0001${el.namespace === SVG_NAMESPACE ? 's' : ''}${el.attribs.href === undefined ? '' : 'h'}\u0001${el.attribs.style ?? ''}\u0001`;
  for (const name of HINT_ATTRIBUTES) {
    const v = el.attribs[name];
    if (v !== undefined) key += `${name}=${v}\u0002`;
  }
  if (matched) for (const r of matched) key += `${r.id},`;
  return key;
}

function computeStyle(
  el: Element,
  parent: VisualState,
  sheets: StyleSheets,
  quirks: boolean,
  matched: readonly MatchedRule[] | undefined,
  rootPx: number,
): ElementStyle {
  const cascaded = cascade(el, sheets, matched);
  const link = el.name === 'a' && el.attribs.href !== undefined && el.namespace !== SVG_NAMESPACE;
  if (cascaded === undefined) {
    const state = link && parent.color !== LINK_BLUE ? { ...parent, color: LINK_BLUE } : parent;
    return { state, removed: false, suspect: false, display: undefined, box: STATIC_BOX };
  }

  let vars = parent.vars;
  for (const [prop, c] of cascaded) {
    if (!prop.startsWith('--')) continue;
    if (vars === parent.vars) vars = new Map(parent.vars);
    const map = vars as Map<string, string>;
    if (map.size < MAX_CUSTOM_PROPERTIES || map.has(prop)) map.set(prop, c.value);
  }
  const get = (prop: string): string | undefined => {
    const raw = cascaded.get(prop)?.value;
    if (raw === undefined) return undefined;
    const v = raw.includes('var(') ? resolveVars(raw, vars)?.toLowerCase() : raw;
    return v === 'inherit' || v === 'unset' || v === 'revert' || v === 'revert-layer' ? undefined : v;
  };
  const later = (a: string, b: string): string => ((cascaded.get(a)?.seq ?? -1) >= (cascaded.get(b)?.seq ?? -1) ? a : b);

  // Font size first: em lengths elsewhere resolve against it.
  let fontPx = parent.fontPx;
  let fontAbsolute = parent.fontAbsolute;
  const fontProp = later('font-size', 'font');
  const fontValue = get(fontProp);
  if (fontValue !== undefined) {
    const size = fontProp === 'font' ? fontSizeFromShorthand(fontValue, parent.fontPx, quirks, rootPx) : computeFontSize(fontValue, parent.fontPx, quirks, rootPx);
    if (size !== undefined) {
      fontPx = size;
      fontAbsolute = absoluteFontSize(fontProp === 'font' ? fontSizeToken(fontValue) : fontValue, parent.fontAbsolute);
      if (!fontAbsolute && fontPx > 0 && fontPx < MIN_LOGICAL_FONT_PX) fontPx = MIN_LOGICAL_FONT_PX;
    }
  }
  const fontUnknown = fontValue !== undefined && fontSizeUnknown(fontValue, fontProp) && computeFontSize(fontValue, parent.fontPx, quirks) === undefined;
  const ctx: LengthContext = { fontPx, quirks, rootPx };

  let visibilityHidden = parent.visibilityHidden;
  const visibility = firstToken(get('visibility'));
  if (visibility === 'hidden' || visibility === 'collapse') visibilityHidden = true;
  else if (visibility === 'visible' || visibility === 'initial') visibilityHidden = false;

  let color = parent.color;
  // The UA style sheet colours links; inheritance from an ancestor does not reach past it.
  if (link) color = LINK_BLUE;
  const colorValue = get('color');
  if (colorValue !== undefined) {
    if (colorValue === 'initial') color = BLACK;
    else if (colorValue !== 'currentcolor') color = parseColor(colorValue) ?? color;
  }
  let fill = parent.fill;
  const fillValue = get('-webkit-text-fill-color');
  if (fillValue !== undefined) fill = fillValue === 'currentcolor' || fillValue === 'initial' ? undefined : (parseColor(fillValue) ?? fill);
  const uncertain = parent.uncertain || fontUnknown || undecidable(cascaded, get, sheets);

  let opacity = parent.opacity;
  const ownOpacity = parseAlpha(get('opacity'));
  if (ownOpacity !== undefined) opacity *= ownOpacity;
  const filter = get('filter');
  if (filter !== undefined) for (const m of filter.matchAll(/opacity\(\s*([^)]*)\)/g)) opacity *= parseAlpha(m[1]) ?? 1;

  let whiteSpace = parent.whiteSpace;
  const ws = firstToken(get('white-space'));
  if (ws === 'pre' || ws === 'pre-wrap' || ws === 'break-spaces') whiteSpace = 'pre';
  else if (ws === 'pre-line') whiteSpace = 'pre-line';
  else if (ws === 'normal' || ws === 'nowrap') whiteSpace = 'normal';

  // Background: the nearest opaque colour under the text.
  const bg = backgroundOf(get, later);
  let background = parent.background;
  if (bg.image) background = undefined;
  else if (bg.colour && bg.colour.a > 0 && background !== undefined) background = composite(bg.colour, background);
  const paintsBackground = bg.image || (bg.colour !== undefined && bg.colour.a >= 0.5);
  const clip = get(later('-webkit-background-clip', 'background-clip')) ?? bg.clip;
  const clipsBackground = parent.clipsBackground || (clip === 'text' && paintsBackground);
  let shadowDraws = parent.shadowDraws;
  const shadow = get('text-shadow');
  if (shadow !== undefined) shadowDraws = shadow !== 'none' && shadowIsVisible(shadow, ctx);
  const stroke = strokeDraws(get, later, ctx, color);
  if (stroke !== undefined) shadowDraws = shadowDraws || stroke;

  const position = firstToken(get('position')) ?? 'static';
  const positioned = position !== 'static';
  const zIndex = Number.parseInt(get('z-index') ?? '', 10);
  const transform = get('transform');
  const stackingContext =
    (positioned && Number.isFinite(zIndex)) || (ownOpacity !== undefined && ownOpacity < 1) ||
    (transform !== undefined && transform !== 'none') || (filter !== undefined && filter !== 'none') || position === 'fixed';
  const behindBackground = positioned && Number.isFinite(zIndex) && zIndex < 0 && parent.coveredBelow;
  const coversBelow = !stackingContext && paintsBackground && el.name !== 'body' && el.name !== 'html';
  const coveredBelow = stackingContext ? false : parent.coveredBelow || coversBelow;

  const state: VisualState = {
    fontPx, fontAbsolute, opacity, visibilityHidden, color, fill, background, clipsBackground, shadowDraws, whiteSpace, vars, coveredBelow, uncertain,
  };

  const display = firstToken(get('display'));
  let hasLayout = false;
  for (const prop of cascaded.keys()) {
    if (LAYOUT_PROPERTIES.has(prop)) {
      hasLayout = true;
      break;
    }
  }
  const verdict = hasLayout ? layoutVerdict(el, get, later, ctx, display, position) : NO_LAYOUT_VERDICT;
  const removed =
    display === 'none' ||
    firstToken(get('content-visibility')) === 'hidden' ||
    (opacity < MIN_VISIBLE_ALPHA && parent.opacity >= MIN_VISIBLE_ALPHA) ||
    behindBackground ||
    verdict.removed;
  // The box is needed only for overlap checks on a few elements; it is computed on demand.
  let box: Box | undefined;
  const solid = opacity >= 0.9 && !visibilityHidden;
  return {
    state,
    removed,
    suspect: verdict.suspect,
    display,
    get box(): Box {
      box ??= boxOf(get, later, ctx, position, zIndex, bg, solid);
      return box;
    },
  };
}

const NO_LAYOUT_VERDICT = { removed: false, suspect: false };


const COLOUR_PROPERTIES = ['color', '-webkit-text-fill-color', 'background-color'];
const COLOUR_KEYWORDS = new Set(['currentcolor', 'initial', 'inherit', 'unset', 'revert', 'revert-layer', 'none']);
// Transform functions whose effect on visibility is evaluated (transformHides); any other one is a question this engine cannot answer.
const EVALUATED_TRANSFORMS = /^(?:translate(?:x|y|z|3d)?|scale(?:x|y|z|3d)?|matrix|rotate|rotatez)$/;
const PAINT_EFFECTS = ['mask', 'mask-image', '-webkit-mask', '-webkit-mask-image', '-webkit-mask-box-image', 'mask-border', 'mix-blend-mode', 'backdrop-filter'];

/**
 * Whether this element's own declarations make its text's visibility something this engine cannot
 * evaluate: a rule it could not evaluate (UNCERTAIN_PROPERTY), a colour or font size it cannot
 * compute, a filter other than opacity(), a mask, a blend mode, a clip-path shape that does not
 * hide everything, a transform it does not model (3D rotations, skews, perspective), a rotation
 * about an axis, or an animation whose keyframes touch a property that decides visibility
 * (animations run and `forwards` fills hold with JavaScript off).
 */
function undecidable(cascaded: ReadonlyMap<string, Cascaded>, get: Getter, sheets: StyleSheets): boolean {
  if (cascaded.has(UNCERTAIN_PROPERTY)) return true;
  for (const prop of COLOUR_PROPERTIES) {
    const v = get(prop);
    if (v !== undefined && !COLOUR_KEYWORDS.has(v) && parseColor(v) === undefined) return true;
  }
  const background = get('background');
  if (background !== undefined && /(?:^|[\s,(])(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|color-mix|light-dark|device-cmyk)\(/.test(background)) {
    for (const t of components(background)) if (/^[a-z-]+\(/.test(t) && !/^(?:url|(?:repeating-)?(?:linear|radial|conic)-gradient|image-set|-webkit-[a-z-]+)\(/.test(t) && parseColor(t) === undefined) return true;
  }
  const filter = get('filter');
  if (filter !== undefined && filter !== 'none' && filter.replace(/opacity\([^)]*\)/g, '').trim() !== '') return true;
  for (const prop of PAINT_EFFECTS) {
    const v = get(prop);
    if (v !== undefined && v !== 'none' && v !== 'normal' && v !== 'initial') return true;
  }
  const clipPath = get('clip-path');
  if (clipPath !== undefined && !clipPathKeepsAll(clipPath)) return true;
  const transform = get('transform');
  if (transform !== undefined && transform !== 'none') {
    for (const m of transform.matchAll(/([a-z0-9-]+)\(/g)) if (!EVALUATED_TRANSFORMS.test(m[1] ?? '')) return true;
    if (/\b(?:calc|var|min|max|clamp)\(/.test(transform)) return true;
  }
  const rotate = get('rotate');
  if (rotate !== undefined && rotate !== 'none' && components(rotate).length > 1) return true;
  const translate = get('translate');
  if (translate !== undefined && translate !== 'none' && /\(/.test(translate)) return true;
  const animation = [get('animation'), get('animation-name')].filter((v): v is string => v !== undefined).join(' ');
  if (animation && sheets.animates(animation)) return true;
  return false;
}

/** Whether a clip-path certainly clips nothing: none, or an inset() of zero or negative insets. */
function clipPathKeepsAll(clipPath: string): boolean {
  if (clipPath === 'none' || clipPath === 'initial') return true;
  const inset = /^inset\(([^)]*)\)(?:\s+(?:border-box|padding-box|content-box|margin-box|fill-box|stroke-box|view-box))?$/.exec(clipPath.trim());
  if (!inset) return false;
  const values = (inset[1] ?? '').split(/\s+round\s+/)[0]?.trim().split(/\s+/) ?? [];
  return values.length > 0 && values.every((v) => /^(?:-[\d.]+[a-z%]*|0+(?:\.0+)?[a-z%]*)$/.test(v));
}

/** A font-size value this engine cannot compute (a function of the viewport, container or an unknown unit). */
function fontSizeUnknown(value: string, fontProp: string): boolean {
  if (fontProp === 'font') return false;
  return !/^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:px|pt|pc|in|cm|mm|q|em|rem|ex|ch|%)?|xx-small|x-small|small|medium|large|x-large|xx-large|xxx-large|larger|smaller|initial|inherit|unset|revert|revert-layer)$/.test(value.trim());
}
// The properties layoutVerdict reads; an element setting none of them cannot be hidden by layout.
const LAYOUT_PROPERTIES = new Set([
  'height', 'max-height', 'width', 'max-width', 'block-size', 'max-block-size', 'inline-size', 'max-inline-size',
  'overflow', 'overflow-x', 'overflow-y', 'contain', 'line-height', 'font', 'position', 'left', 'right', 'top',
  'bottom', 'inset', 'clip', 'margin', 'margin-left', 'margin-top', 'text-indent', 'transform', 'scale',
  'clip-path', 'zoom',
]);

function boxOf(
  get: Getter,
  later: (a: string, b: string) => string,
  ctx: LengthContext,
  position: string,
  zIndex: number,
  bg: { colour: Rgba | undefined; image: boolean },
  solid: boolean,
): Box {
  const inset = components(get('inset') ?? '');
  const side = (prop: string, index: number): number | undefined => lengthToPx(get(prop) ?? inset[index] ?? inset[index % 2] ?? inset[0], ctx, 0);
  const extent = (prop: string): number | 'full' | undefined => {
    const v = get(prop);
    const pct = percentOnly(v, ctx);
    if (pct !== undefined) return pct >= 100 ? 'full' : undefined;
    return lengthToPx(v, ctx);
  };
  const margin = components(get('margin') ?? '');
  const marginTop = lengthToPx(later('margin-top', 'margin') === 'margin-top' ? get('margin-top') : margin[0], ctx);
  const marginBottom = lengthToPx(later('margin-bottom', 'margin') === 'margin-bottom' ? get('margin-bottom') : (margin[2] ?? margin[0]), ctx);
  const lh = get(later('line-height', 'font'));
  const lineHeight = lh === undefined || /^[\d.]+$/.test(lh) ? undefined : lengthToPx(lh.split('/').pop(), ctx);
  const opaque = bg.image ? 'image' : bg.colour !== undefined && bg.colour.a >= 0.9 ? bg.colour : undefined;
  return {
    position, zIndex: Number.isFinite(zIndex) ? zIndex : undefined, opaque,
    top: side('top', 0), right: side('right', 1), bottom: side('bottom', 2), left: side('left', 3),
    width: extent('width'), height: extent('height'), marginTop, marginBottom, lineHeight, solid,
  };
}

/** Presentational hints, then matched rules, then the style attribute, normal then important; later wins. */
function cascade(el: Element, sheets: StyleSheets, rules: readonly MatchedRule[] | undefined): Map<string, Cascaded> | undefined {
  const hints = presentationalHints(el);
  const matched = rules ? sheets.declarationsOf(rules) : undefined;
  const inlineText = el.attribs.style;
  const inline = inlineText ? sheets.parseInline(inlineText) : undefined;
  if (!hints && !matched && !inline?.length) return undefined;
  const out = new Map<string, Cascaded>();
  let seq = 0;
  const apply = (decls: readonly Declaration[] | undefined, important: boolean | undefined): void => {
    if (!decls) return;
    for (const d of decls) if (important === undefined || d.important === important) out.set(d.prop, { value: d.value, seq: seq++ });
  };
  apply(hints, undefined);
  apply(matched?.normal, undefined);
  apply(inline, false);
  apply(matched?.important, undefined);
  apply(inline, true);
  return out;
}

function presentationalHints(el: Element): Declaration[] | undefined {
  const a = el.attribs;
  let hints: Declaration[] | undefined;
  const add = (prop: string, value: string): void => {
    (hints ??= []).push({ prop, value: value.trim().toLowerCase(), important: false });
  };
  if (a.bgcolor !== undefined && BACKGROUND_ATTRIBUTE_ELEMENTS.has(el.name)) add('background-color', legacyColour(a.bgcolor));
  if (el.name === 'font') {
    if (a.color !== undefined) add('color', legacyColour(a.color));
    if (a.size !== undefined) {
      const px = legacyFontSize(a.size);
      if (px !== undefined) add('font-size', `${px}px`);
    }
  }
  if (el.name === 'body' && a.text !== undefined) add('color', legacyColour(a.text));
  if (el.namespace === SVG_NAMESPACE) {
    for (const prop of ['display', 'visibility', 'opacity', 'font-size', 'transform']) {
      const v = a[prop];
      if (v !== undefined) add(prop, /^\d+(?:\.\d+)?$/.test(v.trim()) && prop === 'font-size' ? `${v}px` : v);
    }
    const fill = a.fill;
    if (fill !== undefined) add('-webkit-text-fill-color', fill.trim() === 'none' ? 'transparent' : fill);
    const fillOpacity = parseAlpha(a['fill-opacity']);
    if (fillOpacity !== undefined && fillOpacity < MIN_VISIBLE_ALPHA) add('-webkit-text-fill-color', 'transparent');
  }
  return hints;
}

export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** The legacy colour parsing of attributes: bare hex digits count as hex. */
function legacyColour(value: string): string {
  const v = value.trim();
  return /^[0-9a-f]{6}$/i.test(v) || /^[0-9a-f]{3}$/i.test(v) ? `#${v}` : v;
}

function legacyFontSize(value: string): number | undefined {
  const m = /^\s*([+-]?)(\d+)/.exec(value);
  if (!m) return undefined;
  let n = Number.parseInt(m[2] ?? '', 10);
  if (m[1] === '+') n = 3 + n;
  else if (m[1] === '-') n = 3 - n;
  return FONT_SIZE_ATTRIBUTE[Math.min(7, Math.max(1, n))];
}

type Getter = (prop: string) => string | undefined;

function backgroundOf(get: Getter, later: (a: string, b: string) => string): { colour: Rgba | undefined; image: boolean; clip: string | undefined } {
  let colour: Rgba | undefined;
  let image = false;
  let clip: string | undefined;
  const shorthand = get('background');
  if (shorthand !== undefined) {
    const layers = components(shorthand);
    image = layers.some((t) => /^(?:url|(?:repeating-)?(?:linear|radial|conic)-gradient|image-set|-webkit-(?:linear|radial)-gradient)\(/.test(t));
    for (const t of layers) {
      const c = parseColor(t);
      if (c) colour = c;
      if (t === 'text') clip = 'text';
    }
  }
  if (later('background-color', 'background') === 'background-color') {
    const c = parseColor(get('background-color'));
    if (c) colour = c;
  }
  if (later('background-image', 'background') === 'background-image') {
    const img = get('background-image');
    if (img !== undefined) image = img !== 'none';
  }
  return { colour, image, clip };
}

/** Whether -webkit-text-stroke outlines the text visibly; undefined when not set. */
function strokeDraws(get: Getter, later: (a: string, b: string) => string, ctx: LengthContext, color: Rgba): boolean | undefined {
  const shorthand = later('-webkit-text-stroke', '-webkit-text-stroke-width') === '-webkit-text-stroke';
  let width: number | undefined;
  let colour: Rgba | undefined = color;
  if (shorthand) {
    const v = get('-webkit-text-stroke');
    if (v === undefined) return undefined;
    for (const t of components(v)) {
      const c = parseColor(t);
      if (c) colour = c;
      else width = t === 'thin' ? 1 : t === 'medium' ? 3 : t === 'thick' ? 5 : lengthToPx(t, ctx);
    }
  } else {
    const w = get('-webkit-text-stroke-width');
    if (w === undefined) return undefined;
    width = lengthToPx(w, ctx);
  }
  const c = get('-webkit-text-stroke-color');
  if (c !== undefined) colour = parseColor(c) ?? colour;
  return width !== undefined && width > 0 && colour !== undefined && colour.a >= MIN_VISIBLE_ALPHA;
}

function shadowIsVisible(shadow: string, ctx: LengthContext): boolean {
  for (const layer of shadow.split(/,(?![^(]*\))/)) {
    const parts = components(layer);
    const colourToken = parts.find((p) => parseColor(p) !== undefined);
    const colour = colourToken ? parseColor(colourToken) : BLACK;
    const lengths = parts.filter((p) => p !== colourToken).map((p) => lengthToPx(p, ctx));
    const far = lengths.slice(0, 2).some((l) => l !== undefined && Math.abs(l) >= OFFSCREEN_POSITIVE_PX);
    if (colour && colour.a >= MIN_VISIBLE_ALPHA && !far) return true;
  }
  return false;
}

/** Size, position, transform and clipping tricks that leave no visible box. */
function layoutVerdict(
  el: Element,
  get: Getter,
  later: (a: string, b: string) => string,
  ctx: LengthContext,
  display: string | undefined,
  position: string,
): { removed: boolean; suspect: boolean } {
  let suspect = false;
  const outOfFlow = position === 'absolute' || position === 'fixed' || (get('float') ?? 'none') !== 'none';
  const effectiveDisplay = display ?? (INLINE_BY_DEFAULT.has(el.name) ? 'inline' : TABLE_PARTS.has(el.name) ? `table-${el.name}` : 'block');
  const inline = effectiveDisplay === 'inline' && !outOfFlow;
  const tablePart = /^table-(?:cell|row|td|th|tr|tbody|thead|tfoot|row-group|header-group|footer-group)$/.test(effectiveDisplay);

  const overflowValues = [get(later('overflow', 'overflow-y')), get(later('overflow', 'overflow-x'))].join(' ');
  const contain = get('contain') ?? '';
  const clips = (/\b(?:hidden|clip|auto|scroll)\b/.test(overflowValues) || /\b(?:paint|strict|content)\b/.test(contain)) && !inline;
  const size = (prop: string, logical: string): number | undefined => {
    const v = get(later(prop, logical));
    return lengthToPx(v, ctx);
  };
  let boxWidth: number | undefined;
  if (!inline) {
    boxWidth = tablePart ? undefined : size('width', 'inline-size');
    const height = tablePart ? undefined : size('height', 'block-size');
    const maxHeight = tablePart ? undefined : size('max-height', 'max-block-size');
    const width = tablePart ? undefined : size('width', 'inline-size');
    const maxWidth = tablePart ? undefined : size('max-width', 'max-inline-size');
    const tinyHeight = [height, maxHeight].some((v) => v !== undefined && v <= 1);
    const tinyWidth = [width, maxWidth].some((v) => v !== undefined && v <= 1);
    if (clips && (tinyHeight || tinyWidth)) return { removed: true, suspect: false };
    const lineHeight = get(later('line-height', 'font'));
    const zeroLines = lineHeight !== undefined && /^0(?:\.0*)?(?:px|em|%|rem)?$/.test(lineHeight.split('/').pop() ?? '');
    if (clips && zeroLines && height === undefined && !tablePart) return { removed: true, suspect: false };
    const smallBox = [height, maxHeight, width, maxWidth].some((v) => v !== undefined && v < SUSPECT_CLIP_PX);
    if (clips && smallBox) suspect = true;
  }

  if (position !== 'static') {
    const inset = components(get('inset') ?? '');
    const side = (prop: string, index: number): number | undefined => {
      const v = get(prop) ?? inset[index] ?? inset[index % 2] ?? inset[0];
      const pct = percentOnly(v, ctx);
      if (pct !== undefined) return (pct * VIEWPORT_WIDTH_PX) / 100;
      return lengthToPx(v, ctx);
    };
    const top = side('top', 0);
    const right = side('right', 1);
    const bottom = side('bottom', 2);
    const left = side('left', 3);
    if ([left, top].some((v) => v !== undefined && v <= OFFSCREEN_LEFT_TOP_PX)) return { removed: true, suspect: false };
    if (left !== undefined && boxWidth !== undefined && left + boxWidth <= 0) return { removed: true, suspect: false };
    if ([right, bottom].some((v) => v !== undefined && v <= OFFSCREEN_NEGATIVE_PX)) return { removed: true, suspect: false };
    if ([left, top, right, bottom].some((v) => v !== undefined && v >= OFFSCREEN_POSITIVE_PX)) return { removed: true, suspect: false };
    if ([left, top].some((v) => v !== undefined && v <= SUSPECT_OFFSET_PX)) suspect = true;
    if (position === 'absolute' || position === 'fixed') {
      const clipValue = get('clip');
      if (clipValue !== undefined && clipRectHides(clipValue, ctx)) return { removed: true, suspect: false };
    }
  }

  const margin = components(get('margin') ?? '');
  const marginLeft = lengthToPx(later('margin-left', 'margin') === 'margin-left' ? get('margin-left') : (margin[3] ?? margin[1] ?? margin[0]), ctx);
  const marginTop = lengthToPx(later('margin-top', 'margin') === 'margin-top' ? get('margin-top') : margin[0], ctx);
  if (marginLeft !== undefined && marginLeft <= OFFSCREEN_LEFT_TOP_PX) return { removed: true, suspect: false };
  if (marginTop !== undefined && marginTop <= OFFSCREEN_NEGATIVE_PX) return { removed: true, suspect: false };

  const indentValue = get('text-indent');
  if (indentValue !== undefined && !inline) {
    const indent = lengthToPx(indentValue, ctx);
    const indentPct = percentOnly(indentValue, ctx);
    if (indent !== undefined && (indent <= OFFSCREEN_LEFT_TOP_PX || indent >= OFFSCREEN_POSITIVE_PX)) return { removed: true, suspect: false };
    const far = (indentPct !== undefined && indentPct >= 100) || (indent !== undefined && indent >= VIEWPORT_WIDTH_PX);
    if (far && clips) return { removed: true, suspect: false };
    if (indent !== undefined && indent <= SUSPECT_OFFSET_PX) suspect = true;
  }

  const transform = get('transform');
  if (transform !== undefined && transformHides(transform, ctx, boxWidth)) return { removed: true, suspect: false };
  const scale = get('scale');
  if (scale !== undefined && components(scale).some((f) => Math.abs(parseAlpha(f) ?? 1) < MIN_VISIBLE_SCALE)) {
    return { removed: true, suspect: false };
  }
  const clipPath = get('clip-path');
  if (clipPath !== undefined && clipPathHides(clipPath, ctx)) return { removed: true, suspect: false };
  const zoom = parseAlpha(get('zoom'));
  if (zoom !== undefined && zoom > 0 && zoom < MIN_VISIBLE_ALPHA) return { removed: true, suspect: false };
  return { removed: false, suspect };
}

function scaleFactor(text: string): number | undefined {
  const t = text.trim();
  if (t.endsWith('%')) {
    const n = Number.parseFloat(t);
    return Number.isFinite(n) ? n / 100 : undefined;
  }
  const n = Number.parseFloat(t);
  return Number.isFinite(n) ? n : undefined;
}

function transformHides(transform: string, ctx: LengthContext, width: number | undefined): boolean {
  // Moved left by at least its own width, the box leaves the page (nobody can scroll left of it).
  const offLeft = (x: number): boolean => x <= OFFSCREEN_NEGATIVE_PX || (width !== undefined && x + width <= 0);
  for (const m of transform.matchAll(/(scale(?:x|y|z|3d)?|translate(?:x|y|z|3d)?|matrix(?:3d)?)\(([^)]*)\)/g)) {
    const fn = m[1] ?? '';
    const args = (m[2] ?? '').split(/[\s,]+/).filter(Boolean);
    if (fn.startsWith('scale')) {
      if (fn === 'scalez') continue;
      const factors = (fn === 'scale' || fn === 'scale3d' ? args.slice(0, 2) : args.slice(0, 1)).map(scaleFactor);
      if (factors.some((f) => f !== undefined && Math.abs(f) < MIN_VISIBLE_SCALE)) return true;
    } else if (fn.startsWith('translate')) {
      const [x, y] = args.map((a) => lengthToPx(a, ctx));
      if (fn === 'translatey') {
        if (x !== undefined && (x <= OFFSCREEN_NEGATIVE_PX || x >= OFFSCREEN_POSITIVE_PX)) return true;
      } else if (fn !== 'translatez') {
        if (x !== undefined && (offLeft(x) || x >= OFFSCREEN_POSITIVE_PX)) return true;
        if (fn !== 'translatex' && y !== undefined && (y <= OFFSCREEN_NEGATIVE_PX || y >= OFFSCREEN_POSITIVE_PX)) return true;
      }
    } else if (fn === 'matrix') {
      const [a, b, c, d, e, f] = args.map(Number);
      if (a !== undefined && b !== undefined && c !== undefined && d !== undefined) {
        if (Math.abs(a * d - b * c) < MIN_VISIBLE_SCALE * MIN_VISIBLE_SCALE) return true;
      }
      if ([e, f].some((v) => v !== undefined && (v <= OFFSCREEN_NEGATIVE_PX || v >= OFFSCREEN_POSITIVE_PX))) return true;
    }
  }
  return false;
}

function clipRectHides(clip: string, ctx: LengthContext): boolean {
  const m = /rect\(([^)]*)\)/.exec(clip);
  if (!m) return false;
  const [top, right, bottom, left] = (m[1] ?? '').split(/[\s,]+/).filter(Boolean).map((v) => lengthToPx(v, { ...ctx, quirks: true }));
  if (top !== undefined && bottom !== undefined && bottom - top <= 1) return true;
  return left !== undefined && right !== undefined && right - left <= 1;
}

function clipPathHides(clipPath: string, ctx: LengthContext): boolean {
  const inset = /inset\(([^)]*)\)/.exec(clipPath);
  if (inset) {
    const values = (inset[1] ?? '').split(/\s+round\s+/)[0]?.split(/\s+/).filter(Boolean) ?? [];
    const pct = values.map((v) => percentOnly(v, ctx) ?? Number.NaN);
    const [t = Number.NaN, r = t, b = t, l = r] = pct;
    if (t + b >= 100 || l + r >= 100) return true;
  }
  const shape = /(circle|ellipse)\(\s*([^)]*)\)/.exec(clipPath);
  if (shape) {
    const radii = (shape[2] ?? '').split(/\s+at\s+/)[0]?.split(/\s+/).filter(Boolean) ?? [];
    if (radii.some((v) => (percentOnly(v, ctx) ?? lengthToPx(v, ctx)) === 0)) return true;
  }
  const polygon = /polygon\(([^)]*)\)/.exec(clipPath);
  if (polygon) {
    const points = splitPoints(polygon[1] ?? '', ctx);
    if (points !== undefined && polygonArea(points) < 1) return true;
  }
  return false;
}

/** Polygon points in px, percentages taken against a 100px box (only the area's zero-ness matters). */
function splitPoints(list: string, ctx: LengthContext): Array<[number, number]> | undefined {
  const points: Array<[number, number]> = [];
  for (const pair of list.replace(/^\s*(?:nonzero|evenodd)\s*,/, '').split(',')) {
    const [x, y] = pair.trim().split(/\s+/).map((v) => percentOnly(v, ctx) ?? lengthToPx(v, ctx));
    if (x === undefined || y === undefined) return undefined;
    points.push([x, y]);
  }
  return points;
}

function polygonArea(points: ReadonlyArray<[number, number]>): number {
  let area = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i] as [number, number];
    const [x2, y2] = points[(i + 1) % points.length] as [number, number];
    area += x1 * y2 - x2 * y1;
  }
  return Math.abs(area) / 2;
}

const FONT_SIZE_KEYWORDS = new Map<string, number>([
  ['xx-small', 9], ['x-small', 10], ['small', 13], ['medium', 16], ['large', 18],
  ['x-large', 24], ['xx-large', 32], ['xxx-large', 48],
]);

/** Whether a font-size value is absolute in Chromium's sense: em, % and larger/smaller inherit the parent's; keywords are not. */
function absoluteFontSize(value: string | undefined, parentAbsolute: boolean): boolean {
  const v = (value ?? '').trim();
  if (FONT_SIZE_KEYWORDS.has(v) || v === 'initial') return false;
  if (v === 'larger' || v === 'smaller' || /^[+-]?(?:\d+\.?\d*|\.\d+)(?:em|ex|ch|%)$/.test(v)) return parentAbsolute;
  return true;
}

/** The font-size part of a `font` shorthand. */
function fontSizeToken(value: string): string | undefined {
  for (const token of components(value)) {
    const size = token.split('/')[0] ?? '';
    if (FONT_SIZE_KEYWORDS.has(size) || size === 'larger' || size === 'smaller' || /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[a-z]+|%)$/.test(size) || /^(?:calc|min|max|clamp)\(/.test(size)) return size;
  }
  return undefined;
}

function computeFontSize(value: string, parentPx: number, quirks: boolean, rootPx = 16): number | undefined {
  const v = value.trim();
  const keyword = FONT_SIZE_KEYWORDS.get(v);
  if (keyword !== undefined) return keyword;
  if (v === 'larger') return parentPx * 1.2;
  if (v === 'smaller') return parentPx / 1.2;
  if (v === 'initial') return 16;
  const px = lengthToPx(v, { fontPx: parentPx, quirks, rootPx }, parentPx);
  return px !== undefined && px >= 0 ? px : undefined;
}

function fontSizeFromShorthand(value: string, parentPx: number, quirks: boolean, rootPx = 16): number | undefined {
  for (const token of components(value)) {
    const size = token.split('/')[0] ?? '';
    if (FONT_SIZE_KEYWORDS.has(size) || size === 'larger' || size === 'smaller') return computeFontSize(size, parentPx, quirks, rootPx);
    // A bare number is a font-weight, except 0, which can only be a size.
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[a-z]+|%)$/.test(size) || /^[+-]?0*\.?0+$/.test(size) || /^(?:calc|min|max|clamp)\(/.test(size)) {
      return computeFontSize(size, parentPx, true, rootPx);
    }
  }
  return undefined;
}
