import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { untrustedBody } from '../output-schemas.js';
import { renderThread } from '../render.js';
import type { GroupConversationService } from '../../services/group-conversations.js';

export const emailReadThread = defineTool({
  name: 'ol_email_read_thread',
  title: 'Read a conversation',
  description: "A message's whole conversation, oldest first, without quoted history (untrusted); max_chars is shared.",
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    id: idArg('message id or conversation_id'),
    max_chars: z.number().int().min(1000).max(100_000).default(12_000),
  }),
  output: z.object({
    subject: z.string(),
    conversation_id: z.string(),
    message_count: z.number(),
    earlier_omitted: z.number().optional(),
    messages: z.array(
      z.object({
        id: z.string(),
        from: z.string().optional(),
        to: z.array(z.string()).optional(),
        cc: z.array(z.string()).optional(),
        date: z.string(),
        flags: z.array(z.string()).optional(),
        attachments: z.array(z.string()).optional(),
        body: untrustedBody.extend({ quote_dropped: z.boolean().optional() }),
      }),
    ),
    truncated: z.boolean().optional(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const t = await deps.threads.readThread(args.id, args.max_chars, signal);
    return { structured: t, text: renderThread(t) };
  },
  // A group thread's posts (id: a thread id from ol_email_search with the same group), fenced like mail bodies.
  async group(args, { deps, signal }) {
    const groups = deps.groupConversations as GroupConversationService;
    const t = await groups.readThread(args.id, args.max_chars, signal);
    return { structured: t, text: renderThread(t, groups.label) };
  },
});
