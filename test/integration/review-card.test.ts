/**
 * The draft-review card over MCP, on both protocol eras: the card's
 * app-only tools exist only for clients that declare MCP Apps, the card's
 * approval never appears in a model-visible result, and only a valid,
 * fresh, single-use approval of the exact version shown sends. Every send
 * is checked in the sandbox's notification log, every outcome in the audit log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { APP_MIME_TYPE, APPROVAL_META, CARD_SEND_TOOL, CARD_VIEW_TOOL, REVIEW_CARD_URI, type CardView } from '../../src/apps/card-contract.js';
import { createReviewDraft, startAppsHarness, type AppsClient, type AppsHarness, type Era } from '../helpers/apps-harness.js';
import { textOf } from '../helpers/harness.js';

interface CardSend {
  draft_id: string;
  status: 'sent' | 'changed' | 'refused';
  sent: boolean;
  reason?: string;
  note: string;
}

const ERAS: Array<[string, Era]> = [
  ['2025-11-25 client', 'legacy'],
  ['2026-07-28 client', 'modern'],
];

/** Every string anywhere in a value (text, structuredContent, _meta …). */
function stringsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    out.add(value);
    // A model copies pieces of text too: every word-like run long enough to be a token.
    for (const piece of value.split(/[\s"'(),:;<>[\]{}]+/)) if (piece.length >= 8) out.add(piece);
  } else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

describe.each(ERAS)('review card with a %s', (_label, era) => {
  let h: AppsHarness;
  let host: AppsClient;
  let plain: AppsClient;
  beforeAll(async () => {
    h = await startAppsHarness({ OUTLOOK_ALLOW_SEND: 'true' });
    host = await h.connect(era, true);
    plain = await h.connect(era, false);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.sandbox.clearLog());

  const sends = () => h.sandbox.notifications.filter((n) => n.kind === 'mail-sent');

  const draft = (subject: string) => createReviewDraft(h, host, subject);

  /** What the card does when it opens: reads the draft through the app-only tool and keeps the approval. */
  async function openCard(draftId: string): Promise<{ view: CardView; approval: string; result: CallToolResult }> {
    const result = (await host.client.callTool({ name: CARD_VIEW_TOOL, arguments: { draft_id: draftId } })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    const approval = result._meta?.[APPROVAL_META];
    expect(typeof approval).toBe('string');
    return { view: result.structuredContent as unknown as CardView, approval: approval as string, result };
  }

  const press = (draftId: string, approval: string) => host.ok<CardSend>(CARD_SEND_TOOL, { draft_id: draftId, approval });

  it('a client without MCP Apps sees exactly the tools it saw before, no UI links and no card resource', async () => {
    const { tools } = await plain.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).not.toContain(CARD_VIEW_TOOL);
    expect(names).not.toContain(CARD_SEND_TOOL);
    expect(names).toContain('ol_email_review_draft');
    for (const t of tools) expect(t._meta, t.name).toBeUndefined();
    const { resources } = await plain.client.listResources();
    expect(resources.map((r) => r.uri)).not.toContain(REVIEW_CARD_URI);
  });

  it('a client without MCP Apps cannot call the app-only tools either, even with a valid approval', async () => {
    const id = await draft('Plain client tries the card');
    const { approval } = await openCard(id);
    for (const [name, args] of [
      [CARD_SEND_TOOL, { draft_id: id, approval }],
      [CARD_VIEW_TOOL, { draft_id: id }],
    ] as const) {
      const r = (await plain.client.callTool({ name, arguments: args })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/not found/);
    }
    expect(sends()).toEqual([]);
    const last = (await h.audit()).at(-1);
    expect(last).toMatchObject({ tool: CARD_SEND_TOOL, outcome: 'refused', reason: 'AppOnlyToolError' });
  });

  it('an MCP Apps client gets the app-only tools and the links to the card', async () => {
    const { tools } = await host.client.listTools();
    const by = (n: string) => tools.find((t) => t.name === n);
    for (const n of ['ol_email_create_draft', 'ol_email_update_draft', 'ol_email_review_draft']) {
      expect(by(n)?._meta, n).toMatchObject({ ui: { resourceUri: REVIEW_CARD_URI }, 'ui/resourceUri': REVIEW_CARD_URI });
    }
    for (const n of [CARD_VIEW_TOOL, CARD_SEND_TOOL]) expect(by(n)?._meta, n).toMatchObject({ ui: { resourceUri: REVIEW_CARD_URI, visibility: ['app'] } });
    expect(by('ol_email_review_draft')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(by(CARD_SEND_TOOL)?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
  });

  it('serves the card as one self-contained mcp-app page with a strict CSP', async () => {
    const { resources } = await host.client.listResources();
    expect(resources.find((r) => r.uri === REVIEW_CARD_URI)).toMatchObject({ mimeType: APP_MIME_TYPE });
    const read = await host.client.readResource({ uri: REVIEW_CARD_URI });
    const content = read.contents[0] as { uri: string; mimeType?: string; text?: string; _meta?: Record<string, unknown> };
    expect(content.mimeType).toBe(APP_MIME_TYPE);
    expect(content._meta?.ui).toMatchObject({ csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] } });
    const html = content.text ?? '';
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/);
    expect(html).toContain("connect-src 'none'");
    // Nothing loaded from elsewhere: no external script, style, image or frame reference.
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
  });

  it('the card shows every recipient (external marked), the visible body and every attachment with its size; Send sends that version once', async () => {
    const id = await draft('Quarterly figures');
    const { view, approval, result } = await openCard(id);
    expect(view.to).toEqual([{ display: 'Dana Lee <dana@fabrikam.example>', address: 'dana@fabrikam.example', domain: 'fabrikam.example', external: true }]);
    expect(view.cc).toEqual([{ display: 'jordan.patel@contoso.example', address: 'jordan.patel@contoso.example', domain: 'contoso.example', external: false }]);
    expect(view.body).toContain('the figures are attached.');
    expect(view.body).not.toMatch(/<[a-z]/i);
    expect(view.attachments.map((a) => a.name).sort()).toHaveLength(2);
    for (const a of view.attachments) expect(a.size_label).toMatch(/^\d+(\.\d)? (B|KB|MB)$/);
    expect(view.can_send).toBe(true);
    // The approval travels in the app-only result's _meta, nowhere else.
    expect([...stringsIn([result.content, result.structuredContent])]).not.toContain(approval);

    const r = await press(id, approval);
    expect(r).toMatchObject({ status: 'sent', sent: true });
    expect(sends()).toHaveLength(1);
    expect(sends()[0]).toMatchObject({ subject: 'Quarterly figures' });
    expect(sends()[0]?.recipients.sort()).toEqual(['dana@fabrikam.example', 'jordan.patel@contoso.example']);
    const lines = (await h.audit()).filter((l) => l.tool === CARD_SEND_TOOL).slice(-2);
    expect(lines.map((l) => [l.outcome, l.approved_by])).toEqual([
      ['approved', 'card'],
      ['sent', 'card'],
    ]);
    expect(lines[1]?.recipient_domains).toEqual(['contoso.example', 'fabrikam.example']);
  });

  it('a "model" that copies every value it saw in model-visible results into the card send sends nothing', async () => {
    const id = await draft('Copied values');
    const seen: unknown[] = [];
    const modelCall = async (name: string, args: Record<string, unknown>) => {
      const r = await host.client.callTool({ name, arguments: args });
      seen.push(r);
      return r as CallToolResult;
    };
    await modelCall('ol_email_update_draft', { draft_id: id, subject: 'Copied values (v2)' });
    await modelCall('ol_email_review_draft', { draft_id: id });
    await modelCall('ol_email_list_drafts', {});
    // The card opens (its result goes to the card, not the model), so a live approval exists.
    const { approval } = await openCard(id);
    await modelCall('ol_email_review_draft', { draft_id: id });
    const candidates = [...stringsIn(seen)];
    expect(candidates).not.toContain(approval);
    expect(candidates.length).toBeGreaterThan(10);
    for (const value of candidates) {
      const r = (await host.client.callTool({ name: CARD_SEND_TOOL, arguments: { draft_id: id, approval: value } })) as CallToolResult;
      const s = r.structuredContent as CardSend | undefined;
      expect(r.isError === true || s?.sent === false, value).toBe(true);
    }
    expect(sends()).toEqual([]);
    // The card's own approval was untouched by all of that.
    expect(await press(id, approval)).toMatchObject({ status: 'sent' });
    expect(sends()).toHaveLength(1);
  });

  it('refuses a tampered approval and says so in the audit log', async () => {
    const id = await draft('Tampered');
    const { approval } = await openCard(id);
    const last = approval.at(-2) === 'A' ? 'B' : 'A';
    const tampered = approval.slice(0, -2) + last + approval.slice(-1);
    const r = await press(id, tampered);
    expect(r).toMatchObject({ status: 'refused', sent: false, reason: 'approval-tampered' });
    expect(r.note).toMatch(/altered/);
    expect(sends()).toEqual([]);
    expect((await h.audit()).at(-1)).toMatchObject({ tool: CARD_SEND_TOOL, outcome: 'refused', reason: 'approval-tampered', approved_by: 'card' });
  });

  it('refuses an approval for another draft', async () => {
    const a = await draft('Draft A');
    const b = await draft('Draft B');
    const { approval } = await openCard(a);
    expect(await press(b, approval)).toMatchObject({ status: 'refused', reason: 'approval-wrong-draft' });
    expect(sends()).toEqual([]);
  });

  it('refuses an expired approval (more than 10 minutes)', async () => {
    const id = await draft('Expired');
    const { approval } = await openCard(id);
    h.advance(601);
    try {
      expect(await press(id, approval)).toMatchObject({ status: 'refused', reason: 'approval-expired' });
    } finally {
      h.advance(-601);
    }
    expect(sends()).toEqual([]);
  });

  it('an older card of the same draft cannot send once a newer one opened', async () => {
    const id = await draft('Two cards');
    const first = await openCard(id);
    const second = await openCard(id);
    expect(await press(id, first.approval)).toMatchObject({ status: 'refused', reason: 'approval-superseded' });
    expect(await press(id, second.approval)).toMatchObject({ status: 'sent' });
    expect(sends()).toHaveLength(1);
  });

  it('a draft edited after the card showed it is not sent; the spent approval cannot be replayed; the new card sends the new version', async () => {
    const id = await draft('Edited after review');
    const { approval } = await openCard(id);
    // The card does not lock the draft: the agent may still edit it while the card is on screen.
    await host.ok('ol_email_update_draft', { draft_id: id, to: ['mallory@evil.example'] });
    const r = await press(id, approval);
    expect(r).toMatchObject({ status: 'changed', sent: false });
    expect(sends()).toEqual([]);
    expect((await h.audit()).at(-1)).toMatchObject({ tool: CARD_SEND_TOOL, outcome: 'changed', approved_by: 'card' });
    expect(await press(id, approval)).toMatchObject({ status: 'refused', reason: 'approval-replayed' });
    expect(sends()).toEqual([]);
    // The card re-renders: the human now sees the new recipient and decides again.
    const again = await openCard(id);
    expect(again.view.to.map((t) => t.address)).toEqual(['mallory@evil.example']);
    expect(again.view.to[0]?.external).toBe(true);
    expect(await press(id, again.approval)).toMatchObject({ status: 'sent' });
    expect(sends().map((s) => s.recipients.sort())).toEqual([['jordan.patel@contoso.example', 'mallory@evil.example']]);
  });

  it('ol_email_review_draft tells the model the card is shown and carries no approval', async () => {
    const id = await draft('Review me');
    const r = (await host.client.callTool({ name: 'ol_email_review_draft', arguments: { draft_id: id } })) as CallToolResult;
    expect(r._meta?.[APPROVAL_META]).toBeUndefined();
    expect(r.structuredContent).toMatchObject({ draft_id: id, subject: 'Review me', to: ['Dana Lee <dana@fabrikam.example> [EXTERNAL: fabrikam.example]'] });
    expect(textOf(r)).toMatch(/review card; only the user can send it/);
    const p = (await plain.client.callTool({ name: 'ol_email_review_draft', arguments: { draft_id: id } })) as CallToolResult;
    expect(textOf(p)).toMatch(/Not sent\. The user can review and send it in Outlook/);
    expect(sends()).toEqual([]);
  });
});

describe('review card without send', () => {
  let h: AppsHarness;
  let host: AppsClient;
  beforeAll(async () => {
    h = await startAppsHarness();
    host = await h.connect('modern', true);
  });
  afterAll(async () => {
    await h.close();
  });

  it('renders with Discard and Open in Outlook only: no approval, no send tool', async () => {
    const { tools } = await host.client.listTools();
    expect(tools.map((t) => t.name)).toContain(CARD_VIEW_TOOL);
    expect(tools.map((t) => t.name)).not.toContain(CARD_SEND_TOOL);
    const d = await host.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: 'No send', body: 'Hi' });
    const r = (await host.client.callTool({ name: CARD_VIEW_TOOL, arguments: { draft_id: d.draft_id } })) as CallToolResult;
    expect(r._meta?.[APPROVAL_META]).toBeUndefined();
    expect(r.structuredContent).toMatchObject({ can_send: false, send_note: expect.stringMatching(/OUTLOOK_ALLOW_SEND/) });
    expect(h.sandbox.notifications).toEqual([]);
  });
});
