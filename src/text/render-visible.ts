/**
 * The one entry point for reading a mail body as a person sees it: chooses the renderer the
 * configuration asks for (renderer-settings.ts) and falls back to the fail-closed builtin engine
 * when the browser cannot be used, saying so in the text and in `note`.
 *
 * - builtin: htmlToVisibleText, in process; text whose visibility it cannot decide is withheld.
 * - browser: headless Chromium decides per word what is painted (browser/browser-renderer.ts);
 *   the builtin walk then writes the cleaned HTML (links, lists, quoted history) with nothing left
 *   to decide. puppeteer is loaded on the first browser read only.
 */
import { htmlToVisibleText, truncationMarker, withheldMarker, type VisibleText, type VisibleTextOptions } from './html-to-text.js';
import { onRendererSettingsChange, rendererSettings, type RendererSettings } from './renderer-settings.js';
import { cutPosition, MAX_INPUT_CHARS, MAX_STYLE_CHARS } from './visible/tree.js';
import type { BrowserRenderer } from './browser/browser-renderer.js';
import { findBrowser } from './browser/find-browser.js';

/** Which renderer reads mail now, and why. */
export interface RendererStatus {
  readonly renderer: 'builtin' | 'browser';
  readonly setting: RendererSettings['renderer'];
  readonly browserPath?: string;
  /** Why the browser is not used, when it was asked for or would be by `auto`. */
  readonly reason?: string;
  /** A browser process is running (it starts on the first read and closes when idle). */
  readonly warm: boolean;
}

let renderer: BrowserRenderer | undefined;
let rendererPath: string | undefined;
onRendererSettingsChange(closeRenderer);

/** The renderer the settings resolve to on this machine. */
export function rendererStatus(settings: RendererSettings = rendererSettings()): RendererStatus {
  const warm = renderer?.warm ?? false;
  if (settings.renderer === 'builtin') return { renderer: 'builtin', setting: 'builtin', warm };
  const found = findBrowser(settings.browserPath);
  if (found) return { renderer: 'browser', setting: settings.renderer, browserPath: found, warm };
  const reason = settings.browserPath !== undefined
    ? `OUTLOOK_BROWSER_PATH=${settings.browserPath} is not an executable file`
    : 'no Chrome, Edge or Chromium found in the usual places (set OUTLOOK_BROWSER_PATH)';
  return { renderer: 'builtin', setting: settings.renderer, reason, warm };
}

/** Closes the warm browser, if any (the server stopping, or settings changed). */
export async function closeRenderer(): Promise<void> {
  const r = renderer;
  renderer = undefined;
  rendererPath = undefined;
  await r?.close();
}

/** The renderer for a browser path, started lazily; one per process. */
async function browserRenderer(path: string, settings: RendererSettings): Promise<BrowserRenderer> {
  if (renderer && rendererPath === path) return renderer;
  await closeRenderer();
  const { BrowserRenderer } = await import('./browser/browser-renderer.js');
  renderer = new BrowserRenderer({ executablePath: path, idleMs: settings.idleMs, timeoutMs: settings.timeoutMs });
  rendererPath = path;
  return renderer;
}

/** The visible text of an HTML mail body, with the configured renderer. */
export async function renderVisibleText(html: string, options: VisibleTextOptions = {}): Promise<VisibleText> {
  const settings = rendererSettings();
  const status = rendererStatus(settings);
  if (status.renderer === 'builtin') {
    const result = htmlToVisibleText(html, options);
    // Asked for the browser explicitly and none is there: the reader is told the weaker engine read it.
    return settings.renderer === 'browser' ? withNote(result, `browser renderer unavailable (${status.reason}); read with the builtin engine`) : result;
  }
  const end = cutPosition(html, MAX_INPUT_CHARS, MAX_STYLE_CHARS);
  const cutChars = html.length - end;
  try {
    const browser = await browserRenderer(status.browserPath as string, settings);
    const cleaned = await browser.render(cutChars > 0 ? html.slice(0, end) : html);
    // The cleaned HTML is no longer than the capped input plus a short style per element: not capped again.
    // The last lines say what was not read: words withheld (as the builtin says it), then the cut.
    const tail = [cleaned.withheldWords > 0 ? withheldMarker(cleaned.withheldWords) : undefined, cutChars > 0 ? truncationMarker(cutChars) : undefined].filter((l) => l !== undefined);
    const result = htmlToVisibleText(cleaned.html, { ...options, inputCap: Number.POSITIVE_INFINITY, suffix: tail.length > 0 ? tail.join('\n\n') : undefined });
    const out: VisibleText = { ...result, hiddenRemoved: cleaned.hiddenRuns, renderer: 'browser' };
    delete out.suspect;
    delete out.withheld;
    if (cleaned.withheldWords > 0) out.withheld = cleaned.withheldWords;
    if (cleaned.hiddenWords > 0) out.hiddenWords = cleaned.hiddenWords;
    if (cutChars > 0) out.truncatedInput = cutChars;
    return out;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return withNote(htmlToVisibleText(html, options), `browser renderer failed (${why.split('\n')[0]?.slice(0, 200)}); read with the builtin engine`);
  }
}

function withNote(result: VisibleText, note: string): VisibleText {
  return { ...result, text: result.text ? `${result.text}\n\n[${note}]` : `[${note}]`, note };
}
