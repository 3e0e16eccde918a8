/**
 * A hostile Microsoft Graph: a loopback HTTP server (port 0) whose routes a
 * test scripts to answer the way an attacker or a broken Graph would: forged
 * names, huge fields, slow bodies, self-referencing or foreign nextLinks,
 * empty pages, redirects, invalid JSON, endless 429s, bodies over the size
 * cap. It counts requests in flight at the server (from arrival until the
 * response is finished or the connection closes), which is what the
 * 4-per-mailbox promise is about. The real server is built around it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { createServerFactory } from '../../src/mcp/server.js';
import { connectInProcess } from '../../src/in-process.js';
import { Logger } from '../../src/log.js';
import type { TokenProvider } from '../../src/auth/token-provider.js';
import { defaultClientOptions, toolCallers, type Harness } from './harness.js';

export interface HostileRequest {
  method: string;
  /** Pathname as received (percent-encoded), e.g. `/v1.0/me/messages`. */
  path: string;
  /** Path and query as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers one request; may write slowly, never end, or destroy the socket. */
export type HostileHandler = (req: HostileRequest, res: http.ServerResponse, g: HostileGraph) => void | Promise<void>;

export interface HostileGraph {
  /** `http://127.0.0.1:PORT/v1.0`. */
  readonly url: string;
  readonly origin: string;
  readonly requests: HostileRequest[];
  /** Requests in flight now, and the most at once since start or `reset`. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Adds a route; the first route whose pattern matches `METHOD path?query` answers. */
  on(pattern: RegExp, handler: HostileHandler): void;
  /** Drops the routes and the log. */
  reset(): void;
  /** Empties the request log and resets maxInFlight, keeping the routes. */
  clearLog(): void;
  close(): Promise<void>;
}

/** A JSON answer. */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'hostile-rid', ...headers });
  res.end(text);
}

/** A Graph error body. */
export function graphError(res: http.ServerResponse, status: number, code: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: { code, message: `hostile ${code}` } }, headers);
}

/** Starts a hostile Graph; unmatched requests get a Graph 404. */
export async function startHostileGraph(): Promise<HostileGraph> {
  const routes: Array<{ pattern: RegExp; handler: HostileHandler }> = [];
  const requests: HostileRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const end = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on('finish', end);
    res.on('close', end);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const r: HostileRequest = { method: req.method ?? 'GET', path: url.split('?')[0] ?? url, url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const route = routes.find((x) => x.pattern.test(`${r.method} ${url}`));
      if (!route) return graphError(res, 404, 'ErrorItemNotFound');
      Promise.resolve(route.handler(r, res, hostile)).catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const hostile: HostileGraph = {
    url: `${origin}/v1.0`,
    origin,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    on(pattern, handler) {
      routes.push({ pattern, handler });
    },
    reset() {
      routes.length = 0;
      hostile.clearLog();
    },
    clearLog() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  return hostile;
}

/** A token provider that always has a token (the hostile Graph accepts anything). */
export const staticTokens: TokenProvider = { source: 'static (test)', getToken: async () => 'hostile-test-token' };

export interface HostileHarness extends Omit<Harness, 'sandbox'> {
  graph: HostileGraph;
}

/** The real server (runtime, tools, MCP client in-process) pointed at a hostile Graph. */
export async function startHostileHarness(opts: { env?: Record<string, string>; runtime?: RuntimeOptions } = {}): Promise<HostileHarness> {
  const graph = await startHostileGraph();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-mcp-hostile-'));
  const config = loadConfig({ OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_GRAPH_URL: graph.url, ...opts.env });
  const runtime: Runtime = await startRuntime(config, { tokens: staticTokens, logger: new Logger('silent'), sleep: async () => {}, ...opts.runtime });
  const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'hostile-test-client', { client: defaultClientOptions() });
  return {
    graph,
    client: session.client,
    runtime,
    cacheDir,
    ...toolCallers(session.client),
    async close() {
      await session.close();
      await runtime.close();
      await graph.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
