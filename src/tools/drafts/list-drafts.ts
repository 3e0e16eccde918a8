import { z } from 'zod';
import { limitArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';

export const emailListDrafts = defineTool({
  name: 'ol_email_list_drafts',
  title: 'List mail drafts',
  description: "Drafts in the Drafts folder; by default only this profile's (found by their tag, so a lost local list is restored).",
  toolset: 'mail',
  gate: 'drafts',
  mailbox: true,
  input: strictInput({
    profile_only: z.boolean().default(true),
    limit: limitArg(100, 50),
  }),
  output: z.object({
    drafts: z.array(z.object({ draft_id: z.string(), subject: z.string(), to: z.array(z.string()), created: z.string().optional(), web_url: z.string().optional(), ours: z.boolean() })),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const drafts = await draftDepsOf(deps).drafts.listMail(args.profile_only, args.limit, signal);
    const text = drafts.length
      ? drafts.map((d) => `${d.draft_id}  ${d.subject}${d.to.length ? ` → ${d.to.join(', ')}` : ''}${args.profile_only || !d.ours ? '' : ' (ours)'}`).join('\n')
      : 'No drafts.';
    return { structured: { drafts }, text };
  },
});
