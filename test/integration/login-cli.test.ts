/**
 * `login`, `logout` and `status` through run(argv, io), with the real token
 * store (plain file) and real MSAL against a sandbox identity endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, EXIT_OK, EXIT_TOOL_ERROR, EXIT_USAGE } from '../../src/cli/run.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const dirs: string[] = [];
function cli(env: Record<string, string> = {}, cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-login-cli-'))) {
  dirs.push(cacheDir);
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env: { OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_LOG_LEVEL: 'silent', ...env } };
  return { out: () => out.join(''), err: () => err.join(''), io, cacheDir, run: (argv: string[]) => run(argv, io) };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('--sandbox login / status / logout', () => {
  it('login runs the device-code flow (code on stderr, result on stdout); status and logout follow', async () => {
    const c = cli();
    expect(await c.run(['--sandbox', 'login', '--sandbox-approve-ms', '0'])).toBe(EXIT_OK);
    expect(c.err()).toMatch(/Signing in profile 'default' \(SANDBOX\) with the default client 14d82eec-204b-4c2f-b7e8-296a70dab67e \(Microsoft Graph Command Line Tools\), tenant 'common'\./);
    expect(c.err()).toMatch(/open the page http:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [A-Z]{9}/);
    expect(c.out()).toMatch(/^Signed in profile 'default' as Avery Quinn <avery\.quinn@contoso\.example> \(work or school account, tenant [0-9a-f-]{36}\)\.\nScopes: Mail\.Read, Calendars\.Read, People\.Read, User\.Read\nTokens stored in: /);
    expect(c.out()).not.toMatch(/devicelogin/);
    const file = path.join(c.cacheDir, '@sandbox', 'default', 'tokens.json');
    expect(existsSync(file)).toBe(true);

    const s = cli({}, c.cacheDir);
    expect(await s.run(['--sandbox', 'status'])).toBe(EXIT_OK);
    expect(s.out()).toMatch(/Account: Avery Quinn <avery\.quinn@contoso\.example> \(work or school, tenant /);
    expect(s.out()).toMatch(/Scopes granted: Mail\.Read, Calendars\.Read, People\.Read, User\.Read/);
    expect(s.out()).toMatch(/Token store: file .*tokens\.json \(sandbox sign-ins always use a plain file\)/);
    expect(s.out()).toMatch(/Access token: valid until .*; refresh token: stored/);
    // Never a secret: no token material in the output.
    const cache = JSON.parse(readFileSync(file, 'utf8')) as { RefreshToken: Record<string, { secret: string }>; AccessToken: Record<string, { secret: string }> };
    for (const t of [...Object.values(cache.RefreshToken), ...Object.values(cache.AccessToken)]) expect(s.out()).not.toContain(t.secret.slice(0, 24));

    const j = cli({}, c.cacheDir);
    expect(await j.run(['--sandbox', 'status', '--json'])).toBe(EXIT_OK);
    expect(JSON.parse(j.out())).toMatchObject({ profile: 'default', signed_in: true, account: 'Avery Quinn <avery.quinn@contoso.example>', scopes_granted: ['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read'], scopes_missing: [], refresh_token: true, store: { kind: 'file' } });

    const call = cli({}, c.cacheDir);
    expect(await call.run(['--sandbox', 'call', 'ol_status'])).toBe(EXIT_OK);
    expect(call.out()).toMatch(/token: sandbox sign-in \(device code\)/);

    const o = cli({}, c.cacheDir);
    expect(await o.run(['--sandbox', 'logout'])).toBe(EXIT_OK);
    expect(o.out()).toMatch(/^Signed out profile 'default': removed its tokens from /);
    expect(existsSync(file)).toBe(false);
    const after = cli({}, c.cacheDir);
    // The sandbox needs no sign-in: status says so and succeeds.
    expect(await after.run(['--sandbox', 'status'])).toBe(EXIT_OK);
    expect(after.out()).toMatch(/Not signed in, and no sign-in is needed: the sandbox serves with its own token\. To try the sign-in flow: mcp-server-outlook --sandbox login --profile default/);
    const again = cli({}, c.cacheDir);
    expect(await again.run(['--sandbox', 'logout'])).toBe(EXIT_OK);
    expect(again.out()).toMatch(/had no stored sign-in/);
  });

  it('the advice printed when drafts are turned on after a read-only sign-in works as printed, in a terminal without the setting', async () => {
    const base = cli();
    expect(await base.run(['--sandbox', 'login', '--sandbox-approve-ms', '0'])).toBe(EXIT_OK);
    // Read-only: status says what drafts and sending would still need, and how to grant it.
    const plain = cli({}, base.cacheDir);
    expect(await plain.run(['--sandbox', 'status'])).toBe(EXIT_OK);
    expect(plain.out()).toMatch(/For drafts \(OUTLOOK_ALLOW_DRAFTS=true\) this sign-in lacks Mail\.ReadWrite, Calendars\.ReadWrite; grant it with: mcp-server-outlook --sandbox login --drafts --profile default/);
    expect(plain.out()).toMatch(/For sending \(OUTLOOK_ALLOW_SEND=true\) this sign-in lacks .*Mail\.Send; grant it with: mcp-server-outlook --sandbox login --send --profile default/);
    // The server's settings turn drafts on: the advice names --drafts.
    const drafts = cli({ OUTLOOK_ALLOW_DRAFTS: 'true' }, base.cacheDir);
    expect(await drafts.run(['--sandbox', 'status'])).toBe(EXIT_TOOL_ERROR);
    const advice = /Sign in again: (mcp-server-outlook [^\n]+)/.exec(drafts.out())?.[1];
    expect(advice).toBe('mcp-server-outlook --sandbox login --drafts --profile default');
    // Run exactly that, where OUTLOOK_ALLOW_DRAFTS is not set.
    const again = cli({}, base.cacheDir);
    expect(await again.run([...advice!.split(' ').slice(1), '--sandbox-approve-ms', '0'])).toBe(EXIT_OK);
    expect(again.out()).toMatch(/Scopes: .*Mail\.ReadWrite/);
    const after = cli({ OUTLOOK_ALLOW_DRAFTS: 'true' }, base.cacheDir);
    expect(await after.run(['--sandbox', 'status'])).toBe(EXIT_OK);
    expect(after.out()).not.toMatch(/MISSING/);
  });

  it('subcommand help lists --sandbox and --profile, and login/status list --drafts and --send', async () => {
    for (const sub of ['login', 'status', 'call', 'audit']) {
      const c = cli();
      expect(await c.run([sub, '--help'])).toBe(EXIT_OK);
      expect(c.out()).toMatch(/--sandbox\s+use the built-in demo mailbox/);
      expect(c.out()).toMatch(/--profile <name>/);
      if (sub === 'login' || sub === 'status') expect(c.out()).toMatch(/--drafts[\s\S]*--send/);
    }
  });

  it('logout removes only that profile\'s tokens', async () => {
    const base = cli();
    for (const p of ['alpha', 'beta']) {
      const c = cli({}, base.cacheDir);
      expect(await c.run(['--sandbox', 'login', '--profile', p, '--sandbox-approve-ms', '0'])).toBe(EXIT_OK);
    }
    const o = cli({}, base.cacheDir);
    expect(await o.run(['--sandbox', 'logout', '--profile', 'alpha'])).toBe(EXIT_OK);
    expect(existsSync(path.join(base.cacheDir, '@sandbox', 'alpha', 'tokens.json'))).toBe(false);
    expect(existsSync(path.join(base.cacheDir, '@sandbox', 'beta', 'tokens.json'))).toBe(true);
    const alpha = cli({}, base.cacheDir);
    expect(await alpha.run(['--sandbox', 'status', '--profile', 'alpha'])).toBe(EXIT_OK);
    expect(alpha.out()).toMatch(/Not signed in/);
    const beta = cli({}, base.cacheDir);
    expect(await beta.run(['--sandbox', 'status', '--profile', 'beta'])).toBe(EXIT_OK);
    expect(beta.out()).toMatch(/Account: /);
  });

  it('send enabled: the consent note; --json result', async () => {
    const c = cli({ OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true' });
    expect(await c.run(['--sandbox', 'login', '--json', '--sandbox-approve-ms', '0'])).toBe(EXIT_OK);
    expect(c.err()).toMatch(/the consent screen will include "Send mail as you" \(Mail\.Send\)/);
    expect(JSON.parse(c.out())).toMatchObject({ profile: 'default', sandbox: true, account_type: 'work or school', scopes: ['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'Mail.ReadWrite', 'Calendars.ReadWrite', 'Mail.Send'], missing_scopes: [] });
  });

  it('a damaged token file: calls and login say which file and what to do, and leave it untouched', async () => {
    const c = cli();
    const dir = path.join(c.cacheDir, '@sandbox', 'default');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dir, 'tokens.json'), '{"Account": {', { mode: 0o600 });
    expect(await c.run(['--sandbox', 'call', 'ol_email_list_unread'])).toBe(EXIT_TOOL_ERROR);
    expect(c.out()).toMatch(/The token file for profile 'default' \(.*tokens\.json\) is not a token cache .*left untouched/);
    const l = cli({}, c.cacheDir);
    expect(await l.run(['--sandbox', 'login', '--sandbox-approve-ms', '0'])).toBe(EXIT_TOOL_ERROR);
    expect(l.err()).toMatch(/sign-in failed\. The token file for profile 'default'/);
    expect(l.err()).not.toMatch(/enter the code/);
    expect(readFileSync(path.join(dir, 'tokens.json'), 'utf8')).toBe('{"Account": {');
    // logout is the way out, then a fresh sign-in works.
    const o = cli({}, c.cacheDir);
    expect(await o.run(['--sandbox', 'logout'])).toBe(EXIT_OK);
    expect(o.out()).toMatch(/^Signed out profile 'default': removed its tokens/);
    expect(await cli({}, c.cacheDir).run(['--sandbox', 'login', '--sandbox-approve-ms', '0'])).toBe(EXIT_OK);
  });

  it('login is refused in service-principal mode (exit 2)', async () => {
    const c = cli({ OUTLOOK_CLIENT_SECRET: 's', OUTLOOK_CLIENT_ID: 'c', OUTLOOK_TENANT_ID: 't', OUTLOOK_MAILBOX: 'ops@contoso.com' });
    expect(await c.run(['login'])).toBe(EXIT_USAGE);
    expect(c.err()).toMatch(/'login' is for delegated sign-in\. Service-principal mode/);
    expect(await cli().run(['--sandbox', 'login', '--sandbox-approve-ms', 'soon'])).toBe(EXIT_USAGE);
  });
});

describe('live mode against a standalone sandbox (OUTLOOK_AUTHORITY_URL + OUTLOOK_GRAPH_URL)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ identity: { autoApproveMs: 0 } });
  });
  afterAll(async () => {
    await sb.close();
  });
  const env = () => ({ OUTLOOK_AUTHORITY_URL: sb.origin, OUTLOOK_GRAPH_URL: sb.url, OUTLOOK_TOKEN_STORE: 'file' });

  it('login stores the tokens in the profile folder; a later call uses and renews them', async () => {
    const c = cli(env());
    expect(await c.run(['login', '--profile', 'acme'])).toBe(EXIT_OK);
    expect(c.out()).toMatch(/^Signed in profile 'acme' as Avery Quinn/);
    expect(existsSync(path.join(c.cacheDir, 'acme', 'tokens.json'))).toBe(true);
    sb.identity?.expireAccessTokens();
    const call = cli(env(), c.cacheDir);
    expect(await call.run(['--profile', 'acme', 'call', 'ol_email_list_unread', '{"limit":2}'])).toBe(EXIT_OK);
    expect(call.out()).toMatch(/^2 message\(s\):/);
    expect(sb.identity?.requests.at(-1)).toMatchObject({ grantType: 'refresh_token', status: 200 });
  });

  it('a declined sign-in exits 1 and says why on stderr; stdout stays empty', async () => {
    sb.identity?.inject({ failure: 'declined', on: 'device_code' });
    const c = cli(env());
    expect(await c.run(['login'])).toBe(EXIT_TOOL_ERROR);
    expect(c.err()).toMatch(/sign-in failed\. The sign-in was declined on the sign-in page\. \(authorization_declined\) Start again with mcp-server-outlook login --profile default/);
    expect(c.out()).toBe('');
  });

  it('without a sign-in, a live call says how to sign in', async () => {
    const c = cli(env());
    expect(await c.run(['call', 'ol_email_list_unread'])).toBe(EXIT_TOOL_ERROR);
    expect(c.out()).toMatch(/No usable credentials for profile 'default'\. Sign in with: mcp-server-outlook login --profile default \(or ask the agent to call ol_login_begin\)/);
  });
});
