/**
 * Body conversions the way Graph performs them for
 * `Prefer: outlook.body-content-type`. The HTML-to-text step is a plain tag
 * strip: like Graph's, it keeps text that CSS hides (display:none, white on
 * white, zero-size). Removing that is the client's job, and the seeded
 * mailbox relies on it surviving here.
 */

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16)) ?? whole;
    if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10)) ?? whole;
    return ENTITIES[lower] ?? whole;
  });
}

function safeCodePoint(cp: number): string | undefined {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

/** HTML to plain text: drops markup, head, style and script; keeps all other text, hidden or not. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6]|blockquote|table|ul|ol)\s*>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '* ')
    .replace(/<\/t[dh]\s*>/gi, '\t')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text to the minimal HTML document Graph produces for a text body. */
export function textToHtml(text: string): string {
  const body = escapeHtml(text).replace(/\r?\n/g, '<br>\r\n');
  return `<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head><body><div>${body}</div></body></html>`;
}

/** Graph's `bodyPreview`: the first 255 characters of the text, whitespace collapsed. */
export function previewOf(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}
