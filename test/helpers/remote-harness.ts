/**
 * Remote mode under test: a team sandbox (Entra + Graph for three people) and
 * the real HTTP server (`startHttpServer`) configured against it exactly as a
 * deployment would be, on loopback, plus real SDK clients over Streamable HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import { loadConfig, type Config } from '../../src/config/config.js';
import { Logger } from '../../src/log.js';
import { startHttpServer, type HttpServerOptions, type RemoteServer } from '../../src/remote/http-server.js';
import { startSandbox, type Sandbox, type SandboxOptions, type TeamIdentity } from '../../src/sandbox/index.js';
import { toolCallers } from './harness.js';

export type Era = 'legacy' | 'modern';

export interface RemoteHarness {
  sandbox: Sandbox;
  team: TeamIdentity;
  server: RemoteServer;
  config: Config;
  cacheDir: string;
  /** http://127.0.0.1:PORT (the public URL). */
  origin: string;
  /** An SDK client over HTTP sending `token` as its bearer. */
  connect(token: string, era?: Era): Promise<Client & ReturnType<typeof toolCallers>>;
  /** A client for a person, with a fresh token from the sandbox. */
  connectAs(user: string, era?: Era): Promise<Client & ReturnType<typeof toolCallers>>;
  close(): Promise<void>;
}

/** A free loopback port (the public URL must name the port before the server listens). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Client options of one protocol era. */
export function eraOptions(era: Era) {
  return era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' as const } } } : undefined;
}

/** The settings of a replica serving the team sandbox at `publicUrl` (as a deployment would set them). */
export function remoteEnv(sandbox: Sandbox, team: TeamIdentity, publicUrl: string): Record<string, string> {
  return {
    OUTLOOK_TIMEZONE: 'Europe/Berlin',
    OUTLOOK_AUTH_MODE: 'obo',
    OUTLOOK_CLIENT_ID: team.serverApp.clientId,
    OUTLOOK_CLIENT_SECRET: team.serverApp.clientSecret,
    OUTLOOK_GRAPH_URL: sandbox.url,
    OUTLOOK_AUTHORITY_URL: sandbox.origin,
    OUTLOOK_PUBLIC_URL: publicUrl,
    OUTLOOK_ALLOWED_TENANTS: team.tenantId,
    OUTLOOK_API_SCOPE: team.serverApp.apiScope,
  };
}

export async function startRemote(opts: { env?: Record<string, string>; sandbox?: SandboxOptions; server?: Omit<HttpServerOptions, 'logger'> } = {}): Promise<RemoteHarness> {
  const sandbox = await startSandbox({ team: true, ...opts.sandbox });
  const team = sandbox.identity?.team as TeamIdentity;
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-remote-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...remoteEnv(sandbox, team, origin),
    OUTLOOK_CACHE_DIR: cacheDir,
    OUTLOOK_TRANSPORT: 'http',
    OUTLOOK_HTTP_PORT: String(port),
    OUTLOOK_STATE_SECRET: 'remote-harness-state-secret-0123456789abcdef',
    ...opts.env,
  });
  let server: RemoteServer;
  try {
    server = await startHttpServer(config, { logger: new Logger('silent'), ...opts.server });
  } catch (err) {
    await sandbox.close();
    rmSync(cacheDir, { recursive: true, force: true });
    throw err;
  }
  const clients: Client[] = [];
  const connect = async (token: string, era: Era = 'legacy') => {
    const client = new Client({ name: 'remote-test', version: '1.0.0' }, eraOptions(era));
    await client.connect(new StreamableHTTPClientTransport(server.mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return Object.assign(client, toolCallers(client));
  };
  return {
    sandbox,
    team,
    server,
    config,
    cacheDir,
    origin,
    connect,
    connectAs: async (user, era) => connect(await team.issueApiToken(user), era),
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await server.close();
      // A test may have stopped the sandbox already (Entra unreachable).
      await sandbox.close().catch(() => undefined);
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Subjects of an `ol_email_list_unread` result. */
export function subjectsOf(r: CallToolResult): string[] {
  return ((r.structuredContent as { messages?: Array<{ subject: string }> } | undefined)?.messages ?? []).map((m) => m.subject);
}
