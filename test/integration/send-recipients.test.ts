/**
 * The send prompt shows where the mail goes (issue 16, send gate 1): every
 * address whole (only display names are capped), the EXTERNAL mark computed
 * from the raw address, and addresses that are not RFC 5321 mailboxes of at
 * most 254 characters refused at create/update and before a prompt. The
 * review card, the model-visible review and the audit line agree with the
 * prompt. Asserted from the prompt the client received and the sandbox's
 * notification log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElicitResult } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { cardView } from '../../src/services/review-card.js';
import { editLikeOutlook, startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

const PREFIX = 'a@contoso.example.mail.protection.outlook.com.';
const SUFFIX = '.evil.example';
/** 241 characters: long enough that a 200-character cut ends inside the filler, valid as a mailbox (≤ 254). */
const ATTACK = PREFIX + ['x', 'y', 'z'].map((c) => c.repeat(60)).join('.') + SUFFIX;
const ATTACK_DOMAIN = ATTACK.slice(2);

let sandbox: Sandbox;
let h: DraftsHarness;
const prompts: string[] = [];
let answer: () => Promise<ElicitResult>;

beforeAll(async () => {
  sandbox = await startSandbox();
  h = await startDraftsHarness({
    sandboxInstance: sandbox,
    env: { OUTLOOK_ALLOW_SEND: 'true' },
    elicit: async (req) => {
      prompts.push(req.message);
      return answer();
    },
  });
});
afterAll(async () => {
  await h.close();
  await sandbox.close();
});
beforeEach(() => {
  prompts.length = 0;
  answer = async () => ({ action: 'accept', content: { confirm: true } });
});

const sends = () => sandbox.requests.filter((r) => r.method === 'POST' && /\/send$/.test(r.path));
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

describe('the send prompt shows every address whole', () => {
  it('the 241-character attack address is shown whole, marked external with its real domain, in prompt, review, card and audit', async () => {
    expect(ATTACK).toHaveLength(241);
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: [ATTACK], subject: 'Invoice', body: 'Please find it attached.' });

    // The model-visible review and the card (built from the same read as the prompt) show it whole too.
    const review = await h.ok<{ to: string[] }>('ol_email_review_draft', { draft_id: d.draft_id });
    expect(review.to).toEqual([`${ATTACK} [EXTERNAL: ${ATTACK_DOMAIN}]`]);
    const card = await cardView(await h.deps.send.prepare(d.draft_id), true, '');
    expect(card.to).toEqual([{ display: ATTACK, address: ATTACK, domain: ATTACK_DOMAIN, external: true }]);

    sandbox.clearLog();
    const r = await h.ok<{ sent: boolean; to: string[] }>('ol_email_send_draft', { draft_id: d.draft_id });
    expect(prompts).toHaveLength(1);
    const prompt = prompts[0] ?? '';
    const toLine = prompt.split('\n').find((l) => l.startsWith('To: ')) ?? '';
    // Exactly the address, once, and the external mark naming the domain the mail really goes to.
    expect(toLine).toBe(`To: ${ATTACK} [EXTERNAL: ${ATTACK_DOMAIN}]`);
    expect(prompt).not.toContain('(truncated)');

    // What was approved is what went out, and the result and audit say so.
    expect(r.sent).toBe(true);
    expect(r.to).toEqual([ATTACK]);
    expect(sandbox.notifications.map((n) => n.recipients)).toEqual([[ATTACK]]);
    const sent = (await new AuditLog(h.stateDir).read()).filter((l) => l.outcome === 'sent').at(-1);
    expect(sent?.recipient_domains).toEqual([ATTACK_DOMAIN]);
  });

  it('a long display name is capped, the address after it is not', async () => {
    const name = 'N'.repeat(250);
    const address = PREFIX.slice(2).replace(/^/, 'b@') + 'q'.repeat(60) + SUFFIX;
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: [`${name} <${address}>`], subject: 'Long name', body: 'x' });
    sandbox.clearLog();
    answer = async () => ({ action: 'decline' });
    await h.ok('ol_email_send_draft', { draft_id: d.draft_id });
    const toLine = (prompts[0] ?? '').split('\n').find((l) => l.startsWith('To: ')) ?? '';
    expect(toLine).toContain(`<${address}> [EXTERNAL: ${address.slice(2)}]`);
    expect(toLine).toMatch(/^To: N{200}…\(truncated\) </);
    expect(sends()).toEqual([]);
  });
});

describe('addresses that are not RFC 5321 mailboxes of at most 254 characters', () => {
  const tooLong = PREFIX + ['x', 'y', 'z', 'w'].map((c) => c.repeat(60)).join('.').slice(0, 200) + SUFFIX;

  it.each([
    ['longer than 254 characters', tooLong, /is \d+ characters long; an email address has at most 254/],
    ['a zero-width space inside', 'dana\u200b@fabrikam.example', /invisible characters/],
    ['a right-to-left override inside', 'dana@\u202Eelpmaxe.evil', /invisible characters/],
    ['no dot in the domain', 'dana@localhost', /not fully qualified/],
    ['a local part over 64 characters', `${'l'.repeat(65)}@fabrikam.example`, /longer than 64/],
    ['two @', 'dana@evil.example@fabrikam.example', /not of the form/],
  ])('are refused at create and update with a clear error (%s), and nothing is written', async (_what, bad, reason) => {
    expect(tooLong.length).toBeGreaterThan(254);
    sandbox.clearLog();
    const created = await h.fail('ol_email_create_draft', { to: ['ok@fabrikam.example'], cc: [bad], subject: 's', body: 'b' });
    expect(created).toMatch(/^cc\[0\]: .* is not a valid email address/);
    expect(created).toMatch(reason);
    expect(created).toContain('Use name@example.com');
    expect(writes()).toEqual([]);

    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['ok@fabrikam.example'], subject: 's', body: 'b' });
    sandbox.clearLog();
    const updated = await h.fail('ol_email_update_draft', { draft_id: d.draft_id, bcc: ['fine@fabrikam.example', `Eve <${bad}>`] });
    expect(updated).toMatch(/^bcc\[1\]: .* is not a valid email address/);
    expect(writes()).toEqual([]);
  });

  it('a draft that got such an address elsewhere (Outlook) is refused before any prompt, and nothing is sent', async () => {
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['ok@fabrikam.example'], subject: 's', body: 'b' });
    await editLikeOutlook(sandbox, await h.idOf(d.draft_id), { toRecipients: [{ emailAddress: { address: tooLong } }] });
    sandbox.clearLog();
    const msg = await h.fail('ol_email_send_draft', { draft_id: d.draft_id });
    expect(msg).toMatch(/^Not sent: the To address ".*" of draft \S+ is not a valid email address \(it is \d+ characters long/);
    expect(msg).toContain('ol_email_update_draft');
    expect(prompts).toEqual([]);
    expect(sends()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
  });
});
