/**
 * ol_email_card_send (app-only): the review card's Send button. It needs the
 * approval the card got from ol_email_card_view, which no model-visible
 * result carries: signed for this profile, this draft and the digest of the
 * version the card showed, channel `card`, single use, at most 10 minutes.
 * A tampered, expired, replayed, superseded or foreign approval sends
 * nothing; so does a draft that changed since the card showed it (the card
 * then shows the new version). Every outcome writes its audit line with
 * `approved_by: card`.
 */
import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, strictInput, type ToolAnnotationHints } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { ApprovalError, approvalRefusalText } from '../../approval/approvals.js';
import { CARD_SEND_TOOL } from '../../apps/card-contract.js';
import { CARD_ONLY } from '../../apps/tool-meta.js';

/** Reaches other people and cannot be undone; a second call is never the same as the first. */
const SENDS: ToolAnnotationHints = Object.freeze({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });

export const emailCardSend = defineTool({
  name: CARD_SEND_TOOL,
  title: 'Review card: send the draft',
  description: "For the draft-review card's Send button only.",
  toolset: 'mail',
  // The draft's own mailbox, from this profile's registry: the card may show a shared mailbox's draft.
  draftMailbox: 'draft_id',
  gate: 'send',
  input: strictInput({ draft_id: idArg(), approval: z.string().min(1).max(8192) }),
  output: z.object({
    draft_id: z.string(),
    status: z.enum(['sent', 'changed', 'refused']),
    sent: z.boolean(),
    subject: z.string().optional(),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    bcc: z.array(z.string()),
    attachments: z.array(z.string()),
    approved_by: z.literal('card'),
    reason: z.string().optional(),
    note: z.string(),
  }),
  annotations: SENDS,
  meta: CARD_ONLY,
  audit: { action: 'send', idArg: 'draft_id', outcome: (r) => (r.status === 'sent' ? 'sent' : r.status === 'changed' ? 'changed' : 'refused') },
  async handler(args, ctx) {
    const { deps, signal } = ctx;
    const { send, approvals } = draftDepsOf(deps);
    const { id, handle } = await send.ownedId(args.draft_id, signal);
    const refused = (err: ApprovalError) => {
      const note = `Not sent: ${approvalRefusalText(err.reason)}. The card shows the current version again; press Send there if it is right.`;
      return { structured: { draft_id: handle, status: 'refused' as const, sent: false, to: [], cc: [], bcc: [], attachments: [], approved_by: 'card' as const, reason: `approval-${err.reason}`, note }, text: note };
    };
    let claim;
    try {
      claim = await approvals.verify(args.approval, { draftId: id, channel: 'card' });
      // Spent before the send request: a crash in between loses the send, never doubles it.
      await approvals.consume(claim);
    } catch (err) {
      // A 'busy' refusal left the approval unspent: end it, the card shows the current version again.
      if (err instanceof ApprovalError && err.reason === 'busy' && claim) await approvals.release(id, claim.nonce);
      if (err instanceof ApprovalError) return refused(err);
      throw err;
    }
    try {
      await ctx.audit?.('approved', { itemId: id, channel: 'card' });
      const r = await send.sendApproved({ id, handle, digest: claim.digest, channel: 'card' }, signal);
      const status = r.sent ? ('sent' as const) : ('changed' as const);
      const note = r.sent ? 'Sent, exactly as shown in the card. A copy is in Sent Items.' : 'Not sent: the draft changed after the card showed it. The card now shows the current version; press Send again if it is right.';
      const structured = { draft_id: r.draft_id, status, sent: r.sent, subject: r.subject, to: r.to, cc: r.cc, bcc: r.bcc, attachments: r.attachments, approved_by: 'card' as const, note };
      return { structured, text: `${r.sent ? `Sent draft ${r.draft_id}` : `Draft ${r.draft_id} was NOT sent (changed)`}. ${note}` };
    } finally {
      // The mail may be out: a store failure here is logged, never the call's result (the lock ends by its hold).
      if (!(await approvals.releaseAfterSend(id, claim.nonce))) await ctx.audit?.('lock-kept', { itemId: id, reason: 'state-release-failed' }).catch(() => undefined);
    }
  },
});
