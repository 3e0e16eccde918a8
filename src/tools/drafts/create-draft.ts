import { z } from 'zod';
import { defineTool, strictInput } from '../define.js';
import { SHOWS_REVIEW_CARD } from '../../apps/tool-meta.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { addressList, attachmentArg, bodyArg, bodyFormatArg, CREATES, mailDraftOutput, renderMailDraft, subjectArg } from './common.js';

export const emailCreateDraft = defineTool({
  name: 'ol_email_create_draft',
  title: 'Create a mail draft',
  description: 'Saves a draft in Outlook (never sends). Reply/forward drafts keep the thread. The user sends it.',
  toolset: 'mail',
  gate: 'drafts',
  mailbox: true,
  input: strictInput({
    to: addressList('recipients; optional for replies').optional(),
    subject: subjectArg.optional().describe('required unless replying/forwarding'),
    body: bodyArg,
    cc: addressList().optional(),
    bcc: addressList().optional(),
    in_reply_to: z.string().min(1).max(1024).optional().describe('message id to reply to'),
    reply_all: z.boolean().default(false),
    forward_of: z.string().min(1).max(1024).optional().describe('message id to forward'),
    body_format: bodyFormatArg,
    attachments: attachmentArg.optional(),
  }),
  output: mailDraftOutput,
  meta: SHOWS_REVIEW_CARD,
  annotations: CREATES,
  audit: { action: 'draft.create', idResult: 'draft_id' },
  async handler(args, { deps, signal }) {
    const r = await draftDepsOf(deps).drafts.createMail(
      {
        to: args.to,
        subject: args.subject,
        body: args.body,
        cc: args.cc,
        bcc: args.bcc,
        inReplyTo: args.in_reply_to,
        replyAll: args.reply_all,
        forwardOf: args.forward_of,
        bodyFormat: args.body_format,
        attachments: args.attachments,
      },
      signal,
    );
    return { structured: r, text: renderMailDraft(r, 'Created') };
  },
});
