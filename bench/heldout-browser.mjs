/**
 * The browser renderer as a module for `node bench/visible-heldout.mjs --browser bench/heldout-browser.mjs`:
 * the product's renderVisibleText (from dist/: run `npm run build` first) with OUTLOOK_RENDERER=browser
 * (OUTLOOK_BROWSER_PATH when set). A read that fell back to builtin throws, so it never measures the
 * wrong engine.
 */
import { closeRenderer, renderVisibleText } from '../dist/text/render-visible.js';
import { configureRenderer, DEFAULT_RENDERER_SETTINGS } from '../dist/text/renderer-settings.js';

const browserPath = process.env.OUTLOOK_BROWSER_PATH;
configureRenderer({ ...DEFAULT_RENDERER_SETTINGS, renderer: 'browser', timeoutMs: 120_000, ...(browserPath ? { browserPath } : {}) });

export async function render(html) {
  const result = await renderVisibleText(html);
  if (result.renderer !== 'browser') throw new Error(`the browser renderer did not read this case: ${result.note ?? 'read with builtin'}`);
  return { text: result.text };
}

export async function close() {
  await closeRenderer();
}
