/**
 * Remote mode from the built binary, as an operator runs it: `sandbox --json`
 * prints the deployment's settings, `sandbox token --user` signs a person in,
 * and `serve --http` configured only through OUTLOOK_* variables serves both
 * protocol eras to the SDK client. Requires `npm run build`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { eraOptions, freePort } from '../helpers/remote-harness.js';

const BIN = path.resolve('dist/bin/main.js');
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-remote-e2e-'));
const baseEnv = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin' };
const children: ChildProcessWithoutNullStreams[] = [];

/** Starts the binary and resolves with the first stdout/stderr line matching `ready`. */
function start(args: string[], env: Record<string, string>, ready: RegExp, stream: 'stdout' | 'stderr'): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...baseEnv, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`not ready: ${text}`)), 15_000);
    child[stream].on('data', (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n').find((l) => ready.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
  });
}

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(cacheDir, { recursive: true, force: true });
});

interface Summary {
  graph_url: string;
  authority_url: string;
  tenant_id: string;
  server_app: { client_id: string; client_secret: string; api_scope: string; audience: string };
  users: Array<{ name: string; upn: string }>;
}

describe('remote mode from the built binary', () => {
  it('sandbox --json, sandbox token, serve --http: a person calls a tool in both eras', async () => {
    const sandboxPort = await freePort();
    const sb = JSON.parse(await start(['sandbox', '--port', String(sandboxPort), '--json'], {}, /^\{/, 'stdout')) as Summary;
    expect(Object.keys(sb).sort()).toEqual(['authority_url', 'graph_url', 'other_mailboxes', 'server_app', 'tenant_id', 'users']);
    expect(sb.users.length).toBeGreaterThanOrEqual(3);
    expect(sb.authority_url).toBe(`http://127.0.0.1:${sandboxPort}`);

    const tok = spawnSync(process.execPath, [BIN, 'sandbox', 'token', '--port', String(sandboxPort), '--user', 'blake'], { env: baseEnv, encoding: 'utf8' });
    expect(tok.status, tok.stderr).toBe(0);
    const token = tok.stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { aud: string; preferred_username: string };
    expect(claims.aud).toBe(sb.server_app.audience);
    expect(claims.preferred_username).toBe('blake@contoso.example');

    const port = await freePort();
    await start(
      ['serve', '--http', '--port', String(port)],
      {
        OUTLOOK_AUTH_MODE: 'obo',
        OUTLOOK_CLIENT_ID: sb.server_app.client_id,
        OUTLOOK_CLIENT_SECRET: sb.server_app.client_secret,
        OUTLOOK_GRAPH_URL: sb.graph_url,
        OUTLOOK_AUTHORITY_URL: sb.authority_url,
        OUTLOOK_PUBLIC_URL: `http://127.0.0.1:${port}`,
        OUTLOOK_ALLOWED_TENANTS: sb.tenant_id,
        OUTLOOK_API_SCOPE: sb.server_app.api_scope,
        OUTLOOK_STATE_SECRET: 'e2e-state-secret-0123456789abcdef0123',
      },
      /Remote mode: MCP at/,
      'stderr',
    );
    for (const era of ['legacy', 'modern'] as const) {
      const client = new Client({ name: 'remote-e2e', version: '1' }, eraOptions(era));
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      const r = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 2 } });
      expect(r.isError ?? false).toBe(false);
      expect(JSON.stringify(r.structuredContent)).toContain('Only for Blake Okafor');
      await client.close();
    }
    const unauth = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauth.status).toBe(401);
  });

  it('the stdio server does not load remote mode: nothing of it is reachable from main.js without a dynamic import', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      // Static imports only (`import … from "./x.js"` and `import "./x.js"`); `import("./x.js")` loads on demand.
      for (const m of code.matchAll(/^\s*(?:import|export)\s[^;(]*?from\s*["'](\.\/[^"']+)["']|^\s*import\s*["'](\.\/[^"']+)["']/gm)) visit(path.join(path.dirname(file), (m[1] ?? m[2]) as string));
    };
    visit(BIN);
    expect(seen.size).toBeGreaterThan(1);
    const eager = [...seen].map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(eager).not.toMatch(/from\s*["']jose["']/);
    expect(eager).not.toMatch(/from\s*["']@modelcontextprotocol\/node["']/);
    const defines = /\b(?:class|var|let|const) (?:EntraTokenVerifier|OboExchange)\b/;
    expect(eager).not.toMatch(defines);
    // …and the remote chunk exists and defines them, so the check above looked at a build that has them.
    const remoteChunk = /import\("\.\/(http-server-[^"]+\.js)"\)/.exec(readFileSync(BIN, 'utf8'))?.[1];
    expect(remoteChunk).toBeTruthy();
    expect(readFileSync(path.join(path.dirname(BIN), remoteChunk!), 'utf8')).toMatch(defines);
  });

  it('serve --http with a bad setting exits at start-up naming the variable', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--http'], { env: { ...baseEnv, OUTLOOK_AUTH_MODE: 'obo', OUTLOOK_CLIENT_ID: 'c', OUTLOOK_CLIENT_SECRET: 's' }, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('OUTLOOK_PUBLIC_URL');
  });
});
