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
import { createServerFactory } from '../../src/mcp/server.js';
import { connectInProcess, type InProcessClientOptions } from '../../src/in-process.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { Logger } from '../../src/log.js';
import type { OpenTokenStoreOptions, TokenStore } from '../../src/auth/stores/token-store.js';

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
  /** Token stores to use instead of the real ones (see memoryTokenStores). */
  tokenStores?: MemoryTokenStores;
}

/** Starts sandbox + server + client. Time zone (Europe/Berlin) and renderer (builtin, deterministic) are fixed unless env overrides them. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-mcp-test-'));
  const sandbox = opts.sandboxInstance ?? (await startSandbox(opts.sandbox));
  const config = loadConfig({ OUTLOOK_TIMEZONE: 'Europe/Berlin', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_SANDBOX: 'true', OUTLOOK_RENDERER: 'builtin', ...opts.env });
  const runtime = await startRuntime(config, {
    sandboxInstance: sandbox,
    logger: new Logger('silent'),
    sleep: async () => {},
    ...(opts.tokenStores ? { openTokenStore: opts.tokenStores.open } : {}),
    ...opts.runtime,
  });
  const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'test-client', { client: defaultClientOptions() });
  return {
    client: session.client,
    sandbox,
    runtime,
    cacheDir,
    ...toolCallers(session.client),
    async close() {
      await session.close();
      await runtime.close();
      if (!opts.sandboxInstance) await sandbox.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/**
 * The client options of the harnesses: the SDK's default 2025-11-25 client, or with OUTLOOK_TEST_ERA=modern a
 * client pinned to 2026-07-28, so the whole integration suite can run once in each protocol era.
 */
export function defaultClientOptions(): InProcessClientOptions['client'] {
  return process.env.OUTLOOK_TEST_ERA === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : undefined;
}

/** call/ok/fail over one MCP client: the assertions every integration test uses. */
export function toolCallers(client: Client): Pick<Harness, 'call' | 'ok' | 'fail'> {
  const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  return {
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
  };
}

/** The text content of a tool result. */
export function textOf(r: CallToolResult): string {
  return (r.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** An in-memory TokenStore: what a profile's store holds, and how often it was written. */
export interface MemoryTokenStore extends TokenStore {
  data: string | undefined;
  writes: number;
}

/** In-memory token stores, one per profile directory, for tests that need no disk or keyring. */
export interface MemoryTokenStores {
  open(opts: OpenTokenStoreOptions): Promise<TokenStore>;
  /** The store of a profile directory (created empty on first use). */
  get(profileDir: string): MemoryTokenStore;
  readonly all: ReadonlyMap<string, MemoryTokenStore>;
}

/** A fresh set of in-memory token stores. */
export function memoryTokenStores(): MemoryTokenStores {
  const all = new Map<string, MemoryTokenStore>();
  const get = (profileDir: string): MemoryTokenStore => {
    let store = all.get(profileDir);
    if (!store) {
      let queue: Promise<unknown> = Promise.resolve();
      const s: MemoryTokenStore = {
        kind: 'file',
        description: `memory store for ${profileDir}`,
        detection: 'test',
        data: undefined,
        writes: 0,
        async read() {
          return s.data;
        },
        async write(data) {
          JSON.parse(data);
          s.data = data;
          s.writes++;
        },
        async clear() {
          s.data = undefined;
        },
        withLock<T>(fn: () => Promise<T>): Promise<T> {
          const run = queue.then(fn, fn);
          queue = run.catch(() => undefined);
          return run;
        },
      };
      all.set(profileDir, (store = s));
    }
    return store;
  };
  return { open: async (o) => get(o.profileDir), get, all };
}
