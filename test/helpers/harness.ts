/**
 * Builds the real server around a real sandbox, connected to a real MCP
 * client in-process: the base of the integration tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { loadConfig } from '../../src/config/config.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { createServer } from '../../src/server.js';
import { connectInProcess } from '../../src/in-process.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { Logger } from '../../src/log.js';

export interface Harness {
  client: Client;
  sandbox: Sandbox;
  runtime: Runtime;
  cacheDir: string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool and returns its structured content, failing the test on isError. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must fail and returns its error text. */
  fail(name: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  sandbox?: SandboxOptions;
  runtime?: Omit<RuntimeOptions, 'sandboxInstance'>;
  /** Share one sandbox between harnesses (e.g. two profiles). */
  sandboxInstance?: Sandbox;
}

/** Starts sandbox + server + client. Time zone is fixed (Europe/Berlin) unless env overrides it. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-mcp-test-'));
  const sandbox = opts.sandboxInstance ?? (await startSandbox(opts.sandbox));
  const config = loadConfig({ OUTLOOK_TIMEZONE: 'Europe/Berlin', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_SANDBOX: 'true', ...opts.env });
  const runtime = await startRuntime(config, {
    sandboxInstance: sandbox,
    logger: new Logger('silent'),
    sleep: async () => {},
    ...opts.runtime,
  });
  const session = await connectInProcess(createServer(runtime.deps), 'test-client');
  const call = (name: string, args: Record<string, unknown> = {}) => session.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  return {
    client: session.client,
    sandbox,
    runtime,
    cacheDir,
    call,
    async ok<T>(name: string, args: Record<string, unknown> = {}) {
      const r = await call(name, args);
      if (r.isError) throw new Error(`${name} failed: ${textOf(r)}`);
      return r.structuredContent as T;
    },
    async fail(name: string, args: Record<string, unknown> = {}) {
      const r = await call(name, args);
      if (!r.isError) throw new Error(`${name} was expected to fail but returned: ${textOf(r).slice(0, 300)}`);
      return textOf(r);
    },
    async close() {
      await session.close();
      await runtime.close();
      if (!opts.sandboxInstance) await sandbox.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** The text content of a tool result. */
export function textOf(r: CallToolResult): string {
  return (r.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
