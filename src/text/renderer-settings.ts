/**
 * Which visible-text renderer mail bodies are read with, set once by the runtime from the
 * configuration (OUTLOOK_RENDERER, OUTLOOK_BROWSER_PATH, OUTLOOK_RENDERER_IDLE_MS,
 * OUTLOOK_RENDERER_TIMEOUT_MS). Kept apart from the renderers so that setting it at start-up loads
 * neither the HTML parser nor puppeteer.
 */
export type RendererChoice = 'auto' | 'browser' | 'builtin';

export interface RendererSettings {
  /** `auto`: the browser when one is found, else builtin. `browser`: a browser is required (reads fail over to builtin with a note). */
  readonly renderer: RendererChoice;
  /** An explicit browser executable; otherwise the usual install locations are searched. */
  readonly browserPath?: string;
  /** Close the warm browser after this long without reads. */
  readonly idleMs: number;
  /** Bound on one browser read, launch included; past it the read falls back to builtin. */
  readonly timeoutMs: number;
}

export const DEFAULT_RENDERER_SETTINGS: RendererSettings = { renderer: 'auto', idleMs: 60_000, timeoutMs: 30_000 };

let current: RendererSettings = DEFAULT_RENDERER_SETTINGS;
const listeners = new Set<() => Promise<void>>();

/** Sets the renderer for this process; a running browser is closed when the settings change. */
export function configureRenderer(settings: RendererSettings): void {
  const changed = JSON.stringify(settings) !== JSON.stringify(current);
  current = settings;
  if (changed) for (const l of listeners) void l();
}

/** Closes a running browser (the server stopping); the next read would start a new one. */
export async function stopRenderer(): Promise<void> {
  await Promise.all([...listeners].map((l) => l()));
}

export function rendererSettings(): RendererSettings {
  return current;
}

/** Called when the settings change or the server stops (the renderer closes its browser then). */
export function onRendererSettingsChange(listener: () => Promise<void>): void {
  listeners.add(listener);
}
