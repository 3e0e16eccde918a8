/**
 * CSS values that decide visibility: lengths (with calc()/min()/max()/clamp()),
 * alphas, colours and var() substitution.
 *
 * Invariants:
 * - Every function is total: a value it cannot understand yields undefined,
 *   and callers treat undefined as "no effect" (the declaration is ignored),
 *   never as "hidden".
 * - Unitless lengths count as px only in quirks mode, as in browsers; in
 *   standards mode they are invalid (zero is always valid).
 *
 * Known limits:
 * - Percentages resolve only where the reference is known without layout
 *   (font-size against the parent font; otherwise only a plain 0%). calc()
 *   mixing % with other units is unknown, except where the result is plainly 0.
 * - Colours: hex, rgb()/rgba(), hsl()/hsla() and the named colours mail uses
 *   are read here (hot path); every other CSS Color 4/5 form (hwb, lab, lch,
 *   oklab, oklch, color(), color-mix() in any space) by colorjs.io, converted
 *   to sRGB and clipped to its gamut; light-dark() takes the light colour (the
 *   page is light); the system colours take Chromium's light values. Relative
 *   colours (`from`) and anything else yield undefined: callers withhold.
 */
import Color from 'colorjs.io/dist/color.js';

/** Font size against which em/ex/ch resolve, and whether unitless numbers are px. */
export interface LengthContext {
  readonly fontPx: number;
  readonly quirks: boolean;
  /** The root element's font size, which rem resolves against (default 16). */
  readonly rootPx?: number;
}

const UNIT_PX = new Map<string, number>([
  ['px', 1], ['pt', 96 / 72], ['pc', 16], ['in', 96], ['cm', 96 / 2.54], ['mm', 96 / 25.4], ['q', 96 / 101.6],
  ['rem', 16], ['vw', 12.8], ['vh', 9], ['vmin', 9], ['vmax', 12.8], ['svw', 12.8], ['lvw', 12.8], ['dvw', 12.8],
  ['svh', 9], ['lvh', 9], ['dvh', 9],
]);

const NUMBER = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)$/i;

/** A value in px, or a percentage still to resolve. */
interface Quantity {
  px: number;
  pct: number;
}

/**
 * A CSS length in px, negative allowed. `percentOf` resolves percentages
 * (undefined: only a plain zero percentage is understood).
 */
export function lengthToPx(value: string | undefined, ctx: LengthContext, percentOf?: number): number | undefined {
  if (value === undefined) return undefined;
  const q = cachedQuantity(value, ctx);
  if (q === undefined) return undefined;
  if (q.pct === 0) return q.px;
  if (percentOf !== undefined) return q.px + (q.pct * percentOf) / 100;
  return undefined;
}

/** A percentage alone (e.g. `100%`, `calc(100% + 0px)`), or undefined when the value has other units. */
export function percentOnly(value: string | undefined, ctx: LengthContext): number | undefined {
  if (value === undefined) return undefined;
  const q = cachedQuantity(value, ctx);
  return q !== undefined && q.px === 0 ? q.pct : undefined;
}

// Mail repeats the same few lengths on every element; parsing them once per font size saves most
// of the work. The cache holds only pure results, and is emptied when it grows past its bound.
const QUANTITY_CACHE_LIMIT = 10_000;
const quantityCache = new Map<string, Quantity | undefined>();

function cachedQuantity(value: string, ctx: LengthContext): Quantity | undefined {
  const key = `${ctx.quirks ? 1 : 0}${ctx.fontPx}|${ctx.rootPx ?? 16}|${value}`;
  if (quantityCache.has(key)) return quantityCache.get(key);
  const q = quantity(value.trim().toLowerCase(), ctx, 0);
  if (quantityCache.size >= QUANTITY_CACHE_LIMIT) quantityCache.clear();
  quantityCache.set(key, q);
  return q;
}

const MAX_CALC_DEPTH = 16;

function quantity(v: string, ctx: LengthContext, depth: number): Quantity | undefined {
  if (depth > MAX_CALC_DEPTH) return undefined;
  const fn = /^(calc|min|max|clamp|-webkit-calc)\(([\s\S]*)\)$/.exec(v);
  if (fn) {
    const name = fn[1] ?? '';
    const inner = fn[2] ?? '';
    if (name === 'calc' || name === '-webkit-calc') return calcSum(inner, ctx, depth + 1);
    const args = splitTopLevel(inner, ',').map((a) => calcSum(a, ctx, depth + 1));
    if (args.some((a) => a === undefined)) return undefined;
    const values = args as Quantity[];
    if (values.some((a) => a.pct !== 0)) return undefined;
    const px = values.map((a) => a.px);
    if (name === 'min') return { px: Math.min(...px), pct: 0 };
    if (name === 'max') return { px: Math.max(...px), pct: 0 };
    const [lo = 0, mid = 0, hi = 0] = px;
    return { px: Math.max(lo, Math.min(mid, hi)), pct: 0 };
  }
  const m = NUMBER.exec(v);
  if (!m) return undefined;
  const n = Number.parseFloat(m[1] ?? '');
  if (!Number.isFinite(n)) return undefined;
  const unit = m[2] ?? '';
  if (unit === '%') return { px: 0, pct: n };
  if (unit === '') return n === 0 || ctx.quirks ? { px: n, pct: 0 } : undefined;
  if (unit === 'em') return { px: n * ctx.fontPx, pct: 0 };
  if (unit === 'rem') return { px: n * (ctx.rootPx ?? 16), pct: 0 };
  if (unit === 'ex' || unit === 'ch') return { px: (n * ctx.fontPx) / 2, pct: 0 };
  const factor = UNIT_PX.get(unit);
  return factor === undefined ? undefined : { px: n * factor, pct: 0 };
}

/** calc() arithmetic: + and - between terms, * and / by plain numbers. */
function calcSum(expr: string, ctx: LengthContext, depth: number): Quantity | undefined {
  const tokens = tokenizeCalc(expr.trim());
  if (tokens === undefined) return undefined;
  let pos = 0;
  const term = (): Quantity | number | undefined => {
    let left = factor();
    while (left !== undefined && (tokens[pos] === '*' || tokens[pos] === '/')) {
      const op = tokens[pos++];
      const right = factor();
      if (right === undefined) return undefined;
      left = mul(left, right, op === '/');
    }
    return left;
  };
  const factor = (): Quantity | number | undefined => {
    const t = tokens[pos++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const inner = sum();
      if (tokens[pos++] !== ')') return undefined;
      return inner;
    }
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(t)) return Number.parseFloat(t);
    return quantity(t, { ...ctx, quirks: false }, depth + 1);
  };
  const sum = (): Quantity | number | undefined => {
    let left = term();
    while (left !== undefined && (tokens[pos] === '+' || tokens[pos] === '-')) {
      const op = tokens[pos++];
      const right = term();
      if (right === undefined) return undefined;
      left = add(left, right, op === '-');
    }
    return left;
  };
  const result = sum();
  if (pos !== tokens.length || result === undefined) return undefined;
  if (typeof result === 'number') return result === 0 || ctx.quirks ? { px: result, pct: 0 } : undefined;
  return result;
}

function mul(a: Quantity | number, b: Quantity | number, divide: boolean): Quantity | number | undefined {
  if (typeof b === 'number') {
    if (divide && b === 0) return undefined;
    const k = divide ? 1 / b : b;
    return typeof a === 'number' ? a * k : { px: a.px * k, pct: a.pct * k };
  }
  if (divide || typeof a !== 'number') return undefined;
  return { px: b.px * a, pct: b.pct * a };
}

function add(a: Quantity | number, b: Quantity | number, subtract: boolean): Quantity | number | undefined {
  const s = subtract ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a + s * b;
  if (typeof a === 'number' || typeof b === 'number') {
    // A number added to a length is invalid, except a literal zero.
    const n = typeof a === 'number' ? a : (b as number);
    const q = typeof a === 'number' ? (b as Quantity) : a;
    if (n !== 0) return undefined;
    return typeof a === 'number' ? { px: s * q.px, pct: s * q.pct } : q;
  }
  return { px: a.px + s * b.px, pct: a.pct + s * b.pct };
}

function tokenizeCalc(expr: string): string[] | undefined {
  const tokens: string[] = [];
  const re = /\s*(?:([()*/])|([+-](?=\s))|((?:[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(?:[a-z]+|%)?)|((?:calc|min|max|clamp)\())/giy;
  let i = 0;
  while (i < expr.length) {
    re.lastIndex = i;
    const m = re.exec(expr);
    if (!m) return /^\s*$/.test(expr.slice(i)) ? tokens : undefined;
    if (m[4]) {
      // A nested function: take it whole, to its matching parenthesis.
      const start = m.index + m[0].length - m[4].length;
      const end = matchingParen(expr, start + m[4].length - 1);
      if (end < 0) return undefined;
      tokens.push(expr.slice(start, end + 1));
      i = end + 1;
      continue;
    }
    tokens.push((m[1] ?? m[2] ?? m[3] ?? '').trim());
    i = re.lastIndex;
  }
  return tokens;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on `separator` outside parentheses and quotes. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
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

/** Splits a value into space-separated components outside parentheses. */
export function components(value: string): string[] {
  return splitTopLevel(value.trim().replace(/\s+/g, ' '), ' ').filter(Boolean);
}

/** An opacity-like value (number, percentage or calc of them), clamped to 0..1. */
export function parseAlpha(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let v = value.trim().toLowerCase();
  const calc = /^calc\(([\s\S]*)\)$/.exec(v);
  if (calc) {
    const r = calcSum(calc[1] ?? '', { fontPx: 16, quirks: true }, 0);
    if (r === undefined) return undefined;
    v = r.pct !== 0 ? `${r.pct}%` : String(r.px);
  }
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%?)$/.exec(v);
  if (!m) return undefined;
  const n = Number.parseFloat(m[1] ?? '') / (m[2] ? 100 : 1);
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : undefined;
}

/** The first space-separated component of a value. */
export function firstToken(value: string | undefined): string | undefined {
  return value?.trim().split(/\s+/)[0];
}

// ---------------------------------------------------------------------------
// Colours

/** An sRGB colour with alpha 0..1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

const NAMED_COLOURS: Record<string, string> = {
  black: '000000', white: 'ffffff', red: 'ff0000', green: '008000', blue: '0000ff', yellow: 'ffff00',
  gray: '808080', grey: '808080', silver: 'c0c0c0', maroon: '800000', purple: '800080', fuchsia: 'ff00ff',
  magenta: 'ff00ff', lime: '00ff00', olive: '808000', navy: '000080', teal: '008080', aqua: '00ffff',
  cyan: '00ffff', orange: 'ffa500', whitesmoke: 'f5f5f5', snow: 'fffafa', ivory: 'fffff0', ghostwhite: 'f8f8ff',
  floralwhite: 'fffaf0', linen: 'faf0e6', seashell: 'fff5ee', mintcream: 'f5fffa', azure: 'f0ffff',
  aliceblue: 'f0f8ff', honeydew: 'f0fff0', lavenderblush: 'fff0f5', oldlace: 'fdf5e6', beige: 'f5f5dc',
  gainsboro: 'dcdcdc', lightgray: 'd3d3d3', lightgrey: 'd3d3d3', darkgray: 'a9a9a9', darkgrey: 'a9a9a9',
  dimgray: '696969', dimgrey: '696969', lightyellow: 'ffffe0', lightcyan: 'e0ffff', cornsilk: 'fff8dc',
  lemonchiffon: 'fffacd', papayawhip: 'ffefd5', blanchedalmond: 'ffebcd', bisque: 'ffe4c4', wheat: 'f5deb3',
  antiquewhite: 'faebd7', mistyrose: 'ffe4e1', lavender: 'e6e6fa', darkblue: '00008b', darkred: '8b0000',
  darkgreen: '006400', lightblue: 'add8e6', lightgreen: '90ee90', pink: 'ffc0cb', brown: 'a52a2a',
  gold: 'ffd700', coral: 'ff7f50', tomato: 'ff6347', crimson: 'dc143c', indigo: '4b0082', violet: 'ee82ee',
  orchid: 'da70d6', salmon: 'fa8072', khaki: 'f0e68c', tan: 'd2b48c', chocolate: 'd2691e', steelblue: '4682b4',
  royalblue: '4169e1', slategray: '708090', slategrey: '708090', darkslategray: '2f4f4f', midnightblue: '191970',
};

/** Parses a colour; undefined for keywords that depend on context (currentcolor, inherit) or unknown syntax. */
export function parseColor(value: string | undefined): Rgba | undefined {
  if (value === undefined) return undefined;
  if (colourCache.has(value)) return colourCache.get(value);
  const c = parseColorUncached(value);
  if (colourCache.size >= QUANTITY_CACHE_LIMIT) colourCache.clear();
  colourCache.set(value, c);
  return c;
}

const colourCache = new Map<string, Rgba | undefined>();

function parseColorUncached(value: string): Rgba | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const named = NAMED_COLOURS[v];
  if (named !== undefined) return hexColour(named);
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(v)?.[1];
  if (hex !== undefined) return hexColour(hex);
  if (v.startsWith('color-mix(')) return colorMix(v);
  const system = SYSTEM_COLOURS[v];
  if (system !== undefined) return hexColour(system);
  const lightDark = /^light-dark\(([\s\S]*)\)$/.exec(v)?.[1];
  if (lightDark !== undefined) {
    const [light, dark] = splitTopLevel(lightDark, ',');
    return dark === undefined ? undefined : parseColor(light);
  }
  if (/\bfrom\b/.test(v)) return undefined;
  const fn = /^(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(([\s\S]*)\)$/.exec(v);
  if (!fn) return undefined;
  const name = fn[1] ?? '';
  const inner = fn[2] ?? '';
  const [main = '', alphaPart] = inner.includes('/') ? inner.split('/') : [inner, undefined];
  const parts = main.includes(',') ? main.split(',').map((p) => p.trim()) : main.trim().split(/\s+/);
  let alphaText = alphaPart;
  if (alphaText === undefined && parts.length === 4) alphaText = parts.pop();
  const a = alphaText === undefined ? 1 : parseAlpha(alphaText);
  if (a === undefined) return undefined;
  if (name === 'rgb' || name === 'rgba') {
    const [r, g, b] = parts.map(channel);
    if (r === undefined || g === undefined || b === undefined) return undefined;
    return { r, g, b, a };
  }
  if (name === 'hsl' || name === 'hsla' || name === 'hwb') {
    const h = Number.parseFloat(parts[0] ?? '');
    const x = parseAlpha(parts[1]?.endsWith('%') ? parts[1] : `${parts[1] ?? ''}%`);
    const y = parseAlpha(parts[2]?.endsWith('%') ? parts[2] : `${parts[2] ?? ''}%`);
    if (!Number.isFinite(h) || x === undefined || y === undefined) return undefined;
    return name === 'hwb' ? { ...hwbToRgb(h, x, y), a } : { ...hslToRgb(h, x, y), a };
  }
  return viaLibrary(v);
}

/** A colour colorjs.io reads, in sRGB clipped to its gamut; undefined when it cannot. */
function viaLibrary(v: string): Rgba | undefined {
  try {
    return toRgba(new Color(v));
  } catch {
    return undefined;
  }
}

function toRgba(c: Color): Rgba | undefined {
  const srgb = c.to('srgb');
  const [r, g, b] = srgb.coords.map((x) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x as number)) * 255 : 0));
  const a = Number(srgb.alpha);
  if (r === undefined || g === undefined || b === undefined || !Number.isFinite(a)) return undefined;
  return { r, g, b, a: Math.min(1, Math.max(0, a)) };
}

// CSS Color 4 system colours as Chromium paints them in the light scheme (AccentColor and the like depend on the platform: unknown).
const SYSTEM_COLOURS: Readonly<Record<string, string>> = {
  canvas: 'ffffff', canvastext: '000000', linktext: '0000ee', visitedtext: '551a8b', activetext: 'ff0000',
  buttonface: 'efefef', buttontext: '000000', buttonborder: '767676', field: 'ffffff', fieldtext: '000000',
  graytext: '808080', mark: 'ffff00', marktext: '000000',
};

// color-mix() interpolation spaces, as colorjs.io names them.
const MIX_SPACES: Readonly<Record<string, string>> = {
  srgb: 'srgb', 'srgb-linear': 'srgb-linear', 'display-p3': 'p3', 'a98-rgb': 'a98rgb', 'prophoto-rgb': 'prophoto', rec2020: 'rec2020',
  lab: 'lab', oklab: 'oklab', lch: 'lch', oklch: 'oklch', hsl: 'hsl', hwb: 'hwb', xyz: 'xyz-d65', 'xyz-d65': 'xyz-d65', 'xyz-d50': 'xyz-d50',
};

/** color-mix() in an RGB space (srgb, srgb-linear treated as srgb); other spaces are unknown. */
function colorMix(v: string): Rgba | undefined {
  const inner = /^color-mix\(([\s\S]*)\)$/.exec(v)?.[1];
  if (inner === undefined) return undefined;
  const [space = '', first = '', second = ''] = splitTopLevel(inner, ',').map((p) => p.trim());
  const spaceMatch = /^in\s+([a-z0-9-]+)(?:\s+(shorter|longer|increasing|decreasing)\s+hue)?$/.exec(space);
  const spaceId = spaceMatch ? MIX_SPACES[spaceMatch[1] ?? ''] : undefined;
  if (spaceId === undefined) return undefined;
  const part = (text: string): { c: Rgba | undefined; pct: number | undefined } => {
    const bits = components(text);
    const pctToken = bits.find((b) => /%$/.test(b));
    const colour = bits.filter((b) => b !== pctToken).join(' ');
    return { c: parseColor(colour), pct: pctToken === undefined ? undefined : Number.parseFloat(pctToken) };
  };
  const a = part(first);
  const b = part(second);
  if (!a.c || !b.c) return undefined;
  const pa = a.pct ?? (b.pct === undefined ? 50 : 100 - b.pct);
  const pb = b.pct ?? 100 - pa;
  const total = pa + pb;
  if (!(total > 0)) return undefined;
  if (spaceId !== 'srgb' && spaceId !== 'srgb-linear') {
    // Other spaces interpolate premultiplied in that space (CSS Color 5); colorjs.io does the maths.
    try {
      const ca = new Color('srgb', [a.c.r / 255, a.c.g / 255, a.c.b / 255], a.c.a);
      const cb = new Color('srgb', [b.c.r / 255, b.c.g / 255, b.c.b / 255], b.c.a);
      const mixed = ca.mix(cb, pb / total, { space: spaceId, outputSpace: 'srgb', premultiplied: true, hue: spaceMatch?.[2] as 'shorter' | undefined });
      const out = toRgba(mixed);
      return out && { ...out, a: out.a * Math.min(1, total / 100) };
    } catch {
      return undefined;
    }
  }
  const wa = pa / total;
  const wb = pb / total;
  const alpha = a.c.a * wa + b.c.a * wb;
  const mixChannel = (x: number, y: number): number => (alpha === 0 ? 0 : (x * a.c!.a * wa + y * b.c!.a * wb) / alpha);
  return {
    r: mixChannel(a.c.r, b.c.r),
    g: mixChannel(a.c.g, b.c.g),
    b: mixChannel(a.c.b, b.c.b),
    a: alpha * Math.min(1, total / 100),
  };
}

function channel(text: string): number | undefined {
  const t = text.trim();
  if (t.endsWith('%')) {
    const p = parseAlpha(t);
    return p === undefined ? undefined : p * 255;
  }
  const n = Number.parseFloat(t);
  return Number.isFinite(n) ? Math.min(255, Math.max(0, n)) : undefined;
}

function hexColour(hex: string): Rgba {
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const n = (i: number): number => Number.parseInt(full.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: full.length === 8 ? n(6) / 255 : 1 };
}

function hslToRgb(h: number, s: number, l: number): { r: number; g: number; b: number } {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)));
  return { r: f(0), g: f(8), b: f(4) };
}

function hwbToRgb(h: number, w: number, bl: number): { r: number; g: number; b: number } {
  if (w + bl >= 1) {
    const grey = (255 * w) / (w + bl);
    return { r: grey, g: grey, b: grey };
  }
  const rgb = hslToRgb(h, 1, 0.5);
  const f = (c: number): number => c * (1 - w - bl) + 255 * w;
  return { r: f(rgb.r), g: f(rgb.g), b: f(rgb.b) };
}

/** Euclidean distance between two opaque colours in sRGB (0..441). */
export function colourDistance(a: Rgba, b: Rgba): number {
  return Math.hypot(a.r - b.r, a.g - b.g, a.b - b.b);
}

/** `c` painted over the opaque colour `under`. */
export function composite(c: Rgba, under: Rgba): Rgba {
  return {
    r: c.r * c.a + under.r * (1 - c.a),
    g: c.g * c.a + under.g * (1 - c.a),
    b: c.b * c.a + under.b * (1 - c.a),
    a: 1,
  };
}

// ---------------------------------------------------------------------------
// Custom properties

const MAX_SUBSTITUTION_ROUNDS = 16;
const MAX_SUBSTITUTED_LENGTH = 10_000;

/** Substitutes var() references; undefined when one cannot be resolved (invalid at computed-value time). */
export function resolveVars(value: string, vars: ReadonlyMap<string, string> | undefined): string | undefined {
  let current = value;
  for (let round = 0; round < MAX_SUBSTITUTION_ROUNDS && current.includes('var('); round++) {
    let failed = false;
    // Innermost var() first: its fallback holds no further var().
    current = current.replace(/var\(\s*(--[^\s,()]+)\s*(?:,([^()]*(?:\([^()]*\)[^()]*)*))?\)/g, (_m, name: string, fallback: string | undefined) => {
      const found = vars?.get(name) ?? fallback?.trim();
      if (found === undefined) failed = true;
      return found ?? '';
    });
    if (failed || current.length > MAX_SUBSTITUTED_LENGTH) return undefined;
  }
  return current.includes('var(') ? undefined : current.trim();
}

/** Resolves CSS escapes the way the tokenizer does. An escaped character that cannot be part of an identifier stays one character that matches no keyword. */
export function unescapeCss(css: string): string {
  if (!css.includes('\\')) return css;
  return css.replace(/\\(?:([0-9a-fA-F]{1,6})[\t\n\f\r ]?|([^\n\r\f0-9a-fA-F]))/g, (_m, hex: string | undefined, ch: string | undefined) => {
    let c: string;
    if (hex !== undefined) {
      const cp = Number.parseInt(hex, 16);
      c = cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
    } else c = ch ?? '';
    // `none\9` is the identifier "none<TAB>", which no property accepts.
    return /^[\w-]$|^[^\0-\x7f]$/u.test(c) ? c : '\uFFFD';
  });
}
