/**
 * The JSON Schemas the model sees in tools/list: converted from the tools' zod
 * schemas, trimmed of what costs tokens and tells the model nothing, and
 * precomputed at build time (scripts/precompute-schemas.mjs) so start-up does
 * not pay the conversion.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { argumentErrorText } from '../tools/argument-errors.js';
import { dropUnsetArguments } from './unset-arguments.js';

/** The JSON Schema dialect the MCP SDK asks zod for when it lists tools. */
export const JSON_SCHEMA_TARGET = 'draft-2020-12';

/**
 * The JSON Schema the model sees, trimmed of what costs tokens on every
 * tools/list and tells the model little: output schemas are outlined (see
 * {@link outline}); the `$schema` URL, string length
 * bounds (arguments are still validated by zod on the server, which is what
 * enforces them) and `additionalProperties:false` inside output schemas. The
 * input root keeps `additionalProperties:false`: it tells the model that
 * unknown arguments are refused.
 */
export function compactJsonSchema<T extends z.ZodType>(schema: T, io: 'input' | 'output', precomputed?: Record<string, unknown>, refuse?: (value: unknown) => string | undefined): T {
  type JsonSchemaFn = (options: unknown) => Record<string, unknown>;
  const std = schema['~standard'] as unknown as Record<string, unknown> & { jsonSchema: { input: JsonSchemaFn; output: JsonSchemaFn } };
  const trim = (s: Record<string, unknown>) => {
    const { $schema: _drop, ...rest } = s;
    return io === 'output' ? outline(rest) : (prune(rest, io, true) as Record<string, unknown>);
  };
  // Schemas never change after start-up; every tools/list would otherwise convert them again.
  const memo = new Map<string, Record<string, unknown>>();
  const cached = (kind: 'input' | 'output') => (o: unknown) => {
    // The build writes each tool's schema for the SDK's conversion target; other targets are converted here.
    if (precomputed && kind === io && (o as { target?: unknown } | undefined)?.target === JSON_SCHEMA_TARGET) return structuredClone(precomputed);
    const key = `${kind}:${JSON.stringify(o)}`;
    let hit = memo.get(key);
    if (!hit) memo.set(key, (hit = trim(std.jsonSchema[kind](o))));
    return structuredClone(hit);
  };
  // Argument errors are worded here, where the SDK validates tool input, so every client sees the same plain message.
  let fullInput: Record<string, unknown> | undefined;
  const validate = async (value: unknown) => {
    // A refusal that must name a setting (e.g. an argument that exists only when switched on) comes before zod's wording.
    const refused = refuse?.(value);
    if (refused !== undefined) return { issues: [{ message: refused }] };
    // Strict clients send null (or '' for ids, cursors, dates, zones) for what they do not mean to give.
    const r = await schema.safeParseAsync(dropUnsetArguments(schema, value), { reportInput: true });
    if (r.success) return { value: r.data };
    fullInput ??= z.toJSONSchema(schema, { io: 'input', target: JSON_SCHEMA_TARGET }) as Record<string, unknown>;
    return { issues: [{ message: argumentErrorText(r.error.issues, fullInput) }] };
  };
  const wrapped = {
    '~standard': {
      ...std,
      ...(io === 'input' ? { validate } : {}),
      jsonSchema: { input: cached('input'), output: cached('output') },
    },
  };
  return wrapped as unknown as T;
}

/**
 * An output schema as the model sees it: the result's top-level fields with
 * their types, nested shapes left open, nothing marked required (results
 * leave out what is empty, which each rendering shows anyway). Output schemas were over half of
 * every tools/list; the nested field names are in each result itself, and the
 * server still validates every result against the full zod schema. A field
 * without a type is a string (the common case, so it costs nothing).
 */
function outline(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const fields = Object.fromEntries(
    Object.entries(properties).map(([name, p]) => {
      const kept: Record<string, unknown> = {};
      if (p.type !== 'string') kept.type = p.type;
      if (p.enum !== undefined) kept.enum = p.enum;
      if (p.const !== undefined) kept.const = p.const;
      return [name, kept];
    }),
  );
  return { type: 'object', properties: fields };
}

function prune(node: unknown, io: 'input' | 'output', root: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => prune(n, io, false));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'minLength' || k === 'maxLength') continue;
    if (k === 'additionalProperties' && v === false && !(io === 'input' && root)) continue;
    out[k] = k === 'properties' && v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, prune(pv, io, false)])) : prune(v, io, false);
  }
  return out;
}

export type PrecomputedSchemas = Record<string, { input: Record<string, unknown>; output: Record<string, unknown> }>;

/**
 * The tool JSON Schemas written by the build, or undefined when running from
 * source: then they are converted on first use. `base` is the calling module's URL.
 */
export function precomputedSchemas(base: string | URL): PrecomputedSchemas | undefined {
  // Beside the bundle (dist/bin/tools/) or beside the module tree (dist/tools/, one level up from dist/mcp/).
  for (const rel of ['./tools/schemas.generated.json', '../tools/schemas.generated.json']) {
    try {
      return JSON.parse(readFileSync(new URL(rel, base), 'utf8')) as PrecomputedSchemas;
    } catch {
      // Not there: try the next place; from source there is none, and schemas are converted on first use.
    }
  }
  return undefined;
}
