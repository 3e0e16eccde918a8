/**
 * The review card sends drafts of other mailboxes (OUTLOOK_ALLOW_SHARED_MAILBOXES with send on), on both
 * protocol eras: the card's app-only tools take the draft's mailbox from where this profile stored the
 * draft (never from an argument), show "From: … (shared mailbox)" or the delegated / unknown label the send
 * prompt shows, send once through that mailbox's draft, and write the mailbox in the audit line. Send As
 * refusals are explained. Asserted from the sandbox's request and notification logs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { APPROVAL_META, CARD_SEND_TOOL, CARD_VIEW_TOOL, type CardView } from '../../src/apps/card-contract.js';
import { startAppsHarness, type AppsClient, type AppsHarness, type Era } from '../helpers/apps-harness.js';
import { textOf } from '../helpers/harness.js';

const SUPPORT = 'support@contoso.example';
const MORGAN = 'morgan.delegator@contoso.example';

let h: AppsHarness;
const clients = new Map<Era, AppsClient>();

beforeAll(async () => {
  // Morgan made the signed-in person a full delegate here (the default grant is her calendar only).
  h = await startAppsHarness({ OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' }, { grants: { avery: { 'morgan.delegator': 'full' } } });
  for (const era of ['legacy', 'modern'] as const) clients.set(era, await h.connect(era, true));
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.sandbox.clearLog());

const sendPosts = () => h.sandbox.requests.filter((r) => r.method === 'POST' && /\/(send|sendMail|reply|replyAll|forward)$/i.test(r.path));
const sent = () => h.sandbox.notifications.filter((n) => n.kind === 'mail-sent');
const esc = (s: string) => s.replace(/[.]/g, '\\.');

describe.each([
  ['2025-11-25 client', 'legacy'],
  ['2026-07-28 client', 'modern'],
] as const)('review card, other mailboxes, %s', (_label, era) => {
  const host = () => clients.get(era) as AppsClient;

  async function draftIn(mailbox: string, subject: string): Promise<string> {
    const d = await host().ok<{ draft_id: string }>('ol_email_create_draft', { mailbox, to: ['Dana Lee <dana@fabrikam.example>'], subject, body: 'Hello Dana' });
    h.sandbox.clearLog();
    return d.draft_id;
  }

  async function openCard(draftId: string): Promise<{ view: CardView; approval: string }> {
    const r = (await host().client.callTool({ name: CARD_VIEW_TOOL, arguments: { draft_id: draftId } })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    const approval = r._meta?.[APPROVAL_META];
    expect(typeof approval).toBe('string');
    return { view: r.structuredContent as unknown as CardView, approval: approval as string };
  }

  const press = (draftId: string, approval: string) => host().call(CARD_SEND_TOOL, { draft_id: draftId, approval });

  it("shows the shared mailbox as the send prompt does and sends once through that mailbox's draft", async () => {
    const id = await draftIn(SUPPORT, `Card from support (${era})`);
    const { view, approval } = await openCard(id);
    expect(view.mailbox).toEqual({ address: SUPPORT, label: 'shared mailbox' });
    expect(view.from?.address).toBe(SUPPORT);
    expect(view.send_note).toContain(`from ${SUPPORT} (shared mailbox), not your own mailbox`);
    // The card read the support@ draft, nothing in the user's own mailbox.
    expect(h.sandbox.requests.every((r) => r.path.toLowerCase().startsWith(`/v1.0/users/${SUPPORT}`))).toBe(true);
    h.sandbox.clearLog();

    const r = await press(id, approval);
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'sent', sent: true, approved_by: 'card' });
    expect(sendPosts()).toHaveLength(1);
    expect(sendPosts()[0]?.path).toMatch(new RegExp(`^/v1\\.0/users/${esc(SUPPORT)}/messages/.+/send$`, 'i'));
    expect(sendPosts()[0]?.mailbox).toBe(SUPPORT);
    expect(sent()).toHaveLength(1);
    // Nothing but reads of that draft and the one send.
    expect(h.sandbox.requests.filter((q) => q.method !== 'GET').map((q) => q.method)).toEqual(['POST']);
    const lines = (await h.audit()).filter((l) => l.tool === CARD_SEND_TOOL).slice(-2);
    expect(lines.map((l) => [l.outcome, l.approved_by, l.mailbox])).toEqual([
      ['approved', 'card', SUPPORT],
      ['sent', 'card', SUPPORT],
    ]);
    expect(sendPosts()[0]?.path).toContain(`/messages/${lines[1]?.item_id}/send`);
  });

  it("labels a person's own mailbox the user is a delegate of as such, and sends from it", async () => {
    const id = await draftIn(MORGAN, `Card from Morgan's mailbox (${era})`);
    const { view, approval } = await openCard(id);
    expect(view.mailbox).toEqual({ address: MORGAN, label: "another person's own mailbox, as their delegate" });
    const r = await press(id, approval);
    expect(r.structuredContent).toMatchObject({ status: 'sent', sent: true });
    expect(sendPosts().map((q) => q.mailbox)).toEqual([MORGAN]);
    expect(sent()).toHaveLength(1);
  });

  it('explains a Send As refusal (403 ErrorSendAsDenied) and sends nothing', async () => {
    const id = await draftIn(SUPPORT, `Card without Send As (${era})`);
    const { approval } = await openCard(id);
    h.sandbox.inject({ status: 403, code: 'ErrorSendAsDenied', match: { method: 'POST', pathIncludes: '/send' } });
    const r = await press(id, approval);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(`Access to the mailbox ${SUPPORT} was refused (403 ErrorSendAsDenied)`);
    expect(textOf(r)).toContain('Send As or Send on Behalf');
    expect(sendPosts()).toHaveLength(1);
    expect(sendPosts()[0]?.status).toBe(403);
    expect(sent()).toEqual([]);
    expect((await h.audit()).at(-1)).toMatchObject({ tool: CARD_SEND_TOOL, outcome: 'failed', mailbox: SUPPORT });
  });

  it("a shared draft's handle never opens the user's own mailbox, and a card approval from one mailbox sends nothing in another", async () => {
    const shared = await draftIn(SUPPORT, `Shared for mixing (${era})`);
    const own = (await host().ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: `Own for mixing (${era})`, body: 'Hi' })).draft_id;
    h.sandbox.clearLog();
    const { approval } = await openCard(shared);
    const r = await press(own, approval);
    expect(r.structuredContent).toMatchObject({ status: 'refused', sent: false });
    expect(sendPosts()).toEqual([]);
    expect(h.sandbox.requests.some((q) => q.path.toLowerCase().startsWith('/v1.0/me/') && q.method !== 'GET')).toBe(false);
    expect(sent()).toEqual([]);
  });
});

describe('review card, a mailbox whose kind Graph will not say', () => {
  it('says "another person\'s mailbox" rather than guessing when mailboxSettings is refused', async () => {
    const other = await startAppsHarness({ OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' });
    try {
      const host = await other.connect('modern', true);
      const d = await host.ok<{ draft_id: string }>('ol_email_create_draft', { mailbox: SUPPORT, to: ['dana@fabrikam.example'], subject: 'Kind unknown', body: 'Hi' });
      other.sandbox.inject({ status: 403, match: { method: 'GET', pathIncludes: '/mailboxSettings' }, times: 5 });
      const first = await host.ok<CardView>(CARD_VIEW_TOOL, { draft_id: d.draft_id });
      expect(first.mailbox).toEqual({ address: SUPPORT, label: "another person's mailbox" });
      // Read once per mailbox per process: the refusal is kept, not asked again.
      await host.ok<CardView>(CARD_VIEW_TOOL, { draft_id: d.draft_id });
      expect(other.sandbox.requests.filter((q) => /\/mailboxSettings$/i.test(q.path))).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
