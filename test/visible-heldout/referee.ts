/**
 * The held-out corpus's referee: headless Chromium with a pixel check. It trusts no rule of ours
 * about what hides text; it asks the browser's own painting.
 *
 * For each marker word it finds every text node holding it (through the DevTools protocol with
 * `pierce`, so closed and declarative shadow roots and user-agent shadow trees of form controls are
 * seen; the corpus has no iframes: their documents would need their own coordinates), takes the word's client rects, and, if some part lies where a person
 * can get to it (inside the viewport or the document's scrollable area), scrolls there and takes a
 * screenshot crop of the rect. It then wraps exactly that word in a probe element with
 * `visibility: hidden !important` (which keeps layout, removes the glyphs from every way of painting
 * them: fill, stroke, shadow, `background-clip: text`), takes the same crop again and unwraps.
 * The word is painted when enough pixels changed by enough.
 *
 * Why these rules:
 * - A word under an opaque cover, clipped, masked, filtered to nothing or transparent changes no
 *   pixel: hidden, which is what a person sees.
 * - Anti-aliasing: two renders of the same page in headless software rendering are identical, so
 *   every difference comes from the word; a pixel counts only when a channel moved by at least
 *   MIN_CHANNEL_DELTA (near-background colours and faint opacity are not readable), and the word
 *   needs at least MIN_CHANGED_PIXELS such pixels.
 * - Readability floor: a word whose box is under MIN_GLYPH_HEIGHT CSS px high is hidden
 *   ("too-small"); Chromium paints 2 px text, nobody reads it.
 * - Reachability: text left of or above the page origin, or past an edge the root does not scroll
 *   (overflow hidden/clip on the viewport), is hidden ("off-page"). Text far right or below is
 *   reachable by scrolling, so it is judged on screen after scrolling the document (fixed covers
 *   stay put, as they would for a reader). Inner scroll containers are not scrolled.
 * - The probe could change selector matching (`:empty`, `:has(*)`, nth-child): the word's rects are
 *   taken again with the probe in place; a change is recorded as `shifted` so the case is reviewed.
 */
import { PNG } from 'pngjs';
import type { CDPSession, Page } from 'puppeteer-core';
import type { Protocol } from 'devtools-protocol';
import { CHROMIUM_PATH, chromiumAvailable, launchChromiumPool, loadMail, VIEWPORT } from '../visible/referee/referee.js';

export { CHROMIUM_PATH, chromiumAvailable, VIEWPORT };

/** A marker word of this corpus: HIDq or VISq, four digits, one letter. */
export const HELDOUT_MARKER = /\b(?:HID|VIS)q\d{4}[a-z]\b/g;

/** A pixel counts as changed when one of its channels moved by at least this much (0–255). */
export const MIN_CHANNEL_DELTA = 24;
/** A word is painted when at least this many pixels changed. */
export const MIN_CHANGED_PIXELS = 6;
/** Words whose box is lower than this (CSS px) are too small to read. */
export const MIN_GLYPH_HEIGHT = 6;

/** What the browser did with one marker word. */
export interface MarkerJudgement {
  browser: 'visible' | 'hidden';
  /** Why hidden: not-rendered, no-box, too-small, off-page, not-painted. */
  reason?: string;
  /** Changed pixels of the best occurrence. */
  pixels: number;
  /** The probe changed the word's layout: review the case. */
  shifted?: true;
}

/** A running referee. */
export interface PixelReferee {
  version: string;
  judge(html: string): Promise<Record<string, MarkerJudgement>>;
  close(): Promise<void>;
}

/** Flags on top of the shared launch: keep background tabs rendering, hide scroll bars. */
const EXTRA_ARGS = [
  '--hide-scrollbars',
  // The referee's pages are all tabs of one window: keep the ones in the background rendering
  // (frames, animations), or their screenshots wait for a frame that never comes.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

/** Starts headless Chromium (fresh profile) and returns a referee judging up to `pages` files at once. */
export async function launchPixelReferee(pages = 2): Promise<PixelReferee> {
  const pool = await launchChromiumPool(pages, EXTRA_ARGS, true);
  return {
    version: pool.version,
    judge: (html) =>
      pool.withPage((page) => judgeOn(page, html)).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nin case:\n${html.slice(0, 600)}`);
      }),
    close: () => pool.close(),
  };
}

/** One DevTools session per page, kept across cases (it follows the page through navigations). */
const sessions = new WeakMap<Page, CDPSession>();

/** One place a marker occurs: a text node and the offsets of the word in it. */
interface Occurrence {
  marker: string;
  nodeId: number;
  start: number;
  end: number;
}

function collect(node: Protocol.DOM.Node, out: Occurrence[]): void {
  if (node.nodeType === 3 && node.nodeValue) {
    for (const m of node.nodeValue.matchAll(HELDOUT_MARKER)) {
      out.push({ marker: m[0], nodeId: node.nodeId, start: m.index, end: m.index + m[0].length });
    }
  }
  // Template contents are inert (declarative shadow roots are already attached as shadowRoots).
  for (const child of node.children ?? []) collect(child, out);
  for (const root of node.shadowRoots ?? []) collect(root, out);
  for (const p of node.pseudoElements ?? []) collect(p, out);
}

/** In-page: the word's rects in viewport coordinates, plus what the document lets a reader scroll to. */
const MEASURE = `function (start, end) {
  const r = document.createRange();
  r.setStart(this, start); r.setEnd(this, end);
  const rects = [...r.getClientRects()].filter((q) => q.width > 0 && q.height > 0).map((q) => [q.left, q.top, q.right, q.bottom]);
  const se = document.scrollingElement || document.documentElement;
  const ov = (el, axis) => el ? getComputedStyle(el)['overflow' + axis] : 'visible';
  const html = document.documentElement, body = document.body;
  const rootX = ov(html, 'X') !== 'visible' ? ov(html, 'X') : ov(body, 'X');
  const rootY = ov(html, 'Y') !== 'visible' ? ov(html, 'Y') : ov(body, 'Y');
  const locked = (v) => v === 'hidden' || v === 'clip';
  return JSON.stringify({
    rects,
    sx: scrollX, sy: scrollY,
    w: locked(rootX) ? innerWidth : se.scrollWidth,
    h: locked(rootY) ? innerHeight : se.scrollHeight,
  });
}`;

/**
 * In-page: wrap [start,end) of this text node in a visibility-hidden probe. Probes stack on
 * globalThis.__heldoutProbes; several in one text node are wrapped from the last to the first, so
 * the node keeps its identity and earlier offsets stay valid. Returns the probe's rects.
 */
const WRAP = `function (start, end) {
  const svg = this.parentNode && this.parentNode.namespaceURI === 'http://www.w3.org/2000/svg';
  const probe = svg ? document.createElementNS('http://www.w3.org/2000/svg', 'tspan') : document.createElement('x-heldout-probe');
  probe.setAttribute('style', 'visibility:hidden!important;transition:none!important;animation:none!important');
  const after = this.splitText(end);
  const mid = this.splitText(start);
  mid.replaceWith(probe);
  probe.append(mid);
  (globalThis.__heldoutProbes ||= []).push({ probe, mid, after, node: this });
  const r = document.createRange();
  r.selectNodeContents(mid);
  return JSON.stringify([...r.getClientRects()].filter((q) => q.width > 0 && q.height > 0).map((q) => [q.left, q.top, q.right, q.bottom]));
}`;

/** In-page: undo every probe, last first, restoring each text node's data. */
const UNWRAP_ALL = `(() => {
  const probes = globalThis.__heldoutProbes || [];
  while (probes.length) {
    const { probe, mid, after, node } = probes.pop();
    probe.remove();
    node.data = node.data + mid.data + after.data;
    after.remove();
  }
})()`;

type Rect = [number, number, number, number];

interface Measured {
  rects: Rect[];
  sx: number;
  sy: number;
  w: number;
  h: number;
}

async function measureOcc(session: CDPSession, objectId: string, occ: Occurrence): Promise<Measured> {
  const { result, exceptionDetails } = await session.send('Runtime.callFunctionOn', {
    objectId,
    functionDeclaration: MEASURE,
    arguments: [{ value: occ.start }, { value: occ.end }],
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(`referee could not measure ${occ.marker}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return JSON.parse(result.value as string) as Measured;
}

async function wrap(session: CDPSession, objectId: string, occ: Occurrence): Promise<Rect[]> {
  const { result, exceptionDetails } = await session.send('Runtime.callFunctionOn', {
    objectId,
    functionDeclaration: WRAP,
    arguments: [{ value: occ.start }, { value: occ.end }],
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(`referee could not probe ${occ.marker}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return JSON.parse(result.value as string) as Rect[];
}

async function unwrapAll(session: CDPSession): Promise<void> {
  await session.send('Runtime.evaluate', { expression: UNWRAP_ALL });
}

interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function shot(session: CDPSession, clip: Clip): Promise<PNG> {
  const { data } = await session.send('Page.captureScreenshot', { format: 'png', clip: { ...clip, scale: 1 }, captureBeyondViewport: false, fromSurface: true });
  return PNG.sync.read(Buffer.from(data, 'base64'));
}

/** Pixels inside `area` (viewport coordinates) that changed by MIN_CHANNEL_DELTA between two shots of `clip`. */
function changedPixels(a: PNG, b: PNG, clip: Clip, area: Clip): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('referee screenshots differ in size');
  let n = 0;
  const x0 = Math.max(area.x - clip.x, 0);
  const y0 = Math.max(area.y - clip.y, 0);
  const x1 = Math.min(area.x + area.width - clip.x, a.width);
  const y1 = Math.min(area.y + area.height - clip.y, a.height);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * a.width + x) * 4;
      const d = Math.max(Math.abs(a.data[i]! - b.data[i]!), Math.abs(a.data[i + 1]! - b.data[i + 1]!), Math.abs(a.data[i + 2]! - b.data[i + 2]!));
      if (d >= MIN_CHANNEL_DELTA) n++;
    }
  }
  return n;
}

/** The word's rects grown by a pixel and cut to the viewport, as integer screen areas. */
function screenAreas(rects: Rect[]): Clip[] {
  return rects
    .map(([l, t, r, b]) => [Math.max(Math.floor(l) - 1, 0), Math.max(Math.floor(t) - 1, 0), Math.min(Math.ceil(r) + 1, VIEWPORT.width), Math.min(Math.ceil(b) + 1, VIEWPORT.height)])
    .filter(([l, t, r, b]) => r! - l! >= 1 && b! - t! >= 1)
    .map(([l, t, r, b]) => ({ x: l!, y: t!, width: r! - l!, height: b! - t! }));
}

function bounds(areas: Clip[]): Clip {
  const x = Math.min(...areas.map((a) => a.x));
  const y = Math.min(...areas.map((a) => a.y));
  return { x, y, width: Math.max(...areas.map((a) => a.x + a.width)) - x, height: Math.max(...areas.map((a) => a.y + a.height)) - y };
}

const overlaps = (a: Clip, b: Clip): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const sameRects = (a: Rect[], b: Rect[]): boolean => JSON.stringify(a.map((q) => q.map(Math.round))) === JSON.stringify(b.map((q) => q.map(Math.round)));

/** A word on screen, ready for the pixel check. */
interface OnScreen {
  occ: Occurrence;
  objectId: string;
  rects: Rect[];
  areas: Clip[];
}

type Result = Omit<MarkerJudgement, 'browser'> & { visible: boolean };

/**
 * Pixel-checks words that are on screen at the current scroll position. Words whose areas do not
 * overlap are probed together (one shot before, one after); a word overlapping another is probed
 * alone, so one word's pixels never count for another.
 */
async function pixelCheck(session: CDPSession, words: OnScreen[], scroll: { sx: number; sy: number }): Promise<Result[]> {
  const groups: OnScreen[][] = [];
  const together: OnScreen[] = [];
  for (const w of words) {
    const clash = words.some((o) => o !== w && o.areas.some((a) => w.areas.some((b) => overlaps(a, b))));
    if (clash) groups.push([w]);
    else together.push(w);
  }
  if (together.length > 0) groups.unshift(together);
  const results = new Map<OnScreen, Result>();
  for (const group of groups) {
    const view = bounds(group.flatMap((w) => w.areas));
    // Clip coordinates of Page.captureScreenshot are document coordinates.
    const clip = { ...view, x: view.x + scroll.sx, y: view.y + scroll.sy };
    const before = await shot(session, clip);
    const shifted = new Set<OnScreen>();
    // Last occurrence first, so wrapping never moves an offset still to be wrapped.
    const order = [...group].sort((a, b) => (a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : b.occ.start - a.occ.start));
    try {
      for (const w of order) {
        if (!sameRects(await wrap(session, w.objectId, w.occ), w.rects)) shifted.add(w);
      }
      const after = await shot(session, clip);
      for (const w of group) {
        const pixels = w.areas.reduce((n, area) => n + changedPixels(before, after, view, area), 0);
        const visible = pixels >= MIN_CHANGED_PIXELS;
        results.set(w, { visible, ...(visible ? {} : { reason: 'not-painted' }), pixels, ...(shifted.has(w) ? { shifted: true as const } : {}) });
      }
    } finally {
      await unwrapAll(session);
    }
  }
  return words.map((w) => results.get(w)!);
}

/** Where a word stands before any pixel is compared: hidden by geometry, or where to look for it. */
function place(m: Measured): { hidden: Result } | { scrollTo: { x: number; y: number } } {
  if (m.rects.length === 0) return { hidden: { visible: false, reason: 'no-box', pixels: 0 } };
  // Document coordinates of the word's box, cut to the area a reader can scroll to.
  const reachable = m.rects
    .map(([l, t, r, b]) => [Math.max(l + m.sx, 0), Math.max(t + m.sy, 0), Math.min(r + m.sx, m.w), Math.min(b + m.sy, m.h)] as const)
    .filter(([l, t, r, b]) => r - l >= 1 && b - t >= 1);
  if (reachable.length === 0) return { hidden: { visible: false, reason: 'off-page', pixels: 0 } };
  if (Math.max(...m.rects.map(([, t, , b]) => b - t)) < MIN_GLYPH_HEIGHT) return { hidden: { visible: false, reason: 'too-small', pixels: 0 } };
  const left = Math.min(...reachable.map((q) => q[0]));
  const top = Math.min(...reachable.map((q) => q[1]));
  const x = left + 1 < m.sx || left >= m.sx + VIEWPORT.width ? Math.max(0, left - 20) : m.sx;
  const y = top + 1 < m.sy || top >= m.sy + VIEWPORT.height ? Math.max(0, top - 20) : m.sy;
  return { scrollTo: { x, y } };
}

/**
 * A person reads a mail after its short animations have ended: wait (up to SETTLE_MS) until no
 * animation that ends within SETTLE_MS is still running, so `forwards` end states are what is
 * judged. Infinite and long animations are judged as they stand at that moment.
 */
const SETTLE_MS = 2_000;
const RUNNING = `document.getAnimations().filter((a) => {
  if (a.playState !== 'running' || !a.effect || a.currentTime === null) return false;
  const end = a.effect.getComputedTiming().endTime;
  return Number.isFinite(end) && end - (a.currentTime ?? 0) <= ${SETTLE_MS};
}).length`;

async function settleAnimations(session: CDPSession): Promise<void> {
  const deadline = Date.now() + SETTLE_MS + 500;
  for (;;) {
    const { result } = await session.send('Runtime.evaluate', { expression: RUNNING, returnByValue: true });
    if (result.value === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function judgeOn(page: Page, html: string): Promise<Record<string, MarkerJudgement>> {
  await loadMail(page, html);
  let session = sessions.get(page);
  if (!session) {
    session = await page.createCDPSession();
    sessions.set(page, session);
  }
  const results: Array<{ occ: Occurrence; result: Result }> = [];
  {
    await settleAnimations(session);
    await session.send('DOM.enable');
    const { root } = await session.send('DOM.getDocument', { depth: -1, pierce: true });
    const occs: Occurrence[] = [];
    collect(root, occs);
    const objects = new Map<number, string>();
    // Words by the scroll position they are judged at; most cases need none.
    const byScroll = new Map<string, OnScreen[]>();
    for (const occ of occs) {
      if (!objects.has(occ.nodeId)) {
        const { object } = await session.send('DOM.resolveNode', { nodeId: occ.nodeId });
        objects.set(occ.nodeId, object.objectId!);
      }
      const objectId = objects.get(occ.nodeId)!;
      const where = place(await measureOcc(session, objectId, occ));
      if ('hidden' in where) results.push({ occ, result: where.hidden });
      else {
        const key = `${where.scrollTo.x},${where.scrollTo.y}`;
        byScroll.set(key, [...(byScroll.get(key) ?? []), { occ, objectId, rects: [], areas: [] }]);
      }
    }
    for (const [key, words] of byScroll) {
      const [x, y] = key.split(',').map(Number) as [number, number];
      await session.send('Runtime.evaluate', { expression: `window.scrollTo(${x}, ${y})` });
      const onScreen: OnScreen[] = [];
      let scroll = { sx: x, sy: y };
      for (const w of words) {
        const m = await measureOcc(session, w.objectId, w.occ);
        scroll = { sx: m.sx, sy: m.sy };
        const areas = screenAreas(m.rects);
        if (areas.length === 0) results.push({ occ: w.occ, result: { visible: false, reason: 'off-page', pixels: 0 } });
        else onScreen.push({ ...w, rects: m.rects, areas });
      }
      const checked = await pixelCheck(session, onScreen, scroll);
      onScreen.forEach((w, i) => results.push({ occ: w.occ, result: checked[i]! }));
    }
  }
  const out: Record<string, MarkerJudgement> = {};
  for (const { occ, result } of results) {
    const seen = out[occ.marker];
    // A marker written twice is visible when any copy is painted; otherwise keep the most telling copy.
    if (seen && (seen.browser === 'visible' || (!result.visible && seen.pixels >= result.pixels))) continue;
    const { visible, ...rest } = result;
    out[occ.marker] = { browser: visible ? 'visible' : 'hidden', ...rest };
  }
  for (const [w] of html.matchAll(HELDOUT_MARKER)) {
    out[w] ??= { browser: 'hidden', reason: 'not-rendered', pixels: 0 };
  }
  return out;
}
