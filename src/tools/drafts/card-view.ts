/**
 * ol_email_card_view (app-only): what the review card renders, read fresh.
 * With send enabled it also mints the card's one-time approval of exactly
 * this version (bound to profile, draft and digest; channel `card`; at most
 * 10 minutes) and returns it in the result's `_meta`, a channel only the
 * card reads: the tool is listed and callable only for clients that declare
 * MCP Apps, hosts keep app-only tools away from the model, and no
 * model-visible result ever carries the approval.
 */
import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { cardView } from '../../services/review-card.js';
import { APPROVAL_META, CARD_VIEW_TOOL } from '../../apps/card-contract.js';
import { CARD_ONLY } from '../../apps/tool-meta.js';

const recipient = z.object({ display: z.string(), address: z.string(), domain: z.string().optional(), external: z.boolean() });

export const emailCardView = defineTool({
  name: CARD_VIEW_TOOL,
  title: 'Review card: read the draft',
  description: 'For the draft-review card only: the draft as it would go out.',
  toolset: 'mail',
  // The draft's own mailbox, from this profile's registry: the card may show a shared mailbox's draft.
  draftMailbox: 'draft_id',
  gate: 'drafts',
  input: strictInput({ draft_id: idArg() }),
  output: z.object({
    draft_id: z.string(),
    subject: z.string(),
    from: recipient.optional(),
    mailbox: z.object({ address: z.string(), label: z.string() }).optional(),
    to: z.array(recipient),
    cc: z.array(recipient),
    bcc: z.array(recipient),
    body: z.string(),
    body_note: z.string().optional(),
    attachments: z.array(z.object({ name: z.string(), size: z.number().optional(), size_label: z.string() })),
    web_url: z.string().optional(),
    can_send: z.boolean(),
    send_note: z.string(),
    sent: z.boolean(),
  }),
  annotations: READ_ONLY,
  meta: CARD_ONLY,
  async handler(args, { deps, signal }) {
    const { send, approvals } = draftDepsOf(deps);
    const p = await send.prepare(args.draft_id, signal);
    const canSend = deps.config.allowSend;
    // The card stays on screen while the agent may keep editing: its approval does not lock the draft (the digest makes it stale instead).
    const approval = canSend ? await approvals.mint({ draftId: p.id, digest: p.digest, channel: 'card', lock: false }) : undefined;
    const view = await cardView(p, canSend, 'Sending is off for this profile (OUTLOOK_ALLOW_SEND is not true): send the draft from Outlook.');
    return {
      structured: view,
      text: `Draft ${view.draft_id} for the review card${canSend ? ' (send approval attached for the card)' : ''}.`,
      ...(approval ? { meta: { [APPROVAL_META]: approval.token } } : {}),
    };
  },
});
