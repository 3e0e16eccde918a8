/**
 * A second real OAuth client over HTTP, in another language: the official MCP Python SDK's `OAuthClientProvider`
 * (test/e2e/python/oauth_http.py) with a pre-registered public client id discovers Entra from `serve --http`'s 401 and
 * protected-resource metadata, completes authorization code + PKCE against the sandbox's Entra, and calls a tool, in
 * both protocol eras. The sandbox's logs show the sign-in, the server's on-behalf-of exchange, and that Graph only
 * ever saw the on-behalf-of token, never the one the client sent.
 *
 * Over 10 s: two Python processes, each importing the SDK and signing in (about 5 s each on a quiet machine, 20 s at a
 * load average of 25), plus one replica's start.
 *
 * `.ci/run` installs the SDK into .tmp/pyvenv; without it the test fails in CI unless `.ci/run` reported that the
 * package could not be installed (MCP_PYTHON_UNAVAILABLE), as test/e2e/python-sdk.test.ts does.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type TeamIdentity } from '../../src/sandbox/index.js';
import { launchReplica, stopReplica, type Replica } from '../helpers/cluster.js';
import { freePort, remoteEnv } from '../helpers/remote-harness.js';

const PYTHON = process.env.MCP_PYTHON ?? path.resolve('.tmp/pyvenv/bin/python');
const available = existsSync(PYTHON);
const mustRun = process.env.CI === 'true' && process.env.MCP_PYTHON_UNAVAILABLE !== '1';
/** A pre-registered public client (as in docs/REMOTE.md §1 step 4); the sandbox's Entra takes any client id for code + PKCE. */
const PUBLIC_CLIENT_ID = '4b8f7c2e-6d1a-4e3b-9a5c-0f2d8e7b1c6a';

interface Outcome {
  protocol_version: string;
  authorize: Record<string, string>;
  token_sha256: string | null;
  is_error: boolean;
  structured: { messages?: Array<{ subject: string }> } | null;
}

describe('the MCP Python SDK as an OAuth client of serve --http', () => {
  it('has the Python SDK where CI promised it', () => {
    if (!available && !mustRun) console.warn(`Python MCP SDK not found at ${PYTHON}: skipping (run .ci/run, or set MCP_PYTHON).`);
    expect(available || !mustRun).toBe(true);
  });

  describe.runIf(available)('code + PKCE against the sandbox Entra, then a tool call', () => {
    let sandbox: Sandbox;
    let team: TeamIdentity;
    let replica: Replica | undefined;
    let mcpUrl = '';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-python-oauth-'));

    beforeAll(async () => {
      sandbox = await startSandbox({ team: true });
      team = sandbox.identity?.team as TeamIdentity;
      replica = { name: 'python-oauth', port: await freePort(), child: undefined, output: '' };
      const publicUrl = `http://127.0.0.1:${replica.port}`;
      mcpUrl = `${publicUrl}/mcp`;
      await launchReplica(replica, { PATH: process.env.PATH ?? '', HOME: dir, ...remoteEnv(sandbox, team, publicUrl), OUTLOOK_CACHE_DIR: path.join(dir, 'cache'), OUTLOOK_STATE_SECRET: 'python-oauth-state-secret-0123456789abcdef', OUTLOOK_LOG_LEVEL: 'warn' });
    }, 90_000);

    afterAll(async () => {
      if (replica) await stopReplica(replica);
      await sandbox?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each([
      ['2026-07-28', 'casey'],
      ['legacy', 'blake'],
    ])('mode %s: signs in as %s and reads that mailbox; Graph sees only the on-behalf-of token', async (mode, user) => {
      const before = { identity: sandbox.identity!.requests.length, graph: sandbox.requests.length };
      // Asynchronously: the sandbox answering the sign-in lives in this process.
      const run = await promisify(execFile)(PYTHON, [path.resolve('test/e2e/python/oauth_http.py'), mcpUrl, PUBLIC_CLIENT_ID, user, mode], {
        env: { PATH: process.env.PATH ?? '', HOME: dir },
        timeout: 60_000,
      }).catch((err: Error & { stderr?: string }) => Promise.reject(new Error(`${err.message}\n${err.stderr ?? ''}\n--- server ---\n${replica?.output ?? ''}`)));
      const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Outcome;
      const who = team.users.find((u) => u.name === user)!;

      expect(out.protocol_version).toBe(mode === 'legacy' ? '2025-11-25' : '2026-07-28');
      expect(out.is_error).toBe(false);
      expect((out.structured?.messages ?? []).map((m) => m.subject)).toContain(`Only for ${who.displayName}: mailbox ${user}`);
      // What the SDK asked Entra for: our API's scope, PKCE with S256, our MCP endpoint as the RFC 8707 resource.
      expect(out.authorize).toMatchObject({ client_id: PUBLIC_CLIENT_ID, code_challenge_method: 'S256', resource: mcpUrl });
      expect(out.authorize.scope).toContain(team.serverApp.apiScope);

      const identity = sandbox.identity!.requests.slice(before.identity);
      expect(identity.some((q) => q.endpoint === 'authorize' && q.loginHint === user && q.clientId === PUBLIC_CLIENT_ID && q.status === 302)).toBe(true);
      expect(identity.some((q) => q.grantType === 'authorization_code' && q.clientId === PUBLIC_CLIENT_ID && q.status === 200)).toBe(true);
      // The server exchanged the client's token on behalf of the person (its own client id), then called Graph.
      expect(identity.some((q) => q.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && q.clientId === team.serverApp.clientId && q.status === 200)).toBe(true);
      const graph = sandbox.requests.slice(before.graph).filter((q) => q.mailbox === who.upn);
      expect(graph.length).toBeGreaterThan(0);
      expect(out.token_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(graph.every((q) => q.bearerSha256 !== undefined && q.bearerSha256 !== out.token_sha256 && q.bearerAudience !== team.serverApp.audience)).toBe(true);
    }, 90_000);
  });
});
