/**
 * MCP Inspector 2.x (its CLI and its web UI) as a real OAuth client of `serve --http`, configured the way
 * docs/REMOTE.md §3 tells people to: a pre-registered public client id (Entra has no dynamic registration), discovery from the server's 401 and
 * protected-resource metadata, authorization code + PKCE against the sandbox's Entra, then a tool call, in the
 * 2026-07-28 era (flags: `--client-id`, `--callback-url`, `--protocol-era modern`) and the 2025-11-25 era (a catalog
 * entry, the file the web inspector keeps its servers in: `oauth.clientId`, `oauth.scopes`,
 * `oauth.authorizationParams`, `protocolEra: legacy`), each followed by a `--stored-auth-only` run on the token
 * Inspector stored; and the web UI, given the same kind of catalog entry, in headless Chromium (the page goes to the
 * sandbox's sign-in and back to its own /oauth/callback, then runs a tool). Also: `--strict` tools/list with a bearer
 * header, and `--stored-auth-only` without credentials failing with Inspector's auth-required outcome.
 *
 * How Inspector hands the sign-in to a person (read from its source, core/cli/cli-oauth-navigation.ts and
 * cliOAuth.ts): it prints `Please navigate to: <authorization URL>` on stderr and opens a browser through the `open`
 * package (its bundled xdg-open, which honours $BROWSER), then waits on its loopback callback listener. Without a
 * terminal it refuses interactive OAuth unless MCP_AUTO_OPEN_ENABLED=true. So this test sets that, points $BROWSER at
 * a script that only records the URL it was handed (no real browser starts), and plays the browser itself from the
 * printed URL: GET the authorization URL at the sandbox (auto-approved; the person picks their account, i.e.
 * `login_hint`), then GET the redirect at Inspector's callback listener. Inspector is not patched.
 *
 * Inspector talks to the replica through a small recording hop (the place of a deployment's TLS proxy; the public URL
 * is the hop's), so the test sees what Inspector sent (the SHA-256 of each bearer token, the MCP protocol version) and
 * what the replica answered (401 and its WWW-Authenticate), and can prove from the sandbox's Graph log that the token
 * Inspector sent never reached Graph.
 *
 * About 14 s at a load average of 3 to 5 on the 2-core machine (16 to 25 s at 9 to 13; not measured quiet): seven CLI
 * runs under Node 24 (about 1 s each), the web UI (about 7 s: its server, Chromium, the page's bundle, the sign-in and
 * the reconnect) and one replica's start. Over the 10 s guideline because each case is a separate Inspector process, as a person or a CI job
 * runs it; the fixture (sandbox, replica, recording hop) is shared by all of them.
 *
 * `.ci/run` installs Inspector under Node 24 (INSPECTOR_BIN / INSPECTOR_NODE); without it the file fails in CI unless
 * `.ci/run` reported that it could not install it (INSPECTOR_UNAVAILABLE), as test/e2e/inspector.test.ts does.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox, type TeamIdentity } from '../../src/sandbox/index.js';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../../src/text/browser/page.js';
import { launchReplica, stopReplica, type Replica } from '../helpers/cluster.js';
import { INSPECTOR_BIN, INSPECTOR_NODE, inspectorAvailable, inspectorInstalledAsPromised } from '../helpers/inspector.js';
import { eraOptions, freePort, remoteEnv } from '../helpers/remote-harness.js';

/** A pre-registered public client (docs/REMOTE.md §1 step 4); the sandbox's Entra takes any client id for code + PKCE. */
const PUBLIC_CLIENT_ID = '7d3c1e5a-2f4b-4c8d-9e6a-1b0f3a5c7e92';
const AUTH_REQUIRED = 3; // Inspector's EXIT_CODES.AUTH_REQUIRED
/** The web UI's case drives Inspector's own page in headless Chromium (in CI: the Debian package, as .ci/run installs it). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumAvailable = existsSync(CHROMIUM);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** One request through the recording hop: what Inspector sent and what the replica answered (no token kept, only its hash). */
interface Hop {
  method: string;
  path: string;
  status: number;
  bearerSha256?: string;
  protocolVersion?: string;
  wwwAuthenticate?: string;
  /** The Origin header: sent only by a browser page calling the server itself. */
  origin?: string;
}

/**
 * The hop in front of the replica: forwards every request as is and streams the answer back (SSE included). Written
 * here because the test needs each request's headers as Inspector sent them, which a load balancer's log (haproxy's,
 * in test/helpers/cluster.ts) does not give a test to read.
 */
async function startRecordingHop(port: number, target: () => number, hops: Hop[]): Promise<Server> {
  const server = createServer((req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const upstream = request({ host: '127.0.0.1', port: target(), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const www = answer.headers['www-authenticate'];
      const version = req.headers['mcp-protocol-version'];
      hops.push({
        method: req.method ?? '',
        path: req.url ?? '',
        status: answer.statusCode ?? 0,
        ...(bearer ? { bearerSha256: sha256(bearer) } : {}),
        ...(typeof version === 'string' ? { protocolVersion: version } : {}),
        ...(www ? { wwwAuthenticate: www } : {}),
        ...(req.headers.origin ? { origin: req.headers.origin } : {}),
      });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('error', () => res.destroy());
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`recording hop: ${err.message}`);
    });
    // A client or replica that hangs up mid-stream (Inspector exiting with its GET stream open) ends both sides, quietly.
    req.on('error', () => upstream.destroy());
    res.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/**
 * Polls `expr` in the page until it is true. Navigations on the way (the sign-in leaves the page and comes back)
 * destroy the page's context mid-check; those checks count as not yet.
 */
async function until(page: Page, expr: string, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await page.evaluate(expr).catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} in Inspector's page (${page.url()})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Clicks the first `selector` element whose text (or aria-label) contains `text` (is exactly `text`), once there is one. */
function clickIn(page: Page, selector: string, text: string, what: string, exact = false): Promise<void> {
  const match = exact ? '(t) => t === want' : '(t) => t.includes(want)';
  return until(
    page,
    `(() => { const want = ${JSON.stringify(text)}; const ok = ${match};
      const el = [...document.querySelectorAll(${JSON.stringify(selector)})].find((e) => ok((e.textContent ?? '').trim()) || ok(e.getAttribute('aria-label') ?? ''));
      if (!el) return false; el.click(); return true; })()`,
    what,
  );
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The authorization URLs Inspector printed for a person to open. */
  prompts: string[];
  /** The URLs Inspector handed to the browser ($BROWSER). */
  opened: string[];
}

describe('MCP Inspector 2.x as an OAuth client of serve --http', () => {
  it('is installed where CI promised it', () => {
    expect(inspectorInstalledAsPromised()).toBe(true);
    if (!chromiumAvailable && process.env.CI !== 'true') console.warn(`Chromium not found at ${CHROMIUM}: the web UI case is skipped (CI fails instead).`);
    expect(chromiumAvailable || process.env.CI !== 'true').toBe(true);
  });

  describe.runIf(inspectorAvailable)('pre-registered client id, code + PKCE against the sandbox Entra', () => {
    let sandbox: Sandbox;
    let team: TeamIdentity;
    let replica: Replica | undefined;
    let hop: Server | undefined;
    const hops: Hop[] = [];
    let origin = '';
    let mcpUrl = '';
    let dir = '';

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-inspector-http-'));
      sandbox = await startSandbox({ team: true });
      team = sandbox.identity?.team as TeamIdentity;
      const hopPort = await freePort();
      origin = `http://127.0.0.1:${hopPort}`;
      mcpUrl = `${origin}/mcp`;
      const r: Replica = { name: 'inspector-http', port: await freePort(), child: undefined, output: '' };
      replica = r;
      hop = await startRecordingHop(hopPort, () => r.port, hops);
      await launchReplica(r, {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        ...remoteEnv(sandbox, team, origin),
        // Every tool (drafts and send included), for the schema-portability check of tools/list.
        OUTLOOK_ALLOW_DRAFTS: 'true',
        OUTLOOK_ALLOW_SEND: 'true',
        OUTLOOK_CACHE_DIR: path.join(dir, 'cache'),
        OUTLOOK_STATE_SECRET: 'inspector-http-state-secret-0123456789abcdef',
        OUTLOOK_LOG_LEVEL: 'warn',
      });
    }, 90_000);

    afterAll(async () => {
      if (replica) await stopReplica(replica);
      if (hop) {
        const h = hop;
        await new Promise<void>((resolve) => {
          h.close(() => resolve());
          h.closeAllConnections();
        });
      }
      await sandbox?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /**
     * Runs Inspector's CLI with all its files in a fresh folder of its own (HOME, catalog, client config, OAuth state
     * and secrets) and its callback listener on a free loopback port. `signIn` plays the browser for each
     * authorization URL Inspector prints. Asynchronous: the sandbox answering the sign-in lives in this process.
     */
    async function inspector(name: string, args: string[], opts: { callbackUrl?: string; signIn?: (url: string) => Promise<void>; autoOpen?: false } = {}): Promise<Run> {
      const { signIn } = opts;
      const home = path.join(dir, name);
      mkdirSync(home, { recursive: true });
      const openedFile = path.join(home, 'browser-opened.txt');
      const browser = path.join(home, 'browser.sh');
      writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${openedFile}'\n`, { mode: 0o755 });
      const callbackUrl = opts.callbackUrl ?? `http://127.0.0.1:${await freePort()}/oauth/callback`;
      const child = spawn(INSPECTOR_NODE, [INSPECTOR_BIN, '--cli', ...args], {
        env: {
          PATH: `${path.dirname(INSPECTOR_NODE)}:${process.env.PATH ?? ''}`,
          HOME: home,
          MCP_STORAGE_DIR: path.join(home, 'storage'),
          // A file, not the desktop keyring (none here; in CI none either): the secrets stay in this folder.
          MCP_INSPECTOR_SECRET_STORE: 'file',
          MCP_CATALOG_PATH: path.join(home, 'mcp.json'),
          MCP_CLIENT_CONFIG_PATH: path.join(home, 'client.json'),
          MCP_OAUTH_CALLBACK_URL: callbackUrl,
          // No terminal here: without this Inspector refuses interactive OAuth (it then opens $BROWSER even so).
          ...(opts.autoOpen === false ? {} : { MCP_AUTO_OPEN_ENABLED: 'true' }),
          BROWSER: browser,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const prompts: string[] = [];
      const signIns: Array<Promise<unknown>> = [];
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        for (const m of stderr.matchAll(/Please navigate to: (\S+)/g)) {
          const url = m[1] as string;
          if (prompts.includes(url)) continue;
          prompts.push(url);
          // Settled (never rejected) and awaited below, so a failed sign-in is reported and never unhandled.
          signIns.push(signIn ? signIn(url).then(() => undefined, (err: unknown) => err) : Promise.resolve(new Error(`unexpected sign-in prompt: ${url}`)));
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const status = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => resolve(code));
      }).finally(() => clearTimeout(timer));
      const failures = (await Promise.all(signIns)).filter((e): e is Error => e instanceof Error);
      if (failures.length > 0) throw new Error(`${failures.map((e) => e.message).join('\n')}\n--- inspector stderr ---\n${stderr}\n--- server ---\n${replica?.output ?? ''}`);
      // xdg-open runs detached; give the recording script a moment when Inspector prompted.
      for (let i = 0; i < 100 && prompts.length > 0 && !existsSync(openedFile); i++) await new Promise((r) => setTimeout(r, 50));
      const opened = existsSync(openedFile) ? readFileSync(openedFile, 'utf8').split('\n').filter(Boolean) : [];
      return { status, stdout, stderr, prompts, opened };
    }

    /** The browser: opens the authorization URL (the sandbox approves at once, as whoever `loginHint` names), follows the redirect to Inspector's listener. */
    function browserSigningIn(callbackUrl: string, loginHint?: string) {
      return async (url: string): Promise<void> => {
        const authorize = new URL(url);
        if (loginHint) authorize.searchParams.set('login_hint', loginHint);
        const approved = await fetch(authorize, { redirect: 'manual' });
        await approved.body?.cancel();
        const location = approved.headers.get('location') ?? '';
        if (approved.status !== 302 || !location.startsWith(`${callbackUrl}?`)) throw new Error(`the sign-in page answered ${approved.status}, location ${location}`);
        if (new URL(location).searchParams.has('error')) throw new Error(`the sign-in failed: ${location}`);
        const landed = await fetch(location);
        const page = await landed.text();
        if (!landed.ok) throw new Error(`Inspector's callback answered ${landed.status}: ${page}`);
      };
    }

    /**
     * What the sandbox and the hop saw since `before`, for one sign-in as `user` followed by a tool call: Inspector's
     * authorization request at Entra (the pre-registered id, PKCE S256, our API's scope, the MCP URL as the RFC 8707
     * resource, its redirect URI), its code redemption, the server's own on-behalf-of exchange; at the replica a 401
     * naming the metadata, the metadata read, then calls with a bearer token in the era asked for; at Graph that
     * person's mailbox, only ever with on-behalf-of tokens. Returns the hashes of the bearer tokens Inspector sent.
     */
    function expectSignInThenOnBehalfOf(before: { identity: number; graph: number; hops: number }, o: { user: string; era: 'modern' | 'legacy'; redirectUri: string }): Set<string> {
      const who = team.users.find((u) => u.name === o.user)!;
      const identity = sandbox.identity!.requests.slice(before.identity);
      const authorize = identity.filter((q) => q.endpoint === 'authorize');
      expect(authorize).toHaveLength(1);
      expect(authorize[0]).toMatchObject({ clientId: PUBLIC_CLIENT_ID, codeChallengeMethod: 'S256', loginHint: o.user, resource: mcpUrl, redirectUri: o.redirectUri, status: 302 });
      expect(authorize[0]!.scope?.split(' ')).toContain(team.serverApp.apiScope);
      expect(identity.some((q) => q.endpoint === 'openid-configuration' && q.status === 200)).toBe(true);
      expect(identity.some((q) => q.grantType === 'authorization_code' && q.clientId === PUBLIC_CLIENT_ID && q.status === 200)).toBe(true);
      expect(identity.some((q) => q.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && q.clientId === team.serverApp.clientId && q.status === 200)).toBe(true);

      const seen = hops.slice(before.hops);
      expect(seen.find((h) => h.path === '/mcp' && !h.bearerSha256)).toMatchObject({ status: 401, wwwAuthenticate: expect.stringContaining(`resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`) });
      expect(seen.some((h) => h.method === 'GET' && h.path.startsWith('/.well-known/oauth-protected-resource') && h.status === 200)).toBe(true);
      const authorized = seen.filter((h) => h.path === '/mcp' && h.bearerSha256);
      expect(authorized.length).toBeGreaterThan(0);
      // Everything answered, but 2025-11-25's GET stream: stateless serving has none (405, docs/REMOTE.md §4), and Inspector goes on without it.
      expect(authorized.filter((h) => h.status >= 400)).toEqual(o.era === 'legacy' ? [expect.objectContaining({ method: 'GET', status: 405 })] : []);
      expect(authorized.map((h) => h.protocolVersion)).toContain(o.era === 'modern' ? '2026-07-28' : '2025-11-25');
      const sent = new Set(authorized.map((h) => h.bearerSha256 as string));

      const graph = sandbox.requests.slice(before.graph);
      expect(graph.filter((q) => q.mailbox === who.upn).length).toBeGreaterThan(0);
      expect(graph.every((q) => q.bearerSha256 !== undefined && !sent.has(q.bearerSha256) && q.bearerAudience !== team.serverApp.audience)).toBe(true);
      return sent;
    }

    it.each([
      { era: 'modern', user: 'casey', how: 'flags' },
      { era: 'legacy', user: 'blake', how: 'a catalog entry' },
    ] as const)('$era era, configured by $how: signs in as $user and lists that mailbox; Graph sees only the on-behalf-of token', async ({ era, user, how }) => {
      const who = team.users.find((u) => u.name === user)!;
      const before = { identity: sandbox.identity!.requests.length, graph: sandbox.requests.length, hops: hops.length };
      const call = ['-q', '--format', 'json', '--method', 'tools/call', '--tool-name', 'ol_email_list_unread', '--tool-arg', 'limit=2'];
      const callbackUrl = `http://127.0.0.1:${await freePort()}/oauth/callback`;
      let server: string[];
      let signIn: (url: string) => Promise<void>;
      if (how === 'flags') {
        server = ['--transport', 'http', '--server-url', mcpUrl, '--protocol-era', era, '--client-id', PUBLIC_CLIENT_ID, '--callback-url', callbackUrl];
        // The person picks their account on the sign-in page (the sandbox reads it as login_hint).
        signIn = browserSigningIn(callbackUrl, user);
      } else {
        // What the web inspector's server settings save: the client id, the API's scope, login_hint as an extra
        // authorization parameter, and "Request refresh token" off (for tenants where people may not consent: see below).
        const catalog = path.join(dir, `catalog-${era}.json`);
        writeFileSync(
          catalog,
          JSON.stringify({ mcpServers: { outlook: { type: 'streamable-http', url: mcpUrl, protocolEra: era, oauth: { clientId: PUBLIC_CLIENT_ID, scopes: team.serverApp.apiScope, authorizationParams: { login_hint: user }, requestRefreshToken: false } } } }),
        );
        server = ['--catalog', catalog, '--server', 'outlook'];
        signIn = browserSigningIn(callbackUrl);
      }
      const run = await inspector(`oauth-${era}`, [...server, ...call], { callbackUrl, signIn });
      const context = `exit ${run.status}\n--- stderr ---\n${run.stderr}\n--- server ---\n${replica?.output ?? ''}`;
      expect(run.status, context).toBe(0);
      const out = JSON.parse(run.stdout) as { result: { isError?: boolean; structuredContent: { messages: Array<{ subject: string }> } } };
      expect(out.result.isError ?? false).toBe(false);
      expect(out.result.structuredContent.messages.length).toBeLessThanOrEqual(2);
      expect(out.result.structuredContent.messages.map((m) => m.subject)).toContain(`Only for ${who.displayName}: mailbox ${user}`);

      // One sign-in, handed both to the person (printed) and to the browser ($BROWSER).
      expect(run.prompts).toHaveLength(1);
      expect(run.opened).toEqual(run.prompts);
      // By default Inspector adds offline_access and with it prompt=consent (a consent page at every sign-in, which
      // people may not be allowed to answer); "Request refresh token" off drops both.
      const asked = new URL(run.prompts[0]!).searchParams;
      const refresh = how === 'flags';
      expect(asked.get('scope')?.split(' ').includes('offline_access')).toBe(refresh);
      expect(asked.get('prompt')).toBe(refresh ? 'consent' : null);

      const sent = expectSignInThenOnBehalfOf(before, { user, era, redirectUri: callbackUrl });

      // The CI way afterwards: --stored-auth-only reuses the token Inspector stored (its files, this run's folder), no new sign-in.
      const again = { identity: sandbox.identity!.requests.length, hops: hops.length };
      const stored = await inspector(`oauth-${era}`, [...server, '--stored-auth-only', '-q', '--format', 'json', '--method', 'tools/call', '--tool-name', 'ol_status']);
      expect(stored.status, stored.stderr).toBe(0);
      expect(stored.prompts).toEqual([]);
      const status = (JSON.parse(stored.stdout) as { result: { structuredContent: { protocol_era: string; user: string } } }).result.structuredContent;
      expect(status).toMatchObject({ protocol_era: era === 'modern' ? '2026-07-28' : '2025-11-25', user: expect.stringContaining(who.upn) });
      expect(sandbox.identity!.requests.slice(again.identity).filter((q) => q.endpoint === 'authorize' || q.grantType === 'authorization_code')).toEqual([]);
      const reused = hops.slice(again.hops).filter((h) => h.path === '/mcp' && h.bearerSha256);
      expect(reused.length).toBeGreaterThan(0);
      expect(reused.every((h) => sent.has(h.bearerSha256 ?? ''))).toBe(true);
    }, 90_000);

    it('--strict tools/list with a bearer header: every tool the server offers, no schema-portability error (2026-07-28)', async () => {
      const token = await team.issueApiToken('avery');
      const before = hops.length;
      const run = await inspector('strict', ['--transport', 'http', '--server-url', mcpUrl, '--protocol-era', 'modern', '--header', `Authorization: Bearer ${token}`, '--stored-auth-only', '--strict', '--format', 'json', '--method', 'tools/list']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.prompts).toEqual([]);
      const listed = (JSON.parse(run.stdout) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name).sort();

      // The same list the SDK's client gets from the same replica in the same era.
      const sdk = new Client({ name: 'inspector-http-reference', version: '1.0.0' }, eraOptions('modern'));
      await sdk.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      try {
        const expected = (await sdk.listTools()).tools.map((t) => t.name).sort();
        expect(listed).toEqual(expected);
      } finally {
        await sdk.close();
      }
      expect(listed).toEqual(expect.arrayContaining(['ol_status', 'ol_email_list_unread', 'ol_email_create_draft', 'ol_email_send_draft']));
      const inspectorHops = hops.slice(before).filter((h) => h.bearerSha256 === sha256(token));
      expect(inspectorHops.length).toBeGreaterThan(0);
      expect(inspectorHops.every((h) => h.status < 400 && h.protocolVersion === '2026-07-28')).toBe(true);
    }, 60_000);

    it.runIf(chromiumAvailable)('the web UI with the same catalog entry: signs in through a real browser, runs a tool; Graph sees only the on-behalf-of token (2026-07-28)', async () => {
      const user = 'avery';
      const who = team.users.find((u) => u.name === user)!;
      const home = path.join(dir, 'web');
      mkdirSync(home, { recursive: true });
      const catalog = path.join(home, 'mcp.json');
      writeFileSync(
        catalog,
        JSON.stringify({ mcpServers: { outlook: { type: 'streamable-http', url: mcpUrl, protocolEra: 'modern', oauth: { clientId: PUBLIC_CLIENT_ID, scopes: team.serverApp.apiScope, authorizationParams: { login_hint: user }, requestRefreshToken: false } } } }),
      );
      const webPort = await freePort();
      const child = spawn(INSPECTOR_NODE, [INSPECTOR_BIN, '--web'], {
        env: {
          PATH: `${path.dirname(INSPECTOR_NODE)}:${process.env.PATH ?? ''}`,
          HOME: home,
          MCP_STORAGE_DIR: path.join(home, 'storage'),
          MCP_INSPECTOR_SECRET_STORE: 'file',
          MCP_CATALOG_PATH: catalog,
          CLIENT_PORT: String(webPort),
          MCP_SANDBOX_PORT: String(await freePort()),
          // The test opens the page itself.
          MCP_AUTO_OPEN_ENABLED: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      const profile = mkdtempSync(path.join(os.tmpdir(), 'outlook-inspector-web-chromium-'));
      let browser: Browser | undefined;
      try {
        browser = await launchChromium(CHROMIUM, profile, 30_000);
        // The launcher prints the page's address with its API token.
        let pageUrl: string | undefined;
        for (let i = 0; i < 600 && !pageUrl; i++) {
          pageUrl = /(http:\/\/127\.0\.0\.1:\d+\/?\?MCP_INSPECTOR_API_TOKEN=[0-9a-f]+)/.exec(output)?.[1];
          if (!pageUrl) await new Promise((r) => setTimeout(r, 50));
        }
        expect(pageUrl, output).toBeDefined();
        const webOrigin = new URL(pageUrl!).origin;
        const before = { identity: sandbox.identity!.requests.length, graph: sandbox.requests.length, hops: hops.length };
        const page = await browser.newPage();
        await page.goto(pageUrl!, { waitUntil: 'load' });
        // The server's switch: connecting meets the 401, and the page goes to the sign-in page (the sandbox approves at
        // once, as login_hint names) and comes back to Inspector's /oauth/callback, then reconnects with the token.
        await clickIn(page, 'input[role=switch]', 'outlook', 'the server switch');
        // The Tools tab is there once connected; then the tool, then its button.
        await clickIn(page, 'span, button', 'Tools', 'the Tools tab', true);
        await clickIn(page, 'button', 'ol_email_list_unread', 'the tool');
        await clickIn(page, 'button', 'Execute Tool', 'Execute Tool', true);
        const subject = `Only for ${who.displayName}: mailbox ${user}`;
        await until(page, `document.body.innerText.includes(${JSON.stringify(subject)})`, 'the tool result');

        expectSignInThenOnBehalfOf(before, { user, era: 'modern', redirectUri: `${webOrigin}/oauth/callback` });
        // The page itself only went to the sign-in page: Inspector's own server talked to ours and redeemed the code
        // (no Origin on either), so neither OUTLOOK_ALLOWED_ORIGINS nor a single-page-app redirect URI is needed for it.
        expect(hops.slice(before.hops).filter((h) => h.origin !== undefined)).toEqual([]);
        const redeemed = sandbox.identity!.requests.slice(before.identity).filter((q) => q.grantType === 'authorization_code');
        expect(redeemed.length).toBeGreaterThan(0);
        expect(redeemed.filter((q) => q.origin !== undefined)).toEqual([]);
      } catch (err) {
        throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- inspector ---\n${output}\n--- server ---\n${replica?.output ?? ''}`);
      } finally {
        await browser?.close();
        rmSync(profile, { recursive: true, force: true });
        child.kill('SIGTERM');
        await exited;
      }
    }, 90_000);

    it('no credentials, --stored-auth-only (or no terminal): auth_required (exit 3) from the 401 and its metadata; nothing reaches Entra or Graph', async () => {
      const before = { identity: sandbox.identity!.requests.length, graph: sandbox.requests.length, hops: hops.length };
      const run = await inspector('no-credentials', ['--transport', 'http', '--server-url', mcpUrl, '--protocol-era', 'modern', '--client-id', PUBLIC_CLIENT_ID, '--stored-auth-only', '-q', '--format', 'json', '--method', 'tools/call', '--tool-name', 'ol_status']);
      expect(run.status, run.stderr).toBe(AUTH_REQUIRED);
      expect(run.stdout).toBe('');
      expect(JSON.parse(run.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'auth_required' } });
      // Never interactive: no prompt, no browser.
      expect(run.prompts).toEqual([]);
      expect(run.opened).toEqual([]);

      const seen = hops.slice(before.hops);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((h) => !h.bearerSha256)).toBe(true);
      const refused = seen.find((h) => h.path === '/mcp');
      expect(refused).toMatchObject({ status: 401 });
      expect(refused?.wwwAuthenticate).toContain(`resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`);
      expect(refused?.wwwAuthenticate).toContain(`scope="${team.serverApp.apiScope}"`);
      // Inspector followed it (discovery worked) before refusing to sign in; the metadata leads to the sandbox's Entra.
      expect(seen.some((h) => h.method === 'GET' && h.path === '/.well-known/oauth-protected-resource/mcp' && h.status === 200)).toBe(true);
      const prm = (await (await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`)).json()) as { resource: string; authorization_servers: string[] };
      expect(prm).toMatchObject({ resource: mcpUrl, authorization_servers: [team.issuer()] });

      // Without --stored-auth-only, but with no terminal and no MCP_AUTO_OPEN_ENABLED (a script, a CI job): the same outcome.
      const scripted = await inspector('no-terminal', ['--transport', 'http', '--server-url', mcpUrl, '--protocol-era', 'modern', '--client-id', PUBLIC_CLIENT_ID, '-q', '--format', 'json', '--method', 'tools/call', '--tool-name', 'ol_status'], { autoOpen: false });
      expect(scripted.status, scripted.stderr).toBe(AUTH_REQUIRED);
      expect(scripted.stderr).toContain('MCP_AUTO_OPEN_ENABLED=true');
      expect(scripted.prompts).toEqual([]);

      expect(sandbox.requests.length).toBe(before.graph);
      expect(sandbox.identity!.requests.slice(before.identity).filter((q) => q.endpoint === 'token' || q.endpoint === 'authorize')).toEqual([]);
    }, 60_000);
  });
});
