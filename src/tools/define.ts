/**
 * A tool is a value: name, schemas, annotations, the configuration that
 * enables it, and a handler. All tools live in one list (`tools/index.ts`);
 * the server filters that list by configuration and registers what is left.
 */
import { z } from 'zod';
import type { ServerDeps } from '../server-deps.js';
import type { AuditOutcome } from '../audit/audit-log.js';
import type { ElicitRequestFormParams } from '@modelcontextprotocol/server';
import { argumentErrorText } from './argument-errors.js';

export type Toolset = 'mail' | 'calendar' | 'people' | 'account';

/** Which configuration registers the tool. */
export type ToolGate = 'always' | 'delegated' | 'drafts' | 'send';

export interface ToolAnnotationHints {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

export interface ToolCallContext {
  readonly deps: ServerDeps;
  readonly signal: AbortSignal;
  /** Sends an MCP progress notification when the client asked for progress. */
  readonly progress: (progress: number, total?: number, message?: string) => Promise<void>;
  /** True when the client gave a progress token (a tool may then keep the call open and report). */
  readonly progressRequested?: boolean;
  /**
   * Asks the user (not the model) through MCP elicitation; undefined when the
   * client did not declare the elicitation capability.
   */
  readonly elicit?: (request: ElicitRequest) => Promise<ElicitAnswer>;
  /** Adds an intermediate line to the audit log (e.g. "send approved"); the final line is written by the server. */
  readonly audit?: (outcome: AuditOutcome, fields: { itemId?: string; subject?: string; recipients?: readonly string[] }) => Promise<void>;
}

/** A form elicitation: a message and a flat schema of primitive fields. */
export type ElicitRequest = Pick<ElicitRequestFormParams, 'message' | 'requestedSchema'>;

/** The user's answer to an elicitation. */
export interface ElicitAnswer {
  readonly action: 'accept' | 'decline' | 'cancel';
  readonly content?: Record<string, unknown>;
}

/**
 * How the server writes a write tool's line in the audit log. Recipients and
 * subject are read from the result (or the arguments when the call failed).
 */
export interface ToolAuditSpec {
  readonly action: string;
  /** Argument naming the item acted on (update, discard, send). */
  readonly idArg?: string;
  /** Result field naming the item created. */
  readonly idResult?: string;
  /** The outcome a successful result stands for (default `ok`). */
  readonly outcome?: (structured: Record<string, unknown>) => AuditOutcome;
}

export interface ToolResult<O> {
  readonly structured: O;
  /** A compact rendering of the same result for clients that show text only. */
  readonly text: string;
}

export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly toolset: Toolset;
  readonly gate: ToolGate;
  readonly input: I;
  readonly output: O;
  readonly annotations: ToolAnnotationHints;
  /** Set on every tool that writes: the server then appends one audit line per call. */
  readonly audit?: ToolAuditSpec;
  readonly handler: (args: z.output<I>, ctx: ToolCallContext) => Promise<ToolResult<z.input<O>>>;
}

/** Identity function that keeps the handler's argument and result types tied to the schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

/**
 * A strict input object: unknown arguments are rejected with a message that
 * names the accepted ones, so a model that guessed a parameter can correct itself.
 */
export function strictInput<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  const accepted = Object.keys(shape).join(', ') || '(none)';
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown argument(s): ${issue.keys.join(', ')}. Accepted: ${accepted}.` : undefined),
  });
}

/** Annotation presets; every tool sets all four hints explicitly through one of these. */
export const READ_ONLY: ToolAnnotationHints = Object.freeze({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
/** Read-only and touching nothing outside this server (no Graph call on the user's data). */
export const READ_ONLY_LOCAL: ToolAnnotationHints = Object.freeze({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });

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
export function compactJsonSchema<T extends z.ZodType>(schema: T, io: 'input' | 'output', precomputed?: Record<string, unknown>): T {
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
    const r = await schema.safeParseAsync(value, { reportInput: true });
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
 * their types, nested shapes left open. Output schemas were over half of
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
  return { type: 'object', properties: fields, ...(schema.required ? { required: schema.required } : {}) };
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
