import type { VisibleText, VisibleTextOptions } from '../text/html-to-text.js';

/** What a body's structuredContent says about how it was read: words withheld, the renderer, and why a browser was not used. */
export function rendererFields(v: VisibleText): { withheld_words?: number; renderer?: 'builtin' | 'browser'; renderer_note?: string } {
  return { withheld_words: v.withheld, renderer: v.renderer, renderer_note: v.note };
}

/**
 * The visible text of a Graph item body (HTML or plain text), read by the
 * configured renderer (builtin or browser, see src/text/render-visible.ts).
 * `builtin: true` keeps the send path (the approval summary and the review
 * card of our own draft) off the browser: an approval must not wait on a
 * browser start. The converters are imported on first use: their parser is start-up time
 * that a server answering tools/list, or only listing mail, should not pay.
 */
export async function visibleBody(body: { contentType?: string; content?: string } | undefined, options?: VisibleTextOptions & { builtin?: boolean }): Promise<VisibleText> {
  const raw = body?.content ?? '';
  if (body?.contentType?.toLowerCase() === 'html' && options?.builtin === true) {
    const { htmlToVisibleText } = await import('../text/html-to-text.js');
    return htmlToVisibleText(raw, options);
  }
  if (body?.contentType?.toLowerCase() === 'html') {
    const { renderVisibleText } = await import('../text/render-visible.js');
    return renderVisibleText(raw, options);
  }
  const { plainTextToVisibleText } = await import('../text/html-to-text.js');
  return plainTextToVisibleText(raw, options);
}
