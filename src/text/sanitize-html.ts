/**
 * HTML draft bodies reduced to an allow-list of formatting elements and
 * attributes: no scripts, styles, event handlers, forms, frames or
 * `javascript:` URLs can reach a draft the user then sends under their name.
 * Its own module so the HTML parser loads only when an HTML body is given.
 */
import { Parser } from 'htmlparser2';
import { escapeHtml, SAFE_URL } from './markdown.js';

const ALLOWED_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 'u', 's', 'p', 'br', 'div', 'span', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'hr', 'sub', 'sup', 'small',
]);
/** Elements whose content is dropped too, not only the tags. */
const DROP_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'head', 'title', 'form', 'select', 'textarea']);
const VOID = new Set(['br', 'hr']);
const ALLOWED_ATTRS: Readonly<Record<string, ReadonlySet<string>>> = { a: new Set(['href', 'title']), td: new Set(['colspan', 'rowspan']), th: new Set(['colspan', 'rowspan']) };

/** Reduces HTML to an allow-list of formatting (no scripts, event handlers, styles or unsafe URLs). */
export function sanitizeHtml(html: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let dropDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0 || DROP_CONTENT.has(name)) {
          // htmlparser2 closes every element it opens (void ones at once), so counting stays balanced.
          dropDepth++;
          return;
        }
        if (!ALLOWED_TAGS.has(name)) return;
        const allowed = ALLOWED_ATTRS[name];
        let attrs = '';
        for (const [k, v] of Object.entries(attribs)) {
          if (!allowed?.has(k)) continue;
          if (k === 'href' && !SAFE_URL.test(v.trim())) continue;
          attrs += ` ${k}="${escapeHtml(v)}"`;
        }
        out.push(`<${name}${attrs}>`);
        if (!VOID.has(name)) open.push(name);
      },
      ontext(text) {
        if (dropDepth === 0) out.push(escapeHtml(text));
      },
      onclosetag(name) {
        if (dropDepth > 0) {
          dropDepth--;
          return;
        }
        if (!ALLOWED_TAGS.has(name) || VOID.has(name)) return;
        const at = open.lastIndexOf(name);
        if (at < 0) return;
        while (open.length > at) out.push(`</${open.pop() as string}>`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  while (open.length) out.push(`</${open.pop() as string}>`);
  return out.join('');
}
