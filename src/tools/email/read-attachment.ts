import { z } from 'zod';
import { CLOUD_LINK_FORMAT, hiddenSummary, readAttachmentText } from '../../services/attachment-text.js';
import { parsePageSpec } from '../../text/documents/pages.js';
import { idArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { fenceUntrusted } from '../render.js';

export const emailReadAttachment = defineTool({
  name: 'ol_email_read_attachment',
  title: 'Read an attachment',
  description:
    'Visible text of an attachment (PDF, Office, HTML, text, .ics, message), untrusted; hidden text counted.',
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    id: idArg(),
    attachment_id: idArg('from ol_email_read with include_attachments'),
    pages: z.string().min(1).max(20).optional().describe('PDF pages, e.g. "2", "1-3", "5-"'),
    max_chars: z.number().int().min(200).max(100_000).default(20_000).describe('text characters to return'),
  }),
  output: z.object({
    name: z.string(),
    format: z.string(),
    text: z.string(),
    total_chars: z.number(),
    truncated: z.boolean().optional(),
    hidden_words: z.number().optional(),
    hidden: z.record(z.string(), z.number()).optional(),
    units: z.object({ kind: z.string(), total: z.number(), read: z.number() }).optional(),
    notes: z.array(z.string()).optional(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const pages = args.pages === undefined ? undefined : parsePageSpec(args.pages);
    const r = await readAttachmentText(deps.mail, { id: args.id, attachmentId: args.attachment_id, pages, maxChars: args.max_chars, surface: deps.config }, signal);
    const head = [`${r.name} | ${r.format} | ${r.size} bytes${r.units ? ` | ${r.units.read} of ${r.units.total} ${r.units.kind}s` : ''}`];
    const hidden = hiddenSummary(r);
    if (hidden) head.push(hidden);
    if (r.invisible_removed) head.push(`Sanitised: ${r.invisible_removed} invisible character(s) removed`);
    for (const n of r.notes ?? []) head.push(`Note: ${n}`);
    // Size, content type, invisible characters and a cloud file's location are told in the text only (they cost every tools/list tokens as fields).
    const { content_type: _type, size: _size, invisible_removed: _invisible, location: _location, ...structured } = r;
    if (r.format === CLOUD_LINK_FORMAT) return { structured, text: head.join('\n') };
    head.push(r.text ? fenceUntrusted('ATTACHMENT TEXT', r.text) : 'No visible text.');
    return { structured, text: head.join('\n') };
  },
});
