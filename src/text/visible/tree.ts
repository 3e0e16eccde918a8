/**
 * The document tree, built by parse5: the HTML standard's tree construction,
 * which browsers implement, so misnesting repairs (adoption agency, foster
 * parenting, reconstructed formatting, foreign content breaking out of
 * `<svg>`/`<math>`, quirks-mode `<p>` and `<table>`) come out as a browser's.
 *
 * Invariants:
 * - Input longer than MAX_INPUT_CHARS is cut before parsing, and the result
 *   says how much was cut, so memory and time stay bounded.
 * - Like Chromium, no element is nested deeper than MAX_TREE_DEPTH: deeper
 *   descendants become children of the element at that depth, in document
 *   order. That keeps selector matching and every later walk bounded.
 * - Scripting is off when parsing (as in a mail client): `<noscript>` content
 *   is markup and is shown.
 * - Nothing here recurses over the tree.
 *
 * Known limits: the cap can cut a long message in the middle of its text; the
 * marker tells the reader so.
 */
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import type { ChildNode, Document, Element, ParentNode } from 'domhandler';

/** Characters of HTML read, outside style sheets; longer bodies are cut (Gmail clips messages at about 100 KB). */
export const MAX_INPUT_CHARS = 500_000;
/** Characters inside `<style>` elements that do not count towards MAX_INPUT_CHARS (css-tree parses them fast). */
export const MAX_STYLE_CHARS = 3_000_000;
/** Chromium's parser nests elements at most this deep. */
export const MAX_TREE_DEPTH = 512;

/** A parsed document and what was cut from the input. */
export interface ParsedDocument {
  readonly document: Document;
  readonly quirks: boolean;
  /** Characters of input that were not parsed. */
  readonly cutChars: number;
  /** `<style>` and `<link>` elements in the order the parser created them (document order). */
  readonly styleElements: readonly Element[];
}

/** Parses HTML as a browser would, within the input cap and the depth cap. */
export function parseDocument(html: string, maxChars = MAX_INPUT_CHARS, maxStyleChars = MAX_STYLE_CHARS): ParsedDocument {
  const end = cutPosition(html, maxChars, maxStyleChars);
  const cutChars = html.length - end;
  const input = cutChars > 0 ? html.slice(0, end) : html;
  // Style elements are noted as they are created, which saves a walk over the whole tree.
  const styleElements: Element[] = [];
  const treeAdapter: typeof adapter = {
    ...adapter,
    createElement(tagName, namespaceURI, attrs) {
      const el = adapter.createElement(tagName, namespaceURI, attrs);
      if (tagName === 'style' || tagName === 'link') styleElements.push(el);
      return el;
    },
  };
  const document = parse(input, { treeAdapter, scriptingEnabled: false });
  flattenBeyond(document, MAX_TREE_DEPTH);
  return { document, quirks: document['x-mode'] === 'quirks', cutChars, styleElements };
}

/**
 * Where to cut the input: after `maxChars` characters of markup and text, where the content of
 * `<style>` elements counts only beyond `maxStyleChars`. The scan is a plain search for the tags,
 * so a "<style" inside a comment may be taken for one; that only moves the cut, within both bounds.
 */
export function cutPosition(html: string, maxChars: number, maxStyleChars: number): number {
  if (html.length <= maxChars) return html.length;
  const open = /<style\b[^>]*>/gi;
  const close = /<\/style/gi;
  let counted = 0;
  let styleLeft = maxStyleChars;
  let pos = 0;
  for (;;) {
    open.lastIndex = pos;
    const m = open.exec(html);
    const markupEnd = m ? m.index + m[0].length : html.length;
    if (counted + (markupEnd - pos) > maxChars) return pos + (maxChars - counted);
    counted += markupEnd - pos;
    if (!m) return html.length;
    close.lastIndex = markupEnd;
    const c = close.exec(html);
    const styleEnd = c ? c.index : html.length;
    const free = Math.min(styleLeft, styleEnd - markupEnd);
    styleLeft -= free;
    const charged = styleEnd - markupEnd - free;
    if (counted + charged > maxChars) return markupEnd + free + (maxChars - counted);
    counted += charged;
    pos = styleEnd;
    if (pos >= html.length) return html.length;
  }
}

/** Whether a node is an element (domhandler's type guard without importing its runtime). */
export function isElement(node: ChildNode | ParentNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/**
 * Chromium's depth cap: an element that would nest deeper than `maxDepth`
 * becomes a sibling at that depth, while text still goes into the element
 * that was last opened. So below the cap every element keeps its text but
 * hands its child elements up, in document order.
 */
function flattenBeyond(root: Document, maxDepth: number): void {
  const stack: Array<{ node: ParentNode; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: ParentNode; depth: number };
    if (depth === maxDepth - 1) {
      if (node.children.some((c) => 'children' in c && c.children.some((g) => 'children' in g))) relink(node, hoistElements(node));
      continue;
    }
    for (const child of node.children) {
      if ('children' in child && child.children.length > 0) stack.push({ node: child, depth: depth + 1 });
    }
  }
}

/** Pre-order list of `node`'s children and all descendant elements, each element left with only its non-element children. */
function hoistElements(node: ParentNode): ChildNode[] {
  const out: ChildNode[] = [];
  const stack: ChildNode[] = [...node.children].reverse();
  while (stack.length > 0) {
    const n = stack.pop() as ChildNode;
    out.push(n);
    if ('children' in n && n.children.length > 0) {
      const kept: ChildNode[] = [];
      for (let i = n.children.length - 1; i >= 0; i--) {
        const c = n.children[i] as ChildNode;
        if ('children' in c) stack.push(c);
        else kept.push(c);
      }
      relink(n, kept.reverse());
    }
  }
  return out;
}

function relink(parent: ParentNode, children: ChildNode[]): void {
  parent.children = children;
  let prev: ChildNode | null = null;
  for (const child of children) {
    child.parent = parent;
    child.prev = prev;
    child.next = null;
    if (prev) prev.next = child;
    prev = child;
  }
}
