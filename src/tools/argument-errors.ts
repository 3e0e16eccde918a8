/**
 * Tool argument errors in plain words: which argument, what was given, what is
 * accepted. zod's own wording ("Invalid input: expected string, received
 * undefined") is written for developers; a model (or a person reading over its
 * shoulder) fixes a call faster from "id is missing: pass a message id". The
 * accepted values come from the tool's input JSON Schema, the same one the
 * model was shown in tools/list.
 */
import { z } from 'zod';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  default?: unknown;
};

/** A zod issue as `safeParse(..., { reportInput: true })` reports it. */
type Issue = z.core.$ZodIssue & { input?: unknown };

const MAX_SHOWN = 60;

/** `value` as the model wrote it (JSON), cut to a readable length. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function given(value: unknown): string {
  return value === undefined ? 'nothing' : `${shown(value)} (${kindOf(value)})`;
}

/** "a whole number from 1 to 100", "text of up to 200 characters", "one of markdown, text, html" … */
export function acceptedText(s: JsonSchema | undefined, lengths = false): string {
  if (!s) return 'a value of the type in the tool schema';
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const range = (lo: number | undefined, hi: number | undefined, unit = '') =>
    lo !== undefined && hi !== undefined ? ` from ${lo} to ${hi}${unit}` : lo !== undefined ? ` of at least ${lo}${unit}` : hi !== undefined ? ` of at most ${hi}${unit}` : '';
  let base: string;
  switch (type) {
    case 'integer':
      base = `a whole number${range(s.minimum, s.maximum)}`;
      break;
    case 'number':
      base = `a number${range(s.minimum, s.maximum)}`;
      break;
    case 'boolean':
      base = 'true or false';
      break;
    case 'string': {
      // Length bounds only matter to a value that broke them; otherwise they are noise.
      const len = !lengths ? '' : s.minLength !== undefined && s.minLength > 1 ? ` of ${s.minLength} to ${s.maxLength ?? '…'} characters` : s.maxLength !== undefined ? ` of up to ${s.maxLength} characters` : '';
      base = s.minLength !== undefined && s.minLength > 0 ? `a non-empty string${len}` : `a string${len}`;
      break;
    }
    case 'array':
      base = `a list of ${plural(acceptedText(s.items))}${s.maxItems !== undefined ? ` (at most ${s.maxItems})` : ''}`;
      break;
    case 'object':
      base = s.properties ? `an object with ${Object.keys(s.properties).join(', ')}` : 'an object';
      break;
    default:
      base = 'a value';
  }
  return s.description ? `${base} (${s.description})` : base;
}

function plural(what: string): string {
  return what.replace(/^an? (non-empty )?string/, '$1strings').replace(/^an? object/, 'objects').replace(/^a whole number/, 'whole numbers').replace(/^a number/, 'numbers');
}

/** The schema at `path` inside an object schema (list indexes step into `items`). */
function schemaAt(root: JsonSchema, path: readonly PropertyKey[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const key of path) {
    if (!node) return undefined;
    node = typeof key === 'number' ? node.items : node.properties?.[String(key)];
  }
  return node;
}

function nameOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** One sentence for one issue. */
function sentence(issue: Issue, root: JsonSchema): string {
  const path = issue.path as PropertyKey[];
  const name = nameOf(path) || 'arguments';
  const target = schemaAt(root, path);
  const accepted = acceptedText(target, issue.code === 'too_big' || issue.code === 'too_small');
  switch (issue.code) {
    case 'unrecognized_keys':
      // strictInput already wrote it in full (with the accepted names).
      return issue.message;
    case 'invalid_type':
      if (issue.input === undefined) return `${name} is missing: pass ${accepted}.`;
      return `${name} must be ${accepted}; got ${given(issue.input)}.`;
    case 'too_big':
    case 'too_small': {
      const size = typeof issue.input === 'string' ? ` (${issue.input.length} characters)` : Array.isArray(issue.input) ? ` (${issue.input.length} items)` : '';
      return `${name} must be ${accepted}; got ${shown(issue.input)}${size}.`;
    }
    case 'invalid_value':
      return `${name} must be ${accepted}; got ${given(issue.input)}.`;
    default:
      // Refinements and formats carry their own explanation; name the argument and the value around it.
      return `${name}: ${issue.message}; got ${given(issue.input)}.`;
  }
}

/** The message for a failed argument check: one sentence per problem, against the tool's full input JSON Schema. */
export function argumentErrorText(issues: readonly Issue[], inputJsonSchema: Record<string, unknown>): string {
  const root = inputJsonSchema as JsonSchema;
  return issues.map((i) => sentence(i, root)).join(' ');
}
