/**
 * The renderers the held-out corpus judges, all behind one signature (Renderer in measure.ts):
 * - builtin: today's facade, htmlToVisibleText (src/text/html-to-text.ts), imported only;
 * - html-to-text: the npm converter, the naive baseline that keeps every word;
 * - browser: the product's entry point, renderVisibleText (src/text/render-visible.ts), with the
 *   renderer configured to `browser` (headless Chromium decides per word what is painted). A read that
 *   fell back to builtin (browser missing, crashed, timed out) throws: it would measure the wrong engine.
 */
import { convert as htmlToTextNpm } from 'html-to-text';
import { htmlToVisibleText } from '../../src/text/html-to-text.js';
import { closeRenderer, renderVisibleText } from '../../src/text/render-visible.js';
import { configureRenderer, DEFAULT_RENDERER_SETTINGS } from '../../src/text/renderer-settings.js';
import type { Renderer } from './measure.js';

/** The renderer's own count of withheld words, whether it reports a number or `{ words }`. */
export function withheldWords(result: object): number | undefined {
  const w = (result as { withheld?: unknown }).withheld;
  if (typeof w === 'number') return w;
  if (w && typeof w === 'object' && typeof (w as { words?: unknown }).words === 'number') return (w as { words: number }).words;
  return undefined;
}

/** The builtin engine through today's facade (awaited, so a future async facade fits too). */
export const builtinRenderer: Renderer = async (html) => {
  const result = await Promise.resolve(htmlToVisibleText(html));
  const withheld = withheldWords(result);
  return withheld === undefined ? { text: result.text } : { text: result.text, withheld };
};

/** html-to-text from npm, without word wrapping. */
export const htmlToTextRenderer: Renderer = async (html) => ({ text: htmlToTextNpm(html, { wordwrap: false }) });

/**
 * The browser renderer as a held-out Renderer: configures `browser` (OUTLOOK_BROWSER_PATH when set,
 * else the usual places) with a timeout fit for a loaded machine; `close()` stops the browser and
 * restores the default settings.
 */
export function makeBrowserRenderer(browserPath = process.env.OUTLOOK_BROWSER_PATH): { render: Renderer; close: () => Promise<void> } {
  configureRenderer({ ...DEFAULT_RENDERER_SETTINGS, renderer: 'browser', timeoutMs: 120_000, ...(browserPath ? { browserPath } : {}) });
  const render: Renderer = async (html) => {
    const result = await renderVisibleText(html);
    if (result.renderer !== 'browser') throw new Error(`the browser renderer did not read this case: ${result.note ?? 'read with builtin'}`);
    const withheld = withheldWords(result);
    return withheld === undefined ? { text: result.text } : { text: result.text, withheld };
  };
  const close = async (): Promise<void> => {
    await closeRenderer();
    configureRenderer(DEFAULT_RENDERER_SETTINGS);
  };
  return { render, close };
}
