import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, strictInput } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { REMOVES_OWN } from './common.js';

export const emailDiscardDraft = defineTool({
  name: 'ol_email_discard_draft',
  title: 'Discard a mail draft',
  description: "Moves one of this profile's drafts to Deleted Items (the user can restore it).",
  toolset: 'mail',
  gate: 'drafts',
  mailbox: true,
  input: strictInput({ draft_id: idArg() }),
  output: z.object({ draft_id: z.string(), subject: z.string(), note: z.string() }),
  annotations: REMOVES_OWN,
  audit: { action: 'draft.discard', idArg: 'draft_id' },
  async handler(args, { deps, signal }) {
    const r = await draftDepsOf(deps).drafts.discardMail(args.draft_id, signal);
    return { structured: r, text: `Discarded draft ${r.draft_id}: ${r.subject || '(no subject)'}\n${r.note}` };
  },
});
