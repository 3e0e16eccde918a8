import { z } from 'zod';
import { idArg, maxCharsArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { eventSummaryShape, untrustedBody } from '../output-schemas.js';
import { renderEvent } from '../render.js';

const { attendee_count: _count, ...detailShape } = eventSummaryShape;

export const calendarGetEvent = defineTool({
  name: 'ol_calendar_get_event',
  title: 'Read an event',
  description: 'One event with all attendees, recurrence and its body as sanitised text (untrusted).',
  toolset: 'calendar',
  gate: 'always',
  mailbox: true,
  input: strictInput({ id: idArg(), max_chars: maxCharsArg }),
  output: z.object({
    ...detailShape,
    online_meeting_url: z.string().optional(),
    web_link: z.string().optional(),
    recurrence: z.string().optional(),
    categories: z.array(z.string()).optional(),
    sensitivity: z.string().optional(),
    body: untrustedBody.optional(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const e = await deps.calendar.getEvent(args.id, args.max_chars, signal);
    return { structured: e, text: renderEvent(e) };
  },
});
