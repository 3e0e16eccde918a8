/**
 * PDF: the text a reader sees, page by page. pdf.js (Mozilla's renderer)
 * gives the text layer and renders the page; a word counts as seen only when
 * the rendered page has ink where the word is. That one test catches every
 * way text is painted invisibly, which the text layer cannot tell apart:
 * render mode 3/7, fill the colour of what is behind it (white on white, blue
 * on a blue box), covered by later opaque paint, clipped away. Words outside
 * the crop box and under 4 pt are left out before rendering.
 *
 * Without a page renderer (@napi-rs/canvas does not load: the .mcpb bundle
 * leaves it out) the reader fails closed: every word that needs the pixel
 * check is withheld and counted, never passed on unchecked.
 *
 * Known limits: a hidden word drawn over a busy picture or over other text
 * finds ink in its box and is kept; a word's box is estimated from its share
 * of the characters of its text run.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { DocumentReadError } from './errors.js';
import { selectPages } from './pages.js';
import { tally, type DocumentInput, type DocumentPart, type DocumentText } from './types.js';

/** The caps, exported for the bench and the docs. */
export const PDF_LIMITS = Object.freeze({
  /** Pages read in one call; the note says how to ask for the rest. */
  maxPagesPerCall: 25,
  /** Pixels of one rendered page (the scale shrinks for big pages). */
  maxCanvasPixels: 4_000_000,
  /** Render scale for ordinary pages (1.5 = 108 dpi). */
  scale: 1.5,
  /** Smallest readable text, in points. */
  minPoints: 4,
  /** Largest image pdf.js will decode, in pixels. */
  maxImagePixels: 16_000_000,
});

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const require = createRequire(import.meta.url);
function assetDir(sub: string): string {
  return path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), sub) + path.sep;
}

/** pdf.js's Node canvas factory (backed by @napi-rs/canvas). */
interface CanvasFactory {
  create(w: number, h: number): { canvas: unknown; context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  destroy(pair: { canvas: unknown; context: unknown }): void;
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  hasEOL: boolean;
}

/** A box's pixel span clipped to the page, or undefined when nothing of it is on the page. */
function onPage(width: number, height: number, x0: number, y0: number, x1: number, y1: number): { xa: number; xb: number; ya: number; yb: number } | undefined {
  const xa = Math.max(0, Math.floor(x0));
  const xb = Math.min(width, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0));
  const yb = Math.min(height, Math.ceil(y1));
  return xb <= xa || yb <= ya ? undefined : { xa, xb, ya, yb };
}

/** Whether the pixels of a box hold ink: enough pixels differ from the box's commonest colour. */
function hasInk(img: Uint8ClampedArray, width: number, height: number, x0: number, y0: number, x1: number, y1: number): 'ink' | 'blank' | 'outside' {
  const span = onPage(width, height, x0, y0, x1, y1);
  if (!span) return 'outside';
  const { xa, xb, ya, yb } = span;
  const counts = new Map<number, number>();
  let n = 0;
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      const i = (y * width + x) * 4;
      // Quantised to 4 bits a channel, so anti-aliasing noise of one colour stays one colour.
      const key = ((img[i]! >> 4) << 8) | ((img[i + 1]! >> 4) << 4) | (img[i + 2]! >> 4);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      n++;
    }
  }
  let top = 0;
  for (const c of counts.values()) top = Math.max(top, c);
  const other = n - top;
  return other >= Math.max(3, n * 0.01) ? 'ink' : 'blank';
}

let rendererProbe: Promise<boolean> | undefined;
/** Whether pdf.js's Node canvas (@napi-rs/canvas) loads here; asked once per process. */
export function pageRendererLoads(): Promise<boolean> {
  rendererProbe ??= import('@napi-rs/canvas').then(
    () => true,
    () => false,
  );
  return rendererProbe;
}

/** Reads a PDF. `canRender` is the renderer probe (a test passes its own to read as an install without one). */
export async function readPdf(bytes: Uint8Array, input: DocumentInput, canRender: () => Promise<boolean> = pageRendererLoads): Promise<DocumentText> {
  const render = await canRender();
  // pdf.js builds a DOMMatrix when it loads, which Node lacks; with @napi-rs/canvas it takes that one. Without it,
  // a pure-JS DOMMatrix lets pdf.js load for the text layer (nothing is painted then).
  if (!render && typeof (globalThis as { DOMMatrix?: unknown }).DOMMatrix === 'undefined') {
    (globalThis as { DOMMatrix?: unknown }).DOMMatrix = (await import('@thednp/dommatrix')).default;
  }
  const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let doc: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
  try {
    doc = await pdfjs.getDocument({
      data: bytes,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      // Glyph outlines of the 14 standard fonts, for painting only (their metrics are built in): without a renderer
      // nothing is painted, and the bundle leaves the files out.
      ...(render ? { standardFontDataUrl: assetDir('standard_fonts') } : {}),
      cMapUrl: assetDir('cmaps'),
      cMapPacked: true,
      maxImageSize: PDF_LIMITS.maxImagePixels,
      verbosity: 0,
      stopAtErrors: false,
    }).promise;
  } catch (err) {
    const e = err as Error;
    if (e?.name === 'PasswordException') throw new DocumentReadError('document_encrypted', 'The PDF is protected by a password, so its text cannot be read. Ask the sender for an unprotected copy.');
    throw new DocumentReadError('document_malformed', `The PDF cannot be read (${String(e?.message ?? e).slice(0, 200)}); it may be damaged. Ask the sender to export it again.`);
  }
  try {
    const total = doc.numPages;
    const sel = selectPages(input.pages, total);
    const last = Math.min(sel.last, sel.first + PDF_LIMITS.maxPagesPerCall - 1);
    const hidden: DocumentText['hidden'] = {};
    const parts: DocumentPart[] = [];
    const notes: string[] = [];
    for (let n = sel.first; n <= last; n++) {
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const scale = Math.min(PDF_LIMITS.scale, Math.sqrt(PDF_LIMITS.maxCanvasPixels / Math.max(1, base.width * base.height)));
      const vp = page.getViewport({ scale });
      const content = await page.getTextContent();
      const w = Math.max(1, Math.ceil(vp.width));
      const h = Math.max(1, Math.ceil(vp.height));
      let img: Uint8ClampedArray | undefined;
      if (render) {
        const factory = (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
        const { canvas, context } = factory.create(w, h);
        await page.render({ canvasContext: context as never, canvas: canvas as never, viewport: vp }).promise;
        img = context.getImageData(0, 0, w, h).data;
        factory.destroy({ canvas, context });
      }
      let text = '';
      for (const raw of content.items) {
        if (!('str' in raw)) continue;
        const item = raw as TextItem;
        const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = pdfjs.Util.transform(vp.transform, item.transform) as number[];
        const sizePx = Math.hypot(c, d);
        const points = sizePx / scale;
        const dir = Math.hypot(a, b) || 1;
        const ux = a / dir;
        const uy = b / dir;
        const len = item.width * scale;
        const chars = item.str.length || 1;
        // Each word (or the spaces between) gets its share of the run's width along the baseline.
        let kept = '';
        for (const m of item.str.matchAll(/\S+|\s+/g)) {
          const word = m[0];
          if (!word.trim()) {
            kept += word;
            continue;
          }
          if (!/[\p{L}\p{N}]/u.test(word)) {
            // Punctuation alone carries no instruction, and its ink may sit outside the band tested below.
            kept += word;
            continue;
          }
          const inset = (word.length / chars) * len * 0.05;
          const s0 = (m.index / chars) * len + inset;
          const s1 = ((m.index + word.length) / chars) * len - inset;
          // (c, d) is the glyph's up vector in canvas pixels, one em long. The band from 0.1 to 0.6 em above the
          // baseline holds ink for every letter and digit, and stays clear of the edges of a shaded box or line
          // the word sits in, which would otherwise look like ink.
          const xs = [e + ux * s0 + c * 0.1, e + ux * s1 + c * 0.1, e + ux * s0 + c * 0.6, e + ux * s1 + c * 0.6];
          const ys = [f + uy * s0 + d * 0.1, f + uy * s1 + d * 0.1, f + uy * s0 + d * 0.6, f + uy * s1 + d * 0.6];
          const x0 = Math.min(...xs);
          const y0 = Math.min(...ys);
          const x1 = Math.max(...xs);
          const y1 = Math.max(...ys);
          // Off the page and too small need no pixels; whether anything else is seen does, so without them it is withheld.
          const verdict = img ? hasInk(img, w, h, x0, y0, x1, y1) : onPage(w, h, x0, y0, x1, y1) ? 'unchecked' : 'outside';
          if (verdict === 'outside') tally(hidden, 'outside the page', word);
          else if (points < PDF_LIMITS.minPoints) tally(hidden, 'too small to read', word);
          else if (verdict === 'unchecked') tally(hidden, 'not checked (no page renderer here)', word);
          else if (verdict === 'blank') tally(hidden, 'not painted (invisible, background-coloured or covered)', word);
          else kept += word;
        }
        text += kept;
        if (item.hasEOL) text += '\n';
      }
      page.cleanup();
      parts.push({ label: `Page ${n}`, text: text.replace(/[ \t]+\n/g, '\n').replace(/\n[ \t]+/g, '\n').replace(/\n{3,}/g, '\n\n').trim() || '(no visible text)' });
    }
    if (last < sel.last) notes.push(`pages ${last + 1}-${sel.last} not read (at most ${PDF_LIMITS.maxPagesPerCall} pages a call); call again with pages="${last + 1}-"`);
    return { format: 'PDF', parts, hidden, notes, ...(render ? {} : { unchecked: 'no-page-renderer' as const }), units: { kind: 'page', total, read: last - sel.first + 1 } };
  } finally {
    await doc.destroy();
  }
}
