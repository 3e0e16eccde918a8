/**
 * Staying signed in: silent renewal through MSAL with rotated refresh tokens
 * persisted, Graph's 401 answered by one forced refresh, clear errors when
 * renewal fails, and the scope check that runs before Graph would say 403.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryTokenStores, startHarness, textOf, type Harness, type MemoryTokenStores } from '../helpers/harness.js';
import type { Sandbox } from '../../src/sandbox/index.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function harness(stores: MemoryTokenStores, env: Record<string, string> = {}, sandbox?: Sandbox): Promise<Harness> {
  const h = await startHarness({ tokenStores: stores, sandbox: { identity: { autoApproveMs: 0 } }, env, ...(sandbox ? { sandboxInstance: sandbox } : {}) });
  open.push(h);
  return h;
}

async function signIn(h: Harness): Promise<void> {
  const session = h.runtime.deps.auth?.delegated?.beginLogin();
  await session?.finished;
  if (session?.state !== 'signed_in') throw new Error(`sign-in failed: ${session?.error?.message}`);
}

const refreshTokenOf = (data: string | undefined): string =>
  Object.values((JSON.parse(data ?? '{}') as { RefreshToken?: Record<string, { secret: string }> }).RefreshToken ?? {})[0]?.secret ?? '';

async function redeem(sandbox: Sandbox, tenant: string, clientId: string, refreshToken: string): Promise<{ status: number; body: { error?: string; error_codes?: number[] } }> {
  const res = await fetch(`${sandbox.origin}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, scope: 'Mail.Read offline_access' }),
  });
  return { status: res.status, body: (await res.json()) as { error?: string; error_codes?: number[] } };
}

describe('silent renewal', () => {
  it('401 from Graph → one forced refresh → the request is retried; the rotated refresh token is persisted and the old one is dead', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    await signIn(h);
    const store = [...stores.all.values()][0];
    const rt1 = refreshTokenOf(store?.data);
    const writes = store?.writes ?? 0;
    expect(rt1).toBeTruthy();

    h.sandbox.clearLog();
    h.sandbox.identity?.clearLog();
    h.sandbox.identity?.expireAccessTokens();
    const page = await h.ok<{ messages: unknown[] }>('ol_email_list_unread', { limit: 3 });
    expect(page.messages).toHaveLength(3);
    // Graph: refused once, then served with the new token.
    // (Later pages, when the sandbox pages one item at a time, are served with the new token too.)
    const statuses = h.sandbox.requests.map((r) => r.status);
    expect(statuses.slice(0, 2)).toEqual([401, 200]);
    expect(statuses.slice(2).every((s) => s === 200)).toBe(true);
    expect(h.sandbox.identity?.requests.map((r) => [r.grantType, r.status])).toEqual([['refresh_token', 200]]);

    const rt2 = refreshTokenOf(store?.data);
    expect(store?.writes).toBeGreaterThan(writes);
    expect(rt2).toBeTruthy();
    expect(rt2).not.toBe(rt1);
    const tenant = h.sandbox.identity?.tenantId ?? '';
    const clientId = h.runtime.deps.auth?.delegated?.clientId ?? '';
    expect(await redeem(h.sandbox, tenant, clientId, rt1)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [700082] } });

    // The next renewal uses the persisted token, and rotates again.
    h.sandbox.identity?.expireAccessTokens();
    await h.ok('ol_email_list_folders');
    expect(refreshTokenOf(store?.data)).not.toBe(rt2);
  });

  it('a new server process (same store) renews silently from the stored sign-in', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    await signIn(h);
    const again = await harness(stores, { OUTLOOK_CACHE_DIR: h.cacheDir }, h.sandbox);
    h.sandbox.identity?.clearLog();
    const s = await again.ok<{ token_source: string; user: string }>('ol_status');
    expect(s.token_source).toBe('sandbox sign-in (device code)');
    // The cached access token was still valid: no request to the identity endpoint at all.
    expect(h.sandbox.identity?.requests).toEqual([]);
  });

  it('invalid_grant on renewal: a clear "sign in again" error, after exactly one refresh attempt', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    await signIn(h);
    h.sandbox.identity?.expireAccessTokens();
    h.sandbox.identity?.inject({ failure: 'invalid_grant', on: 'refresh_token' });
    h.sandbox.identity?.clearLog();
    const text = await h.fail('ol_email_list_unread');
    expect(text).toBe(
      'The stored sign-in expired (the refresh token was unused too long, was already used, or was revoked). (AADSTS700082) Sign in again: mcp-server-outlook --sandbox login --profile default.',
    );
    expect(h.sandbox.identity?.requests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
  });

  it('MFA or conditional access demanded at renewal: the explanation and the next step', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    await signIn(h);
    h.sandbox.identity?.expireAccessTokens();
    h.sandbox.identity?.inject({ failure: 'mfa_required', on: 'refresh_token' });
    expect(await h.fail('ol_email_list_unread')).toMatch(/^The tenant requires multi-factor authentication for this sign-in\. \(AADSTS50076\) Sign in again with mcp-server-outlook --sandbox login --profile default and complete the MFA prompt/);
    h.sandbox.identity?.inject({ failure: 'conditional_access', on: 'refresh_token' });
    expect(await h.fail('ol_email_list_unread')).toMatch(/Conditional Access policy .*\(AADSTS53003\)/);
  });

  it('revoked sessions: every refresh token is refused', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    await signIn(h);
    h.sandbox.identity?.revokeRefreshTokens();
    h.sandbox.identity?.expireAccessTokens();
    expect(await h.fail('ol_calendar_list_events', { from_date: '2026-12-01', to_date: '2026-12-02' })).toMatch(/\(AADSTS700082\) Sign in again/);
  });
});

describe('scopes follow the flags', () => {
  it('a read-only sign-in used with drafts enabled: says which scopes are missing and how to fix it, before any Graph call', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    await signIn(h);
    const drafts = await harness(stores, { OUTLOOK_CACHE_DIR: h.cacheDir, OUTLOOK_ALLOW_DRAFTS: 'true' }, h.sandbox);
    h.sandbox.clearLog();
    expect(await drafts.fail('ol_email_list_unread')).toBe(
      "The sign-in of profile 'default' does not grant Mail.ReadWrite, Calendars.ReadWrite, which OUTLOOK_ALLOW_DRAFTS=true needs. Sign in again to grant them: mcp-server-outlook --sandbox login --drafts --profile default (or ask the agent to call ol_login_begin).",
    );
    expect(h.sandbox.requests).toEqual([]);
    const status = await drafts.call('ol_status');
    expect(textOf(status)).toMatch(/WARNING: The sign-in lacks Mail.ReadWrite, Calendars.ReadWrite/);

    // Signing in again with these settings grants them.
    await signIn(drafts);
    expect((await drafts.ok<{ scopes_granted: string[] }>('ol_status')).scopes_granted).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'Mail.ReadWrite', 'Calendars.ReadWrite']);
    await drafts.ok('ol_email_list_unread', { limit: 1 });
  });

  it('ol_status shows granted vs requested and warns when Mail.Send was consented earlier', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    h.sandbox.identity?.consent(['Mail.Send']);
    await signIn(h);
    const s = await h.ok<{ scopes_granted: string[]; warnings: string[] }>('ol_status');
    expect(s.scopes_granted).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'Mail.Send']);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(/^The sign-in holds Mail.Send beyond what these settings request \(consented earlier\)/);
    expect(textOf(await h.call('ol_status'))).toMatch(/Scopes granted: Mail.Read, Calendars.Read, People.Read, User.Read, Mail.Send \| requested: Mail.Read, Calendars.Read, People.Read, User.Read/);
  });

  it('the sandbox Graph refuses a token without the permission a route needs (403), as Graph does', async () => {
    const stores = memoryTokenStores();
    const h = await harness(stores);
    await signIn(h);
    const token = await h.runtime.deps.auth?.tokens.getToken();
    const get = (path: string) => fetch(`${h.sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get('/me/messages?$top=1')).status).toBe(200);
    const draft = await fetch(`${h.sandbox.url}/me/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"subject":"x"}' });
    expect(draft.status).toBe(403);
    expect(((await draft.json()) as { error: { code: string } }).error.code).toBe('ErrorAccessDenied');
    const send = await fetch(`${h.sandbox.url}/me/sendMail`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(send.status).toBe(403);
  });
});
