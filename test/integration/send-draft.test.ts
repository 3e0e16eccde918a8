/**
 * ol_email_send_draft: sends only this profile's drafts, only after the user
 * approved (through MCP elicitation) the exact version shown, and never twice.
 * The sandbox's notification log must hold exactly the approved sends.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { editLikeOutlook, startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';
import { textOf } from '../helpers/harness.js';

interface SendResult {
  draft_id: string;
  status: string;
  sent: boolean;
  subject: string;
  note: string;
  web_url?: string;
}

const SEND_ENV = { OUTLOOK_ALLOW_SEND: 'true' };
/** What the test's "user" answers next; each test sets it. */
let answer: (req: ElicitRequest['params']) => Promise<ElicitResult>;
const prompts: string[] = [];

let sandbox: Sandbox;
let h: DraftsHarness;
beforeAll(async () => {
  sandbox = await startSandbox();
  h = await startDraftsHarness({
    sandboxInstance: sandbox,
    env: SEND_ENV,
    elicit: async (req) => {
      prompts.push(req.message);
      return answer(req);
    },
  });
});
afterAll(async () => {
  await h.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.clearLog();
  prompts.length = 0;
  answer = async () => ({ action: 'accept', content: { confirm: true } });
});

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');
const sends = () => sandbox.requests.filter((r) => r.method === 'POST' && /\/send$/.test(r.path));

async function draft(subject = 'Quarterly numbers'): Promise<string> {
  const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', {
    to: ['Dana Lee <dana@fabrikam.example>'],
    cc: ['jordan.patel@contoso.example'],
    subject,
    body: 'Hello Dana,\n\nthe numbers are attached.\n\nBest, Avery',
  });
  sandbox.clearLog();
  return d.draft_id;
}

describe('ol_email_send_draft with elicitation', () => {
  it('is registered only with drafts and send enabled, with the send annotations', async () => {
    const { tools } = await h.client.listTools();
    const t = tools.find((x) => x.name === 'ol_email_send_draft');
    expect(t?.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
  });

  it('sends after the user accepts a summary of exactly what goes out', async () => {
    const id = await draft();
    const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
    expect(r).toMatchObject({ status: 'sent', sent: true });
    expect(prompts).toHaveLength(1);
    const prompt = prompts[0] ?? '';
    expect(prompt).toContain('Subject: Quarterly numbers');
    expect(prompt).toContain('dana@fabrikam.example> [EXTERNAL: fabrikam.example]');
    expect(prompt).toMatch(/Cc: jordan\.patel@contoso\.example(?! \[EXTERNAL)/);
    expect(prompt).toMatch(/From: .*avery\.quinn@contoso\.example/);
    expect(prompt).toContain('Hello Dana,');
    expect(prompt).toContain('Attachments: none');
    expect(sends()).toHaveLength(1);
    expect(sandbox.notifications).toHaveLength(1);
    expect(sandbox.notifications[0]).toMatchObject({ kind: 'mail-sent', subject: 'Quarterly numbers' });
    // Forgotten by the registry: a second call is refused and sends nothing.
    const again = await h.fail('ol_email_send_draft', { draft_id: id });
    expect(again).toMatch(/not a draft this profile created|no longer a draft/);
    expect(sends()).toHaveLength(1);
  });

  it('shows attachment names and sizes', async () => {
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', {
      to: ['dana@fabrikam.example'],
      subject: 'With file',
      body: 'see attached',
      attachments: [{ message_id: SEED_IDS.messageWithPdf, attachment_id: (await pdfAttachmentId()) }],
    });
    answer = async () => ({ action: 'decline' });
    await h.ok<SendResult>('ol_email_send_draft', { draft_id: d.draft_id });
    expect(prompts[0]).toMatch(/Attachments: .+\.pdf \(\d+(\.\d)? (B|KB|MB)\)/);
  });

  it.each([
    ['decline', 'declined'],
    ['cancel', 'cancelled'],
  ] as const)('sends nothing after %s', async (action, status) => {
    const id = await draft();
    answer = async () => ({ action });
    const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
    expect(r).toMatchObject({ status, sent: false });
    expect(r.note).toMatch(/^Not sent: the user/);
    expect(writes()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
  });

  it('treats accept without the confirmation ticked as declined', async () => {
    const id = await draft();
    answer = async () => ({ action: 'accept', content: { confirm: false } });
    const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
    expect(r.status).toBe('declined');
    expect(sends()).toEqual([]);
  });

  it('refuses our own update and discard of a draft while its approval prompt is open', async () => {
    const id = await draft();
    const during: string[] = [];
    answer = async () => {
      // A hostile agent races the prompt: change the recipients, or discard, while the user reads.
      during.push(await h.fail('ol_email_update_draft', { draft_id: id, to: ['attacker@evil.example'] }));
      during.push(await h.fail('ol_email_discard_draft', { draft_id: id }));
      return { action: 'accept', content: { confirm: true } };
    };
    const r = await h.ok<SendResult & { to: string[] }>('ol_email_send_draft', { draft_id: id });
    expect(during[0]).toMatch(/cannot be changed now: the user is being asked to approve/);
    expect(during[1]).toMatch(/cannot be discarded now/);
    expect(r).toMatchObject({ status: 'sent', sent: true });
    expect(r.to).toEqual(['Dana Lee <dana@fabrikam.example>']);
    expect(sandbox.notifications).toHaveLength(1);
    expect(sandbox.notifications[0]?.recipients).toContain('dana@fabrikam.example');
    expect(sandbox.notifications.flatMap((n) => n.recipients)).not.toContain('attacker@evil.example');
    // After the answer the lock is gone.
    await h.ok('ol_email_create_draft', { to: ['x@fabrikam.example'], subject: 's', body: 'b' });
  });

  it('sends nothing when the draft changed between the prompt and the answer', async () => {
    const id = await draft();
    const graphId = await h.idOf(id);
    answer = async () => {
      // A person edits the draft in Outlook (straight to Graph) while the prompt shows the old version.
      await editLikeOutlook(sandbox, graphId, { toRecipients: [{ emailAddress: { address: 'someone.else@northwind.example' } }] });
      return { action: 'accept', content: { confirm: true } };
    };
    const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
    expect(r).toMatchObject({ status: 'changed', sent: false });
    expect(sends()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
    // Asking again shows the new version, and that one can be approved.
    answer = async () => ({ action: 'accept', content: { confirm: true } });
    const again = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
    expect(again.status).toBe('sent');
    expect(prompts.at(-1)).toContain('someone.else@northwind.example [EXTERNAL: northwind.example]');
    expect(sandbox.notifications).toHaveLength(1);
  });

  it('refuses foreign ids before any Graph write, and before any request for unknown ones', async () => {
    const event = await h.ok<{ event_id: string }>('ol_calendar_create_event_draft', { subject: 'Sync', start: '2026-12-02T10:00', end: '2026-12-02T10:30' });
    sandbox.clearLog();
    for (const foreign of [SEED_IDS.draftMessage, SEED_IDS.threadDraft, SEED_IDS.threadRoot]) {
      const msg = await h.fail('ol_email_send_draft', { draft_id: foreign });
      expect(msg).toMatch(/not a draft this profile created/);
    }
    expect(sandbox.requests).toEqual([]);
    expect(await h.fail('ol_email_send_draft', { draft_id: event.event_id })).toMatch(/event draft, not a mail draft/);
    expect(writes()).toEqual([]);
    expect(prompts).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
  });

  it('refuses a draft that was sent from Outlook meanwhile (a retry never sends twice)', async () => {
    const id = await draft();
    const graphId = await h.idOf(id);
    const msg = sandbox.mailbox.messages.find((x) => x.id === graphId);
    if (!msg) throw new Error('draft missing');
    msg.isDraft = false;
    expect(await h.fail('ol_email_send_draft', { draft_id: id })).toMatch(/no longer a draft/);
    expect(sends()).toEqual([]);
  });

  it('the notification log holds exactly the approved sends of a mixed session', async () => {
    const ids = [await draft('one'), await draft('two'), await draft('three'), await draft('four')];
    sandbox.clearLog();
    const decisions: Array<() => Promise<ElicitResult>> = [
      async () => ({ action: 'accept', content: { confirm: true } }),
      async () => ({ action: 'decline' }),
      async () => ({ action: 'cancel' }),
      async () => ({ action: 'accept', content: { confirm: true } }),
    ];
    for (const [i, id] of ids.entries()) {
      answer = decisions[i] as () => Promise<ElicitResult>;
      await h.ok('ol_email_send_draft', { draft_id: id });
    }
    expect(sandbox.notifications.map((n) => n.subject)).toEqual(['one', 'four']);
    expect(sends()).toHaveLength(2);
  });

  it('writes audit lines for approved, declined and sent, without subject or body text', async () => {
    const log = new AuditLog(h.stateDir);
    const before = (await log.read()).length;
    const id = await draft('Secret merger plans');
    answer = async () => ({ action: 'decline' });
    await h.ok('ol_email_send_draft', { draft_id: id });
    answer = async () => ({ action: 'accept', content: { confirm: true } });
    await h.ok('ol_email_send_draft', { draft_id: id });
    const lines = (await log.read()).slice(before);
    expect(lines.map((l) => `${l.action}:${l.outcome}`)).toEqual(['draft.create:ok', 'send:declined', 'send:approved', 'send:sent']);
    const sent = lines.at(-1);
    expect(sent?.item_id).toBe(await h.idOf(id));
    expect(sent?.request_id).toMatch(/\S/);
    expect(sent?.recipient_domains).toEqual(['contoso.example', 'fabrikam.example']);
    const { readFileSync } = await import('node:fs');
    const raw = readFileSync(log.file, 'utf8');
    expect(raw).not.toContain('Secret merger');
    expect(raw).not.toContain('Hello Dana');
    expect(raw).not.toContain('dana@');
  });
});

async function pdfAttachmentId(): Promise<string> {
  const r = await h.ok<{ attachments?: Array<{ id: string; name: string }> }>('ol_email_read', { id: SEED_IDS.messageWithPdf, include_attachments: true });
  const a = r.attachments?.find((x) => x.name.endsWith('.pdf'));
  if (!a) throw new Error(`no pdf attachment: ${JSON.stringify(r).slice(0, 200)}`);
  return a.id;
}

describe('ol_email_send_draft without elicitation', () => {
  let plain: DraftsHarness;
  afterEach(async () => {
    await plain.close();
  });

  it('refuses in the default mode, pointing to Outlook and OUTLOOK_SEND_CONFIRMATION=client', async () => {
    plain = await startDraftsHarness({ sandboxInstance: sandbox, env: SEND_ENV });
    const d = await plain.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: 'x', body: 'y' });
    sandbox.clearLog();
    const r = await plain.call('ol_email_send_draft', { draft_id: d.draft_id });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/Not sent: this MCP client cannot ask you to confirm/);
    expect(textOf(r)).toContain('OUTLOOK_SEND_CONFIRMATION=client');
    expect(textOf(r)).toMatch(/https?:\/\//);
    expect(writes()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
    const last = (await new AuditLog(plain.stateDir).read()).at(-1);
    expect(last).toMatchObject({ action: 'send', outcome: 'refused', reason: 'SendConfirmationUnavailableError' });
  });

  it('sends in client mode (the client approval prompt is the gate)', async () => {
    plain = await startDraftsHarness({ sandboxInstance: sandbox, env: { ...SEND_ENV, OUTLOOK_SEND_CONFIRMATION: 'client' } });
    const d = await plain.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: 'client mode', body: 'y' });
    sandbox.clearLog();
    const r = await plain.ok<SendResult>('ol_email_send_draft', { draft_id: d.draft_id });
    expect(r.status).toBe('sent');
    expect(sends()).toHaveLength(1);
    expect(sandbox.notifications.map((n) => n.subject)).toEqual(['client mode']);
  });

  it('is not registered without OUTLOOK_ALLOW_SEND', async () => {
    plain = await startDraftsHarness({ sandboxInstance: sandbox });
    expect(plain.toolNames).not.toContain('ol_email_send_draft');
    const { tools } = await plain.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('ol_email_send_draft');
  });
});
