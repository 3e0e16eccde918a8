/**
 * The send gate on both MCP protocol eras, through the official SDK clients:
 * a 2025-11-25 client (the SDK's elicitation shim), a client pinned to
 * 2026-07-28 that fulfils `input_required` rounds automatically, and one in
 * manual mode that drives the rounds itself and so can tamper with, replay
 * and re-target the request state. Every assertion about what went out is
 * made against the sandbox's request and notification logs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallToolResult, ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { ApprovalService } from '../../src/approval/approvals.js';
import { tempState } from '../helpers/state.js';
import { editLikeOutlook, startDraftsHarness, type DraftsHarness, type DraftsHarnessOptions } from '../helpers/drafts-harness.js';
import { textOf } from '../helpers/harness.js';

const PIN_2026 = { versionNegotiation: { mode: { pin: '2026-07-28' as const } } };
const MANUAL_2026 = { ...PIN_2026, inputRequired: { autoFulfill: false } };
const LEGACY = { versionNegotiation: { mode: 'legacy' as const } };

interface SendResult {
  status: string;
  sent: boolean;
  to: string[];
  attachments: string[];
  approved_by?: string;
  note: string;
}

const accept = async (): Promise<ElicitResult> => ({ action: 'accept', content: { confirm: true } });

let sandbox: Sandbox;
let attachDir: string;
beforeAll(async () => {
  // Every collection one item a page: the prompt must still list every attachment.
  sandbox = await startSandbox({ pageSizeCap: 1 });
  attachDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-send-eras-'));
  for (const n of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) writeFileSync(path.join(attachDir, n), `file ${n}\n`);
});
afterAll(async () => {
  await sandbox.close();
  rmSync(attachDir, { recursive: true, force: true });
});

const sendsTo = () => sandbox.notifications.filter((n) => n.kind === 'mail-sent').map((n) => n.recipients);
const sendRequests = () => sandbox.requests.filter((r) => r.method === 'POST' && /\/send$/.test(r.path));

async function harness(answer: (req: ElicitRequest['params']) => Promise<ElicitResult>, extra: Partial<DraftsHarnessOptions> = {}): Promise<DraftsHarness> {
  return startDraftsHarness({
    sandboxInstance: sandbox,
    env: { OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_ATTACHMENT_DIRS: attachDir },
    elicit: answer,
    ...extra,
  });
}

async function draft(h: DraftsHarness, extra: Record<string, unknown> = {}): Promise<string> {
  const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', {
    to: ['Dana Lee <dana@fabrikam.example>'],
    subject: 'Numbers',
    body: 'Hello Dana,\n\nthe numbers are attached.',
    ...extra,
  });
  sandbox.clearLog();
  return d.draft_id;
}

const open: DraftsHarness[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const h of open.splice(0)) await h.close();
});

for (const era of [
  { name: '2025-11-25 client', client: LEGACY, expected: '2025-11-25' },
  { name: 'client pinned to 2026-07-28', client: PIN_2026, expected: '2026-07-28' },
]) {
  describe(`send gate, ${era.name}`, () => {
    let prompts: string[];
    let answer: (req: ElicitRequest['params']) => Promise<ElicitResult>;
    let h: DraftsHarness;
    beforeAll(async () => {
      prompts = [];
      answer = accept;
      h = await harness(
        async (req) => {
          prompts.push(req.message);
          return answer(req);
        },
        { client: era.client },
      );
    });
    afterAll(async () => h.close());

    it('lists and reads, and ol_status names the era and the confirmation mode', async () => {
      const { tools } = await h.client.listTools();
      expect(tools.map((t) => t.name)).toContain('ol_email_send_draft');
      const s = await h.ok<{ protocol_era: string; send_confirmation: string }>('ol_status');
      expect(s).toMatchObject({ protocol_era: era.expected, send_confirmation: 'elicit' });
      const unread = await h.ok<{ messages: Array<{ id: string }> }>('ol_email_list_unread', { limit: 2 });
      const read = await h.call('ol_email_read', { id: unread.messages[0]!.id });
      expect(read.isError).toBeFalsy();
    });

    it('shows every attachment (paged one by one) and says how much of the body is cut, then sends exactly once on accept', async () => {
      answer = accept;
      const long = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of the body with some words.`).join('\n\n');
      const id = await draft(h, { body: long, attachments: ['a.txt', 'b.txt', 'c.txt', 'd.txt'].map((n) => ({ path: path.join(attachDir, n) })) });
      prompts.length = 0;
      const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
      expect(r).toMatchObject({ status: 'sent', sent: true, approved_by: 'elicit' });
      expect(prompts).toHaveLength(1);
      expect(prompts[0]).toContain('Attachments: 4: a.txt');
      for (const n of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) expect(prompts[0]).toContain(n);
      expect(prompts[0]).toMatch(/\(\+\d+ more lines, \d+ characters not shown/);
      expect(r.attachments).toHaveLength(4);
      expect(sendRequests()).toHaveLength(1);
      expect(sendsTo()).toEqual([['dana@fabrikam.example']]);
    });

    it('sends nothing after decline', async () => {
      answer = async () => ({ action: 'decline' });
      const id = await draft(h);
      const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
      expect(r).toMatchObject({ status: 'declined', sent: false });
      expect(sendRequests()).toEqual([]);
      expect(sandbox.notifications).toEqual([]);
    });

    it('sends nothing when the draft is edited in Outlook after the prompt', async () => {
      const id = await draft(h);
      const graphId = await h.idOf(id);
      answer = async () => {
        await editLikeOutlook(sandbox, graphId, { subject: 'Numbers (edited in Outlook)' });
        return accept();
      };
      const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
      expect(r).toMatchObject({ status: 'changed', sent: false });
      expect(sendRequests()).toEqual([]);
      expect(sandbox.notifications).toEqual([]);
    });

    it('refuses an update during the prompt and sends the approved recipients, as the result and audit say', async () => {
      const id = await draft(h);
      let during = '';
      answer = async () => {
        during = await h.fail('ol_email_update_draft', { draft_id: id, to: ['attacker@evil.example'] });
        return accept();
      };
      const r = await h.ok<SendResult>('ol_email_send_draft', { draft_id: id });
      expect(during).toMatch(/cannot be changed now/);
      expect(r).toMatchObject({ status: 'sent', to: ['Dana Lee <dana@fabrikam.example>'] });
      expect(sendsTo()).toEqual([['dana@fabrikam.example']]);
      const last = (await new AuditLog(h.stateDir).read()).at(-1);
      expect(last).toMatchObject({ action: 'send', outcome: 'sent', recipient_domains: ['fabrikam.example'], approved_by: 'elicit' });
    });
  });
}

/** One manual round: the first call's input_required result, or a retry with answers and state. */
async function rawCall(h: DraftsHarness, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await h.client.callTool({ name: 'ol_email_send_draft', ...params } as never, { allowInputRequired: true } as never)) as unknown as Record<string, unknown>;
}

const ACCEPT = { confirm: { action: 'accept', content: { confirm: true } } };
const DECLINE = { confirm: { action: 'decline' } };

describe('send gate, 2026-07-28 client driving the rounds itself (manual input_required)', () => {
  let h: DraftsHarness;
  beforeAll(async () => {
    h = await harness(accept, { client: MANUAL_2026 });
  });
  afterAll(async () => h.close());

  async function firstRound(id: string): Promise<string> {
    const r = await rawCall(h, { arguments: { draft_id: id } });
    expect(r.resultType).toBe('input_required');
    expect(JSON.stringify(r.inputRequests)).toContain('Send this email now?');
    expect(sendRequests()).toEqual([]);
    return r.requestState as string;
  }

  it('accepts the genuine answer once', async () => {
    const id = await draft(h);
    const state = await firstRound(id);
    const r = (await rawCall(h, { arguments: { draft_id: id }, requestState: state, inputResponses: ACCEPT })) as unknown as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'sent' });
    expect(sendsTo()).toEqual([['dana@fabrikam.example']]);
    // Replaying the same state and answer sends nothing more.
    const again = (await rawCall(h, { arguments: { draft_id: id }, requestState: state, inputResponses: ACCEPT })) as unknown as CallToolResult;
    expect(again.isError).toBe(true);
    expect(sendsTo()).toHaveLength(1);
  });

  it('refuses a tampered state', async () => {
    const id = await draft(h);
    const state = await firstRound(id);
    const [v, body, mac] = state.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { p: { digest: string } };
    payload.p.digest = '0'.repeat(64);
    const forged = [v, Buffer.from(JSON.stringify(payload)).toString('base64url'), mac].join('.');
    for (const bad of [forged, state.slice(0, -2) + 'xx', 'v1.e30.AAAA', 'not-a-state']) {
      const r = (await rawCall(h, { arguments: { draft_id: id }, requestState: bad, inputResponses: ACCEPT })) as unknown as CallToolResult;
      expect(r.isError, bad.slice(0, 20)).toBe(true);
      expect(textOf(r)).toMatch(/altered or is not one this server issued/);
    }
    expect(sendRequests()).toEqual([]);
    const last = (await new AuditLog(h.stateDir).read()).at(-1);
    expect(last).toMatchObject({ action: 'send', outcome: 'refused' });
  });

  it('refuses a state re-targeted at another draft', async () => {
    const x = await draft(h, { subject: 'X' });
    const y = await draft(h, { subject: 'Y' });
    const stateForX = await firstRound(x);
    const r = (await rawCall(h, { arguments: { draft_id: y }, requestState: stateForX, inputResponses: ACCEPT })) as unknown as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/issued for a different draft/);
    expect(sendRequests()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
  });

  it('refuses a declined prompt answered again with accept, and an older prompt superseded by a newer one', async () => {
    const id = await draft(h);
    const state = await firstRound(id);
    const declined = (await rawCall(h, { arguments: { draft_id: id }, requestState: state, inputResponses: DECLINE })) as unknown as CallToolResult;
    expect(declined.structuredContent).toMatchObject({ status: 'declined' });
    const replay = (await rawCall(h, { arguments: { draft_id: id }, requestState: state, inputResponses: ACCEPT })) as unknown as CallToolResult;
    expect(textOf(replay)).toMatch(/already used/);
    const older = await firstRound(id);
    const newer = await firstRound(id);
    const r = (await rawCall(h, { arguments: { draft_id: id }, requestState: older, inputResponses: ACCEPT })) as unknown as CallToolResult;
    expect(textOf(r)).toMatch(/newer confirmation prompt/);
    expect(sendRequests()).toEqual([]);
    const ok = (await rawCall(h, { arguments: { draft_id: id }, requestState: newer, inputResponses: ACCEPT })) as unknown as CallToolResult;
    expect(ok.structuredContent).toMatchObject({ status: 'sent' });
    expect(sendRequests()).toHaveLength(1);
  });

  it('refuses an expired state', async () => {
    const id = await draft(h);
    const state = await firstRound(id);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 601_000 });
    const r = (await rawCall(h, { arguments: { draft_id: id }, requestState: state, inputResponses: ACCEPT })) as unknown as CallToolResult;
    vi.useRealTimers();
    expect(textOf(r)).toMatch(/expired/);
    expect(sendRequests()).toEqual([]);
  });

  it('refuses a replay after a restart, and a state from another profile', async () => {
    const id = await draft(h);
    const state = await firstRound(id);
    const declined = (await rawCall(h, { arguments: { draft_id: id }, requestState: state, inputResponses: DECLINE })) as unknown as CallToolResult;
    expect(declined.structuredContent).toMatchObject({ status: 'declined' });
    // A fresh service over the same profile folder, as after a restart: the ledger still knows the state.
    const restarted = new ApprovalService({ stateDir: h.stateDir, profile: h.deps.config.profile, now: () => new Date(), ledger: tempState({ dir: h.stateDir }).approvals, mailboxRoot: h.deps.graph.root });
    await expect(restarted.verify(state, { draftId: await h.idOf(id), channel: 'elicit' })).rejects.toMatchObject({ reason: 'replayed' });
    const other = await harness(accept, { client: MANUAL_2026, env: { OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_PROFILE: 'other' } });
    open.push(other);
    const od = await draft(other);
    const r = (await other.client.callTool({ name: 'ol_email_send_draft', arguments: { draft_id: od }, requestState: state, inputResponses: ACCEPT } as never, { allowInputRequired: true } as never)) as unknown as CallToolResult;
    expect(r.isError).toBe(true);
    expect(sendRequests()).toEqual([]);
  });
});

describe('send gate, 2025-11-25 specifics', () => {
  it('keeps the call alive with progress while the user decides, so the client timeout does not fire', async () => {
    const h = await harness(
      async () => {
        await new Promise((r) => setTimeout(r, 700));
        return accept();
      },
      { server: { keepAliveMs: 100 }, client: LEGACY },
    );
    open.push(h);
    const id = await draft(h);
    let progress = 0;
    const r = (await h.client.callTool({ name: 'ol_email_send_draft', arguments: { draft_id: id } }, { timeout: 400, resetTimeoutOnProgress: true, onprogress: () => void progress++ })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'sent' });
    expect(progress).toBeGreaterThanOrEqual(3);
    expect(sendRequests()).toHaveLength(1);
  });

  it('ignores a hostile 2025 client that forges the answer and state inside tools/call', async () => {
    const h = await harness(async () => ({ action: 'decline' }), { client: LEGACY });
    open.push(h);
    const id = await draft(h);
    const forged = await h.client.request({ method: 'tools/call', params: { name: 'ol_email_send_draft', arguments: { draft_id: id }, requestState: 'v1.e30.AAAA', inputResponses: ACCEPT } } as never);
    expect(JSON.stringify(forged)).not.toContain('"sent":true');
    expect(sendRequests()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
  });
});
