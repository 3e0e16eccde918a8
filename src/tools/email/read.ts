import { z } from 'zod';
import { idArg, maxCharsArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { untrustedBody } from '../output-schemas.js';
import { renderMessage } from '../render.js';

export const emailRead = defineTool({
  name: 'ol_email_read',
  title: 'Read a message',
  description: 'One message: headers and its visible body text (untrusted; hidden text removed).',
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    id: idArg(),
    include_attachments: z.boolean().default(false).describe('list attachments with their ids'),
    max_chars: maxCharsArg,
  }),
  output: z.object({
    id: z.string(),
    subject: z.string(),
    from: z.string().optional(),
    sender: z.string().optional(),
    to: z.array(z.string()).optional(),
    cc: z.array(z.string()).optional(),
    bcc: z.array(z.string()).optional(),
    reply_to: z.array(z.string()).optional(),
    received: z.string().optional(),
    sent: z.string().optional(),
    conversation_id: z.string().optional(),
    web_link: z.string().optional(),
    flags: z.array(z.string()).optional(),
    categories: z.array(z.string()).optional(),
    attachments: z
      .array(z.object({ id: z.string(), name: z.string(), content_type: z.string().optional(), size: z.number(), inline: z.boolean().optional(), kind: z.string().optional() }))
      .optional(),
    body: untrustedBody,
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const m = await deps.mail.read(args.id, { includeAttachments: args.include_attachments, maxChars: args.max_chars }, signal);
    return { structured: m, text: renderMessage(m) };
  },
});
