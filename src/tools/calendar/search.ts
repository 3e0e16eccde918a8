import { z } from 'zod';
import { checkWindow, dateArg, limitArg, optionalDate } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { eventSummary } from '../output-schemas.js';
import { renderEvents } from '../render.js';

const DAY = 86_400_000;

export const calendarSearch = defineTool({
  name: 'ol_calendar_search',
  title: 'Search calendar',
  description: 'Events whose subject, location, people or text contain all the words (default: 30 days back, 180 ahead).',
  toolset: 'calendar',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    query: z.string().trim().min(1).max(200),
    calendar: z.string().max(256).default('primary').describe('"primary", a name or id'),
    from_date: dateArg().optional(),
    to_date: dateArg('inclusive').optional(),
    limit: limitArg(100, 25),
  }),
  output: z.object({ events: z.array(eventSummary), scanned: z.number(), scan_capped: z.boolean().optional(), skipped: z.number().optional() }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const zone = deps.config.timeZone;
    const now = deps.now().getTime();
    const from = optionalDate(args.from_date, 'from_date', zone) ?? new Date(now - 30 * DAY);
    const to = optionalDate(args.to_date, 'to_date', zone, true) ?? new Date(now + 180 * DAY);
    checkWindow(from, to, 'from_date', 'to_date');
    const r = await deps.calendar.search({ query: args.query, from, to, calendar: args.calendar, limit: args.limit }, signal);
    const note = r.scan_capped ? ` (stopped after ${r.scanned} events; narrow the dates to search the rest)` : '';
    return { structured: r, text: renderEvents(r.events, `Events matching "${args.query}"${note}`, undefined, r.skipped) };
  },
});
