/**
 * ol_calendar_find_free_time through a real MCP client against the sandbox:
 * the seed's Friday example in one call, and the Graph requests it costs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../helpers/harness.js';
import { PEOPLE } from '../../src/sandbox/seed/index.js';

// A Tuesday: the demo's "Friday" is 2026-12-04.
const NOW = new Date('2026-12-01T09:00:00Z');
const ANNA = PEOPLE.anna.address;

interface Slot {
  start: string;
  end: string;
}
interface Busy extends Slot {
  who: string;
  status: string;
  subject?: string;
}
interface FreeTime {
  time_zone: string;
  duration_minutes: number;
  slots: Slot[];
  busy: Busy[];
  proposed?: { start: string; end: string; works: boolean; conflicts?: Busy[]; outside_working_hours?: boolean; alternatives?: Slot[] };
  unavailable?: Array<{ who: string; reason: string }>;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sandbox: { now: NOW } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sandbox.clearLog());

const scheduleCalls = () => h.sandbox.requests.filter((r) => r.path.endsWith('/calendar/getSchedule'));

describe('ol_calendar_find_free_time', () => {
  it("answers the seed's example: Anna's Friday 14:00-15:00 collides with the Customer Y review; 13:00 or after 16:00 work", async () => {
    const r = await h.ok<FreeTime>('ol_calendar_find_free_time', { attendees: [ANNA], proposed_start: '2026-12-04T14:00', proposed_end: '2026-12-04T15:00' });
    expect(r.time_zone).toBe('Europe/Berlin');
    expect(r.duration_minutes).toBe(60);
    expect(r.proposed?.works).toBe(false);
    expect(r.proposed?.conflicts).toEqual(
      expect.arrayContaining([
        { who: 'me', start: '2026-12-04 14:30', end: '2026-12-04 15:30', status: 'busy', subject: 'Customer Y review' },
        { who: ANNA, start: '2026-12-04 14:30', end: '2026-12-04 15:30', status: 'busy' },
      ]),
    );
    // Anna shares free/busy only: no subject of hers reaches the agent.
    expect(r.busy.filter((b) => b.who === ANNA).every((b) => b.subject === undefined)).toBe(true);
    expect(r.proposed?.alternatives?.map((a) => a.start)).toEqual(['2026-12-04 13:00', '2026-12-04 16:00']);
    expect(r.slots).toEqual([
      { start: '2026-12-04 10:00', end: '2026-12-04 11:00' },
      { start: '2026-12-04 13:00', end: '2026-12-04 14:30' },
      { start: '2026-12-04 16:00', end: '2026-12-04 17:00' },
    ]);
    // A tentative block of Anna's (15:30-16:00) blocks the slot and is labelled.
    expect(r.busy).toContainEqual({ who: ANNA, start: '2026-12-04 15:30', end: '2026-12-04 16:00', status: 'tentative' });

    // Two Graph requests: who am I (once per server), then one getSchedule for both people.
    expect(h.sandbox.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v1.0/me', 'POST /v1.0/me/calendar/getSchedule']);
    const body = scheduleCalls()[0]?.body as { schedules: string[]; startTime: { dateTime: string; timeZone: string } };
    expect(body.schedules).toEqual(['avery.quinn@contoso.example', ANNA]);
    expect(body.startTime).toEqual({ dateTime: '2026-12-03T23:00:00', timeZone: 'UTC' });

    const text = textOf(await h.call('ol_calendar_find_free_time', { attendees: [ANNA], proposed_start: '2026-12-04T14:00', duration_minutes: 60 }));
    expect(text).toContain('Proposed 2026-12-04 14:00 - 15:00: does NOT work.');
    expect(text).toContain('conflict: 2026-12-04 14:30 - 15:30 | me | busy | Customer Y review');
    expect(text).toContain('nearest free: 2026-12-04 13:00 - 14:30; 2026-12-04 16:00 - 17:00');
  });

  it('says yes to a slot that works, and uses one getSchedule request once /me is known', async () => {
    await h.ok('ol_calendar_find_free_time', { attendees: [ANNA], proposed_start: '2026-12-04T14:00' }); // warms the /me lookup
    h.sandbox.clearLog();
    const r = await h.ok<FreeTime>('ol_calendar_find_free_time', { attendees: [ANNA], proposed_start: '2026-12-04T16:00', duration_minutes: 45 });
    expect(r.proposed).toEqual({ start: '2026-12-04 16:00', end: '2026-12-04 16:45', works: true });
    expect(h.sandbox.requests).toHaveLength(1);
  });

  it("intersects attendees' working hours and flags a proposal outside them", async () => {
    const r = await h.ok<FreeTime>('ol_calendar_find_free_time', { attendees: [PEOPLE.lukas.address], proposed_start: '2026-12-04T16:30', duration_minutes: 30 });
    // Lukas works 08:00-16:00: 16:30 is outside his hours though both calendars are free.
    expect(r.proposed?.works).toBe(false);
    expect(r.proposed?.outside_working_hours).toBe(true);
    expect(r.proposed?.conflicts).toBeUndefined();
    // Lukas's own item carries a subject: he shares limited details.
    expect(r.busy).toContainEqual({ who: PEOPLE.lukas.address, start: '2026-12-04 13:00', end: '2026-12-04 14:00', status: 'busy', subject: 'Hamburg rack planning' });
  });

  it('lists slots over several days, skips the weekend and out-of-office, and reports unknown people', async () => {
    const r = await h.ok<FreeTime>('ol_calendar_find_free_time', { attendees: [ANNA, 'nobody@contoso.example'], from_date: '2026-12-04', to_date: '2026-12-07', duration_minutes: 60, limit: 50 });
    expect(r.slots.some((s) => s.start.startsWith('2026-12-05') || s.start.startsWith('2026-12-06'))).toBe(false);
    // Anna is away all Monday.
    expect(r.slots.some((s) => s.start.startsWith('2026-12-07'))).toBe(false);
    expect(r.busy).toContainEqual({ who: ANNA, start: '2026-12-07 09:00', end: '2026-12-07 17:00', status: 'oof' });
    expect(r.unavailable).toEqual([{ who: 'nobody@contoso.example', reason: "The mailbox 'nobody@contoso.example' could not be found." }]);
  });

  it('without working hours, free time runs to the window edges', async () => {
    const r = await h.ok<FreeTime>('ol_calendar_find_free_time', { from_date: '2026-12-05', to_date: '2026-12-05', working_hours_only: false, duration_minutes: 120 });
    expect(r.slots[0]).toEqual({ start: '2026-12-05 00:00', end: '2026-12-06 00:00' });
  });

  it('splits more than 20 people into several getSchedule requests', async () => {
    const many = Array.from({ length: 25 }, (_, i) => `person${i}@contoso.example`);
    const r = await h.ok<FreeTime>('ol_calendar_find_free_time', { attendees: many, from_date: '2026-12-04', to_date: '2026-12-04' });
    const calls = scheduleCalls().map((c) => (c.body as { schedules: string[] }).schedules.length);
    expect(calls).toEqual([20, 6]);
    expect(r.unavailable).toHaveLength(25);
  });

  it('splits a window of 62 days into requests Graph accepts', async () => {
    await h.ok('ol_calendar_find_free_time', { from_date: '2026-12-01', to_date: '2027-01-31', limit: 1 });
    const windows = scheduleCalls().map((c) => (c.body as { startTime: { dateTime: string }; endTime: { dateTime: string } }));
    expect(windows).toHaveLength(2);
    for (const w of windows) expect(Date.parse(`${w.endTime.dateTime}Z`) - Date.parse(`${w.startTime.dateTime}Z`)).toBeLessThan(62 * 86_400_000);
  });

  it('refuses unclear arguments with a message that says what to pass', async () => {
    expect(await h.fail('ol_calendar_find_free_time', {})).toContain('Give from_date and to_date');
    expect(await h.fail('ol_calendar_find_free_time', { from_date: '2026-12-01', to_date: '2027-03-01' })).toContain('at most 62 days');
    expect(await h.fail('ol_calendar_find_free_time', { proposed_start: '2026-12-04T15:00', proposed_end: '2026-12-04T14:00' })).toContain('after proposed_start');
  });
});
