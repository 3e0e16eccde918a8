/**
 * Helpers to define a tool value: the shapes live in the MCP adapter
 * (src/mcp/tool.ts); all tools live in one list (`tools/index.ts`), which the
 * adapter filters by configuration and registers.
 */
import { z } from 'zod';
import type { ToolAnnotationHints, ToolDef } from '../mcp/tool.js';

export type { ToolAnnotationHints, ToolCallContext, ToolDef, ToolResult, ToolAuditSpec, Toolset, ToolGate } from '../mcp/tool.js';

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

