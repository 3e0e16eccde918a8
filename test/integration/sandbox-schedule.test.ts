/** The sandbox's getSchedule, mailboxSettings and people over HTTP, with Graph's limits and errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { PEOPLE } from '../../src/sandbox/seed/index.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ now: new Date('2026-12-01T09:00:00Z') });
});
afterAll(async () => {
  await sb.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph JSON, read loosely by the assertions
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const window = (start: string, end: string) => ({ startTime: { dateTime: start, timeZone: 'UTC' }, endTime: { dateTime: end, timeZone: 'UTC' } });

describe('sandbox getSchedule', () => {
  it('returns scheduleItems, availabilityView and workingHours; own subjects, others as shared', async () => {
    const r = await call('POST', '/me/calendar/getSchedule', { schedules: [PEOPLE.avery.address, PEOPLE.anna.address, 'x@nowhere.example'], ...window('2026-12-04T08:00:00', '2026-12-04T16:00:00'), availabilityViewInterval: 60 }, { Prefer: 'outlook.timezone="W. Europe Standard Time"' });
    expect(r.status).toBe(200);
    const [me, anna, nobody] = r.body.value;
    expect(me.workingHours).toEqual({ daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'W. Europe Standard Time' } });
    const review = me.scheduleItems.find((i: { subject?: string }) => i.subject === 'Customer Y review');
    expect(review).toMatchObject({ status: 'busy', start: { dateTime: '2026-12-04T14:30:00.0000000', timeZone: 'W. Europe Standard Time' } });
    // v1.0's scheduleItem has isPrivate, status, subject, location, start, end and nothing else (isMeeting and the like are beta).
    for (const item of [...me.scheduleItems, ...anna.scheduleItems]) {
      expect(Object.keys(item).filter((k) => !['isPrivate', 'status', 'subject', 'location', 'start', 'end'].includes(k))).toEqual([]);
    }
    // Hours 09-17 Berlin: Anna busy 9-10, 12-13 and 14:30-15:30; 15-16 also holds her tentative 15:30, and busy wins.
    expect(anna.availabilityView).toBe('20020220');
    expect(anna.scheduleItems.every((i: { subject?: string }) => i.subject === undefined)).toBe(true);
    expect(nobody).toEqual({ scheduleId: 'x@nowhere.example', error: { message: 'Unable to resolve e-mail address x@nowhere.example to an Active Directory object.', responseCode: '5009' } });
  });

  it("refuses what Graph refuses: more than 20 schedules, a window of 62 days or more, an interval outside 5-1440", async () => {
    const many = Array.from({ length: 21 }, (_, i) => `p${i}@contoso.example`);
    expect((await call('POST', '/me/calendar/getSchedule', { schedules: many, ...window('2026-12-01T00:00:00', '2026-12-02T00:00:00') })).status).toBe(400);
    const long = await call('POST', '/me/calendar/getSchedule', { schedules: [PEOPLE.avery.address], ...window('2026-12-01T00:00:00', '2027-02-01T00:00:00') });
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('ErrorInvalidTimeInterval');
    expect((await call('POST', '/me/calendar/getSchedule', { schedules: [PEOPLE.avery.address], ...window('2026-12-01T00:00:00', '2027-01-31T23:00:00') })).status).toBe(200);
    for (const interval of [4, 1441, 2.5]) {
      expect((await call('POST', '/me/calendar/getSchedule', { schedules: [PEOPLE.avery.address], ...window('2026-12-01T00:00:00', '2026-12-02T00:00:00'), availabilityViewInterval: interval })).status).toBe(400);
    }
  });

  it('serves mailboxSettings with a Windows time-zone name', async () => {
    const r = await call('GET', '/me/mailboxSettings');
    expect(r.body.timeZone).toBe('W. Europe Standard Time');
    expect(r.body.workingHours.timeZone).toEqual({ name: 'W. Europe Standard Time' });
  });
});
