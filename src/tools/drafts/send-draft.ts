import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, strictInput, type ToolAnnotationHints } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';

/** Reaches other people and cannot be undone; a second call is never the same as the first. */
const SENDS: ToolAnnotationHints = Object.freeze({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });

export const emailSendDraft = defineTool({
  name: 'ol_email_send_draft',
  title: 'Send a mail draft (asks the user)',
  description: "Sends one of this profile's drafts after the user approves a summary of it. A declined or changed draft is not sent; do not retry unasked.",
  toolset: 'mail',
  gate: 'send',
  input: strictInput({ draft_id: idArg('draft') }),
  output: z.object({
    draft_id: z.string(),
    status: z.enum(['sent', 'declined', 'cancelled', 'changed']),
    sent: z.boolean(),
    subject: z.string(),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    bcc: z.array(z.string()),
    web_url: z.string().optional(),
    note: z.string(),
  }),
  annotations: SENDS,
  audit: { action: 'send', idArg: 'draft_id', outcome: (r) => (r.status === 'sent' ? 'sent' : r.status === 'changed' ? 'changed' : r.status === 'cancelled' ? 'cancelled' : 'declined') },
  async handler(args, { deps, signal, elicit, audit }) {
    const r = await draftDepsOf(deps).send.send(args.draft_id, { elicit, audit }, signal);
    const head = r.sent ? `Sent draft ${r.draft_id}: ${r.subject || '(no subject)'}` : `Draft ${r.draft_id} was NOT sent (${r.status}).`;
    return { structured: r, text: `${head}\n${r.note}` };
  },
});
