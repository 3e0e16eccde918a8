import { z } from 'zod';
import { limitArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { messageSummaryShape } from '../output-schemas.js';
import { renderWhatsNew } from '../render.js';

export const emailWhatsNew = defineTool({
  name: 'ol_email_whats_new',
  title: "What's new in a folder",
  description: "New or changed messages in a folder since this tool's last call; first call: the last 7 days.",
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    folder: z.string().max(512).default('inbox'),
    limit: limitArg(100, 50),
  }),
  output: z.object({
    folder: z.string(),
    mode: z.enum(['baseline', 'changes']),
    since: z.string().optional(),
    messages: z.array(z.object({ ...messageSummaryShape, change: z.enum(['new', 'updated']).optional() })),
    more: z.number().optional(),
    removed: z.number().optional(),
    skipped: z.number().optional(),
    note: z.string().optional(),
  }),
  // Not idempotent: each call moves this folder's sync point forward.
  annotations: { ...READ_ONLY, idempotentHint: false },
  async handler(args, { deps, signal }) {
    const r = await deps.whatsNew.whatsNew(args.folder, args.limit, signal);
    return { structured: r, text: renderWhatsNew(r) };
  },
});
