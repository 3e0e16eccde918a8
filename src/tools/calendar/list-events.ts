import { z } from 'zod';
import { checkWindow, cursorArg, dateArg, limitArg, optionalDate } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { eventSummary } from '../output-schemas.js';
import { renderEvents } from '../render.js';

export const calendarListEvents = defineTool({
  name: 'ol_calendar_list_events',
  title: 'List calendar events',
  description: "Events between two dates (recurring ones expanded), in the user's time zone.",
  toolset: 'calendar',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    from_date: dateArg(),
    to_date: dateArg('inclusive'),
    calendar: z.string().max(256).default('primary').describe('"primary", a name or id'),
    limit: limitArg(500, 100),
    cursor: cursorArg,
  }),
  output: z.object({ events: z.array(eventSummary), next_cursor: z.string().optional(), skipped: z.number().optional() }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const zone = deps.config.timeZone;
    const from = optionalDate(args.from_date, 'from_date', zone) as Date;
    const to = optionalDate(args.to_date, 'to_date', zone, true) as Date;
    checkWindow(from, to, 'from_date', 'to_date');
    const r = await deps.calendar.listEvents('ol_calendar_list_events', { from, to, calendar: args.calendar, limit: args.limit, cursor: args.cursor }, signal);
    return { structured: r, text: renderEvents(r.events, `${args.from_date} to ${args.to_date} (${zone})`, r.next_cursor, r.skipped) };
  },
});
