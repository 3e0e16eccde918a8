/**
 * The device-code flow through real MSAL against the sandbox's identity
 * endpoint (GRAPH-NOTES §9 recipe), in-process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryTokenStores, startHarness, type Harness, type MemoryTokenStores } from '../helpers/harness.js';
import type { IdentityOptions } from '../../src/sandbox/index.js';
import type { DelegatedAuth } from '../../src/auth/delegated.js';
import { PERSONAL_ACCOUNTS_TENANT_ID } from '../../src/auth/authority.js';
import { SANDBOX_TENANT_ID } from '../../src/sandbox/identity/endpoint.js';

let h: Harness | undefined;
let stores: MemoryTokenStores;

async function start(identity: IdentityOptions = { autoApproveMs: false, pollIntervalSeconds: 0.02 }, env: Record<string, string> = {}): Promise<{ h: Harness; d: DelegatedAuth }> {
  stores = memoryTokenStores();
  h = await startHarness({ tokenStores: stores, sandbox: { identity }, env });
  const d = h.runtime.deps.auth?.delegated;
  if (!d) throw new Error('no delegated auth');
  return { h, d };
}

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const storeData = () => [...stores.all.values()][0]?.data;

describe('device code sign-in (real MSAL, sandbox identity)', () => {
  it('announces the code at once, then signs in when the code is approved, and Graph accepts the new token', async () => {
    const { h, d } = await start();
    const session = d.beginLogin();
    await session.prompted;
    expect(session.state).toBe('pending');
    expect(session.prompt?.userCode).toMatch(/^[A-Z]{9}$/);
    expect(session.prompt?.verificationUri).toBe(`${h.sandbox.origin}/devicelogin`);
    expect(session.prompt?.message).toContain(session.prompt?.userCode);
    h.sandbox.identity?.approve();
    await session.finished;
    expect(session.state).toBe('signed_in');
    expect(session.outcome).toEqual({
      account: 'Avery Quinn <avery.quinn@contoso.example>',
      username: 'avery.quinn@contoso.example',
      tenantId: SANDBOX_TENANT_ID,
      personal: false,
      scopes: ['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read'],
      missing: [],
    });
    // Persisted through the cache plugin: an MSAL cache with the account and a refresh token.
    const cache = JSON.parse(storeData() ?? '{}') as Record<string, Record<string, unknown>>;
    expect(Object.keys(cache.RefreshToken ?? {})).toHaveLength(1);
    expect(Object.keys(cache.Account ?? {})).toHaveLength(1);
    const log = h.sandbox.identity?.requests.map((r) => [r.path, r.grantType ?? r.endpoint, r.status]);
    expect(log?.[0]).toEqual(['/common/oauth2/v2.0/devicecode', 'devicecode', 200]);
    expect(log?.at(-1)).toEqual(['/common/oauth2/v2.0/token', 'device_code', 200]);
    expect(h.sandbox.identity?.requests[0]?.scope).toBe('Mail.Read Calendars.Read People.Read User.Read offline_access openid profile');

    const status = await h.ok<{ token_source: string; user: string; scopes_granted: string[] }>('ol_status');
    expect(status.token_source).toBe('sandbox sign-in (device code)');
    expect(status.scopes_granted).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read']);
    expect(status.user).toBe('Avery Quinn <avery.quinn@contoso.example>');
  });

  it('declined: says so and how to start again', async () => {
    const { h, d } = await start({ autoApproveMs: 0 });
    h.sandbox.identity?.inject({ failure: 'declined', on: 'device_code' });
    const session = d.beginLogin();
    await session.finished;
    expect(session.state).toBe('failed');
    expect(session.error?.code).toBe('authorization_declined');
    expect(session.error?.message).toBe('The sign-in was declined on the sign-in page. (authorization_declined) Start again with mcp-server-outlook --sandbox login --profile default and approve the request.');
    expect(storeData()).toBeUndefined();
  });

  it('expired code: says so', async () => {
    const { h, d } = await start({ autoApproveMs: false, pollIntervalSeconds: 0.02 });
    h.sandbox.identity?.inject({ failure: 'expired', on: 'device_code' });
    const session = d.beginLogin();
    await session.finished;
    expect(session.error?.code).toBe('expired_token');
    expect(session.error?.message).toMatch(/expired before it was entered .*enter the new code promptly/);
  });

  it('consent refused by policy: explains AADSTS65001 from the full Entra answer', async () => {
    const { h, d } = await start({ autoApproveMs: 0 });
    h.sandbox.identity?.inject({ failure: 'consent_required', on: 'device_code' });
    const session = d.beginLogin();
    await session.finished;
    expect(session.error?.code).toBe('AADSTS65001');
    expect(session.error?.message).toMatch(/consent required.*admin consent/);
  });

  it('an unknown app at the device-code endpoint: AADSTS700016, and no polling with an empty code', async () => {
    const { h, d } = await start();
    h.sandbox.identity?.inject({ failure: 'unknown_client', on: 'devicecode_endpoint' });
    const session = d.beginLogin();
    await session.finished;
    expect(session.state).toBe('failed');
    expect(session.error?.code).toBe('AADSTS700016');
    expect(session.error?.message).toMatch(/OUTLOOK_CLIENT_ID/);
    expect(h.sandbox.identity?.requests.filter((r) => r.endpoint === 'token')).toHaveLength(0);
  });

  it('a second begin joins the pending sign-in; force cancels it and starts fresh', async () => {
    const { h, d } = await start();
    const first = d.beginLogin();
    await first.prompted;
    expect(d.beginLogin()).toBe(first);
    expect(h.sandbox.identity?.requests.filter((r) => r.endpoint === 'devicecode')).toHaveLength(1);

    const second = d.beginLogin({ force: true });
    expect(second).not.toBe(first);
    expect(first.state).toBe('cancelled');
    await second.prompted;
    expect(second.prompt?.userCode).not.toBe(first.prompt?.userCode);
    // Approving the first code changes nothing now: its polling stopped.
    h.sandbox.identity?.approve(first.prompt?.userCode);
    h.sandbox.identity?.approve(second.prompt?.userCode);
    await second.finished;
    expect(second.state).toBe('signed_in');
    expect(first.state).toBe('cancelled');
    expect(d.currentLogin).toBe(second);
  });

  it('a personal account signs in through common and renews through consumers (GRAPH-NOTES §9)', async () => {
    const { h, d } = await start({ autoApproveMs: 0, accountType: 'personal' });
    const session = d.beginLogin();
    await session.finished;
    expect(session.outcome).toMatchObject({ personal: true, tenantId: PERSONAL_ACCOUNTS_TENANT_ID });
    h.sandbox.identity?.expireAccessTokens();
    h.sandbox.identity?.clearLog();
    await h.ok('ol_email_list_unread', { limit: 1 });
    const refresh = h.sandbox.identity?.requests.filter((r) => r.grantType === 'refresh_token');
    expect(refresh?.map((r) => [r.path, r.status])).toEqual([['/consumers/oauth2/v2.0/token', 200]]);

    // The sandbox refuses what Entra refuses: renewing a personal account through /common.
    const rt = Object.values((JSON.parse(storeData() ?? '{}') as { RefreshToken: Record<string, { secret: string }> }).RefreshToken)[0]?.secret ?? '';
    const res = await fetch(`${h.sandbox.origin}/common/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: d.clientId, refresh_token: rt, scope: 'Mail.Read offline_access' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_codes: number[] }).error_codes).toEqual([70000]);
  });

  it('a pinned tenant signs in and renews there; a sign-in of another tenant is not used', async () => {
    const tenant = '11111111-2222-4333-8444-555555555555';
    const { h, d } = await start({ autoApproveMs: 0 }, { OUTLOOK_TENANT_ID: tenant });
    const session = d.beginLogin();
    await session.finished;
    expect(session.outcome?.tenantId).toBe(tenant);
    expect(h.sandbox.identity?.requests[0]?.path).toBe(`/${tenant}/oauth2/v2.0/devicecode`);
    h.sandbox.identity?.expireAccessTokens();
    await h.ok('ol_email_list_unread', { limit: 1 });
    expect(h.sandbox.identity?.requests.at(-1)?.path).toBe(`/${tenant}/oauth2/v2.0/token`);

    // The same stored sign-in, read by a server pinned to another tenant, is refused with the fix.
    const other = await startHarness({ tokenStores: stores, sandboxInstance: h.sandbox, env: { OUTLOOK_CACHE_DIR: h.cacheDir, OUTLOOK_TENANT_ID: '99999999-2222-4333-8444-555555555555' } });
    try {
      expect(await other.fail('ol_email_list_unread')).toBe(
        `Profile 'default' is signed in to tenant ${tenant}, but OUTLOOK_TENANT_ID is 99999999-2222-4333-8444-555555555555. Sign in again for that tenant: mcp-server-outlook --sandbox login --profile default`,
      );
    } finally {
      await other.close();
    }
  });
});
