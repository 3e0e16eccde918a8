import type { VisibleText, VisibleTextOptions } from '../text/html-to-text.js';

/**
 * The visible text of a Graph item body (HTML or plain text). The HTML
 * converter is imported on first use: its parser is start-up time that a
 * server answering tools/list, or only listing mail, should not pay.
 */
export async function visibleBody(body: { contentType?: string; content?: string } | undefined, options?: VisibleTextOptions): Promise<VisibleText> {
  const { htmlToVisibleText, plainTextToVisibleText } = await import('../text/html-to-text.js');
  const raw = body?.content ?? '';
  return body?.contentType?.toLowerCase() === 'html' ? htmlToVisibleText(raw, options) : plainTextToVisibleText(raw, options);
}
