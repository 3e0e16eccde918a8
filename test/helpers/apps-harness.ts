/**
 * A sandbox and one server configuration, with MCP clients of either
 * protocol era that do or do not declare the MCP Apps extension: the base of
 * the review-card protocol tests and the browser test. The clock of the
 * approvals can be moved (to expire an approval without waiting).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, ClientCapabilities } from '@modelcontextprotocol/client';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/app-bridge';
import { loadConfig } from '../../src/config/config.js';
import { startRuntime, stateDir, type Runtime } from '../../src/runtime.js';
import { createServerFactory } from '../../src/mcp/server.js';
import { connectInProcess, type InProcessSession } from '../../src/in-process.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { Logger } from '../../src/log.js';
import { createDraftServices, type DraftDeps } from '../../src/services/draft-services.js';
import type { ServerDeps } from '../../src/server-deps.js';
import { APPS_EXTENSION } from '../../src/apps/card-contract.js';
import { AuditLog, type AuditEntry } from '../../src/audit/audit-log.js';
import { toolCallers, type Harness } from './harness.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';

export type Era = 'legacy' | 'modern';

/** What a host that renders MCP Apps declares (both eras carry it in the client capabilities). */
export const APPS_CAPABILITIES = { extensions: { [APPS_EXTENSION]: { mimeTypes: [RESOURCE_MIME_TYPE] } } } as unknown as ClientCapabilities;

export interface AppsClient extends Pick<Harness, 'call' | 'ok' | 'fail'> {
  client: Client;
}

export interface AppsHarness {
  sandbox: Sandbox;
  runtime: Runtime;
  deps: ServerDeps & DraftDeps;
  /** Moves the approvals' clock forward. */
  advance(seconds: number): void;
  /** A new client of `era`, declaring MCP Apps or not. */
  connect(era: Era, apps: boolean): Promise<AppsClient>;
  audit(): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/** Starts a sandbox and the server configuration (drafts on; send per `env`). */
export async function startAppsHarness(env: Record<string, string> = {}, sandboxOptions: SandboxOptions = {}): Promise<AppsHarness> {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-apps-test-'));
  const sandbox = await startSandbox(sandboxOptions);
  const config = loadConfig({ OUTLOOK_TIMEZONE: 'Europe/Berlin', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_SANDBOX: 'true', OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_RENDERER: 'builtin', ...env });
  const runtime = await startRuntime(config, { sandboxInstance: sandbox, logger: new Logger('silent'), sleep: async () => {} });
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const dir = stateDir(runtime.deps.config);
  const draftDeps = createDraftServices({ config: runtime.deps.config, graph: runtime.deps.graph, handles: runtime.deps.handles, now, stateDir: dir, state: runtime.deps.state! });
  const deps: ServerDeps & DraftDeps = { ...runtime.deps, ...draftDeps };
  const sessions: InProcessSession[] = [];
  return {
    sandbox,
    runtime,
    deps,
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
    async connect(era, apps) {
      const session = await connectInProcess(createServerFactory(deps, runtime.tools), apps ? 'apps-host' : 'plain-client', {
        ...(apps ? { capabilities: APPS_CAPABILITIES } : {}),
        ...(era === 'modern' ? { client: { versionNegotiation: { mode: { pin: '2026-07-28' } } } } : {}),
      });
      sessions.push(session);
      return { client: session.client, ...toolCallers(session.client) };
    },
    async audit() {
      return new AuditLog(dir).read();
    },
    async close() {
      for (const s of sessions) await s.close();
      await runtime.close();
      await sandbox.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Creates a draft to one external and one internal recipient with two attachments; clears the sandbox log after. */
export async function createReviewDraft(h: AppsHarness, by: AppsClient, subject: string, body = 'Hello Dana,\n\nthe figures are attached.\n\nBest, Avery'): Promise<string> {
  const d = await by.ok<{ draft_id: string }>('ol_email_create_draft', {
    to: ['Dana Lee <dana@fabrikam.example>'],
    cc: ['jordan.patel@contoso.example'],
    subject,
    body,
    attachments: [
      { message_id: SEED_IDS.messageWithTextAttachments, attachment_id: SEED_IDS.csvAttachment },
      { message_id: SEED_IDS.messageWithPdf, attachment_id: SEED_IDS.pdfAttachment },
    ],
  });
  h.sandbox.clearLog();
  return d.draft_id;
}
