/**
 * ol_email_send_draft: the send gate, written once for both protocol eras.
 *
 * Round 1 reads everything that would go out (SendService.prepare), mints a
 * signed, single-use approval bound to the profile, the draft and the digest,
 * locks the draft against our own update/discard, and answers
 * `input_required` with a form elicitation showing the human the whole
 * summary. A 2026-07-28 client shows it and retries the call with the answer
 * and the echoed `requestState`; for a 2025 client the SDK's shim sends
 * `elicitation/create` and re-enters this handler the same way (we keep the
 * 2025 call alive with progress meanwhile). Round 2 verifies the state
 * (tampered, expired, replayed, superseded, other profile, other draft: all
 * refused, nothing sent), spends it, and sends only if the draft read again
 * still has the approved digest.
 */
import { z } from 'zod';
import { inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { idArg } from '../common.js';
import { defineTool, strictInput, type ToolAnnotationHints } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { renderSendSummary, type SendDraftResult } from '../../services/send.js';
import { SendConfirmationUnavailableError } from '../../drafts/errors.js';
import { ApprovalError } from '../../approval/approvals.js';
import { clientConfirmationAdvice, surfaceOf } from '../../config/advice.js';

/** Reaches other people and cannot be undone; a second call is never the same as the first. */
const SENDS: ToolAnnotationHints = Object.freeze({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });

/** The one field the human ticks; flat and primitive, as elicitation forms must be. */
const CONFIRM_SCHEMA = {
  type: 'object' as const,
  properties: { confirm: { type: 'boolean' as const, title: 'Send this email', description: 'Tick to send it now exactly as shown.', default: false } },
  required: ['confirm'],
};

function render(r: SendDraftResult): string {
  const head = r.sent ? `Sent draft ${r.draft_id}: ${r.subject || '(no subject)'}` : `Draft ${r.draft_id} was NOT sent (${r.status}).`;
  const to = [...r.to, ...r.cc, ...r.bcc];
  return `${head}\n${r.note}${r.sent ? `\nRecipients: ${to.join(', ') || '—'}; attachments: ${r.attachments.length}.` : ''}`;
}

export const emailSendDraft = defineTool({
  name: 'ol_email_send_draft',
  title: 'Send a mail draft (asks the user)',
  description: "Sends one of this profile's drafts after the user approves a summary of it. A declined or changed draft is not sent; do not retry unasked.",
  toolset: 'mail',
  gate: 'send',
  mailbox: true,
  input: strictInput({ draft_id: idArg('draft') }),
  output: z.object({
    draft_id: z.string(),
    status: z.enum(['sent', 'declined', 'cancelled', 'changed']),
    sent: z.boolean(),
    subject: z.string(),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    bcc: z.array(z.string()),
    attachments: z.array(z.string()),
    web_url: z.string().optional(),
    approved_by: z.string().optional(),
    note: z.string(),
  }),
  annotations: SENDS,
  audit: { action: 'send', idArg: 'draft_id', outcome: (r) => (r.status === 'sent' ? 'sent' : r.status === 'changed' ? 'changed' : r.status === 'cancelled' ? 'cancelled' : 'declined') },
  async handler(args, ctx) {
    const { deps, signal } = ctx;
    const { send, approvals } = draftDepsOf(deps);

    if (deps.config.sendConfirmation === 'client') {
      // The client's own per-call approval prompt was the gate; still send only what was read just now.
      const p = await send.prepare(args.draft_id, signal);
      const r = await send.sendApproved({ id: p.id, handle: p.handle, digest: p.digest, channel: 'client' }, signal);
      return { structured: r, text: render(r) };
    }

    const state = ctx.input.state;
    if (state === undefined) {
      if (!ctx.canElicit) {
        // Refused before reading what would go out: the ownership check already has the Outlook link.
        const p = await send.ownedId(args.draft_id, signal);
        throw new SendConfirmationUnavailableError(
          `Not sent: this MCP client cannot ask you to confirm a send (it does not support elicitation), and ${surfaceOf(deps.config) === 'mcpb' ? 'the extension asks you itself before every send' : 'OUTLOOK_SEND_CONFIRMATION=elicit requires that'}. ` +
            `Send draft ${p.handle} yourself from Outlook${p.webLink ? ` (${p.webLink})` : ''}, use a client with MCP Apps to review and send it, ${clientConfirmationAdvice(deps.config)}.`,
        );
      }
      const p = await send.prepare(args.draft_id, signal);
      const { token, claim } = await approvals.mint({ draftId: p.id, digest: p.digest, channel: 'elicit' });
      ctx.keepAlive(claim.nonce);
      return inputRequired({
        inputRequests: { confirm: inputRequired.elicit({ mode: 'form', message: renderSendSummary(p.summary), requestedSchema: CONFIRM_SCHEMA }) },
        requestState: token,
      });
    }

    // A retry that carries an answer: ownership again (the id argument is the agent's), then the approval itself.
    const { id, handle } = await send.ownedId(args.draft_id, signal);
    let claim;
    try {
      claim = await approvals.verify(state, { draftId: id, channel: 'elicit' });
    } catch (err) {
      // A refusal sends nothing, so a lost line of it is not worth a different error.
      if (err instanceof ApprovalError) await ctx.audit?.('refused', { itemId: id, reason: `approval-${err.reason}` }).catch(() => undefined);
      throw err;
    }
    ctx.stopKeepAlive(claim.nonce);
    const answer = inputResponse(ctx.input.responses, 'confirm');
    const accepted = answer.kind === 'elicit' && answer.action === 'accept' && answer.content?.confirm === true;
    if (!accepted) {
      // Spent either way: the same prompt cannot be answered twice.
      await approvals.release(id, claim.nonce);
      const outgoing = await send.readOutgoing(id, signal);
      const r = send.declined({ handle, outgoing }, answer.kind === 'elicit' && answer.action === 'cancel' ? 'cancel' : 'decline', 'elicit');
      return { structured: r, text: render(r) };
    }
    try {
      await approvals.consume(claim);
    } catch (err) {
      // Not spent (e.g. our own change of the draft is in progress): end the prompt so nothing stays locked.
      await approvals.release(id, claim.nonce);
      throw err;
    }
    try {
      await ctx.audit?.('approved', { itemId: id, channel: 'elicit' });
      const r = await send.sendApproved({ id, handle, digest: claim.digest, channel: 'elicit' }, signal);
      return { structured: r, text: render(r) };
    } finally {
      // The mail may be out: a store failure here is logged, never the call's result (the lock ends by its hold).
      if (!(await approvals.releaseAfterSend(id, claim.nonce))) await ctx.audit?.('lock-kept', { itemId: id, reason: 'state-release-failed' }).catch(() => undefined);
    }
  },
});
