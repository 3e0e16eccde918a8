/**
 * Property: whatever the nesting and the parser's repairs, text that a hiding rule covers in the
 * tree a browser builds never reaches the output. The oracle is independent of the converter:
 * parse5's default tree (what a browser builds), walked for text under a hiding construct.
 */
import fc from 'fast-check';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { htmlToVisibleText } from '../../../src/text/html-to-text.js';

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;

const TAGS = ['b', 'i', 'p', 'div', 'span', 'table', 'tr', 'td', 'a', 'font', 'ul', 'li', 'em', 'h1', 'nobr', 'u', 'tbody', 'form', 'button', 'center'];
const HIDERS = [
  '<span style="display:none">',
  '<div class="h">',
  '<b hidden>',
  '<font style="visibility:hidden">',
  '<i style="font-size:0">',
  '<td style="display:none">',
  '<p class="h">',
  '<a href="https://x.example" style="display:none">',
];

/** A token stream of open tags, close tags, hiders and uniquely numbered words. */
const tokens = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...TAGS).map((t) => `<${t}>`) },
    { weight: 3, arbitrary: fc.constantFrom(...TAGS).map((t) => `</${t}>`) },
    { weight: 2, arbitrary: fc.constantFrom(...HIDERS) },
    { weight: 1, arbitrary: fc.constantFrom('</span>', '</div>', '</b>', '</font>', '</i>', '</p>', '</a>') },
    { weight: 3, arbitrary: fc.constant('WORD') },
  ),
  { maxLength: 60 },
);

function numbered(parts: string[]): string {
  let n = 0;
  return parts.map((p) => (p === 'WORD' ? ` w${n++} ` : p)).join('');
}

function hides(el: DefaultTreeAdapterTypes.Element): boolean {
  const attr = (name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;
  const style = (attr('style') ?? '').replace(/\s/g, '');
  if (/display:none|visibility:hidden|font-size:0/.test(style)) return true;
  if (attr('hidden') !== undefined) return true;
  return (attr('class') ?? '').split(/\s+/).includes('h');
}

/** Words in text nodes under a hiding element, in parse5's own tree (walked without recursion). */
function hiddenWords(html: string): string[] {
  const doc = parse(html);
  const out: string[] = [];
  const stack: Array<{ node: Node; hidden: boolean }> = [{ node: doc, hidden: false }];
  while (stack.length > 0) {
    const { node, hidden } = stack.pop() as { node: Node; hidden: boolean };
    if (node.nodeName === '#text') {
      if (hidden) out.push(...(node as DefaultTreeAdapterTypes.TextNode).value.split(/\s+/).filter((w) => /^w\d+$/.test(w)));
      continue;
    }
    if (!('childNodes' in node)) continue;
    const isEl = 'tagName' in node;
    // visibility:hidden and font-size:0 can be undone by a descendant; none of the generated tags does.
    const nowHidden = hidden || (isEl && hides(node as DefaultTreeAdapterTypes.Element));
    for (const child of node.childNodes) stack.push({ node: child, hidden: nowHidden });
  }
  return out;
}

describe('property: hidden text never appears, whatever the nesting', () => {
  it('keeps every word under a hiding rule out of the output', () => {
    fc.assert(
      fc.property(tokens, fc.boolean(), (parts, standards) => {
        const html = `${standards ? '<!DOCTYPE html>' : ''}<style>.h{display:none}</style>${numbered(parts)}`;
        const hidden = hiddenWords(html);
        const out = new Set(htmlToVisibleText(html).text.split(/[^a-z0-9]+/i));
        for (const w of hidden) expect(out.has(w), `${w} leaked from ${html}`).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every word that no rule hides, when the markup only formats', () => {
    const plain = fc.array(
      fc.oneof(
        fc.constantFrom('b', 'i', 'span', 'div', 'p', 'font', 'em', 'u', 'strong').map((t) => `<${t}>`),
        fc.constantFrom('b', 'i', 'span', 'div', 'p', 'font', 'em', 'u', 'strong').map((t) => `</${t}>`),
        fc.constant('WORD'),
      ),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(plain, (parts) => {
        const html = numbered(parts);
        const expected = html.match(/w\d+/g) ?? [];
        const out = new Set(htmlToVisibleText(html).text.split(/[^a-z0-9]+/i));
        for (const w of expected) expect(out.has(w), `${w} dropped from ${html}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
