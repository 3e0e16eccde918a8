/**
 * Office XML parts as small trees, parsed by saxes (a conforming XML parser),
 * within a nesting-depth and node cap so a hostile part cannot blow the stack
 * or the heap. Namespaces are kept as the prefixes Office writes (w:, a:, p:),
 * which every Office writer uses for these parts.
 */
import { SaxesParser } from 'saxes';
import { DocumentReadError } from './errors.js';

/** One element. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export const XML_LIMITS = Object.freeze({ maxDepth: 256, maxNodes: 2_000_000 });

/** Parses one XML part; `where` names it in errors. */
export function parseXml(xml: string, where: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false });
  const root: XmlElement = { name: '#root', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let nodes = 0;
  parser.on('opentag', (tag) => {
    if (stack.length > XML_LIMITS.maxDepth) throw new DocumentReadError('document_malformed', `${where} nests deeper than ${XML_LIMITS.maxDepth} levels; the file was not read.`);
    if (++nodes > XML_LIMITS.maxNodes) throw new DocumentReadError('document_too_large', `${where} has more than ${XML_LIMITS.maxNodes} elements; the file was not read.`);
    const el: XmlElement = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1]!.children.push(el);
    if (!tag.isSelfClosing) stack.push(el);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  const onText = (t: string): void => {
    stack[stack.length - 1]!.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(xml).close();
  } catch (err) {
    if (err instanceof DocumentReadError) throw err;
    throw new DocumentReadError('document_malformed', `${where} is not well-formed XML (${(err as Error).message.slice(0, 200)}); the file may be damaged.`, { cause: err });
  }
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw new DocumentReadError('document_malformed', `${where} is empty; the file may be damaged.`);
  return top;
}

/** Child elements named `name`. */
export function kids(el: XmlElement | undefined, name: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** The first child element named `name`. */
export function kid(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** All descendant elements named `name`, document order, iteratively (no recursion limit to hit). */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlNode[] = [...el.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (typeof n === 'string') continue;
    if (n.name === name) out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** The concatenated text of an element. */
export function textOf(el: XmlElement): string {
  let out = '';
  const stack: XmlNode[] = [el];
  while (stack.length) {
    const n = stack.pop()!;
    if (typeof n === 'string') out += n;
    else for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** An OOXML on/off property: present and not "0"/"false"/"off". */
export function isOn(el: XmlElement | undefined, attr = 'w:val'): boolean {
  if (!el) return false;
  const v = el.attrs[attr];
  return v === undefined || !/^(0|false|off|none)$/i.test(v);
}

/** Whether an RRGGBB colour is near white (unreadable on a white page). */
export function nearWhite(hex: string | undefined): boolean {
  if (!hex || !/^[0-9a-f]{6}$/i.test(hex)) return false;
  const n = parseInt(hex, 16);
  return ((n >> 16) & 255) > 240 && ((n >> 8) & 255) > 240 && (n & 255) > 240;
}

/** Whether two RRGGBB colours are too close to tell apart. */
export function sameColour(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^[0-9a-f]{6}$/i.test(a) || !/^[0-9a-f]{6}$/i.test(b)) return false;
  const x = parseInt(a, 16);
  const y = parseInt(b, 16);
  return Math.abs(((x >> 16) & 255) - ((y >> 16) & 255)) + Math.abs(((x >> 8) & 255) - ((y >> 8) & 255)) + Math.abs((x & 255) - (y & 255)) < 40;
}
