/**
 * Shared and delegated mailboxes in remote mode over the team sandbox (OUTLOOK_ALLOW_SHARED_MAILBOXES):
 * each person's on-behalf-of token opens only the other mailboxes their grant allows, checked by the
 * sandbox on every request; a refusal reaches the agent as the 403 explained with the mailbox named; the
 * mailbox itself is one for the whole team. Both protocol eras.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemote, subjectsOf, type RemoteHarness } from '../helpers/remote-harness.js';
import { textOf } from '../helpers/harness.js';

const SUPPORT = 'support@contoso.example';
const MORGAN = 'morgan.delegator@contoso.example';
let h: RemoteHarness;

beforeAll(async () => {
  h = await startRemote({ env: { OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_ALLOW_DRAFTS: 'true' } });
});
afterAll(async () => h?.close());

describe('remote mode: other mailboxes per person', () => {
  it('Blake (support desk) reads support@ and writes a draft there; Casey is refused with the mailbox named; Avery sees the same support@', async () => {
    const [blake, casey, avery] = await Promise.all([h.connectAs('blake', 'legacy'), h.connectAs('casey', 'modern'), h.connectAs('avery', 'modern')]);
    const seen = await blake.call('ol_email_list_unread', { mailbox: SUPPORT, limit: 50 });
    expect(seen.isError, textOf(seen)).toBeFalsy();
    expect(subjectsOf(seen)).toContain('Only for Contoso Support: mailbox support');
    const draft = await blake.call('ol_email_create_draft', { mailbox: SUPPORT, to: ['dana@fabrikam.example'], subject: 'Blake drafts in support', body: 'Hi' });
    expect(draft.isError, textOf(draft)).toBeFalsy();

    h.sandbox.clearLog();
    const refused = await casey.call('ol_email_list_unread', { mailbox: SUPPORT });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(`Access to the mailbox ${SUPPORT} was refused (403 ErrorAccessDenied)`);
    expect(h.sandbox.requests.map((q) => [q.mailbox, q.status])).toEqual([[SUPPORT, 403]]);

    // One support@ for the team: the draft Blake made is in the Drafts folder Avery reads there.
    const folders = await avery.call('ol_email_search', { mailbox: SUPPORT, query: 'Blake drafts in support', folder: 'drafts' });
    expect(folders.isError, textOf(folders)).toBeFalsy();
    expect(textOf(folders)).toContain('Blake drafts in support');
  });

  it("Avery may read Morgan's calendar but not her mail; Blake, her full delegate, may read both", async () => {
    const [avery, blake] = await Promise.all([h.connectAs('avery', 'legacy'), h.connectAs('blake', 'modern')]);
    const range = { from_date: '2020-01-01', to_date: '2020-01-08' };
    expect((await avery.call('ol_calendar_list_events', { mailbox: MORGAN, ...range })).isError).toBeFalsy();
    const mail = await avery.call('ol_email_list_unread', { mailbox: MORGAN });
    expect(mail.isError).toBe(true);
    expect(textOf(mail)).toContain(`Access to the mailbox ${MORGAN} was refused`);
    expect((await blake.call('ol_email_list_unread', { mailbox: MORGAN, limit: 1 })).isError).toBeFalsy();
  });
});
