import { z } from 'zod';
import { idArg } from '../common.js';
import { defineTool, strictInput } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { REMOVES_OWN } from '../drafts/common.js';

export const calendarDiscardEventDraft = defineTool({
  name: 'ol_calendar_discard_event_draft',
  title: 'Discard a meeting draft',
  description: "Deletes one of this profile's event drafts, only while it has no attendees (never sends cancellations).",
  toolset: 'calendar',
  gate: 'drafts',
  mailbox: true,
  input: strictInput({ event_id: idArg() }),
  output: z.object({ event_id: z.string(), subject: z.string(), note: z.string() }),
  annotations: REMOVES_OWN,
  audit: { action: 'event.discard', idArg: 'event_id' },
  async handler(args, { deps, signal }) {
    const r = await draftDepsOf(deps).eventDrafts.discard(args.event_id, signal);
    return { structured: r, text: `Discarded event draft ${r.event_id}: ${r.subject}\n${r.note}` };
  },
});
