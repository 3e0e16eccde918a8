import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, strictInput } from '../define.js';
import { SHOWS_REVIEW_CARD } from '../../apps/tool-meta.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { addressList, attachmentArg, bodyArg, bodyFormatArg, CHANGES_OWN, mailDraftOutput, renderMailDraft, subjectArg } from './common.js';

export const emailUpdateDraft = defineTool({
  name: 'ol_email_update_draft',
  title: 'Update a mail draft',
  description: "Changes one of this profile's drafts. Unset = unchanged; [] clears a recipient list; body replaces the body.",
  toolset: 'mail',
  gate: 'drafts',
  mailbox: true,
  input: strictInput({
    draft_id: idArg(),
    to: addressList().optional(),
    cc: addressList().optional(),
    bcc: addressList().optional(),
    subject: subjectArg.optional(),
    body: bodyArg.optional(),
    body_format: bodyFormatArg,
    add_attachments: attachmentArg.optional().describe('as attachments in create_draft'),
    remove_attachments: z.array(z.string().min(1).max(1024)).max(20).optional().describe('attachment names or ids'),
  }),
  output: mailDraftOutput,
  meta: SHOWS_REVIEW_CARD,
  annotations: CHANGES_OWN,
  audit: { action: 'draft.update', idArg: 'draft_id' },
  async handler(args, { deps, signal }) {
    const r = await draftDepsOf(deps).drafts.updateMail(
      args.draft_id,
      {
        to: args.to,
        cc: args.cc,
        bcc: args.bcc,
        subject: args.subject,
        body: args.body,
        bodyFormat: args.body_format,
        addAttachments: args.add_attachments,
        removeAttachments: args.remove_attachments,
      },
      signal,
    );
    return { structured: r, text: renderMailDraft(r, 'Updated') };
  },
});
