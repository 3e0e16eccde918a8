/**
 * The `$filter` subset Outlook resources accept: comparisons, `and`/`or`/`not`,
 * parentheses, `contains`/`startswith`/`endswith`, `any`/`all` lambdas over
 * collections (categories, extended properties, recipients) and OData
 * literals. Expressions are type-checked against the entity type so that the
 * mistakes Graph refuses (unknown properties, a quoted date compared with a
 * DateTimeOffset, `''` escaping gone wrong) are refused here too.
 */
import { invalidFilter } from '../errors.js';
import { parseInstant } from '../time.js';
import { getPath, isCollection, isStructured, resolvePath, typeNameOf, type StructuredType, type TypeRef } from './edm.js';

/** Reads a canonical property path from an item; lets routes supply derived properties. */
export type PathReader = (item: unknown, path: readonly string[]) => unknown;

export interface CompiledFilter {
  /** True when the item satisfies the filter. */
  test(item: unknown): boolean;
  /** Canonical top-level property paths (`from/emailAddress/address`) in order of first appearance. */
  readonly properties: readonly string[];
}

type Kind = 'string' | 'datetime' | 'localDateTime' | 'int' | 'boolean' | 'null' | 'other';
type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

type Node =
  | { k: 'lit'; kind: Kind; v: string | number | boolean | null }
  | { k: 'prop'; scope?: string; path: string[]; kind: Kind; type: TypeRef }
  | { k: 'and' | 'or'; l: Node; r: Node }
  | { k: 'not'; e: Node }
  | { k: 'cmp'; op: CmpOp; l: Node; r: Node }
  | { k: 'fn'; name: string; args: Node[] }
  | { k: 'lambda'; quant: 'any' | 'all'; coll: Node & { k: 'prop' }; v?: string; body?: Node };

type Token =
  | { t: 'punct'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'datetime'; v: number; pos: number }
  | { t: 'ident'; v: string; pos: number }
  | { t: 'end'; pos: number };

const CMP_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const OP_NAMES: Record<CmpOp, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };
const STRING_FUNCTIONS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith']);

function tokenize(text: string): Token[] {
  // Sticky regexes carry lastIndex, so each call gets its own.
  const datetimeRe = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?/iy;
  const numberRe = /-?\d+(?:\.\d+)?/y;
  const identRe = /[A-Za-z_][A-Za-z0-9_.]*/y;
  const out: Token[] = [];
  let i = 0;
  const syntax = (pos: number) => invalidFilter(`Syntax error at position ${pos} in '${text}'.`);
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if ('(),:/'.includes(c)) {
      out.push({ t: 'punct', v: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      const start = i;
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw invalidFilter(`There is an unterminated string literal at position ${start} in '${text}'.`);
        const ch = text[i] as string;
        if (ch === "'") {
          // OData escapes a quote inside a literal by doubling it.
          if (text[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += ch;
        i++;
      }
      out.push({ t: 'string', v, pos: start });
      continue;
    }
    if (/[0-9-]/.test(c)) {
      datetimeRe.lastIndex = i;
      const dm = datetimeRe.exec(text);
      if (dm && dm[0].length >= 10) {
        const ms = parseInstant(dm[0]);
        if (ms === undefined) throw invalidFilter(`The DateTimeOffset text '${dm[0]}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.`);
        out.push({ t: 'datetime', v: ms, pos: i });
        i += dm[0].length;
        continue;
      }
      numberRe.lastIndex = i;
      const nm = numberRe.exec(text);
      if (nm) {
        out.push({ t: 'number', v: Number(nm[0]), pos: i });
        i += nm[0].length;
        continue;
      }
      throw syntax(i);
    }
    identRe.lastIndex = i;
    const im = identRe.exec(text);
    if (im) {
      out.push({ t: 'ident', v: im[0], pos: i });
      i += im[0].length;
      continue;
    }
    throw syntax(i);
  }
  out.push({ t: 'end', pos: text.length });
  return out;
}

function kindOf(type: TypeRef): Kind {
  if (typeof type !== 'string') return 'other';
  if (type === 'enum') return 'string';
  return type;
}

function nodeKind(n: Node): Kind {
  switch (n.k) {
    case 'lit':
    case 'prop':
      return n.kind;
    case 'fn':
      return STRING_FUNCTIONS.has(n.name) ? 'boolean' : 'string';
    default:
      return 'boolean';
  }
}

function compatible(a: Kind, b: Kind): boolean {
  if (a === 'null' || b === 'null') return true;
  if (a === b) return a !== 'other';
  const pair = new Set([a, b]);
  // A dateTimeTimeZone.dateTime is an Edm.String that Exchange compares as a time.
  return pair.has('localDateTime') && (pair.has('string') || pair.has('datetime'));
}

function edmName(kind: Kind, n: Node): string {
  if (n.k === 'prop') return typeNameOf(n.type);
  switch (kind) {
    case 'string':
    case 'localDateTime':
      return 'Edm.String';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'int':
      return 'Edm.Int32';
    case 'boolean':
      return 'Edm.Boolean';
    default:
      return 'null';
  }
}

class Parser {
  private i = 0;
  private readonly scopes = new Map<string, StructuredType | TypeRef>();
  readonly properties: string[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly root: StructuredType,
  ) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.tokens[this.i] as Token;
    if (t.t !== 'end') this.i++;
    return t;
  }

  private syntax(t: Token = this.peek()): never {
    throw invalidFilter(`Syntax error at position ${t.pos} in '${this.text}'.`);
  }

  private isWord(t: Token, word: string): boolean {
    return t.t === 'ident' && t.v.toLowerCase() === word;
  }

  private expectPunct(v: string): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) this.syntax(t);
  }

  parseAll(): Node {
    const n = this.parseOr();
    if (this.peek().t !== 'end') this.syntax();
    return n;
  }

  private parseOr(): Node {
    let l = this.parseAnd();
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      l = { k: 'or', l: this.requireBoolean(l), r: this.requireBoolean(this.parseAnd()) };
    }
    return l;
  }

  private parseAnd(): Node {
    let l = this.parseUnary();
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      l = { k: 'and', l: this.requireBoolean(l), r: this.requireBoolean(this.parseUnary()) };
    }
    return l;
  }

  private parseUnary(): Node {
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      return { k: 'not', e: this.requireBoolean(this.parseUnary()) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Node {
    const l = this.parsePrimary();
    const t = this.peek();
    if (t.t === 'ident' && CMP_OPS.has(t.v.toLowerCase())) {
      this.next();
      const op = t.v.toLowerCase() as CmpOp;
      const r = this.parsePrimary();
      const lk = nodeKind(l);
      const rk = nodeKind(r);
      if (!compatible(lk, rk) || ((lk === 'null' || rk === 'null') && op !== 'eq' && op !== 'ne')) {
        throw invalidFilter(`A binary operator with incompatible types was detected. Found operand types '${edmName(lk, l)}' and '${edmName(rk, r)}' for operator kind '${OP_NAMES[op]}'.`);
      }
      return { k: 'cmp', op, l, r };
    }
    return l;
  }

  private requireBoolean(n: Node): Node {
    if (nodeKind(n) !== 'boolean') throw invalidFilter(`The expression at position ${this.peek().pos} in '${this.text}' is not a boolean expression.`);
    return n;
  }

  private parsePrimary(): Node {
    const t = this.next();
    switch (t.t) {
      case 'punct':
        if (t.v !== '(') this.syntax(t);
        {
          const inner = this.parseOr();
          this.expectPunct(')');
          return inner;
        }
      case 'string':
        return { k: 'lit', kind: 'string', v: t.v };
      case 'number':
        return { k: 'lit', kind: 'int', v: t.v };
      case 'datetime':
        return { k: 'lit', kind: 'datetime', v: t.v };
      case 'end':
        return this.syntax(t);
      case 'ident':
        return this.parseIdentifier(t);
    }
  }

  private parseIdentifier(t: Token & { t: 'ident' }): Node {
    const lower = t.v.toLowerCase();
    if (lower === 'true' || lower === 'false') return { k: 'lit', kind: 'boolean', v: lower === 'true' };
    if (lower === 'null') return { k: 'lit', kind: 'null', v: null };
    const after = this.peek();
    if (after.t === 'punct' && after.v === '(') return this.parseFunction(lower, t);
    return this.parsePath(t);
  }

  private parseFunction(name: string, t: Token): Node {
    this.next();
    const args: Node[] = [];
    if (!(this.peek().t === 'punct' && (this.peek() as { v: string }).v === ')')) {
      for (;;) {
        args.push(this.parseOr());
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ')') break;
        if (!(sep.t === 'punct' && sep.v === ',')) this.syntax(sep);
      }
    } else {
      this.next();
    }
    if (STRING_FUNCTIONS.has(name)) {
      if (args.length !== 2) throw invalidFilter(`No function signature for the function with name '${name}' matches the specified arguments.`);
    } else if (name === 'tolower' || name === 'toupper' || name === 'trim') {
      if (args.length !== 1) throw invalidFilter(`No function signature for the function with name '${name}' matches the specified arguments.`);
    } else {
      throw invalidFilter(`An unknown function with name '${name}' was found at position ${t.pos}.`);
    }
    for (const a of args) {
      const k = nodeKind(a);
      if (k !== 'string' && k !== 'localDateTime') throw invalidFilter(`No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`);
    }
    return { k: 'fn', name, args };
  }

  private parsePath(first: Token & { t: 'ident' }): Node {
    const segments: string[] = [first.v];
    while (this.peek().t === 'punct' && (this.peek() as { v: string }).v === '/') {
      this.next();
      const seg = this.next();
      if (seg.t !== 'ident') this.syntax(seg);
      const quant = seg.v.toLowerCase();
      if ((quant === 'any' || quant === 'all') && this.peek().t === 'punct' && (this.peek() as { v: string }).v === '(') {
        return this.parseLambda(this.resolve(segments), quant);
      }
      segments.push(seg.v);
    }
    return this.resolve(segments);
  }

  private resolve(segments: string[]): Node & { k: 'prop' } {
    const head = segments[0] as string;
    const scoped = this.scopes.get(head);
    if (scoped !== undefined) {
      const rest = segments.slice(1);
      if (rest.length === 0) return { k: 'prop', scope: head, path: [], kind: kindOf(scoped as TypeRef), type: scoped as TypeRef };
      if (!isStructured(scoped as TypeRef)) throw invalidFilter(`Could not find a property named '${rest[0]}' on type '${typeNameOf(scoped as TypeRef)}'.`);
      const r = resolvePath(scoped as StructuredType, rest);
      return { k: 'prop', scope: head, path: r.path, kind: kindOf(r.type), type: r.type };
    }
    const r = resolvePath(this.root, segments);
    const key = r.path.join('/');
    if (this.scopes.size === 0 && !this.properties.includes(key)) this.properties.push(key);
    return { k: 'prop', path: r.path, kind: kindOf(r.type), type: r.type };
  }

  private parseLambda(coll: Node & { k: 'prop' }, quant: 'any' | 'all'): Node {
    if (!isCollection(coll.type)) throw invalidFilter(`The parent value for a property access of a property '${quant}' is not a collection.`);
    this.expectPunct('(');
    if (this.peek().t === 'punct' && (this.peek() as { v: string }).v === ')') {
      this.next();
      return { k: 'lambda', quant, coll };
    }
    const variable = this.next();
    if (variable.t !== 'ident') this.syntax(variable);
    this.expectPunct(':');
    this.scopes.set(variable.v, coll.type.collection);
    const body = this.requireBoolean(this.parseOr());
    this.scopes.delete(variable.v);
    this.expectPunct(')');
    return { k: 'lambda', quant, coll, v: variable.v, body };
  }
}

type Env = ReadonlyMap<string, unknown>;

function evalNode(n: Node, item: unknown, env: Env, read: PathReader): unknown {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'prop':
      return n.scope !== undefined ? getPath(env.get(n.scope), n.path) : read(item, n.path);
    case 'and':
      return evalNode(n.l, item, env, read) === true && evalNode(n.r, item, env, read) === true;
    case 'or':
      return evalNode(n.l, item, env, read) === true || evalNode(n.r, item, env, read) === true;
    case 'not':
      return evalNode(n.e, item, env, read) !== true;
    case 'cmp':
      return compare(n.op, nodeKind(n.l), evalNode(n.l, item, env, read), nodeKind(n.r), evalNode(n.r, item, env, read));
    case 'fn':
      return callFunction(n.name, n.args.map((a) => evalNode(a, item, env, read)));
    case 'lambda': {
      const coll = evalNode(n.coll, item, env, read);
      const elements = Array.isArray(coll) ? coll : [];
      const { body, v } = n;
      if (!body || v === undefined) return n.quant === 'any' ? elements.length > 0 : true;
      const test = (el: unknown) => evalNode(body, item, new Map(env).set(v, el), read) === true;
      return n.quant === 'any' ? elements.some(test) : elements.every(test);
    }
  }
}

function callFunction(name: string, args: unknown[]): unknown {
  const [a, b] = args.map((x) => (typeof x === 'string' ? x.toLowerCase() : undefined));
  switch (name) {
    case 'contains':
      return a !== undefined && b !== undefined && a.includes(b);
    case 'startswith':
      return a !== undefined && b !== undefined && a.startsWith(b);
    case 'endswith':
      return a !== undefined && b !== undefined && a.endsWith(b);
    case 'trim':
      return typeof args[0] === 'string' ? args[0].trim() : null;
    case 'toupper':
      return typeof args[0] === 'string' ? args[0].toUpperCase() : null;
    default:
      return typeof args[0] === 'string' ? args[0].toLowerCase() : null;
  }
}

const isTime = (k: Kind) => k === 'datetime' || k === 'localDateTime';

function normalise(v: unknown, time: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (time) {
    if (typeof v === 'number') return v;
    return typeof v === 'string' ? (parseInstant(v) ?? null) : null;
  }
  // Exchange compares strings without regard to case.
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function compare(op: CmpOp, lk: Kind, lv: unknown, rk: Kind, rv: unknown): boolean {
  const time = isTime(lk) || isTime(rk);
  const a = normalise(lv, time);
  const b = normalise(rv, time);
  if (a === null || b === null) {
    if (op === 'eq') return a === b;
    if (op === 'ne') return a !== b;
    return false;
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return (a as number) > (b as number);
    case 'ge':
      return (a as number) >= (b as number);
    case 'lt':
      return (a as number) < (b as number);
    case 'le':
      return (a as number) <= (b as number);
  }
}

/** Parses and type-checks a `$filter` against an entity type; throws Graph's 400 errors. */
export function compileFilter(text: string, type: StructuredType, read: PathReader = getPath): CompiledFilter {
  if (text.trim() === '') throw invalidFilter(`Syntax error at position 0 in '${text}'.`);
  const parser = new Parser(text, tokenize(text), type);
  const root = parser.parseAll();
  if (nodeKind(root) !== 'boolean') throw invalidFilter(`The $filter expression must evaluate to a single boolean value.`);
  const empty: Env = new Map();
  return {
    properties: parser.properties,
    test: (item) => evalNode(root, item, empty, read) === true,
  };
}
