/**
 * OUTLOOK_CLOUD drives the scope prefix MSAL sends (the authority and Graph
 * hosts are asserted per cloud in test/unit/auth-authority.test.ts); here a
 * real device-code sign-in per cloud against the sandbox identity endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryTokenStores, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a sign-in in each cloud requests that cloud\'s Graph scopes', () => {
  it.each([
    ['global', 'Mail.Read Calendars.Read People.Read User.Read offline_access openid profile'],
    ['usgov', 'https://graph.microsoft.us/Mail.Read https://graph.microsoft.us/Calendars.Read https://graph.microsoft.us/People.Read https://graph.microsoft.us/User.Read offline_access openid profile'],
    ['usgov-dod', 'https://dod-graph.microsoft.us/Mail.Read https://dod-graph.microsoft.us/Calendars.Read https://dod-graph.microsoft.us/People.Read https://dod-graph.microsoft.us/User.Read offline_access openid profile'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn/Mail.Read https://microsoftgraph.chinacloudapi.cn/Calendars.Read https://microsoftgraph.chinacloudapi.cn/People.Read https://microsoftgraph.chinacloudapi.cn/User.Read offline_access openid profile'],
  ])('%s', async (cloud, scope) => {
    h = await startHarness({ tokenStores: memoryTokenStores(), env: { OUTLOOK_CLOUD: cloud }, sandbox: { identity: { autoApproveMs: 0 } } });
    const session = h.runtime.deps.auth?.delegated?.beginLogin();
    await session?.finished;
    expect(session?.state).toBe('signed_in');
    expect(session?.outcome?.scopes).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read']);
    expect(h.sandbox.identity?.requests.map((r) => r.scope)).toEqual([scope, scope]);
    // Renewal asks for the same scopes (so MSAL's cache matches them) and keeps working.
    h.sandbox.identity?.expireAccessTokens();
    await h.ok('ol_email_list_unread', { limit: 1 });
    expect(h.sandbox.identity?.requests.at(-1)).toMatchObject({ grantType: 'refresh_token', scope, status: 200 });
    await h.ok('ol_email_list_unread', { limit: 1 });
    expect(h.sandbox.identity?.requests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
  });
});
