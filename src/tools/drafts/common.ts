/** Schema pieces and annotations shared by the draft tools. */
import { z } from 'zod';
import type { ToolAnnotationHints } from '../define.js';

/** Creates something new in the mailbox; changes nothing that exists. */
export const CREATES: ToolAnnotationHints = Object.freeze({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
/** Changes or removes one of this profile's own drafts. */
export const CHANGES_OWN: ToolAnnotationHints = Object.freeze({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
export const REMOVES_OWN: ToolAnnotationHints = Object.freeze({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true });

/** Recipient count is checked in the service (with a message); a maxItems here would cost tokens on every tools/list. */
export const addressList = (what?: string) => {
  const list = z.array(z.string().min(3).max(400));
  return what ? list.describe(what) : list;
};
export const subjectArg = z.string().max(255);
export const bodyArg = z.string().max(1_000_000);
export const bodyFormatArg = z.enum(['markdown', 'text', 'html']).default('markdown');

export const attachmentArg = z
  .array(
    z.strictObject({
      path: z.string().min(1).max(4096).optional().describe('absolute path in an allowed folder'),
      message_id: z.string().min(1).max(1024).optional(),
      attachment_id: z.string().min(1).max(1024).optional(),
      name: z.string().min(1).max(255).optional(),
    }),
  )
  .max(20)
  .describe('files by path, or message_id+attachment_id of an existing attachment');

export const mailDraftOutput = z.object({
  draft_id: z.string(),
  web_url: z.string().optional(),
  subject: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  attachments: z.array(z.string()),
  note: z.string(),
});

/** Text rendering of a mail draft result. */
export function renderMailDraft(r: z.input<typeof mailDraftOutput>, verb: string): string {
  const lines = [`${verb} draft ${r.draft_id}: ${r.subject || '(no subject)'}`];
  if (r.to.length) lines.push(`To: ${r.to.join(', ')}`);
  if (r.cc.length) lines.push(`Cc: ${r.cc.join(', ')}`);
  if (r.bcc.length) lines.push(`Bcc: ${r.bcc.join(', ')}`);
  if (r.attachments.length) lines.push(`Attached: ${r.attachments.join(', ')}`);
  if (r.web_url) lines.push(`Open in Outlook: ${r.web_url}`);
  lines.push(r.note);
  return lines.join('\n');
}
