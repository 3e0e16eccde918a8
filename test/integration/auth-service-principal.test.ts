/**
 * Service principal (client credentials, real MSAL ConfidentialClientApplication)
 * against the sandbox identity endpoint: every read tool works on
 * /users/{mailbox}, app-only tokens never touch /me, failures are explained.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import type { IdentityOptions } from '../../src/sandbox/index.js';

const MAILBOX = 'avery.quinn@contoso.example';
const TENANT = '0e5a4d00-aaaa-4bbb-8ccc-0123456789ab';
const SP_ENV = { OUTLOOK_CLIENT_ID: 'app-1', OUTLOOK_TENANT_ID: TENANT, OUTLOOK_CLIENT_SECRET: 'sandbox-secret', OUTLOOK_MAILBOX: MAILBOX };

const open: Harness[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

async function harness(env: Record<string, string> = {}, identity: IdentityOptions = {}, more: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ env: { ...SP_ENV, ...env }, sandbox: { identity }, ...more });
  open.push(h);
  return h;
}

describe('service principal', () => {
  it('every read tool works on /users/{mailbox} with an app-only token', async () => {
    const h = await harness();
    expect(h.runtime.deps.auth?.kind).toBe('service-principal');
    const status = await h.ok<{ user: string; mailbox: string; auth_mode: string; token_source: string }>('ol_status');
    expect(status).toMatchObject({ user: `Avery Quinn <${MAILBOX}>`, mailbox: `/users/${encodeURIComponent(MAILBOX)}`, auth_mode: 'service-principal', token_source: 'service principal (client credentials)' });
    const unread = await h.ok<{ messages: Array<{ id: string }> }>('ol_email_list_unread', { limit: 2 });
    expect(unread.messages).toHaveLength(2);
    await h.ok('ol_email_search', { query: 'invoice', limit: 2 });
    await h.ok('ol_email_read', { id: unread.messages[0]?.id });
    await h.ok('ol_email_get_attachment', { message_id: SEED_IDS.messageWithTextAttachments, attachment_id: SEED_IDS.csvAttachment });
    await h.ok('ol_email_list_folders');
    const now = new Date();
    const day = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    await h.ok('ol_calendar_list_events', { from_date: day(-3), to_date: day(7) });
    await h.ok('ol_calendar_search', { query: 'stand-up' });
    await h.ok('ol_calendar_get_event', { id: SEED_IDS.appointment });

    expect(h.sandbox.requests.length).toBeGreaterThan(8);
    for (const r of h.sandbox.requests) {
      expect(r.path.startsWith(`/v1.0/users/${MAILBOX}`), r.path).toBe(true);
      expect(r.status, r.path).toBeLessThan(400);
    }
    const grants = h.sandbox.identity?.requests ?? [];
    expect(grants.length).toBeGreaterThanOrEqual(1);
    for (const g of grants) expect(g).toMatchObject({ path: `/${TENANT}/oauth2/v2.0/token`, grantType: 'client_credentials', clientId: 'app-1', scope: 'https://graph.microsoft.com/.default', status: 200 });
  });

  it('an expired app token is renewed once after a 401', async () => {
    const h = await harness();
    await h.ok('ol_email_list_folders');
    h.sandbox.identity?.expireAccessTokens();
    h.sandbox.clearLog();
    await h.ok('ol_email_list_folders');
    expect(h.sandbox.requests[0]?.status).toBe(401);
    expect(h.sandbox.requests.slice(1).every((r) => r.status === 200)).toBe(true);
    expect(h.sandbox.identity?.requests.filter((r) => r.grantType === 'client_credentials')).toHaveLength(2);
  });

  it('app-only tokens are refused on /me, as by Graph', async () => {
    const h = await harness();
    const token = await h.runtime.deps.auth?.tokens.getToken();
    const res = await fetch(`${h.sandbox.url}/me/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('/me request is only valid with delegated authentication flow.');
  });

  it('a missing application permission: Graph 403 explained', async () => {
    const h = await harness({}, { appRoles: ['Mail.Read', 'User.Read.All'] });
    await h.ok('ol_email_list_unread', { limit: 1 });
    expect(await h.fail('ol_calendar_list_events', { from_date: '2026-12-01', to_date: '2026-12-02' })).toMatch(/^Access denied by the mailbox\..*\(403 ErrorAccessDenied\)/);
  });

  it('a wrong secret: AADSTS7000215 explained', async () => {
    const h = await harness({}, { clientSecrets: { 'app-1': 'the-right-one' } });
    expect(await h.fail('ol_email_list_folders')).toMatch(/^The client secret is wrong\. \(AADSTS7000215\) .*OUTLOOK_CLIENT_SECRET/);
  });

  it('usgov asks for https://graph.microsoft.us/.default', async () => {
    const h = await harness({ OUTLOOK_CLOUD: 'usgov' });
    await h.ok('ol_email_list_folders');
    expect(h.sandbox.identity?.requests[0]?.scope).toBe('https://graph.microsoft.us/.default');
  });
});
