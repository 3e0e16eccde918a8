import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, strictInput } from '../define.js';
import { fenceUntrusted } from '../render.js';

export const emailGetAttachment = defineTool({
  name: 'ol_email_get_attachment',
  title: 'Save an attachment',
  description: "Save an attachment to this profile's download folder; returns the path (small text files: also their text, untrusted).",
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    message_id: idArg(),
    attachment_id: idArg('from ol_email_read with include_attachments'),
  }),
  output: z.object({
    path: z.string(),
    name: z.string(),
    size: z.number(),
    content_type: z.string().optional(),
    text: z.string().optional(),
    text_truncated: z.boolean().optional(),
  }),
  // Reads the mailbox only, but writes a file on this machine (never overwriting one): not read-only.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, { deps, signal }) {
    const r = await deps.mail.getAttachment(args.message_id, args.attachment_id, signal);
    const head = `Saved ${r.name} (${r.size} bytes${r.content_type ? `, ${r.content_type}` : ''}) to ${r.path}`;
    return { structured: r, text: r.text !== undefined ? `${head}\n${fenceUntrusted('ATTACHMENT TEXT', r.text)}` : head };
  },
});
