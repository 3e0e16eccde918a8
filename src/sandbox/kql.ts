/**
 * The KQL subset Outlook's `$search` understands on messages (docs/GRAPH-NOTES.md §3):
 * implicit AND, `AND`/`OR`/`NOT` (upper case, as KQL requires), parentheses,
 * quoted phrases, and the property restrictions `from: to: cc: bcc:
 * participants: recipients: subject: body: attachment: hasAttachments:
 * received sent size` with `: = > >= < <=` and `a..b` ranges. Words match at
 * the start of a word, so `repo` finds "report", as Exchange's prefix search does.
 */
import { GraphErrorResponse } from './errors.js';
import { parseInstant } from './time.js';

/** What a message offers to search. */
export interface SearchDocument {
  subject: string;
  body: string;
  /** Names and addresses. */
  from: readonly string[];
  to: readonly string[];
  cc: readonly string[];
  bcc: readonly string[];
  attachments: readonly string[];
  hasAttachments: boolean;
  received: number;
  sent: number;
  size: number;
}

/** A SearchDocument with its text lower-cased and whitespace collapsed, ready for matching. */
export interface PreparedDocument extends SearchDocument {
  readonly prepared: true;
}

type Op = ':' | '=' | '<>' | '>' | '>=' | '<' | '<=';

export type KqlNode =
  | { k: 'and' | 'or'; items: KqlNode[] }
  | { k: 'not'; e: KqlNode }
  | { k: 'term'; text: string }
  | { k: 'prop'; prop: string; op: Op; value: string };

type Token = { t: '(' | ')' } | { t: 'op'; v: 'AND' | 'OR' | 'NOT' } | { t: 'term'; v: string } | { t: 'prop'; prop: string; op: Op; v: string };

const PROPERTIES: ReadonlySet<string> = new Set([
  'from', 'to', 'cc', 'bcc', 'participants', 'recipients', 'subject', 'body', 'attachment', 'attachments',
  'hasattachment', 'hasattachments', 'received', 'sent', 'size',
]);
const RESTRICTION = /^([A-Za-z]+)(>=|<=|<>|:|=|>|<)/;

function syntaxError(query: string): GraphErrorResponse {
  return new GraphErrorResponse(400, 'BadRequest', `Syntax error: character '${query.slice(0, 40)}' is not valid in the search query.`);
}

/** Removes the outer double quotes of a `$search` value and undoes `\"` and `\\` escapes inside. */
export function unquoteSearch(raw: string): string {
  const s = raw.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    return s.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return s;
}

function readValue(q: string, i: number): [string, number] {
  if (q[i] === '"') {
    const end = q.indexOf('"', i + 1);
    if (end < 0) return [q.slice(i + 1), q.length];
    return [q.slice(i + 1, end), end + 1];
  }
  let j = i;
  while (j < q.length && !/[\s()"]/.test(q[j] as string)) j++;
  return [q.slice(i, j), j];
}

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      const [v, next] = readValue(q, i);
      out.push({ t: 'term', v });
      i = next;
    } else if (c === '-' && i + 1 < q.length && !/\s/.test(q[i + 1] as string)) {
      out.push({ t: 'op', v: 'NOT' });
      i++;
    } else if (c === '+') {
      i++;
    } else {
      const m = RESTRICTION.exec(q.slice(i));
      if (m && PROPERTIES.has((m[1] as string).toLowerCase())) {
        const [v, next] = readValue(q, i + m[0].length);
        out.push({ t: 'prop', prop: (m[1] as string).toLowerCase(), op: m[2] as Op, v });
        i = next;
        continue;
      }
      const [v, next] = readValue(q, i);
      if (v === 'AND' || v === 'OR' || v === 'NOT') out.push({ t: 'op', v });
      else out.push({ t: 'term', v: v.replace(/\*$/, '') });
      i = next;
    }
  }
  return out;
}

/** Parses a KQL query (already unquoted); throws 400 on unbalanced parentheses or dangling operators. */
export function parseKql(query: string): KqlNode {
  const tokens = tokenize(query);
  let i = 0;
  const fail = (): never => {
    throw syntaxError(query);
  };
  const peek = () => tokens[i];
  const parseOr = (): KqlNode => {
    const items = [parseAnd()];
    while (peek()?.t === 'op' && (peek() as { v: string }).v === 'OR') {
      i++;
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as KqlNode) : { k: 'or', items };
  };
  const parseAnd = (): KqlNode => {
    const items = [parseUnary()];
    for (;;) {
      const t = peek();
      if (!t || t.t === ')' || (t.t === 'op' && t.v === 'OR')) break;
      if (t.t === 'op' && t.v === 'AND') i++;
      items.push(parseUnary());
    }
    return items.length === 1 ? (items[0] as KqlNode) : { k: 'and', items };
  };
  const parseUnary = (): KqlNode => {
    const t = peek();
    if (t?.t === 'op' && t.v === 'NOT') {
      i++;
      return { k: 'not', e: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): KqlNode => {
    const t = tokens[i++];
    if (!t) return fail();
    if (t.t === '(') {
      const inner = parseOr();
      if (tokens[i++]?.t !== ')') fail();
      return inner;
    }
    if (t.t === 'term') return { k: 'term', text: normalise(t.v) };
    if (t.t === 'prop') return { k: 'prop', prop: t.prop, op: t.op, value: normalise(t.v) };
    return fail();
  };
  if (tokens.length === 0) fail();
  const node = parseOr();
  if (i !== tokens.length) fail();
  return node;
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Normalises a document once so that many queries (or many terms) can match it cheaply. */
export function prepareDocument(doc: SearchDocument): PreparedDocument {
  const all = (xs: readonly string[]) => xs.map(normalise);
  return {
    ...doc,
    subject: normalise(doc.subject),
    body: normalise(doc.body),
    from: all(doc.from),
    to: all(doc.to),
    cc: all(doc.cc),
    bcc: all(doc.bcc),
    attachments: all(doc.attachments),
    prepared: true,
  };
}

function prefixIn(h: string, n: string): boolean {
  if (n === '') return true;
  for (let at = h.indexOf(n); at >= 0; at = h.indexOf(n, at + 1)) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(h[at - 1] as string)) return true;
  }
  return false;
}

/** True when `needle` occurs in `hay` starting at a word boundary (case-insensitive, whitespace-collapsed). */
export function wordPrefixMatch(hay: string, needle: string): boolean {
  return prefixIn(normalise(hay), normalise(needle));
}

const anyMatch = (fields: readonly string[], v: string) => fields.some((f) => prefixIn(f, v));

const DAY = 86_400_000;

/** A day (`2025-01-31`, `1/31/2025`) as [start, end) in UTC, or an exact instant as a zero-length range. */
function parseDay(value: string): [number, number] | undefined {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (us) {
    const start = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]));
    return [start, start + DAY];
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = parseInstant(value);
    return start === undefined ? undefined : [start, start + DAY];
  }
  const t = parseInstant(value);
  return t === undefined ? undefined : [t, t];
}

function parseSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(kb|mb|gb)?$/i.exec(value);
  if (!m) return undefined;
  const mult = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'kb'] ?? 1;
  return Number(m[1]) * mult;
}

function compareRange(actual: number, op: Op, lo: number, hi: number, inclusiveEnd: boolean): boolean {
  switch (op) {
    case ':':
    case '=':
      return inclusiveEnd ? actual >= lo && actual <= hi : actual >= lo && actual < hi;
    case '<>':
      return !compareRange(actual, '=', lo, hi, inclusiveEnd);
    case '>':
      return inclusiveEnd ? actual > hi : actual >= hi;
    case '>=':
      return actual >= lo;
    case '<':
      return actual < lo;
    case '<=':
      return inclusiveEnd ? actual <= hi : actual < hi;
  }
}

function matchDate(actual: number, op: Op, value: string): boolean {
  const range = /^(.+)\.\.(.+)$/.exec(value);
  if (range) {
    const a = parseDay(range[1] as string);
    const b = parseDay(range[2] as string);
    return a !== undefined && b !== undefined && actual >= a[0] && actual < Math.max(b[1], b[0] + 1);
  }
  const day = parseDay(value);
  if (!day) return false;
  return compareRange(actual, op, day[0], day[1], day[0] === day[1]);
}

function matchSize(actual: number, op: Op, value: string): boolean {
  const range = /^(.+)\.\.(.+)$/.exec(value);
  if (range) {
    const a = parseSize(range[1] as string);
    const b = parseSize(range[2] as string);
    return a !== undefined && b !== undefined && actual >= a && actual <= b;
  }
  const n = parseSize(value);
  return n !== undefined && compareRange(actual, op, n, n, true);
}

function matchProp(doc: PreparedDocument, prop: string, op: Op, value: string): boolean {
  switch (prop) {
    case 'from':
      return anyMatch(doc.from, value);
    case 'to':
      return anyMatch(doc.to, value);
    case 'cc':
      return anyMatch(doc.cc, value);
    case 'bcc':
      return anyMatch(doc.bcc, value);
    case 'participants':
      return anyMatch(doc.from, value) || anyMatch(doc.to, value) || anyMatch(doc.cc, value) || anyMatch(doc.bcc, value);
    case 'recipients':
      return anyMatch(doc.to, value) || anyMatch(doc.cc, value) || anyMatch(doc.bcc, value);
    case 'subject':
      return prefixIn(doc.subject, value);
    case 'body':
      return prefixIn(doc.body, value);
    case 'attachment':
    case 'attachments':
      return anyMatch(doc.attachments, value);
    case 'hasattachment':
    case 'hasattachments': {
      const want = /^(true|yes|1)$/i.test(value);
      return doc.hasAttachments === want;
    }
    case 'received':
      return matchDate(doc.received, op, value);
    case 'sent':
      return matchDate(doc.sent, op, value);
    case 'size':
      return matchSize(doc.size, op, value);
    default:
      return false;
  }
}

/** True when a bare term appears in any searchable field. */
function matchTerm(doc: PreparedDocument, text: string): boolean {
  return (
    prefixIn(doc.subject, text) ||
    prefixIn(doc.body, text) ||
    anyMatch(doc.from, text) ||
    anyMatch(doc.to, text) ||
    anyMatch(doc.cc, text) ||
    anyMatch(doc.bcc, text) ||
    anyMatch(doc.attachments, text)
  );
}

/** Evaluates a parsed KQL query against one message. */
export function matchesKql(node: KqlNode, doc: PreparedDocument): boolean {
  switch (node.k) {
    case 'and':
      return node.items.every((n) => matchesKql(n, doc));
    case 'or':
      return node.items.some((n) => matchesKql(n, doc));
    case 'not':
      return !matchesKql(node.e, doc);
    case 'term':
      return matchTerm(doc, node.text);
    case 'prop':
      return matchProp(doc, node.prop, node.op, node.value);
  }
}
