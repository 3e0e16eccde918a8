/**
 * What a tool is to the MCP adapter: a value with a name, schemas,
 * annotations, the configuration that enables it, and a handler that gets a
 * call context. Tools are defined in src/tools/ (one file per tool); this
 * module holds only the shapes, so services and the dependency types never
 * import the tools layer.
 */
import type { z } from 'zod';
import type { InputRequiredResult } from '@modelcontextprotocol/server';
import type { ServerDeps } from '../server-deps.js';
import type { AuditOutcome } from '../audit/audit-log.js';

export type Toolset = 'mail' | 'calendar' | 'people' | 'account';

/** Which configuration registers the tool. */
export type ToolGate = 'always' | 'delegated' | 'drafts' | 'send';

/** The MCP protocol era of the connection a call arrived on: `legacy` = 2025-11-25 and older, `modern` = 2026-07-28. */
export type ProtocolEra = 'legacy' | 'modern';

export interface ToolAnnotationHints {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** Answers the client sent back for an earlier `input_required` round of the same call (both eras). */
export interface InputRound {
  /** The opaque `requestState` echoed by the client, unverified: attacker-controlled until checked. */
  readonly state?: string;
  /** The client's answers keyed by the names of the input requests, unvalidated. */
  readonly responses?: Record<string, unknown>;
}

/** Fields of an intermediate audit line (e.g. "send approved"); the final line is written by the adapter. */
export interface AuditFields {
  itemId?: string;
  subject?: string;
  recipients?: readonly string[];
  reason?: string;
  channel?: string;
}

export interface ToolCallContext {
  readonly deps: ServerDeps;
  readonly signal: AbortSignal;
  readonly era: ProtocolEra;
  /** Sends an MCP progress notification when the client asked for progress (a no-op otherwise). */
  readonly progress: (progress: number, total?: number, message?: string) => Promise<void>;
  /** True when the client gave a progress token (a tool may then keep the call open and report). */
  readonly progressRequested?: boolean;
  /** True when the client declared form elicitation, on either era (so an `input_required` elicit round can reach the user). */
  readonly canElicit: boolean;
  /** True when the client declared the MCP Apps extension (it renders the review card), on either era. */
  readonly appsClient: boolean;
  /** The answers of an earlier input round, when this call is a retry that carries them. */
  readonly input: InputRound;
  /**
   * Keeps a legacy-era call that waits for the user alive: sends progress
   * every interval, under `key`, until {@link stopKeepAlive} with the same key
   * (from the retry round that carries the answer) or the approval's life
   * ends. A no-op where the era or the client gives no way to do so.
   */
  readonly keepAlive: (key: string) => void;
  readonly stopKeepAlive: (key: string) => void;
  /** Adds an intermediate line to the audit log (throws when it cannot be written: what it records must not happen then); the final line is written by the adapter. */
  readonly audit?: (outcome: AuditOutcome, fields: AuditFields) => Promise<void>;
}

/**
 * How the adapter writes a write tool's line in the audit log. Recipients and
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
  /** The result's `_meta` (e.g. the review card's approval, which only the card reads). */
  readonly meta?: Record<string, unknown>;
}

/** A handler's answer: a result, or a request for input from the user (an `input_required` round). */
export type ToolOutcome<O> = ToolResult<O> | InputRequiredResult;

export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly toolset: Toolset;
  readonly gate: ToolGate;
  readonly input: I;
  readonly output: O;
  readonly annotations: ToolAnnotationHints;
  /** Extra `_meta` of the tool in tools/list (e.g. an MCP Apps `ui.resourceUri`). */
  readonly meta?: Record<string, unknown>;
  /**
   * The tool reads or writes one mailbox: with OUTLOOK_ALLOW_SHARED_MAILBOXES=true the adapter adds a
   * `mailbox` argument and runs it on that mailbox's dependencies (src/mcp/mailbox-argument.ts).
   */
  readonly mailbox?: boolean;
  /**
   * How the tool reads a Microsoft 365 group's conversations (`mailbox: "group:…"`, with
   * OUTLOOK_ALLOW_GROUP_MAILBOXES=true), on the group's dependencies (`deps.groupConversations`).
   * A tool without it refuses a group: group conversations are read-only here, and only the reads that fit map onto them.
   */
  readonly group?: (args: z.output<I>, ctx: ToolCallContext) => Promise<ToolOutcome<z.input<O>>>;
  /**
   * The argument naming a draft whose mailbox the call acts on, found in this profile's draft registry and
   * handles (never taken from an argument): the review card's app-only tools, which open whatever draft the
   * card shows, in whichever mailbox it was made.
   */
  readonly draftMailbox?: string;
  /** Set on every tool that writes: the adapter then appends one audit line per call. */
  readonly audit?: ToolAuditSpec;
  readonly handler: (args: z.output<I>, ctx: ToolCallContext) => Promise<ToolOutcome<z.input<O>>>;
}
