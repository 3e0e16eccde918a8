/** Attack group 2: forged cursors and nextLinks must never read another mailbox. */
import { afterEach, describe, expect, it } from 'vitest';
import { json, startHostileHarness, type HostileHarness } from '../helpers/hostile-graph.js';

let h: HostileHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const msg = (i: number) => ({ id: `AAMk${String(i).padStart(40, '0')}`, subject: `m${i}`, receivedDateTime: '2026-11-30T10:00:00Z', isRead: false });

describe('cursors and nextLinks', () => {
  it('a forged base64 cursor naming /users/ceo is refused before any request', async () => {
    h = await startHostileHarness();
    const forged = Buffer.from(JSON.stringify({ t: 'ol_email_list_unread', n: `${h.graph.url}/users/ceo@contoso.com/mailFolders/inbox/messages` })).toString('base64url');
    const text = await h.fail('ol_email_list_unread', { cursor: forged });
    expect(text).toMatch(/not a cursor from ol_email_list_unread.*list or search again/i);
    expect(h.graph.requests).toHaveLength(0);
  });

  it('a cursor is a short handle, and a nextLink into another mailbox is refused before the request', async () => {
    h = await startHostileHarness();
    const g = h.graph;
    g.on(/^GET \/v1\.0\/me\/mailFolders\/inbox\/messages/, (_r, res) => json(res, 200, { value: [msg(1)], '@odata.nextLink': `${g.url}/users/ceo@contoso.com/mailFolders/inbox/messages?$skip=1` }));
    const page = await h.ok<{ next_cursor?: string }>('ol_email_list_unread', { limit: 1 });
    expect(page.next_cursor).toMatch(/^c[a-z2-9]{12}$/);
    const text = await h.fail('ol_email_list_unread', { cursor: page.next_cursor });
    expect(text).toMatch(/outside the configured mailbox \(\/me\)/);
    expect(g.requests.map((r) => r.path)).toEqual(['/v1.0/me/mailFolders/inbox/messages']);
  });

  it('app-only mode: a nextLink to another user of the tenant is refused, the configured one is followed', async () => {
    h = await startHostileHarness({
      env: { OUTLOOK_AUTH_MODE: 'service-principal', OUTLOOK_CLIENT_ID: 'c', OUTLOOK_TENANT_ID: 't', OUTLOOK_CLIENT_SECRET: 's', OUTLOOK_MAILBOX: 'ops@contoso.com' },
    });
    const g = h.graph;
    let n = 0;
    g.on(/^GET \/v1\.0\/users\/ops%40contoso\.com\/mailFolders\/inbox\/messages/, (_r, res) =>
      json(res, 200, { value: [msg(++n)], '@odata.nextLink': n === 1 ? `${g.url}/users/ops@contoso.com/mailFolders/inbox/messages?$skip=1` : `${g.url}/users/ceo@contoso.com/messages?$skip=2` }),
    );
    g.on(/^GET \/v1\.0\/users\/ops@contoso\.com\/mailFolders\/inbox\/messages/, (_r, res) => json(res, 200, { value: [msg(2)], '@odata.nextLink': `${g.url}/users/ceo@contoso.com/messages?$skip=2` }));
    const p1 = await h.ok<{ next_cursor?: string }>('ol_email_list_unread', { limit: 1 });
    const p2 = await h.ok<{ next_cursor?: string; messages: unknown[] }>('ol_email_list_unread', { cursor: p1.next_cursor });
    expect(p2.messages).toHaveLength(1);
    expect(await h.fail('ol_email_list_unread', { cursor: p2.next_cursor })).toMatch(/outside the configured mailbox \(\/users\/ops%40contoso\.com\)/);
    expect(g.requests.some((r) => r.path.includes('ceo'))).toBe(false);
  });

  it('a cursor survives a server restart of the profile, and another profile cannot use it', async () => {
    h = await startHostileHarness();
    const g = h.graph;
    g.on(/^GET \/v1\.0\/me\/mailFolders\/inbox\/messages\?/, (r, res) =>
      json(res, 200, r.url.includes('skip=1') ? { value: [msg(2)] } : { value: [msg(1)], '@odata.nextLink': `${g.url}/me/mailFolders/inbox/messages?$skip=1` }),
    );
    const p1 = await h.ok<{ next_cursor?: string }>('ol_email_list_unread', { limit: 1 });
    // A second runtime of the same profile (same cache dir): what a restarted server is.
    const { startRuntime } = await import('../../src/runtime.js');
    const { loadConfig } = await import('../../src/config/config.js');
    const { Logger } = await import('../../src/log.js');
    const { staticTokens } = await import('../helpers/hostile-graph.js');
    const again = await startRuntime(loadConfig({ OUTLOOK_CACHE_DIR: h.cacheDir, OUTLOOK_GRAPH_URL: g.url, OUTLOOK_TIMEZONE: 'UTC' }), { tokens: staticTokens, logger: new Logger('silent') });
    const other = await startRuntime(loadConfig({ OUTLOOK_CACHE_DIR: h.cacheDir, OUTLOOK_GRAPH_URL: g.url, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_PROFILE: 'other' }), { tokens: staticTokens, logger: new Logger('silent') });
    try {
      const p2 = await again.deps.mail.search('ol_email_list_unread', { folder: 'inbox', unreadOnly: true, limit: 1, cursor: p1.next_cursor });
      expect(p2.messages).toHaveLength(1);
      const before = g.requests.length;
      await expect(other.deps.mail.search('ol_email_list_unread', { folder: 'inbox', unreadOnly: true, limit: 1, cursor: p1.next_cursor })).rejects.toThrowError(/not a cursor this profile issued/);
      expect(g.requests.length).toBe(before);
    } finally {
      await again.close();
      await other.close();
    }
  });
});
