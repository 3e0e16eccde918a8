/**
 * The renderer's pixel check: the final say on words whose visibility computed styles cannot settle
 * (judge.ts returns them as pending). For each word it compares a screenshot of the word's box as
 * painted with one taken while the word is wrapped in a `visibility: hidden` probe (layout kept, its
 * glyphs gone from fill, stroke, shadow and `background-clip: text`): the word is painted when enough
 * pixels changed by enough. This is the held-out corpus referee's rule (test/visible-heldout/referee.ts),
 * so the renderer and the referee mean the same by "visible".
 *
 * Cost: one scroll position per screenful of pending words (most mails have none), and per position
 * one screenshot before and one per probe batch; words whose boxes do not overlap share a batch, so
 * one word's pixels never count for another.
 *
 * Verdicts: true painted, false not painted, null not seen (no box on screen, a scroll container
 * that could not show it together with another word, or past MAX_POSITIONS): the caller keeps its
 * style verdict then.
 */
import { PNG } from 'pngjs';
import type { CDPSession, Page } from 'puppeteer-core';
import { VIEWPORT } from './page.js';

/** A pixel counts as changed when one of its channels moved by at least this much (0–255); as the referee. */
export const MIN_CHANNEL_DELTA = 24;
/** A word is painted when at least this many pixels changed; as the referee. */
export const MIN_CHANGED_PIXELS = 6;

/**
 * Scroll positions checked per read at most (about 27,000 px of a 900 px viewport). A mail with
 * pending words further down (a long mail on a background image) keeps their style verdicts there,
 * so one read stays well inside the renderer's timeout.
 */
export const MAX_POSITIONS = 30;

/** [left, top, right, bottom] in CSS px. */
type Rect = [number, number, number, number];

/** A word left to the pixel check: its id in the page's pending list and its document rectangles. */
export interface PendingWord {
  readonly id: number;
  readonly rects: Rect[];
}

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Shot {
  png: PNG;
  clip: Area;
}

interface Looked {
  words: Array<Rect[] | null>;
  sx: number;
  sy: number;
}

const call = (fn: string, ...args: unknown[]): string => `globalThis.__outlookJudge.${fn}(${args.map((a) => JSON.stringify(a)).join(', ')})`;

/** The word's rectangles grown by a pixel and cut to the viewport, as integer screen areas. */
function screenAreas(rects: Rect[]): Area[] {
  const out: Area[] = [];
  for (const [l, t, r, b] of rects) {
    const x0 = Math.max(Math.floor(l) - 1, 0);
    const y0 = Math.max(Math.floor(t) - 1, 0);
    const x1 = Math.min(Math.ceil(r) + 1, VIEWPORT.width);
    const y1 = Math.min(Math.ceil(b) + 1, VIEWPORT.height);
    if (x1 - x0 >= 1 && y1 - y0 >= 1) out.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }
  return out;
}

function bounds(areas: Area[]): Area {
  const x = Math.min(...areas.map((a) => a.x));
  const y = Math.min(...areas.map((a) => a.y));
  return { x, y, width: Math.max(...areas.map((a) => a.x + a.width)) - x, height: Math.max(...areas.map((a) => a.y + a.height)) - y };
}

const overlaps = (a: Area, b: Area): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Pixels of `area` (viewport coordinates) that changed by MIN_CHANNEL_DELTA between two shots. */
function changedPixels(a: Shot, b: Shot, area: Area): number {
  let n = 0;
  const x0 = Math.max(area.x, a.clip.x, b.clip.x);
  const y0 = Math.max(area.y, a.clip.y, b.clip.y);
  const x1 = Math.min(area.x + area.width, a.clip.x + a.png.width, b.clip.x + b.png.width);
  const y1 = Math.min(area.y + area.height, a.clip.y + a.png.height, b.clip.y + b.png.height);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = ((y - a.clip.y) * a.png.width + (x - a.clip.x)) * 4;
      const j = ((y - b.clip.y) * b.png.width + (x - b.clip.x)) * 4;
      const d = Math.max(Math.abs(a.png.data[i]! - b.png.data[j]!), Math.abs(a.png.data[i + 1]! - b.png.data[j + 1]!), Math.abs(a.png.data[i + 2]! - b.png.data[j + 2]!));
      if (d >= MIN_CHANNEL_DELTA) n++;
    }
  }
  return n;
}

async function shot(session: CDPSession, view: Area, scroll: { sx: number; sy: number }): Promise<Shot> {
  // Page.captureScreenshot takes document coordinates.
  const { data } = await session.send('Page.captureScreenshot', {
    format: 'png',
    clip: { x: view.x + scroll.sx, y: view.y + scroll.sy, width: view.width, height: view.height, scale: 1 },
    captureBeyondViewport: false,
    fromSurface: true,
  });
  return { png: PNG.sync.read(Buffer.from(data, 'base64')), clip: view };
}

/** Splits words into batches whose areas do not overlap (greedy colouring): one probe screenshot per batch. */
function batches<T extends { areas: Area[] }>(words: T[]): T[][] {
  const out: T[][] = [];
  for (const w of words) {
    const fits = out.find((b) => !b.some((o) => o.areas.some((a) => w.areas.some((c) => overlaps(a, c)))));
    if (fits) fits.push(w);
    else out.push([w]);
  }
  return out;
}

/**
 * Decides the pending words of the page's judge (globalThis.__outlookJudge) by their pixels.
 * Returns one verdict per pending id (index = id).
 */
export async function pixelVerdicts(page: Page, pending: readonly PendingWord[]): Promise<Array<boolean | null>> {
  const verdicts: Array<boolean | null> = pending.map(() => null);
  // Screenshots before and after a probe must differ only by the word: running animations are paused.
  await page.evaluate('document.getAnimations().forEach((a) => a.pause())');
  const where = new Map<number, Rect[]>(pending.filter((p) => p.rects.length > 0).map((p) => [p.id, p.rects]));
  const session = await page.createCDPSession();
  try {
    let remaining = [...where.keys()];
    for (let positions = 0; remaining.length > 0 && positions < MAX_POSITIONS; positions++) {
      // The topmost word sets the scroll position; every word then fully on screen is checked with it.
      const top = (id: number): number => Math.min(...where.get(id)!.map((r) => r[1]));
      const left = (id: number): number => Math.min(...where.get(id)!.map((r) => r[0]));
      remaining.sort((a, b) => top(a) - top(b) || left(a) - left(b));
      const first = remaining[0]!;
      const right = Math.max(...where.get(first)!.map((r) => r[2]));
      const x = right <= VIEWPORT.width ? 0 : Math.max(0, Math.floor(left(first)) - 20);
      const y = Math.max(0, Math.floor(top(first)) - 20);
      const looked = (await page.evaluate(call('look', remaining, x, y))) as Looked;
      const scroll = { sx: looked.sx, sy: looked.sy };
      const now: Array<{ id: number; areas: Area[] }> = [];
      const later: number[] = [];
      remaining.forEach((id, k) => {
        const rects = looked.words[k];
        const whole = rects && rects.length > 0 && rects.every(([l, t, r, b]) => l >= 0 && t >= 0 && r <= VIEWPORT.width && b <= VIEWPORT.height);
        if (id !== first && !whole) {
          // Not (fully) on screen here: its own turn comes, from where it is now.
          if (rects && rects.length > 0) where.set(id, rects.map(([l, t, r, b]) => [l + scroll.sx, t + scroll.sy, r + scroll.sx, b + scroll.sy]));
          if (!rects || rects.length > 0) later.push(id);
          return;
        }
        const areas = rects ? screenAreas(rects) : [];
        if (areas.length > 0) now.push({ id, areas });
      });
      remaining = later;
      if (now.length === 0) continue;
      const before = await shot(session, bounds(now.flatMap((w) => w.areas)), scroll);
      for (const batch of batches(now)) {
        await page.evaluate(call('probe', batch.map((w) => w.id)));
        let after: Shot;
        try {
          after = await shot(session, bounds(batch.flatMap((w) => w.areas)), scroll);
        } finally {
          await page.evaluate(call('unprobe'));
        }
        for (const w of batch) {
          const pixels = w.areas.reduce((n, a) => n + changedPixels(before, after, a), 0);
          verdicts[w.id] = pixels >= MIN_CHANGED_PIXELS;
        }
      }
    }
  } finally {
    await session.detach().catch(() => undefined);
  }
  return verdicts;
}
