/**
 * The calendars' contents, laid out around the current week: recurring
 * series (with an exception and a deleted occurrence), all-day events,
 * conflicts, a cancelled meeting, meetings in five time zones, and meetings
 * the user organises with attendees (which the safety rules must protect).
 */
import { expandRecurrence, firstOccurrence, occurrenceId } from '../calendar.js';
import type { Attendee, PatternedRecurrence, SandboxEvent } from '../model.js';
import { utcToWallClock, wallClockToUtc } from '../timezones.js';
import { escapeHtml } from './bodies.js';
import { isoUtc, type SeedClock } from './clock.js';
import { calendarCounter, calendarIdOf, type CalendarKey } from './folders.js';
import { changeKey, eventWebLink, guid, iCalUId, itemId, type IdStyle } from './ids.js';
import { PEOPLE, recipient, type PersonKey } from './people.js';
import { hashBytes } from './random.js';

type Response = Attendee['status']['response'];
type Pattern = PatternedRecurrence['pattern'];

const BERLIN = 'W. Europe Standard Time';
const NEVER = '0001-01-01T00:00:00Z';

interface EventSpec {
  key: string;
  calendar: CalendarKey;
  subject: string;
  /** Days from this week's Monday; the wall date in the event's zone. */
  day: number;
  /** Start time `HH:mm` and duration of a timed event. */
  time?: string;
  minutes?: number;
  /** Number of days of an all-day event. */
  allDayDays?: number;
  zone?: string;
  endZone?: string;
  organizer: PersonKey;
  /** Attendees other than the organizer; the user's own entry carries her response. */
  attendees?: ReadonlyArray<readonly [PersonKey, Response, ('required' | 'optional' | 'resource')?]>;
  online?: boolean;
  location?: string;
  showAs?: SandboxEvent['showAs'];
  sensitivity?: SandboxEvent['sensitivity'];
  categories?: readonly string[];
  cancelled?: boolean;
  description?: string;
  idStyle?: IdStyle;
  recurrence?: { pattern: Pattern; rangeType: 'noEnd' | 'endDate' | 'numbered'; endDay?: number; count?: number };
}

const EVENT_SPECS: readonly EventSpec[] = [
  // Recurring series.
  {
    key: 'standup', calendar: 'calendar', subject: 'D&A team stand-up', day: -35, time: '09:30', minutes: 15,
    organizer: 'avery', attendees: [['meilin', 'accepted'], ['lukas', 'accepted'], ['tomas', 'tentativelyAccepted'], ['priya', 'none', 'optional']],
    online: true, showAs: 'busy', categories: ['Internal'], description: 'Fifteen minutes: yesterday, today, blockers. Camera optional.',
    recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'monday' }, rangeType: 'noEnd' },
  },
  {
    key: 'hypercare', calendar: 'calendar', subject: 'Northwind hypercare check-in', day: -7, time: '08:30', minutes: 15,
    organizer: 'daniel', attendees: [['avery', 'accepted'], ['tomas', 'accepted'], ['aisha', 'tentativelyAccepted'], ['priya', 'accepted']],
    online: true, categories: ['Northwind'], description: 'Daily hypercare stand-up after the ERP cutover: incidents, reconciliation status, open changes.',
    recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], firstDayOfWeek: 'sunday' }, rangeType: 'numbered', count: 10 },
  },
  {
    key: 'plan-the-day', calendar: 'calendar', subject: 'Plan the day', day: -14, time: '08:00', minutes: 15,
    organizer: 'avery', showAs: 'free', description: 'Inbox, priorities, calendar check.',
    recurrence: { pattern: { type: 'daily', interval: 1 }, rangeType: 'endDate', endDay: 27 },
  },
  {
    key: 'steering', calendar: 'fabrikam', subject: 'Fabrikam data platform – steering committee', day: -63, time: '14:00', minutes: 90,
    organizer: 'greta', attendees: [['avery', 'accepted'], ['marcus', 'accepted'], ['jordan', 'accepted'], ['meilin', 'tentativelyAccepted', 'optional']],
    online: true, location: 'Fabrikam HQ, Hamburg – Elbe room', categories: ['Fabrikam'],
    description: 'Monthly steering committee: status, budget, risks, decisions.',
    recurrence: { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'first' }, rangeType: 'noEnd' },
  },
  {
    key: 'invoicing', calendar: 'calendar', subject: 'Month-end invoicing run', day: -90, time: '16:00', minutes: 30,
    organizer: 'avery', showAs: 'busy', categories: ['Invoices'], description: 'Check timesheets, approve invoices in the PSA.',
    recurrence: { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 25 }, rangeType: 'endDate', endDay: 200 },
  },
  {
    key: 'one-on-one', calendar: 'calendar', subject: 'Jordan / Avery 1:1', day: -39, time: '11:00', minutes: 30,
    organizer: 'jordan', attendees: [['avery', 'accepted']], online: true, sensitivity: 'private',
    recurrence: { pattern: { type: 'weekly', interval: 2, daysOfWeek: ['thursday'], firstDayOfWeek: 'sunday' }, rangeType: 'noEnd' },
  },
  {
    key: 'anniversary', calendar: 'holidays', subject: 'Contoso Berlin founding day (office closed)', day: 18 - 3 * 364, allDayDays: 1,
    organizer: 'avery', showAs: 'free',
    recurrence: { pattern: { type: 'absoluteYearly', interval: 1 }, rangeType: 'noEnd' },
  },
  {
    key: 'budget-planning', calendar: 'calendar', subject: 'Annual budget planning – D&A practice', day: 21 - 2 * 364, time: '10:00', minutes: 120,
    organizer: 'jordan', attendees: [['avery', 'tentativelyAccepted'], ['hannah', 'accepted'], ['sofia', 'accepted']],
    location: 'Contoso Berlin – Boardroom',
    recurrence: { pattern: { type: 'relativeYearly', interval: 1, daysOfWeek: ['friday'], index: 'last' }, rangeType: 'numbered', count: 5 },
  },

  // This week.
  { key: 'focus-time', calendar: 'calendar', subject: 'Focus time – Fabrikam estimate', day: 0, time: '13:00', minutes: 120, organizer: 'avery', showAs: 'busy', description: 'Estimate and staffing plan for Phase 2.' },
  {
    key: 'scoping-workshop', calendar: 'fabrikam', subject: 'Fabrikam Phase 2 scoping workshop', day: 1, time: '10:00', minutes: 120,
    organizer: 'avery', attendees: [['greta', 'accepted'], ['marcus', 'tentativelyAccepted'], ['meilin', 'accepted'], ['yuki', 'declined', 'optional']],
    online: true, location: 'Contoso Berlin – Spree room', categories: ['Fabrikam'],
    description: 'Agree the release 1 scope of Phase 2, the effort model and the staffing options.',
  },
  {
    key: 'budget-review', calendar: 'calendar', subject: 'Northwind budget review', day: 1, time: '11:00', minutes: 60,
    organizer: 'aisha', attendees: [['avery', 'notResponded'], ['daniel', 'accepted']], online: true, showAs: 'tentative', categories: ['Northwind'],
    description: 'Budget versus actuals for the migration and the reporting follow-up.',
  },
  // EWS-style id ('/', '+', '='), for tests of id encoding in event paths.
  { key: 'lunch', calendar: 'calendar', subject: 'Lunch with Daniel (Northwind)', day: 2, time: '12:30', minutes: 60, organizer: 'avery', location: 'Café Einstein Unter den Linden', sensitivity: 'private', idStyle: 'ews' },
  {
    key: 'cancelled-demo', calendar: 'calendar', subject: 'Canceled: Tailspin BI tool demo', day: 2, time: '15:00', minutes: 60,
    organizer: 'ravi', attendees: [['avery', 'accepted'], ['chloe', 'accepted']], online: true, cancelled: true, showAs: 'free',
    description: 'The demo is cancelled; we will share a recording instead.',
  },
  {
    key: 'rfp-call', calendar: 'calendar', subject: 'Tailspin RFP 2025-07 – bidder Q&A call', day: 3, time: '08:00', minutes: 60, zone: 'Pacific Standard Time',
    organizer: 'ravi', attendees: [['avery', 'tentativelyAccepted'], ['chloe', 'accepted'], ['jordan', 'none', 'optional']], online: true,
    description: 'Open Q&A for all bidders. Questions in writing beforehand, please.',
  },
  {
    key: 'india-sync', calendar: 'calendar', subject: 'Bengaluru team sync', day: 3, time: '14:30', minutes: 45, zone: 'India Standard Time',
    organizer: 'priya', attendees: [['avery', 'accepted'], ['jordan', 'accepted']], online: true, categories: ['Internal'],
  },
  {
    key: 'tokyo-session-1', calendar: 'fabrikam', subject: 'Tokyo workshop – session 1 (sales reporting)', day: 4, time: '16:00', minutes: 60, zone: 'Tokyo Standard Time',
    organizer: 'avery', attendees: [['yuki', 'accepted'], ['marcus', 'none', 'optional']], online: true, categories: ['Fabrikam'],
  },
  {
    key: 'architecture-review', calendar: 'calendar', subject: 'Architecture review – Hamburg data centre', day: 4, time: '11:00', minutes: 60,
    organizer: 'tomas', attendees: [['avery', 'accepted'], ['lukas', 'accepted']], location: 'Contoso Berlin – Room 3.14',
  },
  {
    key: 'maintenance', calendar: 'calendar', subject: 'Platform maintenance window (shared AKS cluster)', day: 5, time: '22:00', minutes: 240, zone: 'UTC',
    organizer: 'servicedesk', attendees: [['avery', 'none', 'optional']], showAs: 'free',
    description: 'Node pool upgrade. Expect short interruptions of the shared data services.',
  },
  { key: 'meilin-ooo', calendar: 'holidays', subject: 'Mei Lin – out of office', day: 4, allDayDays: 1, organizer: 'avery', showAs: 'free' },

  // Past weeks.
  { key: 'cutover-on-call', calendar: 'calendar', subject: 'Northwind cutover weekend – on call', day: -16, allDayDays: 2, organizer: 'avery', showAs: 'workingElsewhere', categories: ['Northwind'] },
  {
    key: 'go-no-go', calendar: 'calendar', subject: 'Northwind cutover go/no-go', day: -17, time: '16:00', minutes: 60,
    organizer: 'daniel', attendees: [['avery', 'accepted'], ['tomas', 'accepted'], ['aisha', 'accepted']], online: true, categories: ['Northwind'],
  },
  {
    key: 'acceptance', calendar: 'fabrikam', subject: 'Fabrikam Phase 1 acceptance sign-off', day: -26, time: '14:00', minutes: 60,
    organizer: 'marcus', attendees: [['avery', 'accepted'], ['greta', 'accepted'], ['jordan', 'accepted']], location: 'Fabrikam HQ, Hamburg – Alster room', categories: ['Fabrikam'],
  },
  {
    key: 'all-hands', calendar: 'calendar', subject: 'Contoso quarterly all-hands', day: -22, time: '17:00', minutes: 90,
    organizer: 'hannah', attendees: [['avery', 'accepted'], ['jordan', 'accepted'], ['meilin', 'accepted'], ['lukas', 'declined'], ['tomas', 'accepted'], ['sofia', 'accepted'], ['priya', 'tentativelyAccepted']],
    online: true, categories: ['Internal'],
  },
  {
    key: 'tailspin-intro', calendar: 'calendar', subject: 'Tailspin Toys – introduction call', day: -12, time: '10:00', minutes: 45, zone: 'Romance Standard Time',
    organizer: 'chloe', attendees: [['avery', 'accepted'], ['ravi', 'accepted']], online: true,
  },
  { key: 'dentist', calendar: 'calendar', subject: 'Dentist', day: -10, time: '08:00', minutes: 60, organizer: 'avery', showAs: 'oof', sensitivity: 'private', location: 'Praxis am Gendarmenmarkt' },
  { key: 'tomas-leave', calendar: 'holidays', subject: 'Tomás – parental leave', day: -21, allDayDays: 10, organizer: 'avery', showAs: 'free' },
  { key: 'sofia-ooo', calendar: 'holidays', subject: 'Sofia – out of office', day: -5, allDayDays: 1, organizer: 'avery', showAs: 'free' },
  {
    key: 'expense-qa', calendar: 'calendar', subject: 'New travel policy – Q&A', day: -8, time: '12:00', minutes: 30, zone: 'UTC',
    organizer: 'hannah', attendees: [['avery', 'declined', 'optional']], online: true, showAs: 'free',
  },

  // Coming weeks.
  {
    key: 'hypercare-exit', calendar: 'calendar', subject: 'Northwind hypercare exit review', day: 8, time: '15:00', minutes: 45,
    organizer: 'avery', attendees: [['daniel', 'accepted'], ['aisha', 'declined'], ['tomas', 'accepted'], ['priya', 'tentativelyAccepted', 'optional']],
    online: true, categories: ['Northwind'], description: 'Exit criteria: no P1/P2 open, reconciliation signed off, run-book handed over to Bengaluru.',
  },
  {
    key: 'interview', calendar: 'calendar', subject: 'Interview: senior data engineer (candidate 2)', day: 1, time: '16:00', minutes: 60,
    organizer: 'hannah', attendees: [['avery', 'accepted'], ['lukas', 'accepted']], online: true, sensitivity: 'confidential',
  },
  {
    key: 'webinar', calendar: 'calendar', subject: 'Webinar: Choosing a BI tool in 2025 (Litware)', day: 9, time: '16:00', minutes: 60, zone: 'UTC',
    organizer: 'litware', attendees: [['avery', 'accepted', 'optional']], showAs: 'free', location: 'https://litware.example/webinars/bi-2025',
  },
  { key: 'olivia-call', calendar: 'calendar', subject: 'Call with Olivia – detail page designs', day: 10, time: '10:00', minutes: 30, organizer: 'olivia', attendees: [['avery', 'accepted']], location: 'https://meet.example.com/olivia-grant' },
  {
    key: 'proposal-review', calendar: 'calendar', subject: 'Tailspin proposal review', day: 11, time: '09:00', minutes: 120,
    organizer: 'jordan', attendees: [['avery', 'accepted'], ['meilin', 'accepted'], ['sofia', 'none', 'optional']], location: 'Contoso Berlin – Spree room',
  },
  {
    key: 'tokyo-session-2', calendar: 'fabrikam', subject: 'Tokyo workshop – session 2 (data quality)', day: 11, time: '16:00', minutes: 60, zone: 'Tokyo Standard Time',
    organizer: 'avery', attendees: [['yuki', 'none'], ['marcus', 'none', 'optional']], online: true, categories: ['Fabrikam'],
  },
  { key: 'lukas-vacation', calendar: 'holidays', subject: 'Lukas – vacation', day: 14, allDayDays: 5, organizer: 'avery', showAs: 'free' },
  {
    key: 'exec-readout', calendar: 'calendar', subject: 'Tailspin executive readout (tentative slot)', day: 16, time: '09:00', minutes: 60, zone: 'Pacific Standard Time',
    organizer: 'ravi', attendees: [['avery', 'notResponded'], ['jordan', 'notResponded']], online: true, showAs: 'tentative',
  },
  {
    key: 'flight-out', calendar: 'calendar', subject: 'Flight BER → LIS (TP 535)', day: 22, time: '18:05', minutes: 185, endZone: 'GMT Standard Time',
    organizer: 'avery', showAs: 'oof', location: 'Berlin Brandenburg Airport (BER)', categories: ['Travel'],
  },
  {
    key: 'offsite', calendar: 'calendar', subject: 'D&A offsite – Lisbon', day: 23, allDayDays: 2,
    organizer: 'hannah', attendees: [['avery', 'accepted'], ['meilin', 'accepted'], ['lukas', 'accepted'], ['jordan', 'accepted'], ['tomas', 'tentativelyAccepted']],
    location: 'Lisbon', showAs: 'workingElsewhere', categories: ['Travel'],
  },
  {
    key: 'flight-back', calendar: 'calendar', subject: 'Flight LIS → BER (TP 538)', day: 24, time: '19:30', minutes: 235, zone: 'GMT Standard Time', endZone: BERLIN,
    organizer: 'avery', showAs: 'oof', location: 'Lisbon Airport (LIS)', categories: ['Travel'],
  },
  {
    key: 'kickoff', calendar: 'fabrikam', subject: 'Fabrikam Phase 2 kick-off', day: 29, time: '09:30', minutes: 90,
    organizer: 'avery', attendees: [['greta', 'none'], ['marcus', 'accepted'], ['meilin', 'accepted'], ['lukas', 'accepted'], ['yuki', 'none', 'optional']],
    online: true, location: 'Fabrikam HQ, Hamburg – Elbe room', categories: ['Fabrikam'],
  },
  { key: 'slides-due', calendar: 'calendar', subject: 'Data Summit slides due', day: 31, allDayDays: 1, organizer: 'avery', showAs: 'free' },
  {
    key: 'qbr', calendar: 'calendar', subject: 'Quarterly business review – Northwind', day: 36, time: '13:00', minutes: 120,
    organizer: 'daniel', attendees: [['avery', 'accepted'], ['jordan', 'accepted'], ['aisha', 'accepted']], location: 'Northwind Traders, Potsdam',
  },
  { key: 'summit', calendar: 'calendar', subject: 'Data Summit Europe, London', day: 44, allDayDays: 2, organizer: 'avery', showAs: 'workingElsewhere' },
  {
    key: 'summit-talk', calendar: 'calendar', subject: 'Talk: Lakehouse in the real world (Data Summit Europe)', day: 45, time: '11:30', minutes: 45, zone: 'GMT Standard Time',
    organizer: 'ben', attendees: [['avery', 'accepted']], location: 'ExCeL London – Main stage',
  },
  { key: 'priya-leave', calendar: 'holidays', subject: 'Priya – annual leave', day: 52, allDayDays: 3, organizer: 'avery', showAs: 'free' },
];

/** The id of a seed event by key; throws for unknown keys. */
export function seedEventId(key: string): string {
  const spec = key === STANDUP_EXCEPTION.key ? STANDUP_EXCEPTION : [...EVENT_SPECS, CUSTOMER_Y_REVIEW].find((s) => s.key === key);
  if (spec === undefined) throw new Error(`No seed event with key "${key}"`);
  return itemId(calendarCounter(spec.calendar), spec.key, 'idStyle' in spec ? spec.idStyle : undefined);
}

// The stand-up is moved once this week (exception) and dropped once next week (deleted occurrence).
const STANDUP_EXCEPTION = { key: 'standup-exception', calendar: 'calendar' as CalendarKey, originalDay: 2, time: '10:00', minutes: 15 };
const STANDUP_DELETED_DAY = 7;

function teamsJoinUrl(key: string): string {
  const thread = hashBytes(`teams-thread:${key}`, 24).toString('base64').replace(/[+/=]/g, '').slice(0, 32);
  const context = encodeURIComponent(JSON.stringify({ Tid: guid('tenant'), Oid: guid('user:avery') }));
  return `https://teams.example/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0?context=${context}`;
}

function eventBodyHtml(spec: EventSpec, joinUrl: string | undefined): string {
  const parts = [`<div>${escapeHtml(spec.description ?? '')}</div>`];
  if (joinUrl !== undefined) {
    const meetingId = String(hashBytes(`teams-id:${spec.key}`, 4).readUInt32BE(0)).padStart(12, '3').replace(/(\d{3})(?=\d)/g, '$1 ');
    parts.push(
      '<div style="width: 100%;"><span style="white-space: nowrap; color: #5f5f5f; opacity: .36;">________________________________________________________________________________</span></div>',
      '<div class="me-email-text" lang="en-US" style="color: #252424; font-family: \'Segoe UI\', \'Helvetica Neue\', Helvetica, Arial, sans-serif;">',
      '<div style="margin-top: 24px; margin-bottom: 20px;"><span style="font-size: 24px; color: #252424;">Microsoft Teams meeting</span></div>',
      `<div style="margin-bottom: 20px;"><div style="margin-top: 0px; margin-bottom: 0px; font-weight: bold;"><span style="font-size: 14px; color: #252424;">Join on your computer, mobile app or room device</span></div><a class="me-email-headline" href="${escapeHtml(joinUrl)}" target="_blank" rel="noreferrer noopener" style="font-size: 14px; font-family: 'Segoe UI Semibold', 'Segoe UI', sans-serif; text-decoration: underline; color: #6264a7;">Click here to join the meeting</a></div>`,
      `<div style="margin-bottom: 20px; margin-top: 20px;"><span style="font-size: 14px; color: #252424;">Meeting ID: </span><span style="font-size: 16px; color: #252424;">${meetingId}</span><br><span style="font-size: 14px; color: #252424;">Passcode: </span><span style="font-size: 16px; color: #252424;">${hashBytes(`teams-pass:${spec.key}`, 6).toString('base64').replace(/[+/=]/g, 'x')}</span></div>`,
      '</div>',
    );
  }
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${parts.join('\r\n')}\r\n</body>\r\n</html>\r\n`;
}

/** What Graph's `bodyPreview` would hold: the body as text, whitespace collapsed, at most 255 characters. */
function previewOf(html: string): string {
  const text = html
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, 255);
}

const wall = (date: string, time: string): string => `${date}T${time}:00.0000000`;

function attendeeOf(person: PersonKey, response: Response, type: Attendee['type'], respondedAt: string): Attendee {
  return {
    type,
    status: { response, time: response === 'none' || response === 'notResponded' ? NEVER : respondedAt },
    emailAddress: { name: PEOPLE[person].name, address: PEOPLE[person].address },
  };
}

function buildEvent(spec: EventSpec, clock: SeedClock, index: number): SandboxEvent {
  const id = itemId(calendarCounter(spec.calendar), spec.key, spec.idStyle);
  const zone = spec.zone ?? BERLIN;
  const date = clock.weekDate(spec.day);
  let start: SandboxEvent['start'];
  let end: SandboxEvent['end'];
  if (spec.allDayDays !== undefined) {
    start = { dateTime: wall(date, '00:00'), timeZone: zone };
    end = { dateTime: wall(clock.weekDate(spec.day + spec.allDayDays), '00:00'), timeZone: zone };
  } else {
    start = { dateTime: wall(date, spec.time ?? '09:00'), timeZone: zone };
    const endZone = spec.endZone ?? zone;
    const endAt = new Date(wallClockToUtc(start).getTime() + (spec.minutes ?? 30) * 60_000);
    end = { dateTime: utcToWallClock(endAt, endZone), timeZone: endZone };
  }

  const startMs = wallClockToUtc(start).getTime();
  // Created a week or more before both the event and now.
  const created = new Date(Math.min(startMs, clock.now.getTime()) - (7 * 24 + index * 5) * 3_600_000);
  const respondedAt = isoUtc(new Date(created.getTime() + 3 * 3_600_000));
  const isOrganizer = spec.organizer === 'avery';
  const attendees = (spec.attendees ?? []).map(([person, response, type]) => attendeeOf(person, response, type ?? 'required', respondedAt));
  const ownEntry = attendees.find((a) => a.emailAddress.address === PEOPLE.avery.address);
  const joinUrl = spec.online ? teamsJoinUrl(spec.key) : undefined;
  const bodyHtml = eventBodyHtml(spec, joinUrl);
  const locationName = spec.location ?? (spec.online ? 'Microsoft Teams Meeting' : '');

  const event: SandboxEvent = {
    id,
    calendarId: calendarIdOf(spec.calendar),
    iCalUId: iCalUId(spec.key, created),
    subject: spec.subject,
    bodyPreview: previewOf(bodyHtml),
    body: { contentType: 'html', content: bodyHtml },
    start,
    end,
    originalStartTimeZone: start.timeZone,
    originalEndTimeZone: end.timeZone,
    isAllDay: spec.allDayDays !== undefined,
    isCancelled: spec.cancelled === true,
    isOrganizer,
    isOnlineMeeting: joinUrl !== undefined,
    onlineMeetingProvider: joinUrl !== undefined ? 'teamsForBusiness' : 'unknown',
    showAs: spec.showAs ?? 'busy',
    sensitivity: spec.sensitivity ?? 'normal',
    responseStatus: isOrganizer
      ? { response: 'organizer', time: NEVER }
      : { response: ownEntry?.status.response ?? 'none', time: ownEntry?.status.time ?? NEVER },
    location: { displayName: locationName, locationType: 'default' },
    locations: locationName ? [{ displayName: locationName }] : [],
    organizer: recipient(spec.organizer),
    attendees,
    categories: [...(spec.categories ?? [])],
    type: spec.recurrence ? 'seriesMaster' : 'singleInstance',
    webLink: eventWebLink(id),
    createdDateTime: isoUtc(created),
    lastModifiedDateTime: respondedAt,
    changeKey: changeKey(`event:${spec.key}`),
    singleValueExtendedProperties: [],
  };
  if (joinUrl !== undefined) event.onlineMeeting = { joinUrl };
  if (spec.recurrence !== undefined) alignSeries(event, spec.recurrence, date, clock);
  return event;
}

/** Sets the master's recurrence and moves its start/end onto the first occurrence, as Graph requires. */
function alignSeries(master: SandboxEvent, rec: NonNullable<EventSpec['recurrence']>, startDate: string, clock: SeedClock): void {
  const pattern: Pattern = { ...rec.pattern };
  const startWall = master.start.dateTime;
  if (pattern.type === 'absoluteYearly' || pattern.type === 'relativeYearly') pattern.month ??= Number(startWall.slice(5, 7));
  if (pattern.type === 'absoluteMonthly' || pattern.type === 'absoluteYearly') pattern.dayOfMonth ??= Number(startWall.slice(8, 10));
  master.recurrence = {
    pattern,
    range: {
      type: rec.rangeType,
      startDate,
      recurrenceTimeZone: master.start.timeZone,
      ...(rec.rangeType === 'endDate' ? { endDate: clock.weekDate(rec.endDay ?? 0) } : {}),
      ...(rec.rangeType === 'numbered' ? { numberOfOccurrences: rec.count ?? 1 } : {}),
    },
  };
  const first = firstOccurrence(master);
  if (first === undefined) throw new Error(`Seed series "${master.subject}" has no occurrence`);
  master.start = first.start;
  master.end = first.end;
  master.recurrence.range.startDate = first.start.dateTime.slice(0, 10);
}

/** All stored seed events: singles, series masters and the stand-up's exception. */
export function buildEvents(clock: SeedClock): SandboxEvent[] {
  const events = EVENT_SPECS.map((spec, index) => buildEvent(spec, clock, index));
  const standup = events.find((e) => e.id === seedEventId('standup'));
  if (standup?.recurrence === undefined) throw new Error('Seed stand-up series missing');

  const originalDate = clock.weekDate(STANDUP_EXCEPTION.originalDay);
  const original = wallClockToUtc({ dateTime: wall(originalDate, standup.start.dateTime.slice(11, 16)), timeZone: standup.start.timeZone });
  const moved = { dateTime: wall(originalDate, STANDUP_EXCEPTION.time), timeZone: standup.start.timeZone };
  const movedEnd = new Date(wallClockToUtc(moved).getTime() + STANDUP_EXCEPTION.minutes * 60_000);
  const replaced = expandRecurrence(standup, original, new Date(original.getTime() + 60_000))[0];
  if (replaced === undefined) throw new Error('Seed stand-up has no occurrence to replace');
  const exception: SandboxEvent = structuredClone(standup);
  delete exception.recurrence;
  Object.assign(exception, {
    id: seedEventId('standup-exception'),
    type: 'exception',
    seriesMasterId: standup.id,
    originalStart: isoUtc(original),
    start: moved,
    end: { dateTime: utcToWallClock(movedEnd, standup.end.timeZone), timeZone: standup.end.timeZone },
    location: { displayName: 'Contoso Berlin – Spree room', locationType: 'default' },
    locations: [{ displayName: 'Contoso Berlin – Spree room' }],
    webLink: eventWebLink(seedEventId('standup-exception')),
    changeKey: changeKey('event:standup-exception'),
    iCalUId: replaced.iCalUId,
  });
  standup.cancelledOccurrences = [occurrenceId(standup.id, clock.weekDate(STANDUP_DELETED_DAY))];
  events.push(exception);
  events.push(buildEvent({ ...CUSTOMER_Y_REVIEW, day: clock.proposalDay }, clock, EVENT_SPECS.length));
  return events;
}

/**
 * The demo's hard conflict: on the Friday Anna proposes (see the seed's
 * "anna-proposal" thread), 14:30–15:30 is taken by this review.
 */
const CUSTOMER_Y_REVIEW: EventSpec = {
  key: 'customer-y-review', calendar: 'calendar', subject: 'Customer Y review', day: 4, time: '14:30', minutes: 60,
  organizer: 'jordan', attendees: [['avery', 'accepted'], ['anna', 'accepted']], online: true, categories: ['Customer Y'],
  description: 'Quarterly service review with Customer Y: delivery status, open change requests, renewal.',
};

/** The original date (`YYYY-MM-DD`) of the stand-up occurrence that the seed deletes, for a clock. */
export function deletedStandupDate(clock: SeedClock): string {
  return clock.weekDate(STANDUP_DELETED_DAY);
}

/** The original date of the stand-up occurrence that the seed's exception replaces. */
export function movedStandupDate(clock: SeedClock): string {
  return clock.weekDate(STANDUP_EXCEPTION.originalDay);
}
