/**
 * Like harness.ts, with drafts enabled by default and the draft services
 * rebuilt here so a test can give uploads their own fetch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult, Client, ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';
import { loadConfig } from '../../src/config/config.js';
import { startRuntime, stateDir, type Runtime } from '../../src/runtime.js';
import { createServerFactory, type ServerOptions } from '../../src/mcp/server.js';
import { connectInProcess, type InProcessClientOptions } from '../../src/in-process.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { Logger } from '../../src/log.js';
import { createDraftServices, type DraftDeps } from '../../src/services/draft-services.js';
import type { ServerDeps } from '../../src/server-deps.js';
import { defaultClientOptions, toolCallers } from './harness.js';

export interface DraftsHarness {
  client: Client;
  sandbox: Sandbox;
  runtime: Runtime;
  deps: ServerDeps & DraftDeps;
  cacheDir: string;
  stateDir: string;
  toolNames: string[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  fail(name: string, args?: Record<string, unknown>): Promise<string>;
  /** The Graph id behind a handle. */
  idOf(handle: string): Promise<string>;
  close(): Promise<void>;
}

export interface DraftsHarnessOptions {
  env?: Record<string, string>;
  sandbox?: SandboxOptions;
  sandboxInstance?: Sandbox;
  cacheDir?: string;
  /** For upload URLs only (the draft services' own fetch). */
  fetch?: typeof fetch;
  /** The Graph client's fetch (e.g. to simulate a create that succeeded but timed out). */
  graphFetch?: typeof fetch;
  /** When set, the client declares elicitation and answers each request with this function. */
  elicit?: (request: ElicitRequest['params']) => Promise<ElicitResult>;
  /** Client options, e.g. `versionNegotiation: { mode: { pin: '2026-07-28' } }` for a 2026-07-28 client. */
  client?: InProcessClientOptions['client'];
  /** Life of a send approval in seconds (tests of expiry shorten it). */
  approvalTtlSeconds?: number;
  /** Server options (e.g. a short keep-alive interval). */
  server?: ServerOptions;
  /** The server's clock (approvals, audit times); real time when unset. */
  now?: () => Date;
  /** The server's stderr logger (default: silent), e.g. one that records its lines. */
  logger?: Logger;
}

/** Starts sandbox + server (read tools + draft tools per config) + client. Drafts on unless env says otherwise. */
export async function startDraftsHarness(opts: DraftsHarnessOptions = {}): Promise<DraftsHarness> {
  const cacheDir = opts.cacheDir ?? mkdtempSync(path.join(os.tmpdir(), 'outlook-drafts-test-'));
  const sandbox = opts.sandboxInstance ?? (await startSandbox(opts.sandbox));
  const config = loadConfig({ OUTLOOK_TIMEZONE: 'Europe/Berlin', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_SANDBOX: 'true', OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_RENDERER: 'builtin', ...opts.env });
  const runtime = await startRuntime(config, { sandboxInstance: sandbox, logger: opts.logger ?? new Logger('silent'), sleep: async () => {}, fetch: opts.graphFetch, now: opts.now });
  const dir = stateDir(runtime.deps.config);
  const draftDeps = createDraftServices({ config: runtime.deps.config, graph: runtime.deps.graph, handles: runtime.deps.handles, now: runtime.deps.now, stateDir: dir, state: runtime.deps.state!, fetch: opts.fetch, approvalTtlSeconds: opts.approvalTtlSeconds, logger: runtime.deps.logger });
  const deps: ServerDeps & DraftDeps = { ...runtime.deps, ...draftDeps };
  const tools = runtime.tools;
  const elicit = opts.elicit;
  const session = await connectInProcess(
    createServerFactory(deps, tools, opts.server),
    'drafts-test-client',
    elicit
      ? { client: opts.client ?? defaultClientOptions(), capabilities: { elicitation: {} }, setup: (c) => c.setRequestHandler('elicitation/create', async (req) => elicit(req.params)) }
      : { client: opts.client ?? defaultClientOptions() },
  );
  return {
    client: session.client,
    sandbox,
    runtime,
    deps,
    cacheDir,
    stateDir: dir,
    toolNames: tools.map((t) => t.name),
    ...toolCallers(session.client),
    async idOf(handle: string) {
      const id = await deps.handles.lookup(handle);
      if (!id) throw new Error(`unknown handle ${handle}`);
      return id;
    },
    async close() {
      await session.close();
      await runtime.close();
      if (!opts.sandboxInstance) await sandbox.close();
      if (!opts.cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Changes a message straight in the sandbox's Graph, as a person editing it in Outlook would (no tool involved). */
export async function editLikeOutlook(sandbox: Sandbox, graphId: string, patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sandbox.url}/me/messages/${encodeURIComponent(graphId)}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(patch),
  });
  if (!res.ok) throw new Error(`sandbox PATCH failed: ${res.status}`);
}
