import { z } from 'zod';
import { defineTool, strictInput } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { addressList, bodyArg, bodyFormatArg, CREATES, subjectArg } from '../drafts/common.js';

export const calendarCreateEventDraft = defineTool({
  name: 'ol_calendar_create_event_draft',
  title: 'Create a meeting draft',
  description: 'Saves an event WITHOUT inviting anyone; proposed attendees are noted on it for the user to add and send in Outlook. Reports conflicts.',
  toolset: 'calendar',
  gate: 'drafts',
  mailbox: true,
  input: strictInput({
    subject: subjectArg.min(1),
    start: z.string().min(1).max(40).describe('ISO date-time'),
    end: z.string().min(1).max(40).describe('ISO date-time'),
    time_zone: z.string().min(1).max(64).optional().describe('IANA zone of start/end without offset'),
    attendees: addressList('proposed attendees (not invited)').optional(),
    body: bodyArg.optional(),
    body_format: bodyFormatArg,
    location: z.string().min(1).max(255).optional(),
    online_meeting: z.boolean().default(false),
  }),
  output: z.object({
    event_id: z.string(),
    web_url: z.string().optional(),
    subject: z.string(),
    start: z.string(),
    end: z.string(),
    proposed_attendees: z.array(z.string()),
    conflicts: z.array(z.object({ subject: z.string(), start: z.string(), end: z.string() })),
    note: z.string(),
  }),
  annotations: CREATES,
  audit: { action: 'event.create', idResult: 'event_id' },
  async handler(args, { deps, signal }) {
    const r = await draftDepsOf(deps).eventDrafts.create(
      {
        subject: args.subject,
        start: args.start,
        end: args.end,
        timeZone: args.time_zone,
        attendees: args.attendees,
        body: args.body,
        bodyFormat: args.body_format,
        location: args.location,
        onlineMeeting: args.online_meeting,
      },
      signal,
    );
    const lines = [`Created event draft ${r.event_id}: ${r.subject}, ${r.start} – ${r.end}`];
    if (r.proposed_attendees.length) lines.push(`Proposed attendees (not invited): ${r.proposed_attendees.join(', ')}`);
    lines.push(r.conflicts.length ? `Conflicts: ${r.conflicts.map((c) => `${c.subject} (${c.start} – ${c.end})`).join('; ')}` : 'No conflicts.');
    if (r.web_url) lines.push(`Open in Outlook: ${r.web_url}`);
    lines.push(r.note);
    return { structured: r, text: lines.join('\n') };
  },
});
