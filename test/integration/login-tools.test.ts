/**
 * ol_login_begin / ol_login_status through a real MCP client, with real MSAL
 * against the sandbox identity endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryTokenStores, startHarness, textOf, type Harness, type HarnessOptions } from '../helpers/harness.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { IdentityOptions } from '../../src/sandbox/index.js';
import { run } from '../../src/cli/run.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { loadConfig } from '../../src/config/config.js';
import { startRuntime } from '../../src/runtime.js';
import { createServer } from '../../src/server.js';
import { connectInProcess } from '../../src/in-process.js';
import { Logger } from '../../src/log.js';

interface LoginView {
  state: 'signed_in' | 'pending' | 'none';
  account?: string;
  tenant?: string;
  scopes?: string;
  verification_url?: string;
  user_code?: string;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function harness(identity: IdentityOptions = { autoApproveMs: false, pollIntervalSeconds: 0.02 }, more: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ tokenStores: memoryTokenStores(), sandbox: { identity }, runtime: { loginProgressIntervalMs: 10 }, ...more });
  open.push(h);
  return h;
}

const finished = (h: Harness) => h.runtime.deps.auth?.delegated?.currentLogin?.finished;

describe('ol_login_begin without a progress token', () => {
  it('returns the code and URL at once; ol_login_status reports pending, then signed_in', async () => {
    const h = await harness();
    const begun = await h.ok<LoginView>('ol_login_begin');
    expect(begun).toEqual({ state: 'pending', verification_url: `${h.sandbox.origin}/devicelogin`, user_code: expect.stringMatching(/^[A-Z]{9}$/) as string });
    expect(textOf(await h.call('ol_login_begin'))).toContain(`enter the code ${begun.user_code}`);
    expect(await h.ok<LoginView>('ol_login_status')).toEqual(begun);

    h.sandbox.identity?.approve();
    await finished(h);
    const status = await h.ok<LoginView>('ol_login_status');
    expect(status).toEqual({ state: 'signed_in', account: 'Avery Quinn <avery.quinn@contoso.example>', tenant: h.sandbox.identity?.tenantId, scopes: 'Mail.Read, Calendars.Read, People.Read, User.Read' });
    expect(textOf(await h.call('ol_login_status'))).toMatch(/^Signed in as Avery Quinn/);
  });

  it('a second call joins the pending sign-in; force=true starts a new one', async () => {
    const h = await harness();
    const a = await h.ok<LoginView>('ol_login_begin');
    const b = await h.ok<LoginView>('ol_login_begin', { force: false });
    expect(b.user_code).toBe(a.user_code);
    expect(h.sandbox.identity?.requests.filter((r) => r.endpoint === 'devicecode')).toHaveLength(1);
    const c = await h.ok<LoginView>('ol_login_begin', { force: true });
    expect(c.user_code).not.toBe(a.user_code);
    expect((await h.ok<LoginView>('ol_login_status')).user_code).toBe(c.user_code);
    expect(h.sandbox.identity?.deviceCodes.map((x) => x.state)).toEqual(['pending', 'pending']);
  });

  it('when already signed in with every needed scope, says so without starting a sign-in', async () => {
    const h = await harness({ autoApproveMs: 0 });
    await h.ok('ol_login_begin');
    await finished(h);
    h.sandbox.identity?.clearLog();
    const again = await h.call('ol_login_begin');
    expect(again.structuredContent).toMatchObject({ state: 'signed_in' });
    expect(textOf(again)).toMatch(/Already signed in; pass force=true/);
    expect(h.sandbox.identity?.requests).toEqual([]);
  });

  it('a failed attempt: ol_login_status says none and why', async () => {
    const h = await harness({ autoApproveMs: 0 });
    h.sandbox.identity?.inject({ failure: 'declined', on: 'device_code' });
    await h.ok('ol_login_begin');
    await finished(h);
    const r = await h.call('ol_login_status');
    expect(r.structuredContent).toEqual({ state: 'none' });
    expect(textOf(r)).toMatch(/Last attempt failed: The sign-in was declined/);
  });
});

describe('ol_login_begin with a progress token', () => {
  it('sends the code and URL as the first progress notification, waits, and returns signed_in', async () => {
    const h = await harness({ autoApproveMs: 60 });
    const notes: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = (await h.client.callTool({ name: 'ol_login_begin', arguments: {} }, { onprogress: (p) => void notes.push(p) })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ state: 'signed_in', account: 'Avery Quinn <avery.quinn@contoso.example>' });
    const code = h.sandbox.identity?.deviceCodes[0]?.userCode ?? '';
    expect(notes[0]?.message).toBe(`To sign in, open ${h.sandbox.origin}/devicelogin and enter the code ${code}` + notes[0]?.message?.slice(notes[0].message.indexOf(' (valid until')));
    expect(notes.length).toBeGreaterThanOrEqual(2);
    expect(notes.at(-1)?.message).toBe('Signed in as Avery Quinn <avery.quinn@contoso.example>.');
    for (let i = 1; i < notes.length; i++) expect(notes[i]?.progress).toBeGreaterThan(notes[i - 1]?.progress ?? -1);
  });

  it('a sign-in that fails while waiting ends the call with the explanation', async () => {
    const h = await harness({ autoApproveMs: 60 });
    h.sandbox.identity?.inject({ failure: 'expired', on: 'device_code' });
    const notes: string[] = [];
    const result = (await h.client.callTool({ name: 'ol_login_begin', arguments: {} }, { onprogress: (p) => void notes.push(p.message ?? '') })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/expired before it was entered .*\(expired_token\) Start again/);
    expect(notes[0]).toMatch(/enter the code [A-Z]{9}/);
  });

  it('mentions "Send mail as you" when send is enabled', async () => {
    const h = await harness({ autoApproveMs: 60 }, { env: { OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true' } });
    const notes: string[] = [];
    await h.client.callTool({ name: 'ol_login_begin', arguments: {} }, { onprogress: (p) => void notes.push(p.message ?? '') });
    expect(notes[0]).toMatch(/"Send mail as you" because OUTLOOK_ALLOW_SEND=true/);
    expect(h.sandbox.identity?.requests[0]?.scope).toMatch(/Mail\.Send/);
  });
});

describe('sign-in made elsewhere and other modes', () => {
  it('a CLI login made earlier (another process, another sandbox) counts for ol_login_status and for Graph calls', async () => {
    const h = await startHarness({ sandbox: { identity: { autoApproveMs: false } } });
    open.push(h);
    expect((await h.ok<LoginView>('ol_login_status')).state).toBe('none');
    const out: string[] = [];
    const code = await run(['--sandbox', 'login', '--sandbox-approve-ms', '0'], {
      stdout: (s) => void out.push(s),
      stderr: () => {},
      env: { OUTLOOK_CACHE_DIR: h.cacheDir, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_LOG_LEVEL: 'silent' },
    });
    expect(code).toBe(0);
    expect((await h.ok<LoginView>('ol_login_status')).state).toBe('signed_in');
    // Tokens of the CLI's sandbox are accepted by this one (sandbox tokens are self-describing).
    const s = await h.ok<{ token_source: string; user: string }>('ol_status');
    expect(s).toMatchObject({ token_source: 'sandbox sign-in (device code)', user: 'Avery Quinn <avery.quinn@contoso.example>' });
  });

  it('with OUTLOOK_ACCESS_TOKEN (live) the login tools say there is nothing to sign in', async () => {
    const sandbox = await startSandbox();
    const config = loadConfig({ OUTLOOK_CACHE_DIR: '/tmp/outlook-login-tools-static', OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_ACCESS_TOKEN: sandbox.token, OUTLOOK_GRAPH_URL: sandbox.url });
    const rt = await startRuntime(config, { logger: new Logger('silent'), ephemeralHandles: true });
    const session = await connectInProcess(createServer(rt.deps));
    try {
      const r = (await session.client.callTool({ name: 'ol_login_begin', arguments: {} })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/uses the token in OUTLOOK_ACCESS_TOKEN; there is nothing to sign in/);
      const st = (await session.client.callTool({ name: 'ol_login_status', arguments: {} })) as CallToolResult;
      expect(st.structuredContent).toEqual({ state: 'none' });
    } finally {
      await session.close();
      await rt.close();
      await sandbox.close();
    }
  });

  it('in the sandbox, a sign-out makes the server fall back to the ready token', async () => {
    const h = await harness({ autoApproveMs: 0 });
    await h.ok('ol_login_begin');
    await finished(h);
    expect((await h.ok<{ token_source: string }>('ol_status')).token_source).toBe('sandbox sign-in (device code)');
    await h.runtime.deps.auth?.delegated?.logout();
    const s = await h.ok<{ token_source: string; user: string }>('ol_status');
    expect(s).toMatchObject({ token_source: 'sandbox', user: 'Avery Quinn <avery.quinn@contoso.example>' });
    expect((await h.ok<LoginView>('ol_login_status')).state).toBe('none');
  });

  it('service-principal mode registers no login tools', async () => {
    const h = await harness(undefined, { env: { OUTLOOK_AUTH_MODE: 'service-principal', OUTLOOK_MAILBOX: 'avery.quinn@contoso.example' } });
    const names = (await h.client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('ol_login_begin');
    expect(names).not.toContain('ol_login_status');
  });
});
