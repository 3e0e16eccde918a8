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
  colourDistance, components, composite, firstToken, lengthToPx, parseAlpha, parseColor, parseColor as parseCssColor, percentOnly,
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
  /** The inline base direction is right-to-left (`direction`, or the `dir` attribute). */
  readonly rtl: boolean;
  /** The writing mode is vertical (vertical-*, sideways-*): the inline axis runs top to bottom. */
  readonly vertical: boolean;
  /** Lines do not wrap (white-space nowrap/pre, text-wrap-mode nowrap). */
  readonly noWrap: boolean;
  /** How much transforms and SVG viewBoxes shrink what is painted (product over ancestors; 1 = not scaled). */
  readonly paintScale: number;
  /**
   * Painted through a filter that keeps luminance (grayscale, sepia, saturate, hue-rotate: Filter
   * Effects 1 defines their matrices on the luminance coefficients), which may still move hue onto
   * the background: text needs a luminance contrast with its background to count as seen.
   */
  readonly filtered: boolean;
  /** The used color-scheme is dark (`color-scheme` lists dark and not light): light-dark() takes its second colour. */
  readonly darkScheme: boolean;
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
  rtl: false,
  vertical: false,
  noWrap: false,
  paintScale: 1,
  filtered: false,
  darkScheme: false,
};

export const MIN_VISIBLE_FONT_PX = 2;
/**
 * Glyphs painted smaller than this (font size times paint scale) make a line box under 6px: too
 * small to read, so a reader does not see them. Between MIN_VISIBLE_FONT_PX and this the text is
 * withheld rather than decided (the exact box height depends on the font's metrics).
 */
export const MIN_LEGIBLE_FONT_PX = 5.2;
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
  if (state.visibilityHidden || state.fontPx * state.paintScale < MIN_VISIBLE_FONT_PX || state.opacity < MIN_VISIBLE_ALPHA) return false;
  if (state.clipsBackground || state.shadowDraws) return true;
  const fill = state.fill ?? state.color;
  if (fill.a < MIN_VISIBLE_ALPHA) return false;
  if (state.background === undefined) return !state.filtered;
  const painted = composite(fill, state.background);
  if (state.filtered && contrastRatio(painted, state.background) < MIN_FILTERED_CONTRAST) return false;
  return !(colourDistance(painted, state.background) < COLOUR_DISTANCE);
}

/** Under a luminance-keeping filter, text and background this close in luminance (WCAG contrast ratio) may end up the same colour. */
const MIN_FILTERED_CONTRAST = 1.3;

function contrastRatio(a: Rgba, b: Rgba): number {
  const lum = (c: Rgba): number => {
    const ch = (v: number): number => {
      const x = v / 255;
      return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
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
  /** It draws something besides its background that can lie over other boxes: a border, an outline, a box shadow or a backdrop filter. */
  readonly drawsEdges: boolean;
  /** A negative margin pulls it over its neighbours. */
  readonly negativeMargin: boolean;
  /** It is placed in a grid area explicitly, so it may share that area with other items. */
  readonly gridPlaced: boolean;
  /** Its transform (or transform-like property) makes it a containing block for positioned descendants. */
  readonly transformed: boolean;
}

const STATIC_BOX: Box = {
  position: 'static', zIndex: undefined, opaque: undefined, top: undefined, left: undefined, right: undefined,
  bottom: undefined, width: undefined, height: undefined, marginTop: undefined, marginBottom: undefined,
  lineHeight: undefined, solid: true, drawsEdges: false, negativeMargin: false, gridPlaced: false, transformed: false,
};

interface Cascaded {
  value: string;
  seq: number;
  important?: boolean;
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
      `${state.clipsBackground ? 1 : 0}${state.shadowDraws ? 1 : 0}${state.coveredBelow ? 1 : 0}${state.uncertain ? 1 : 0}${state.rtl ? 1 : 0}${state.vertical ? 1 : 0}${state.noWrap ? 1 : 0}${state.filtered ? 1 : 0}${state.darkScheme ? 1 : 0}|${state.paintScale}|${state.whiteSpace}|${varId}`;
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

const HINT_ATTRIBUTES = ['bgcolor', 'color', 'size', 'text', 'fill', 'fill-opacity', 'display', 'visibility', 'opacity', 'font-size', 'transform', 'dir', 'viewBox', 'viewbox', 'width', 'height'];

function styleKey(el: Element, matched: readonly MatchedRule[] | undefined): string {
  let key = `${el.name}\u0001${el.namespace === SVG_NAMESPACE ? 's' : ''}${el.attribs.href === undefined ? '' : 'h'}\u0001${el.attribs.style ?? ''}\u0001`;
  for (const name of HINT_ATTRIBUTES) {
    const v = el.attribs[name];
    if (v !== undefined) key += `${name}=${v}\u0002`;
  }
  if (el.attribs.dir?.trim().toLowerCase() === 'auto') key += `auto=${autoDirection(el)}`;
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
  const own = cascade(el, sheets, matched);
  const link = el.name === 'a' && el.attribs.href !== undefined && el.namespace !== SVG_NAMESPACE;
  // An SVG viewBox scales what the svg paints (ownScale), styled or not.
  if (own === undefined && !(el.name === 'svg' && viewBoxOf(el) !== undefined)) {
    const state = link && parent.color !== LINK_BLUE ? { ...parent, color: LINK_BLUE } : parent;
    return { state, removed: false, suspect: false, display: undefined, box: STATIC_BOX };
  }
  let cascaded: ReadonlyMap<string, Cascaded> = own ?? new Map<string, Cascaded>();
  if (cascaded.has('animation') || cascaded.has('animation-name')) cascaded = withAnimationEnd(cascaded, sheets);

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

  const display = firstToken(get('display'));
  if (display === 'contents') {
    // CSS Display 3 §2.5 and Appendix B: replaced and form-control elements with display:contents
    // behave as display:none; any other element generates no box, so only inherited properties
    // (and custom properties) reach its children: its own background, opacity, filter,
    // transform, overflow, clip and position do nothing.
    if (CONTENTS_AS_NONE.has(el.name) && el.namespace !== SVG_NAMESPACE) return { state: parent, removed: true, suspect: false, display, box: STATIC_BOX };
    const kept = new Map<string, Cascaded>();
    for (const [prop, c] of cascaded) if (prop.startsWith('--') || prop === UNCERTAIN_PROPERTY || prop === 'display' || INHERITED_PROPERTIES.has(prop)) kept.set(prop, c);
    cascaded = kept;
  }

  // Direction and writing mode first: logical properties map onto physical ones through them.
  let rtl = parent.rtl;
  const direction = firstToken(get('direction'));
  if (direction === 'rtl') rtl = true;
  else if (direction === 'ltr' || direction === 'initial') rtl = false;
  let vertical = parent.vertical;
  const writingMode = writingModeOf(get('writing-mode'));
  if (writingMode !== undefined) vertical = writingMode !== 'horizontal-tb';
  if (hasLogical(cascaded)) cascaded = mapLogical(cascaded, rtl, writingMode ?? (vertical ? 'vertical-rl' : 'horizontal-tb'));

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
  const uncertain = parent.uncertain || fontUnknown || undecidable(cascaded, get, sheets, { fontPx, quirks, rootPx }, parent.background);

  let opacity = parent.opacity;
  const ownOpacity = parseAlpha(get('opacity'));
  if (ownOpacity !== undefined) opacity *= ownOpacity;
  const filter = get('filter');
  if (filter !== undefined) for (const m of filter.matchAll(/opacity\(\s*([^)]*)\)/g)) opacity *= parseAlpha(m[1]) ?? 1;

  let whiteSpace = parent.whiteSpace;
  let noWrap = parent.noWrap;
  const ws = firstToken(get('white-space'));
  if (ws === 'pre' || ws === 'pre-wrap' || ws === 'break-spaces') whiteSpace = 'pre';
  else if (ws === 'pre-line') whiteSpace = 'pre-line';
  else if (ws === 'normal' || ws === 'nowrap') whiteSpace = 'normal';
  if (ws === 'nowrap' || ws === 'pre') noWrap = true;
  else if (ws !== undefined && ws !== 'inherit') noWrap = false;
  const wrapMode = firstToken(get(later('text-wrap-mode', 'text-wrap')));
  if (wrapMode === 'nowrap') noWrap = true;
  else if (wrapMode === 'wrap') noWrap = false;

  // Background: the nearest opaque colour under the text.
  const bg = backgroundOf(get, later, fill ?? color);
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

  const paintScale = parent.paintScale * ownScale(get, el);
  // CSS Color Adjust 1: color-scheme is inherited; with only dark listed the used scheme is dark.
  let darkScheme = parent.darkScheme;
  const scheme = get('color-scheme');
  if (scheme !== undefined) {
    const tokens = components(scheme);
    darkScheme = tokens.includes('dark') && !tokens.includes('light');
  }
  // light-dark() is read as its light colour (values.ts); under a dark scheme it is the other one, which this engine does not pick.
  const darkChoice = darkScheme && ['color', '-webkit-text-fill-color', 'background', 'background-color'].some((p) => get(p)?.includes('light-dark(') ?? false);

  let hasLayout = false;
  for (const prop of cascaded.keys()) {
    if (LAYOUT_PROPERTIES.has(prop)) {
      hasLayout = true;
      break;
    }
  }
  const verdict = hasLayout ? layoutVerdict(el, get, later, ctx, display, position, rtl, noWrap) : NO_LAYOUT_VERDICT;
  const glyphPx = fontPx * paintScale;
  const state: VisualState = {
    fontPx, fontAbsolute, opacity, visibilityHidden, color, fill, background, clipsBackground, shadowDraws, whiteSpace, vars, coveredBelow,
    uncertain: uncertain || darkChoice || verdict.uncertain || (glyphPx >= MIN_VISIBLE_FONT_PX && glyphPx < MIN_LEGIBLE_FONT_PX) || paintUndecidable(get, ctx, rtl, noWrap, display, el),
    rtl, vertical, noWrap, paintScale, filtered: parent.filtered || lumaFilter(filter), darkScheme,
  };

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

const REMOVED: LayoutVerdict = { removed: true, suspect: false, uncertain: false };
const NO_LAYOUT_VERDICT: LayoutVerdict = { removed: false, suspect: false, uncertain: false };

interface LayoutVerdict {
  readonly removed: boolean;
  readonly suspect: boolean;
  /** Whether layout this engine does not compute (a clipping box of fixed size, lines that cannot wrap) may hide the text. */
  readonly uncertain: boolean;
}

// CSS Display 3, Appendix B: these elements with display:contents behave as display:none.
const CONTENTS_AS_NONE = new Set([
  'br', 'wbr', 'meter', 'progress', 'canvas', 'embed', 'object', 'audio', 'iframe', 'img', 'video', 'frame', 'frameset', 'input', 'textarea', 'select',
]);

// Properties that inherit (CSS specifications' "Inherited: yes"), as far as they matter here: the only ones a display:contents element passes on.
const INHERITED_PROPERTIES = new Set([
  'color', 'font', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant', 'font-stretch', 'font-size-adjust', 'font-kerning',
  'font-feature-settings', 'font-variation-settings', 'line-height', 'visibility', 'white-space', 'white-space-collapse', 'text-wrap', 'text-wrap-mode',
  'text-align', 'text-indent', 'text-transform', 'text-shadow', 'letter-spacing', 'word-spacing', '-webkit-text-fill-color', '-webkit-text-stroke',
  '-webkit-text-stroke-width', '-webkit-text-stroke-color', 'direction', 'writing-mode', 'text-orientation', 'color-scheme', 'quotes', 'list-style',
  'list-style-type', 'list-style-position', 'list-style-image', 'cursor', 'hyphens', 'tab-size', 'paint-order', 'fill', 'fill-opacity', 'stroke',
  'stroke-width', 'stroke-opacity', '-webkit-text-security', 'text-emphasis', 'text-emphasis-color', 'text-emphasis-style', 'orphans', 'widows',
  'word-break', 'overflow-wrap', 'word-wrap', 'line-break', 'text-underline-position', 'text-rendering', '-webkit-line-clamp',
]);

type WritingMode = 'horizontal-tb' | 'vertical-rl' | 'vertical-lr' | 'sideways-rl' | 'sideways-lr';

/** A writing-mode value (CSS Writing Modes 4, with the SVG 1.1 keywords it maps), or undefined when unset or invalid (then ignored, as browsers do). */
function writingModeOf(value: string | undefined): WritingMode | undefined {
  switch (firstToken(value)) {
    case 'horizontal-tb': case 'lr': case 'lr-tb': case 'rl': case 'rl-tb': case 'initial':
      return 'horizontal-tb';
    case 'vertical-rl': case 'tb': case 'tb-rl':
      return 'vertical-rl';
    case 'vertical-lr':
      return 'vertical-lr';
    case 'sideways-rl':
      return 'sideways-rl';
    case 'sideways-lr':
      return 'sideways-lr';
    default:
      return undefined;
  }
}

const LOGICAL = /^(?:margin|inset|padding)-(?:inline|block)(?:-start|-end)?$/;

function hasLogical(cascaded: ReadonlyMap<string, Cascaded>): boolean {
  for (const prop of cascaded.keys()) if (LOGICAL.test(prop)) return true;
  return false;
}

/**
 * The physical side a flow-relative side maps to (CSS Writing Modes 4 §6.3 and CSS Logical
 * Properties 1): inline-start is left in ltr horizontal text, right in rtl, top in vertical ltr.
 */
function physicalSide(axis: 'inline' | 'block', edge: 'start' | 'end', rtl: boolean, mode: WritingMode): 'top' | 'right' | 'bottom' | 'left' {
  let start: 'top' | 'right' | 'bottom' | 'left';
  let end: 'top' | 'right' | 'bottom' | 'left';
  if (axis === 'block') {
    if (mode === 'horizontal-tb') [start, end] = ['top', 'bottom'];
    else if (mode === 'vertical-rl' || mode === 'sideways-rl') [start, end] = ['right', 'left'];
    else [start, end] = ['left', 'right'];
  } else if (mode === 'horizontal-tb') [start, end] = rtl ? ['right', 'left'] : ['left', 'right'];
  else if (mode === 'sideways-lr') [start, end] = rtl ? ['top', 'bottom'] : ['bottom', 'top'];
  else [start, end] = rtl ? ['bottom', 'top'] : ['top', 'bottom'];
  return edge === 'start' ? start : end;
}

/** Flow-relative margins and insets written as the physical ones they set, the later declaration winning. */
function mapLogical(cascaded: ReadonlyMap<string, Cascaded>, rtl: boolean, mode: WritingMode): Map<string, Cascaded> {
  const out = new Map(cascaded);
  const set = (prop: string, value: string | undefined, seq: number): void => {
    if (value === undefined) return;
    const known = out.get(prop);
    if (known === undefined || known.seq < seq) out.set(prop, { value, seq });
  };
  for (const [prop, c] of cascaded) {
    const m = /^(margin|inset|padding)-(inline|block)(?:-(start|end))?$/.exec(prop);
    if (!m) continue;
    const base = m[1] === 'inset' ? '' : `${m[1]}-`;
    const axis = m[2] as 'inline' | 'block';
    if (m[3] !== undefined) {
      set(`${base}${physicalSide(axis, m[3] as 'start' | 'end', rtl, mode)}`, c.value, c.seq);
      continue;
    }
    const [first, second = first] = components(c.value);
    set(`${base}${physicalSide(axis, 'start', rtl, mode)}`, first, c.seq);
    set(`${base}${physicalSide(axis, 'end', rtl, mode)}`, second, c.seq);
  }
  return out;
}

const RTL_STRONG = /[\u0590-\u05FF\u0600-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]|\uD802[\uDC00-\uDFFF]|\uD83A[\uDC00-\uDFFF]/;
const STRONG = /[\p{L}]/u;
const MAX_AUTO_DIRECTION_SCAN = 2000;

/** `dir=auto` (HTML "the directionality of an element"): the first strong character of the text decides; none is ltr. */
function autoDirection(el: Element): 'rtl' | 'ltr' {
  const stack: unknown[] = [...el.children].reverse();
  let scanned = 0;
  while (stack.length > 0 && scanned < MAX_AUTO_DIRECTION_SCAN) {
    const node = stack.pop() as { type?: string; data?: string; name?: string; attribs?: Record<string, string>; children?: unknown[] };
    if (node.type === 'text' && typeof node.data === 'string') {
      for (const ch of node.data) {
        if (++scanned > MAX_AUTO_DIRECTION_SCAN) break;
        if (RTL_STRONG.test(ch)) return 'rtl';
        if (STRONG.test(ch)) return 'ltr';
      }
    } else if (Array.isArray(node.children) && node.name !== 'script' && node.name !== 'style' && node.name !== 'bdi' && node.attribs?.dir === undefined) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }
  return 'ltr';
}

/** The viewBox attribute (the HTML parser keeps SVG's camel case). */
function viewBoxOf(el: Element): string | undefined {
  return el.attribs.viewBox ?? el.attribs.viewbox;
}

/**
 * How much this element's own transform, `scale` property or (for an SVG root) viewBox shrinks
 * what it paints: the smaller axis factor, capped at 1 (only shrinking can hide).
 */
function ownScale(get: Getter, el: Element): number {
  let factor = 1;
  const transform = get('transform');
  if (transform !== undefined && transform !== 'none') {
    for (const m of transform.matchAll(/(scale(?:x|y|3d)?|matrix)\(([^)]*)\)/g)) {
      const args = (m[2] ?? '').split(/[\s,]+/).filter(Boolean).map(scaleFactor);
      if (m[1] === 'matrix') {
        const [a, b, c, d] = args;
        if ([a, b, c, d].every((v) => v !== undefined)) factor *= Math.sqrt(Math.abs((a as number) * (d as number) - (b as number) * (c as number)));
      } else {
        const used = m[1] === 'scale' || m[1] === 'scale3d' ? args.slice(0, 2) : args.slice(0, 1);
        const [x = 1, y = x] = used.map((v) => Math.abs(v ?? 1));
        factor *= m[1] === 'scale' || m[1] === 'scale3d' ? Math.min(x, y) : x;
      }
    }
  }
  const scale = get('scale');
  if (scale !== undefined && scale !== 'none') {
    const [x = 1, y = x] = components(scale).slice(0, 2).map((v) => Math.abs(scaleFactor(v) ?? 1));
    factor *= Math.min(x, y);
  }
  const viewBox = viewBoxOf(el);
  if (el.name === 'svg' && el.namespace === SVG_NAMESPACE && viewBox !== undefined) {
    const box = viewBox.trim().split(/[\s,]+/).map(Number);
    const width = Number.parseFloat(el.attribs.width ?? '');
    const height = Number.parseFloat(el.attribs.height ?? '');
    const [, , vw = Number.NaN, vh = Number.NaN] = box;
    // preserveAspectRatio's default (meet): the smaller ratio scales both axes.
    if (vw > 0 && vh > 0 && Number.isFinite(width) && Number.isFinite(height) && /^\s*[\d.]+(?:px)?\s*$/.test(el.attribs.width ?? '') && /^\s*[\d.]+(?:px)?\s*$/.test(el.attribs.height ?? '')) {
      factor *= Math.min(width / vw, height / vh);
    }
  }
  return Number.isFinite(factor) ? Math.min(1, factor) : 1;
}

/**
 * Painting this engine does not model, from the element's own declarations: a rotation (a
 * full-width line turned by a few degrees leaves the page at one end), a translation or
 * perspective in depth, a motion path, negative letter spacing that stacks glyphs, a
 * font-size-adjust (it needs the font's metrics), lines that cannot wrap in right-to-left text
 * (they overflow to the left, where the page does not scroll), a line clamp, and a box placed
 * wholly before its containing block's start by `right`.
 */
function paintUndecidable(get: Getter, ctx: LengthContext, rtl: boolean, noWrap: boolean, display: string | undefined, el: Element): boolean {
  const rotate = get('rotate');
  if (rotate !== undefined && rotate !== 'none' && !zeroAngle(components(rotate).pop())) return true;
  const transform = get('transform');
  if (transform !== undefined && transform !== 'none') {
    for (const m of transform.matchAll(/(rotate(?:z)?|translatez|translate3d|perspective)\(([^)]*)\)/g)) {
      const args = (m[2] ?? '').split(/[\s,]+/).filter(Boolean);
      if (m[1] === 'rotate' || m[1] === 'rotatez') {
        if (!zeroAngle(args[0])) return true;
      } else if (m[1] === 'translatez') {
        if (lengthToPx(args[0], ctx) !== 0) return true;
      } else if (m[1] === 'translate3d') {
        if (lengthToPx(args[2], ctx) !== 0) return true;
      } else return true;
    }
  }
  const translate = get('translate');
  if (translate !== undefined && translate !== 'none') {
    const parts = components(translate);
    if (parts.length > 2 && lengthToPx(parts[2], ctx) !== 0) return true;
    if (parts.slice(0, 2).some((p) => lengthToPx(p, ctx) === undefined && percentOnly(p, ctx) === undefined)) return true;
  }
  const offsetPath = get('offset-path') ?? get('offset');
  if (offsetPath !== undefined && offsetPath !== 'none' && offsetPath !== 'initial') return true;
  const spacing = lengthToPx(get('letter-spacing'), ctx);
  if (spacing !== undefined && spacing <= -0.3 * ctx.fontPx) return true;
  const adjust = get('font-size-adjust');
  if (adjust !== undefined && adjust !== 'none' && adjust !== 'initial') return true;
  // -webkit-line-clamp (CSS Overflow 4's legacy form, the one Chromium implements) cuts a -webkit-box after N lines.
  const clamp = Number.parseInt(get('-webkit-line-clamp') ?? '', 10);
  if (Number.isFinite(clamp) && display === '-webkit-box' && !fitsLines(el, clamp)) return true;
  const inline = (display ?? (INLINE_BY_DEFAULT.has(el.name) ? 'inline' : 'block')) === 'inline';
  if (rtl && noWrap && !inline && (get('white-space') !== undefined || get('direction') !== undefined || el.attribs.dir !== undefined)) return true;
  return false;
}

/** Whether an element's content is at most `lines` short lines: text and <br> only, each line short enough not to wrap at desktop width. */
function fitsLines(el: Element, lines: number): boolean {
  let count = 1;
  let length = 0;
  for (const c of el.children) {
    if (c.type === 'text') length += c.data.trim().length;
    else if (c.type === 'tag' && (c as Element).name === 'br') {
      count++;
      length = 0;
    } else return false;
    if (length > 60) return false;
  }
  return count <= lines;
}

/** Whether a rotation leaves the box's rectangle where it was (a whole number of half turns). */
function zeroAngle(value: string | undefined): boolean {
  if (value === undefined) return true;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(deg|grad|rad|turn)?$/.exec(value.trim());
  if (!m) return false;
  const n = Number.parseFloat(m[1] ?? '');
  const turns = m[2] === 'turn' ? n : m[2] === 'rad' ? n / (2 * Math.PI) : m[2] === 'grad' ? n / 400 : n / 360;
  // A half turn maps the box's rectangle onto itself (upside down, same place): only other angles move its corners.
  return Math.abs(2 * turns - Math.round(2 * turns)) < 1e-9;
}


const COLOUR_PROPERTIES = ['color', '-webkit-text-fill-color', 'background-color'];
const COLOUR_KEYWORDS = new Set(['currentcolor', 'initial', 'inherit', 'unset', 'revert', 'revert-layer', 'none']);
// Transform functions whose effect on visibility is evaluated (transformHides); any other one is a question this engine cannot answer.
const EVALUATED_TRANSFORMS = /^(?:translate(?:x|y|z|3d)?|scale(?:x|y|z|3d)?|matrix|rotate|rotatez)$/;
const PAINT_EFFECTS = ['mask', 'mask-image', '-webkit-mask', '-webkit-mask-image', '-webkit-mask-box-image', 'mask-border', 'backdrop-filter'];
// Compositing 1 §10: separable blend modes that leave the source colour as it is over a white backdrop, and over a black one.
const IDENTITY_ON_WHITE = new Set(['normal', 'multiply', 'darken', 'color-burn']);
const IDENTITY_ON_BLACK = new Set(['normal', 'screen', 'lighten', 'difference', 'exclusion', 'color-dodge']);

/**
 * Whether this element's own declarations make its text's visibility something this engine cannot
 * evaluate: a rule it could not evaluate (UNCERTAIN_PROPERTY), a colour or font size it cannot
 * compute, a filter other than opacity(), a mask, a blend mode, a clip-path shape that does not
 * hide everything, a transform it does not model (3D rotations, skews, perspective), a rotation
 * about an axis, or an animation whose keyframes touch a property that decides visibility
 * (animations run and `forwards` fills hold with JavaScript off).
 */
function undecidable(cascaded: ReadonlyMap<string, Cascaded>, get: Getter, sheets: StyleSheets, ctx: LengthContext, backdrop: Rgba | undefined): boolean {
  const blend = firstToken(get('mix-blend-mode'));
  if (blend !== undefined && blend !== 'initial' && !blendIsIdentity(blend, backdrop)) return true;
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
  if (filter !== undefined && filter !== 'none' && !evaluatedFilter(filter, ctx)) return true;
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
  if (cascaded.has(ANIMATION_UNDECIDED)) return true;
  if (sheets.resizedFonts.size > 0) {
    const family = get('font-family');
    if (family !== undefined && family.split(',').some((f) => sheets.resizedFonts.has(f.trim().replace(/^["']|["']$/g, '')))) return true;
  }
  return false;
}

// Filter functions whose effect on legibility is evaluated: opacity() multiplies the opacity; the others keep luminance or only add a shadow.
const LUMA_FILTERS = /^(?:grayscale|sepia|saturate|hue-rotate|drop-shadow)$/;

/**
 * Whether a filter list is one this engine evaluates: opacity(), the luminance-keeping colour
 * matrices, drop-shadow(), and a blur too small to smear glyphs (an eighth of the font size).
 */
function evaluatedFilter(filter: string, ctx: LengthContext): boolean {
  for (const t of components(filter)) {
    const m = /^([a-z-]+)\(([\s\S]*)\)$/.exec(t);
    if (!m) return false;
    const name = m[1] ?? '';
    if (name === 'opacity' || LUMA_FILTERS.test(name)) continue;
    if (name === 'blur' && (lengthToPx((m[2] ?? '').trim() || '0', ctx) ?? Number.POSITIVE_INFINITY) <= ctx.fontPx / 8) continue;
    return false;
  }
  return true;
}

/** Whether a filter list keeps luminance but may change hue (see VisualState.filtered). */
function lumaFilter(filter: string | undefined): boolean {
  return filter !== undefined && /(?:^|[\s)])(?:grayscale|sepia|saturate|hue-rotate)\(/.test(` ${filter}`);
}

/** Whether blending onto this (opaque, known) backdrop leaves every colour as it is, so the text is judged as if not blended. */
function blendIsIdentity(mode: string, backdrop: Rgba | undefined): boolean {
  if (mode === 'normal') return true;
  if (backdrop === undefined || backdrop.a < 1) return false;
  const white = backdrop.r === 255 && backdrop.g === 255 && backdrop.b === 255;
  const black = backdrop.r === 0 && backdrop.g === 0 && backdrop.b === 0;
  return (white && IDENTITY_ON_WHITE.has(mode)) || (black && IDENTITY_ON_BLACK.has(mode));
}

/** Marks an element whose animations' end state this engine cannot tell (see withAnimationEnd). */
const ANIMATION_UNDECIDED = '-outlook-animation-undecided';

/**
 * The cascaded values once the element's animations have ended (CSS Animations 1): animations run
 * with JavaScript off. A finite animation without a forwards fill leaves the element's own style;
 * with `forwards`/`both` the keyframe it ends on (to or from, by direction and iteration count)
 * holds, above normal declarations and below !important ones (§4). An infinite or fractional
 * iteration count, or values this parser cannot read, leave the end state undecided.
 */
function withAnimationEnd(cascaded: ReadonlyMap<string, Cascaded>, sheets: StyleSheets): ReadonlyMap<string, Cascaded> {
  const raw = (prop: string): string | undefined => cascaded.get(prop)?.value;
  if (firstToken(raw('animation-timeline')) === 'none') return cascaded;
  const shorthand = raw('animation');
  const layers = (later2(cascaded, 'animation-name', 'animation') === 'animation' && shorthand !== undefined ? shorthand : raw('animation-name') ?? '').split(/,(?![^(]*\))/);
  const longhand = (prop: string, i: number): string | undefined => {
    if (later2(cascaded, prop, 'animation') !== prop) return undefined;
    const list = (raw(prop) ?? '').split(',').map((v) => v.trim());
    return list.length > 0 && list[0] !== '' ? list[i % list.length] : undefined;
  };
  let out: Map<string, Cascaded> | undefined;
  let seq = Math.max(...[...cascaded.values()].map((c) => c.seq)) + 1;
  for (let i = 0; i < layers.length; i++) {
    const tokens = components((layers[i] ?? '').trim());
    const name = tokens.find((t) => sheets.keyframesNamed(t.replace(/^["']|["']$/g, '')) !== undefined);
    if (name === undefined) continue;
    const frames = sheets.keyframesNamed(name.replace(/^["']|["']$/g, '')) as NonNullable<ReturnType<StyleSheets['keyframesNamed']>>;
    const fill = longhand('animation-fill-mode', i) ?? tokens.find((t) => /^(?:none|forwards|backwards|both)$/.test(t)) ?? 'none';
    const direction = longhand('animation-direction', i) ?? tokens.find((t) => /^(?:normal|reverse|alternate|alternate-reverse)$/.test(t)) ?? 'normal';
    const countText = longhand('animation-iteration-count', i) ?? tokens.find((t) => t === 'infinite' || /^\d+(?:\.\d+)?$/.test(t)) ?? '1';
    if (countText === 'infinite') return markUndecided(cascaded);
    const count = Number(countText);
    if (!Number.isInteger(count)) return markUndecided(cascaded);
    // An animation still running when the mail is read shows its middle frames: only one that ends soon has a known state.
    const times = tokens.map(seconds).filter((t): t is number => t !== undefined);
    const duration = seconds(longhand('animation-duration', i)) ?? times[0] ?? 0;
    const delay = seconds(longhand('animation-delay', i)) ?? times[1] ?? 0;
    if (duration * count + Math.max(0, delay) > MAX_ANIMATION_SECONDS) return markUndecided(cascaded);
    if (fill !== 'forwards' && fill !== 'both') continue;
    if (count === 0) continue;
    const endsOnTo = direction === 'normal' ? true : direction === 'reverse' ? false : direction === 'alternate' ? count % 2 === 1 : count % 2 === 0;
    out ??= new Map(cascaded);
    for (const d of endsOnTo ? frames.to : frames.from) {
      if (out.get(d.prop)?.important) continue;
      out.set(d.prop, { value: d.value, seq: seq++ });
    }
  }
  return out ?? cascaded;
}

/** Animations ending within this many seconds of opening are judged by their end state; longer ones are undecided. */
const MAX_ANIMATION_SECONDS = 2;

function seconds(value: string | undefined): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(m?s)$/.exec((value ?? '').trim());
  if (!m) return undefined;
  const n = Number.parseFloat(m[1] ?? '');
  return m[2] === 'ms' ? n / 1000 : n;
}

function later2(cascaded: ReadonlyMap<string, Cascaded>, a: string, b: string): string {
  return (cascaded.get(a)?.seq ?? -1) >= (cascaded.get(b)?.seq ?? -1) ? a : b;
}

function markUndecided(cascaded: ReadonlyMap<string, Cascaded>): ReadonlyMap<string, Cascaded> {
  const out = new Map(cascaded);
  out.set(ANIMATION_UNDECIDED, { value: '1', seq: 0 });
  return out;
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
  'clip-path', 'zoom', 'translate', 'contain', 'max-inline-size', 'inset-inline', 'margin-right',
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
    drawsEdges: drawsEdges(get, ctx),
    negativeMargin: ['margin', 'margin-top', 'margin-bottom', 'margin-left', 'margin-right'].some((p) => components(get(p) ?? '').some((v) => (lengthToPx(v, ctx) ?? 0) < 0)),
    gridPlaced: ['grid-area', 'grid-row', 'grid-column', 'grid-row-start', 'grid-column-start'].some((p) => { const v = get(p); return v !== undefined && v !== 'auto' && v !== 'initial'; }),
    transformed: ['transform', 'translate', 'rotate', 'scale', 'perspective', 'filter', 'backdrop-filter', 'contain'].some((p) => { const v = get(p); return v !== undefined && v !== 'none' && v !== 'initial' && (p !== 'contain' || /\b(?:paint|layout|strict|content)\b/.test(v)); }),
  };
}

const EDGE_STYLES = /^(?:solid|dashed|dotted|double|groove|ridge|inset|outset|auto)$/;
const EDGE_WIDTHS = new Map([['thin', 1], ['medium', 3], ['thick', 5]]);

/** Whether a border, outline, box shadow or backdrop filter draws (CSS Backgrounds 3: a border needs a style other than none/hidden and a width above 0). */
function drawsEdges(get: Getter, ctx: LengthContext): boolean {
  for (const prop of ['box-shadow', 'backdrop-filter']) {
    const v = get(prop);
    if (v !== undefined && v !== 'none' && v !== 'initial') return true;
  }
  for (const kind of ['border', 'outline']) {
    const shorthand = components(get(kind) ?? '');
    const style = shorthand.find((t) => EDGE_STYLES.test(t) || t === 'none' || t === 'hidden') ?? (kind === 'border' ? firstToken(get('border-style')) : firstToken(get('outline-style')));
    if (style === undefined || style === 'none' || style === 'hidden') continue;
    const widths = [...shorthand, ...components(get(`${kind}-width`) ?? '')];
    for (const side of ['top', 'right', 'bottom', 'left']) if (kind === 'border') widths.push(...components(get(`border-${side}-width`) ?? ''), ...components(get(`border-${side}`) ?? ''));
    const lengths = widths.map((t) => EDGE_WIDTHS.get(t) ?? lengthToPx(t, ctx)).filter((n): n is number => n !== undefined);
    // No width given: the initial width is medium (3px).
    if (lengths.length === 0 || lengths.some((n) => n > 0)) return true;
  }
  return false;
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
    for (const d of decls) if (important === undefined || d.important === important) out.set(d.prop, { value: d.value, seq: seq++, important: d.important });
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
  // The UA sheet's [dir] rules (HTML §15.3.3): direction from the attribute, overridable by author CSS.
  const dir = a.dir?.trim().toLowerCase();
  if (dir === 'rtl' || dir === 'ltr') add('direction', dir);
  else if (dir === 'auto') add('direction', autoDirection(el));
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

function backgroundOf(get: Getter, later: (a: string, b: string) => string, current: Rgba): { colour: Rgba | undefined; image: boolean; clip: string | undefined } {
  // currentcolor is the element's own computed color (CSS Color 4 §6.4).
  const parseColor = (v: string | undefined): Rgba | undefined => (v?.trim() === 'currentcolor' ? current : parseCssColor(v));
  let colour: Rgba | undefined;
  let image = false;
  let clip: string | undefined;
  const shorthand = get('background');
  if (shorthand !== undefined) {
    const layers = components(shorthand);
    image = layers.some((t) => /^(?:url|(?:repeating-)?(?:linear|radial|conic)-gradient|image-set|-webkit-(?:linear|radial)-gradient)\(/.test(t));
    for (const t of layers) {
      // A gradient whose stops are all one opaque colour paints that colour (CSS Images 3 §3.5).
      const solid = solidGradient(t);
      if (solid) {
        colour = solid;
        image = layers.filter((l) => l !== t).some((l) => /^(?:url|(?:repeating-)?(?:linear|radial|conic)-gradient|image-set|-webkit-(?:linear|radial)-gradient)\(/.test(l));
        continue;
      }
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

/** The colour of a gradient whose colour stops are all the same opaque colour, else undefined. */
function solidGradient(layer: string): Rgba | undefined {
  const m = /^(?:repeating-)?(?:linear|radial|conic)-gradient\(([\s\S]*)\)$/.exec(layer);
  if (!m) return undefined;
  let stop: Rgba | undefined;
  let stops = 0;
  for (const part of (m[1] ?? '').split(/,(?![^(]*\))/)) {
    for (const t of components(part.trim())) {
      const c = parseCssColor(t);
      if (c === undefined) continue;
      stops++;
      if (c.a < 1 || (stop && (stop.r !== c.r || stop.g !== c.g || stop.b !== c.b))) return undefined;
      stop = c;
    }
  }
  return stops >= 2 ? stop : undefined;
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
  rtl: boolean,
  noWrap: boolean,
): LayoutVerdict {
  let suspect = false;
  let uncertain = false;
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
    if (clips && (tinyHeight || tinyWidth)) return REMOVED;
    const lineHeight = get(later('line-height', 'font'));
    const zeroLines = lineHeight !== undefined && /^0(?:\.0*)?(?:px|em|%|rem)?$/.test(lineHeight.split('/').pop() ?? '');
    if (clips && zeroLines && height === undefined && !tablePart) return REMOVED;
    const smallBox = [height, maxHeight, width, maxWidth].some((v) => v !== undefined && v < SUSPECT_CLIP_PX);
    if (clips && smallBox) suspect = true;
    // A clipping box of fixed block size cuts off whatever its content overflows by, and lines that
    // cannot wrap overflow a box of fixed inline size: how much is cut needs layout.
    // A scroll container (auto, scroll) lets the reader scroll to the rest; hidden, clip and paint containment do not.
    const cuts = /\b(?:hidden|clip)\b/.test(overflowValues) || /\b(?:paint|strict|content)\b/.test(contain);
    if (cuts && !tablePart && (height !== undefined || maxHeight !== undefined)) uncertain = true;
    if (cuts && noWrap && (width !== undefined || maxWidth !== undefined)) uncertain = true;
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
    if ([left, top].some((v) => v !== undefined && v <= OFFSCREEN_LEFT_TOP_PX)) return REMOVED;
    // Wholly left of the page (a zero-width box at 0 is still on it: its border may paint).
    if (left !== undefined && boxWidth !== undefined && left < 0 && left + boxWidth <= 0) return REMOVED;
    if ([right, bottom].some((v) => v !== undefined && v <= OFFSCREEN_NEGATIVE_PX)) return REMOVED;
    if ([left, top, right, bottom].some((v) => v !== undefined && v >= OFFSCREEN_POSITIVE_PX)) return REMOVED;
    if ([left, top].some((v) => v !== undefined && v <= SUSPECT_OFFSET_PX)) suspect = true;
    // `right` of at least the page's width puts the box wholly before the start of a containing block no wider than the page.
    if ((position === 'absolute' || position === 'fixed') && left === undefined && right !== undefined && right >= VIEWPORT_WIDTH_PX) uncertain = true;
    if (position === 'absolute' || position === 'fixed') {
      const clipValue = get('clip');
      if (clipValue !== undefined && clipRectHides(clipValue, ctx)) return REMOVED;
    }
  }

  const margin = components(get('margin') ?? '');
  const marginLeft = lengthToPx(later('margin-left', 'margin') === 'margin-left' ? get('margin-left') : (margin[3] ?? margin[1] ?? margin[0]), ctx);
  const marginTop = lengthToPx(later('margin-top', 'margin') === 'margin-top' ? get('margin-top') : margin[0], ctx);
  // In right-to-left text the line starts at the right edge: a negative left margin widens the box to the left, away from the text.
  if (!rtl && marginLeft !== undefined && marginLeft <= OFFSCREEN_LEFT_TOP_PX) return REMOVED;
  if (marginTop !== undefined && marginTop <= OFFSCREEN_NEGATIVE_PX) return REMOVED;

  const indentValue = get('text-indent');
  if (indentValue !== undefined && !inline) {
    const indent = lengthToPx(indentValue, ctx);
    const indentPct = percentOnly(indentValue, ctx);
    if (indent !== undefined && (indent <= OFFSCREEN_LEFT_TOP_PX || indent >= OFFSCREEN_POSITIVE_PX)) return REMOVED;
    const far = (indentPct !== undefined && indentPct >= 100) || (indent !== undefined && indent >= VIEWPORT_WIDTH_PX);
    if (far && clips) return REMOVED;
    if (indent !== undefined && indent <= SUSPECT_OFFSET_PX) suspect = true;
  }

  const transform = get('transform');
  if (transform !== undefined && transformHides(transform, ctx, boxWidth)) return REMOVED;
  // The individual `translate` property (CSS Transforms 2) moves the box like translate() does.
  const translate = get('translate');
  if (translate !== undefined && translate !== 'none') {
    const [x = '0', y = '0'] = components(translate);
    if (transformHides(`translate(${x}, ${y})`, ctx, boxWidth)) return REMOVED;
  }
  const scale = get('scale');
  if (scale !== undefined && components(scale).some((f) => Math.abs(parseAlpha(f) ?? 1) < MIN_VISIBLE_SCALE)) {
    return REMOVED;
  }
  const clipPath = get('clip-path');
  if (clipPath !== undefined && clipPathHides(clipPath, ctx)) return REMOVED;
  const zoom = parseAlpha(get('zoom'));
  if (zoom !== undefined && zoom > 0 && zoom < MIN_VISIBLE_ALPHA) return REMOVED;
  return { removed: false, suspect, uncertain };
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
