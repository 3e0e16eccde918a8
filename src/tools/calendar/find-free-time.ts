import { z } from 'zod';
import { checkWindow, dateArg, limitArg, optionalDate, WindowError } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { renderFreeTime } from '../render.js';
import { formatInZone } from '../../text/dates.js';

/** Longest window one call looks at: two getSchedule windows at most, never a calendar scan. */
const MAX_FREE_TIME_DAYS = 62;
const DAY_MS = 86_400_000;

const slot = z.object({ start: z.string(), end: z.string() });
const busy = z.object({ who: z.string(), start: z.string(), end: z.string(), status: z.string(), subject: z.string().optional() });

export const calendarFindFreeTime = defineTool({
  name: 'ol_calendar_find_free_time',
  title: 'Find free time',
  description:
    "Free slots for the user and attendees in the user's zone and working hours. With proposed_start: conflicts and nearest alternatives. Work/school accounts.",
  toolset: 'calendar',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    attendees: z.array(z.string().min(3).max(320)).max(40).default([]).describe('email addresses'),
    duration_minutes: z.number().int().min(5).max(1440).optional().describe('default: the proposal length or 30'),
    from_date: dateArg().optional().describe('default: the proposal day'),
    to_date: dateArg('inclusive').optional(),
    working_hours_only: z.boolean().default(true),
    limit: limitArg(50, 10),
    proposed_start: z.string().min(1).max(40).optional().describe('ISO date-time'),
    proposed_end: z.string().min(1).max(40).optional().describe('default: start + duration'),
  }),
  output: z.object({
    time_zone: z.string(),
    duration_minutes: z.number(),
    slots: z.array(slot),
    more_slots: z.number().optional(),
    busy: z.array(busy),
    more_busy: z.number().optional(),
    proposed: z
      .object({ start: z.string(), end: z.string(), works: z.boolean(), conflicts: z.array(busy).optional(), outside_working_hours: z.boolean().optional(), alternatives: z.array(slot).optional() })
      .optional(),
    unavailable: z.array(z.object({ who: z.string(), reason: z.string() })).optional(),
    notes: z.array(z.string()).optional(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const zone = deps.config.timeZone;
    const pStart = optionalDate(args.proposed_start, 'proposed_start', zone);
    if (args.proposed_end !== undefined && pStart === undefined) throw new WindowError('proposed_end needs proposed_start.');
    const duration = args.duration_minutes ?? (pStart && args.proposed_end ? Math.round(((optionalDate(args.proposed_end, 'proposed_end', zone) as Date).getTime() - pStart.getTime()) / 60_000) : 30);
    const pEnd = pStart ? (optionalDate(args.proposed_end, 'proposed_end', zone) ?? new Date(pStart.getTime() + duration * 60_000)) : undefined;
    if (pStart && pEnd && pEnd.getTime() <= pStart.getTime()) throw new WindowError('proposed_end must be after proposed_start.');
    if (duration < 5 || duration > 1440) throw new WindowError('The meeting must last 5 to 1440 minutes.');
    // The proposal's day in the user's zone, from the parsed instant: "2026-12-07T23:30:00-08:00" is 8 December in Berlin.
    const day = pStart ? formatInZone(pStart, zone, 'date') : undefined;
    if (!args.from_date && !day) throw new WindowError('Give from_date and to_date (or proposed_start to check one slot on its day).');
    const from = optionalDate(args.from_date ?? day, 'from_date', zone) as Date;
    const to = optionalDate(args.to_date ?? args.from_date ?? day, 'to_date', zone, true) as Date;
    checkWindow(from, to, 'from_date', 'to_date');
    if (to.getTime() - from.getTime() > MAX_FREE_TIME_DAYS * DAY_MS) throw new WindowError(`Free time is looked up at most ${MAX_FREE_TIME_DAYS} days at a time; narrow from_date/to_date.`);
    const r = await deps.freeTime.findFreeTime(
      { attendees: args.attendees, from, to, durationMinutes: duration, workingHoursOnly: args.working_hours_only, limit: args.limit, proposal: pStart && pEnd ? { start: pStart, end: pEnd } : undefined },
      signal,
    );
    return { structured: r, text: renderFreeTime(r) };
  },
});
