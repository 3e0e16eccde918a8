import { describe, it, expect } from 'vitest';
import {
  eventInZone,
  expandRecurrence,
  findEvent,
  firstOccurrence,
  listCalendarView,
  listInstances,
  occurrenceId,
  parseOccurrenceId,
} from '../../src/sandbox/calendar.js';
import type { PatternedRecurrence, SandboxEvent, SandboxMailbox } from '../../src/sandbox/model.js';
import { wallClockToUtc } from '../../src/sandbox/timezones.js';

const CAL = 'calendar-1';
const OTHER_CAL = 'calendar-2';
// Shaped like a REST id with padding, plus the characters that need encoding.
const MASTER_ID = 'AAMkAD-master_id+with/odd=';

function event(overrides: Partial<SandboxEvent> = {}): SandboxEvent {
  const id = overrides.id ?? 'single-1';
  return {
    id,
    calendarId: CAL,
    iCalUId: '040000008200E00074C5B7101A82E00800000000D0E6B5AC8F1DDB01000000000000000010000000F9B5A5C2E3DA8C4B8E5C7A0B1A2B3C4D',
    subject: 'Subject',
    bodyPreview: '',
    body: { contentType: 'html', content: '<html><body></body></html>' },
    start: { dateTime: '2025-01-06T09:00:00.0000000', timeZone: 'W. Europe Standard Time' },
    end: { dateTime: '2025-01-06T09:30:00.0000000', timeZone: 'W. Europe Standard Time' },
    originalStartTimeZone: 'W. Europe Standard Time',
    originalEndTimeZone: 'W. Europe Standard Time',
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    showAs: 'busy',
    sensitivity: 'normal',
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    location: { displayName: '' },
    locations: [],
    organizer: { emailAddress: { name: 'Avery Quinn', address: 'avery.quinn@contoso.example' } },
    attendees: [],
    categories: [],
    type: 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    createdDateTime: '2024-12-01T00:00:00Z',
    lastModifiedDateTime: '2024-12-01T00:00:00Z',
    changeKey: 'ck',
    singleValueExtendedProperties: [],
    ...overrides,
  };
}

function series(
  pattern: PatternedRecurrence['pattern'],
  range: Partial<PatternedRecurrence['range']>,
  overrides: Partial<SandboxEvent> = {},
): SandboxEvent {
  const start = overrides.start ?? { dateTime: '2025-01-06T09:00:00.0000000', timeZone: 'W. Europe Standard Time' };
  return event({
    id: MASTER_ID,
    type: 'seriesMaster',
    ...overrides,
    start,
    recurrence: { pattern, range: { type: 'noEnd', startDate: start.dateTime.slice(0, 10), ...range } },
  });
}

const d = (iso: string): Date => new Date(iso);
const dates = (events: SandboxEvent[]): string[] => events.map((e) => e.start.dateTime.slice(0, 10));
const starts = (events: SandboxEvent[]): string[] => events.map((e) => e.start.dateTime);
const utcStarts = (events: SandboxEvent[]): string[] => events.map((e) => wallClockToUtc(e.start).toISOString());
const YEAR = [d('2024-01-01T00:00:00Z'), d('2031-01-01T00:00:00Z')] as const;

describe('expandRecurrence: daily', () => {
  it('steps by the interval and stops after numberOfOccurrences', () => {
    const master = series({ type: 'daily', interval: 3 }, { type: 'numbered', numberOfOccurrences: 4 });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2025-01-06', '2025-01-09', '2025-01-12', '2025-01-15']);
  });

  it('includes the end date of an endDate range', () => {
    const master = series({ type: 'daily', interval: 1 }, { type: 'endDate', endDate: '2025-01-09' });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09']);
  });

  it('counts numbered occurrences from the start of the range, not the window', () => {
    const master = series({ type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 5 });
    const found = expandRecurrence(master, d('2025-01-09T00:00:00Z'), d('2025-02-01T00:00:00Z'));
    expect(dates(found)).toEqual(['2025-01-09', '2025-01-10']);
  });

  it('expands an endless series in a far-away window', () => {
    const master = series({ type: 'daily', interval: 1 }, { type: 'noEnd' });
    const found = expandRecurrence(master, d('2030-06-01T00:00:00Z'), d('2030-06-04T00:00:00Z'));
    expect(starts(found)).toEqual(['2030-06-01T09:00:00.0000000', '2030-06-02T09:00:00.0000000', '2030-06-03T09:00:00.0000000']);
  });

  it('returns nothing for an empty or inverted window', () => {
    const master = series({ type: 'daily', interval: 1 }, { type: 'noEnd' });
    expect(expandRecurrence(master, d('2025-01-10T00:00:00Z'), d('2025-01-10T00:00:00Z'))).toEqual([]);
    expect(expandRecurrence(master, d('2025-01-11T00:00:00Z'), d('2025-01-10T00:00:00Z'))).toEqual([]);
    expect(expandRecurrence(event(), ...YEAR)).toEqual([]);
  });
});

describe('expandRecurrence: weekly', () => {
  it('takes every listed weekday', () => {
    const master = series({ type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday', 'friday'], firstDayOfWeek: 'sunday' }, { type: 'numbered', numberOfOccurrences: 6 });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2025-01-06', '2025-01-08', '2025-01-10', '2025-01-13', '2025-01-15', '2025-01-17']);
  });

  it('skips days of the first week that precede the start date', () => {
    const start = { dateTime: '2025-01-08T09:00:00.0000000', timeZone: 'UTC' };
    const master = series({ type: 'weekly', interval: 1, daysOfWeek: ['monday', 'friday'], firstDayOfWeek: 'sunday' }, { type: 'numbered', numberOfOccurrences: 3 }, { start, end: { ...start, dateTime: '2025-01-08T10:00:00.0000000' } });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2025-01-10', '2025-01-13', '2025-01-17']);
  });

  it('counts weeks from firstDayOfWeek when the interval is above 1', () => {
    // Start Monday 2025-01-06; every other week on Sunday and Monday.
    const pattern = (firstDayOfWeek: string): PatternedRecurrence['pattern'] => ({ type: 'weekly', interval: 2, daysOfWeek: ['sunday', 'monday'], firstDayOfWeek });
    const range = { type: 'endDate', endDate: '2025-01-31' } as const;
    expect(dates(expandRecurrence(series(pattern('sunday'), range), ...YEAR))).toEqual(['2025-01-06', '2025-01-19', '2025-01-20']);
    expect(dates(expandRecurrence(series(pattern('monday'), range), ...YEAR))).toEqual(['2025-01-06', '2025-01-12', '2025-01-20', '2025-01-26']);
  });

  it('keeps the wall-clock time across a DST change and shifts the UTC time', () => {
    const start = { dateTime: '2025-03-24T09:00:00.0000000', timeZone: 'W. Europe Standard Time' };
    const master = series({ type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' }, { type: 'numbered', numberOfOccurrences: 2 }, { start, end: { ...start, dateTime: '2025-03-24T09:30:00.0000000' } });
    const found = expandRecurrence(master, ...YEAR);
    expect(starts(found)).toEqual(['2025-03-24T09:00:00.0000000', '2025-03-31T09:00:00.0000000']);
    expect(found.map((e) => e.end.dateTime)).toEqual(['2025-03-24T09:30:00.0000000', '2025-03-31T09:30:00.0000000']);
    expect(utcStarts(found)).toEqual(['2025-03-24T08:00:00.000Z', '2025-03-31T07:00:00.000Z']);
  });

  it('evaluates the pattern in recurrenceTimeZone even when the times are stored in another zone', () => {
    // 08:00 UTC is 09:00 in Berlin in winter; the series follows Berlin's 09:00 into summer.
    const start = { dateTime: '2025-03-24T08:00:00.0000000', timeZone: 'UTC' };
    const master = series(
      { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' },
      { type: 'numbered', numberOfOccurrences: 2, recurrenceTimeZone: 'W. Europe Standard Time' },
      { start, end: { ...start, dateTime: '2025-03-24T08:15:00.0000000' } },
    );
    const found = expandRecurrence(master, ...YEAR);
    expect(found.map((e) => e.start)).toEqual([
      { dateTime: '2025-03-24T08:00:00.0000000', timeZone: 'UTC' },
      { dateTime: '2025-03-31T07:00:00.0000000', timeZone: 'UTC' },
    ]);
    expect(found[1]?.end.dateTime).toBe('2025-03-31T07:15:00.0000000');
  });

  it('moves an occurrence in the spring-forward gap to the first valid time', () => {
    const start = { dateTime: '2025-03-02T02:30:00.0000000', timeZone: 'Pacific Standard Time' };
    const master = series({ type: 'weekly', interval: 1, daysOfWeek: ['sunday'], firstDayOfWeek: 'sunday' }, { type: 'numbered', numberOfOccurrences: 3 }, { start, end: { ...start, dateTime: '2025-03-02T03:00:00.0000000' } });
    const found = expandRecurrence(master, ...YEAR);
    expect(starts(found)).toEqual(['2025-03-02T02:30:00.0000000', '2025-03-09T03:30:00.0000000', '2025-03-16T02:30:00.0000000']);
    expect(utcStarts(found)).toEqual(['2025-03-02T10:30:00.000Z', '2025-03-09T10:30:00.000Z', '2025-03-16T09:30:00.000Z']);
  });
});

describe('expandRecurrence: monthly and yearly', () => {
  it('absoluteMonthly puts day 31 on the last day of shorter months', () => {
    const start = { dateTime: '2025-01-31T12:00:00.0000000', timeZone: 'UTC' };
    const master = series({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, { type: 'numbered', numberOfOccurrences: 4 }, { start, end: { ...start, dateTime: '2025-01-31T13:00:00.0000000' } });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30']);
  });

  it('absoluteMonthly honours the interval', () => {
    const master = series({ type: 'absoluteMonthly', interval: 2, dayOfMonth: 15 }, { type: 'endDate', endDate: '2025-08-31', startDate: '2025-01-01' });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2025-01-15', '2025-03-15', '2025-05-15', '2025-07-15']);
  });

  it('relativeMonthly finds the nth and the last weekday', () => {
    const second = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' }, { type: 'numbered', numberOfOccurrences: 3, startDate: '2025-01-01' });
    expect(dates(expandRecurrence(second, ...YEAR))).toEqual(['2025-01-14', '2025-02-11', '2025-03-11']);
    const last = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' }, { type: 'numbered', numberOfOccurrences: 3, startDate: '2025-01-01' });
    expect(dates(expandRecurrence(last, ...YEAR))).toEqual(['2025-01-31', '2025-02-28', '2025-03-28']);
  });

  it('relativeMonthly with several days takes the nth day matching any of them', () => {
    const weekend = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['saturday', 'sunday'], index: 'first' }, { type: 'numbered', numberOfOccurrences: 3, startDate: '2025-01-01' });
    // 2025-01-04 is a Saturday, 2025-02-01 a Saturday, 2025-03-01 a Saturday.
    expect(dates(expandRecurrence(weekend, ...YEAR))).toEqual(['2025-01-04', '2025-02-01', '2025-03-01']);
    const thirdWeekday = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], index: 'third' }, { type: 'numbered', numberOfOccurrences: 2, startDate: '2025-06-01' });
    expect(dates(expandRecurrence(thirdWeekday, ...YEAR))).toEqual(['2025-06-04', '2025-07-03']);
  });

  it('relativeMonthly skips an occurrence before the start date in the first month', () => {
    const master = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['monday'], index: 'first' }, { type: 'numbered', numberOfOccurrences: 2, startDate: '2025-01-10' });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2025-02-03', '2025-03-03']);
  });

  it('absoluteYearly handles 29 February and the interval', () => {
    const start = { dateTime: '2024-02-29T10:00:00.0000000', timeZone: 'UTC' };
    const leap = series({ type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 }, { type: 'numbered', numberOfOccurrences: 3 }, { start, end: { ...start, dateTime: '2024-02-29T11:00:00.0000000' } });
    expect(dates(expandRecurrence(leap, ...YEAR))).toEqual(['2024-02-29', '2025-02-28', '2026-02-28']);
    const everyOther = series({ type: 'absoluteYearly', interval: 2, month: 7, dayOfMonth: 4 }, { type: 'endDate', startDate: '2024-01-01', endDate: '2030-12-31' });
    expect(dates(expandRecurrence(everyOther, ...YEAR))).toEqual(['2024-07-04', '2026-07-04', '2028-07-04', '2030-07-04']);
  });

  it('relativeYearly finds the fourth Thursday of November', () => {
    const master = series({ type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' }, { type: 'numbered', numberOfOccurrences: 3, startDate: '2024-01-01' });
    expect(dates(expandRecurrence(master, ...YEAR))).toEqual(['2024-11-28', '2025-11-27', '2026-11-26']);
  });

  it('all-day series keep midnight-to-midnight in their zone across DST', () => {
    const start = { dateTime: '2025-03-29T00:00:00.0000000', timeZone: 'W. Europe Standard Time' };
    const master = series({ type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 3 }, { start, end: { ...start, dateTime: '2025-03-30T00:00:00.0000000' }, isAllDay: true });
    const found = expandRecurrence(master, ...YEAR);
    expect(found.map((e) => [e.start.dateTime, e.end.dateTime])).toEqual([
      ['2025-03-29T00:00:00.0000000', '2025-03-30T00:00:00.0000000'],
      ['2025-03-30T00:00:00.0000000', '2025-03-31T00:00:00.0000000'],
      ['2025-03-31T00:00:00.0000000', '2025-04-01T00:00:00.0000000'],
    ]);
  });
});

describe('expandRecurrence: window edges and occurrence shape', () => {
  const master = series({ type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 3 }, { start: { dateTime: '2025-01-06T09:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2025-01-06T10:00:00.0000000', timeZone: 'UTC' } });

  it('uses half-open overlap: touching the window start or end does not count', () => {
    expect(dates(expandRecurrence(master, d('2025-01-06T10:00:00Z'), d('2025-01-07T09:00:00Z')))).toEqual([]);
    expect(dates(expandRecurrence(master, d('2025-01-06T09:59:59Z'), d('2025-01-07T09:00:01Z')))).toEqual(['2025-01-06', '2025-01-07']);
    expect(dates(expandRecurrence(master, d('2025-01-06T09:00:00Z'), d('2025-01-06T09:00:01Z')))).toEqual(['2025-01-06']);
  });

  it('produces occurrences with derived ids and no recurrence', () => {
    const [first, second] = expandRecurrence(master, ...YEAR);
    expect(first).toMatchObject({ type: 'occurrence', seriesMasterId: MASTER_ID, id: `${MASTER_ID}.20250106`, originalStart: '2025-01-06T09:00:00Z' });
    expect(first?.recurrence).toBeUndefined();
    expect(first?.iCalUId).not.toBe(master.iCalUId);
    expect(first?.iCalUId).not.toBe(second?.iCalUId);
    expect(first?.iCalUId.slice(32, 40)).toBe('07E90106');
    expect(first?.webLink).toContain(encodeURIComponent(`${MASTER_ID}.20250106`));
  });

  it('returns copies that do not share state with the master', () => {
    const withAttendee = { ...master, attendees: [{ type: 'required' as const, status: { response: 'accepted' as const, time: '2025-01-01T00:00:00Z' }, emailAddress: { name: 'A', address: 'a@example.com' } }] };
    const [first] = expandRecurrence(withAttendee, ...YEAR);
    first?.attendees.pop();
    expect(withAttendee.attendees).toHaveLength(1);
  });
});

describe('occurrence ids', () => {
  it('round-trip through parseOccurrenceId', () => {
    const id = occurrenceId(MASTER_ID, '2025-03-09');
    expect(id).toBe(`${MASTER_ID}.20250309`);
    expect(parseOccurrenceId(id)).toEqual({ seriesMasterId: MASTER_ID, date: '2025-03-09' });
    expect(parseOccurrenceId(MASTER_ID)).toBeUndefined();
    expect(parseOccurrenceId('.20250309')).toBeUndefined();
  });
});

function mailbox(events: SandboxEvent[]): SandboxMailbox {
  return {
    user: { id: 'u', displayName: 'Avery Quinn', mail: 'avery.quinn@contoso.example', userPrincipalName: 'avery.quinn@contoso.example', mailboxSettings: { timeZone: 'Europe/Berlin' } },
    folders: [],
    messages: [],
    calendars: [],
    events,
  };
}

describe('calendar view with exceptions and deletions', () => {
  const standup = series(
    { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'monday' },
    { type: 'noEnd', recurrenceTimeZone: 'W. Europe Standard Time' },
    { start: { dateTime: '2025-01-06T09:30:00.0000000', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2025-01-06T09:45:00.0000000', timeZone: 'W. Europe Standard Time' } },
  );
  standup.cancelledOccurrences = [occurrenceId(MASTER_ID, '2025-01-13')];
  const exception = event({
    id: 'exception-1',
    type: 'exception',
    seriesMasterId: MASTER_ID,
    originalStart: '2025-01-08T08:30:00Z',
    start: { dateTime: '2025-01-08T11:00:00.0000000', timeZone: 'W. Europe Standard Time' },
    end: { dateTime: '2025-01-08T11:15:00.0000000', timeZone: 'W. Europe Standard Time' },
  });
  const tokyo = event({ id: 'tokyo', start: { dateTime: '2025-01-07T16:00:00.0000000', timeZone: 'Tokyo Standard Time' }, end: { dateTime: '2025-01-07T17:00:00.0000000', timeZone: 'Tokyo Standard Time' } });
  const pacific = event({ id: 'pacific', start: { dateTime: '2025-01-06T08:00:00.0000000', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2025-01-06T09:00:00.0000000', timeZone: 'Pacific Standard Time' } });
  const elsewhere = event({ id: 'other-calendar', calendarId: OTHER_CAL });
  const box = mailbox([standup, exception, tokyo, pacific, elsewhere]);
  const week = [d('2025-01-06T00:00:00Z'), d('2025-01-16T00:00:00Z')] as const;

  it('lists occurrences, exceptions and single events, never the master', () => {
    const view = listCalendarView(box, CAL, ...week);
    expect(view.map((e) => e.type)).toEqual(['occurrence', 'singleInstance', 'singleInstance', 'exception', 'occurrence']);
  });

  it('orders events from different zones by their instant', () => {
    const view = listCalendarView(box, CAL, ...week);
    const instants = view.map((e) => wallClockToUtc(e.start).getTime());
    expect([...instants].sort((a, b) => a - b)).toEqual(instants);
    expect(view.map((e) => e.id)).toEqual([`${MASTER_ID}.20250106`, 'pacific', 'tokyo', 'exception-1', `${MASTER_ID}.20250115`]);
  });

  it('keeps each event in its stored zone', () => {
    const view = listCalendarView(box, CAL, ...week);
    expect(view.find((e) => e.id === 'tokyo')?.start).toEqual(tokyo.start);
  });

  it('drops deleted occurrences and those replaced by exceptions', () => {
    const ids = listCalendarView(box, CAL, ...week).map((e) => e.id);
    expect(ids).not.toContain(`${MASTER_ID}.20250113`);
    expect(ids).not.toContain(`${MASTER_ID}.20250108`);
  });

  it('only lists the requested calendar', () => {
    expect(listCalendarView(box, OTHER_CAL, ...week).map((e) => e.id)).toEqual(['other-calendar']);
    expect(listCalendarView(box, 'nope', ...week)).toEqual([]);
  });

  it('listInstances gives occurrences and exceptions of one series', () => {
    expect(listInstances(box, MASTER_ID, ...week).map((e) => e.id)).toEqual([`${MASTER_ID}.20250106`, 'exception-1', `${MASTER_ID}.20250115`]);
    expect(listInstances(box, 'tokyo', ...week)).toEqual([]);
  });

  it('findEvent resolves stored ids and occurrence ids from the view', () => {
    expect(findEvent(box, 'tokyo')).toBe(tokyo);
    for (const listed of listCalendarView(box, CAL, ...week)) {
      expect(findEvent(box, listed.id)).toEqual(listed);
    }
  });

  it('findEvent maps a replaced occurrence id to its exception, and rejects deleted or impossible ones', () => {
    expect(findEvent(box, `${MASTER_ID}.20250108`)).toBe(exception);
    expect(findEvent(box, `${MASTER_ID}.20250113`)).toBeUndefined(); // deleted
    expect(findEvent(box, `${MASTER_ID}.20250107`)).toBeUndefined(); // a Tuesday
    expect(findEvent(box, `${MASTER_ID}.20241230`)).toBeUndefined(); // before the series
    expect(findEvent(box, `${MASTER_ID}.20250230`)).toBeUndefined(); // not a date
    expect(findEvent(box, `tokyo.20250107`)).toBeUndefined(); // not a series
    expect(findEvent(box, 'missing')).toBeUndefined();
  });

  it('findEvent honours numbered ranges', () => {
    const numbered = series({ type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 2 });
    const box2 = mailbox([numbered]);
    expect(findEvent(box2, `${MASTER_ID}.20250107`)?.type).toBe('occurrence');
    expect(findEvent(box2, `${MASTER_ID}.20250108`)).toBeUndefined();
  });

  it('firstOccurrence finds where a series really starts', () => {
    const monthly = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'first' }, { startDate: '2025-01-10' });
    expect(firstOccurrence(monthly)?.start.dateTime).toBe('2025-02-04T09:00:00.0000000');
    expect(firstOccurrence(tokyo)).toBeUndefined();
  });
});

describe('eventInZone', () => {
  const meeting = event({ start: { dateTime: '2025-07-01T09:00:00.0000000', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2025-07-01T10:30:00.0000000', timeZone: 'W. Europe Standard Time' } });

  it('expresses start and end in the requested zone, labelled as requested', () => {
    expect(eventInZone(meeting, 'Pacific Standard Time')).toMatchObject({
      start: { dateTime: '2025-07-01T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2025-07-01T01:30:00.0000000', timeZone: 'Pacific Standard Time' },
    });
    expect(eventInZone(meeting, 'UTC').start).toEqual({ dateTime: '2025-07-01T07:00:00.0000000', timeZone: 'UTC' });
    expect(eventInZone(meeting, 'Asia/Kolkata').start).toEqual({ dateTime: '2025-07-01T12:30:00.0000000', timeZone: 'Asia/Kolkata' });
  });

  it('keeps the original zone fields and does not touch the input', () => {
    const copy = eventInZone(meeting, 'Tokyo Standard Time');
    expect(copy.originalStartTimeZone).toBe('W. Europe Standard Time');
    expect(meeting.start.timeZone).toBe('W. Europe Standard Time');
    expect(copy).not.toBe(meeting);
  });

  it('keeps midnight wall times for all-day events', () => {
    const allDay = event({ isAllDay: true, start: { dateTime: '2025-07-01T00:00:00.0000000', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2025-07-02T00:00:00.0000000', timeZone: 'W. Europe Standard Time' } });
    expect(eventInZone(allDay, 'Pacific Standard Time')).toMatchObject({
      start: { dateTime: '2025-07-01T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2025-07-02T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
    });
  });

  it('throws a RangeError for unknown zones', () => {
    expect(() => eventInZone(meeting, 'Mars Standard Time')).toThrow(RangeError);
  });
});
