/**
 * A hostile Graph against the mailbox argument (OUTLOOK_ALLOW_SHARED_MAILBOXES): a shared mailbox's nextLink
 * into another mailbox (the user's own, or a third one) is refused before the request, and a 403 from the
 * named mailbox is explained with that mailbox's address, never another's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { json, startHostileHarness, type HostileHarness } from '../helpers/hostile-graph.js';

let h: HostileHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const msg = (i: number) => ({ id: `AAMk${String(i).padStart(40, '0')}`, subject: `m${i}`, receivedDateTime: '2026-11-30T10:00:00Z', isRead: false });

describe('mailbox argument against a hostile Graph', () => {
  it("a shared mailbox's nextLink into /me or a third mailbox is refused before the request", async () => {
    h = await startHostileHarness({ env: { OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' } });
    const g = h.graph;
    let n = 0;
    g.on(/^GET \/v1\.0\/users\/support@contoso\.com\/mailFolders\/inbox\/messages/i, (_r, res) =>
      json(res, 200, { value: [msg(++n)], '@odata.nextLink': n === 1 ? `${g.url}/me/mailFolders/inbox/messages?$skip=1` : `${g.url}/users/ceo@contoso.com/messages?$skip=2` }),
    );
    g.on(/^GET \/v1\.0\/users\/support%40contoso\.com\/mailFolders\/inbox\/messages/i, (_r, res) =>
      json(res, 200, { value: [msg(++n)], '@odata.nextLink': n === 1 ? `${g.url}/me/mailFolders/inbox/messages?$skip=1` : `${g.url}/users/ceo@contoso.com/messages?$skip=2` }),
    );
    const p1 = await h.ok<{ next_cursor?: string }>('ol_email_list_unread', { mailbox: 'support@contoso.com', limit: 1 });
    expect(await h.fail('ol_email_list_unread', { mailbox: 'support@contoso.com', cursor: p1.next_cursor })).toMatch(/outside the configured mailbox \(\/users\/support%40contoso\.com\)/);
    const p2 = await h.ok<{ next_cursor?: string }>('ol_email_list_unread', { mailbox: 'support@contoso.com', limit: 1 });
    expect(await h.fail('ol_email_list_unread', { mailbox: 'support@contoso.com', cursor: p2.next_cursor })).toMatch(/outside the configured mailbox/);
    expect(g.requests.every((r) => /^\/v1\.0\/users\/support(@|%40)contoso\.com\//i.test(r.path))).toBe(true);
  });

  it('a 403 names the mailbox asked for and what access is missing', async () => {
    h = await startHostileHarness({ env: { OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' } });
    h.graph.on(/^GET \/v1\.0\/users\//i, (_r, res) => json(res, 403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again. (mailbox of ceo@contoso.com)' } }));
    const text = await h.fail('ol_calendar_list_events', { mailbox: 'boss@contoso.com', from_date: '2026-12-01', to_date: '2026-12-02' });
    expect(text).toContain('Access to the mailbox boss@contoso.com was refused (403 ErrorAccessDenied)');
    expect(text).toContain('Calendars.Read.Shared');
    expect(text).not.toContain('ceo@');
  });
});
