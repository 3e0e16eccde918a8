/**
 * The renderers the held-out corpus judges, all behind one signature (Renderer in measure.ts):
 * - builtin: today's facade, htmlToVisibleText (src/text/html-to-text.ts), imported only;
 * - html-to-text: the npm converter, the naive baseline that keeps every word;
 * - browser: not in this tree yet. bench/visible-heldout.mjs takes a module exporting one with
 *   --browser, and the gate test names where to wire it.
 */
import { convert as htmlToTextNpm } from 'html-to-text';
import { htmlToVisibleText } from '../../src/text/html-to-text.js';
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
