/**
 * Sending from a shared mailbox (OUTLOOK_ALLOW_SHARED_MAILBOXES with send on): the prompt says the mail goes
 * out from that mailbox, the one send goes through that mailbox's own draft, a shared draft cannot be sent as
 * the user's own, and Graph's Send As refusal is explained. Asserted from the sandbox's request and
 * notification logs, in both eras (vitest.config.ts runs send-* again as 2026-07-28 clients, paged).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';
import { AuditLog } from '../../src/audit/audit-log.js';

const SUPPORT = 'support@contoso.example';
const MORGAN = 'morgan.delegator@contoso.example';

let sandbox: Sandbox;
let h: DraftsHarness;
const prompts: string[] = [];
let answer: ElicitResult['action'] = 'accept';

beforeAll(async () => {
  // The signed-in person is also Morgan's full delegate here (by default only her calendar's).
  sandbox = await startSandbox({ grants: { avery: { 'morgan.delegator': 'full' } } });
  h = await startDraftsHarness({
    sandboxInstance: sandbox,
    env: { OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' },
    elicit: async (req: ElicitRequest['params']) => {
      prompts.push(req.message);
      return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: answer };
    },
  });
});
afterAll(async () => {
  await h.close();
  await sandbox.close();
});
afterEach(() => {
  prompts.length = 0;
  answer = 'accept';
});

const sends = () => sandbox.requests.filter((r) => r.method === 'POST' && /\/(send|sendMail)$/i.test(r.path));
const sent = () => sandbox.notifications.filter((n) => n.kind === 'mail-sent');

async function sharedDraft(subject: string, mailbox = SUPPORT): Promise<string> {
  const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { mailbox, to: ['Dana Lee <dana@fabrikam.example>'], subject, body: 'Hello Dana' });
  sandbox.clearLog();
  return d.draft_id;
}

describe('send from a shared mailbox', () => {
  it("asks with From: the shared mailbox, then sends once through that mailbox's draft", async () => {
    const id = await sharedDraft('From support, approved');
    const r = await h.ok<{ status: string; sent: boolean }>('ol_email_send_draft', { mailbox: SUPPORT, draft_id: id });
    expect(r).toMatchObject({ status: 'sent', sent: true });
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain(`It goes out immediately from the mailbox ${SUPPORT}, not your own.`);
    expect(prompts[0]).toMatch(new RegExp(`From: .*${SUPPORT.replace('.', '\\.')}.* \\(shared mailbox\\)`));
    expect(sends()).toHaveLength(1);
    // The log keeps the decoded path, and a Graph id may hold '/' (base64): match the mailbox and the action only.
    expect(sends()[0]?.path.toLowerCase()).toMatch(new RegExp(`^/v1\\.0/users/${SUPPORT.replace('.', '\\.')}/messages/.+/send$`));
    expect(sends()[0]?.mailbox).toBe(SUPPORT);
    expect(sent()).toHaveLength(1);
    // The audit line names the mailbox and carries the Graph id, not the mailbox-bound handle.
    const line = (await new AuditLog(h.stateDir).read()).at(-1);
    expect(line).toMatchObject({ action: 'send', outcome: 'sent', mailbox: SUPPORT });
    expect(sends()[0]?.path).toContain(`/messages/${line?.item_id}/send`);
  });

  it("sends nothing when declined, and a shared draft cannot be sent as the user's own", async () => {
    const id = await sharedDraft('From support, declined');
    answer = 'decline';
    const declined = await h.call('ol_email_send_draft', { mailbox: SUPPORT, draft_id: id });
    expect(JSON.stringify(declined)).not.toContain('"sent":true');
    answer = 'accept';
    expect(await h.fail('ol_email_send_draft', { draft_id: id })).toMatch(/not|known/);
    expect(sends()).toEqual([]);
    expect(sent()).toEqual([]);
  });

  it("says a person's own mailbox is theirs, as their delegate, from Graph's userPurpose, and sends from it", async () => {
    const id = await sharedDraft("From Morgan's mailbox", MORGAN);
    const r = await h.ok<{ status: string }>('ol_email_send_draft', { mailbox: MORGAN, draft_id: id });
    expect(r.status).toBe('sent');
    expect(prompts[0]).toMatch(new RegExp(`From: .*${MORGAN.replace(/\./g, '\\.')}.* \\(another person's own mailbox, as their delegate\\)`));
    expect(prompts[0]).not.toContain('(shared mailbox)');
    expect(sends().map((q) => q.mailbox)).toEqual([MORGAN]);
    expect(sent()).toHaveLength(1);
  });

  it('explains ErrorSendAsDenied: Send As / Send on Behalf is missing', async () => {
    const id = await sharedDraft('From support, no Send As');
    sandbox.inject({ status: 403, code: 'ErrorSendAsDenied', match: { method: 'POST', pathIncludes: '/send' } });
    const text = await h.fail('ol_email_send_draft', { mailbox: SUPPORT, draft_id: id });
    expect(text).toContain(`Access to the mailbox ${SUPPORT} was refused (403 ErrorSendAsDenied)`);
    expect(text).toContain('Send As or Send on Behalf');
    expect(sent()).toEqual([]);
  });
});
