/**
 * Times as Graph sends them: every dateTimeTimeZone read in its own zone.
 * Microsoft's documented responses are replayed through a fake Graph, and the
 * sandbox (which answers in UTC, without Preference-Applied, for a zone Graph
 * does not support) is read from zones outside Graph's short IANA list.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, startHostileHarness, type HostileHarness } from '../helpers/hostile-graph.js';
import { EVENT_GET_RESPONSE_1, GET_SCHEDULE_RESPONSE } from '../helpers/graph-doc-examples.js';
import { startHarness } from '../helpers/harness.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { formatInZone } from '../../src/text/dates.js';

let h: HostileHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Ev {
  subject: string;
  start: string;
  end: string;
  flags?: string[];
}

describe("Microsoft's documented responses, replayed", () => {
  it('get event: the event-get example (asked Pacific, answered UTC) shows 09:00 in Los Angeles, not 17:00', async () => {
    h = await startHostileHarness({ env: { OUTLOOK_TIMEZONE: 'America/Los_Angeles' } });
    h.graph.on(/^GET \/v1\.0\/me\/events\//, (_req, res) => json(res, 200, EVENT_GET_RESPONSE_1.body, EVENT_GET_RESPONSE_1.headers));
    const e = await h.ok<Ev>('ol_calendar_get_event', { id: EVENT_GET_RESPONSE_1.body.id });
    expect([e.start, e.end]).toEqual(['2014-11-03 09:00', '2014-11-03 09:30']);
    // The zone is asked for by its Windows name, the form Graph documents.
    expect(h.graph.requests.at(-1)?.headers.prefer).toContain('outlook.timezone="Pacific Standard Time"');
  });

  it('list events: the same documented event in a calendarView page shows in the user zone (Berlin)', async () => {
    h = await startHostileHarness({ env: { OUTLOOK_TIMEZONE: 'Europe/Berlin' } });
    h.graph.on(/^GET \/v1\.0\/me\/calendar\/calendarView/, (_req, res) => json(res, 200, { value: [EVENT_GET_RESPONSE_1.body, { ...EVENT_GET_RESPONSE_1.body, id: 'second-event-id-0000000000000000000000000000', start: { dateTime: '2014-11-03T09:00:00.0000000', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2014-11-03T09:30:00.0000000', timeZone: 'America/Los_Angeles' } }] }));
    const r = await h.ok<{ events: Ev[] }>('ol_calendar_list_events', { from_date: '2014-11-03', to_date: '2014-11-03' });
    // 17:00 UTC and 09:00 Pacific are both 18:00 in Berlin; a Windows and an IANA label read alike.
    expect(r.events.map((e) => [e.start, e.end])).toEqual([
      ['2014-11-03 18:00', '2014-11-03 18:30'],
      ['2014-11-03 18:00', '2014-11-03 18:30'],
    ]);
    expect(h.graph.requests.at(-1)?.headers.prefer).toContain('outlook.timezone="W. Europe Standard Time"');
  });

  it('a time in a zone nobody maps keeps its own wall clock and names the zone, instead of being taken for UTC', async () => {
    h = await startHostileHarness({ env: { OUTLOOK_TIMEZONE: 'Europe/Berlin' } });
    const odd = { ...EVENT_GET_RESPONSE_1.body, start: { dateTime: '2014-11-03T09:00:00.0000000', timeZone: 'Customized Time Zone' }, end: { dateTime: 42, timeZone: null } };
    h.graph.on(/^GET \/v1\.0\/me\/events\//, (_req, res) => json(res, 200, odd));
    const e = await h.ok<Ev>('ol_calendar_get_event', { id: EVENT_GET_RESPONSE_1.body.id });
    expect(e.start).toBe('2014-11-03 09:00 (Customized Time Zone)');
    expect(e.end).toBe('(no time)');
  });

  it("free time: getSchedule's documented answer in Pacific time is read as Pacific (was 7 hours off as UTC)", async () => {
    h = await startHostileHarness({ env: { OUTLOOK_TIMEZONE: 'America/Los_Angeles' } });
    h.graph.on(/^GET \/v1\.0\/me\?/, (_req, res) => json(res, 200, { mail: 'adelev@contoso.onmicrosoft.com' }));
    h.graph.on(/^POST \/v1\.0\/me\/calendar\/getSchedule/, (_req, res) => json(res, 200, GET_SCHEDULE_RESPONSE));
    const r = await h.ok<{ slots: Array<{ start: string; end: string }>; busy: Array<{ who: string; start: string; end: string; status: string; subject?: string }> }>('ol_calendar_find_free_time', {
      attendees: ['meganb@contoso.onmicrosoft.com'],
      from_date: '2019-03-15',
      to_date: '2019-03-15',
    });
    expect(r.busy).toContainEqual({ who: 'me', start: '2019-03-15 12:00', end: '2019-03-15 14:00', status: 'busy', subject: "Let's go for lunch" });
    expect(r.busy).toContainEqual({ who: 'meganb@contoso.onmicrosoft.com', start: '2019-03-15 08:30', end: '2019-03-15 09:30', status: 'busy' });
    // Working hours 08-17 (Adele: Pacific by name; Megan: a custom zone with the same rules).
    expect(r.slots).toEqual([
      { start: '2019-03-15 08:00', end: '2019-03-15 08:30' },
      { start: '2019-03-15 09:30', end: '2019-03-15 12:00' },
      { start: '2019-03-15 14:00', end: '2019-03-15 16:00' },
    ]);
  });

  it("free time: a proposal's day is its instant's day in the user zone, whatever offset it was written with", async () => {
    h = await startHostileHarness({ env: { OUTLOOK_TIMEZONE: 'America/Los_Angeles' } });
    h.graph.on(/^GET \/v1\.0\/me\?/, (_req, res) => json(res, 200, { mail: 'adelev@contoso.onmicrosoft.com' }));
    h.graph.on(/^POST \/v1\.0\/me\/calendar\/getSchedule/, (_req, res) => json(res, 200, GET_SCHEDULE_RESPONSE));
    // 2019-03-16T04:00+09:00 is 12:00 on 15 March in Los Angeles: the window is the 15th, and the lunch conflicts.
    const r = await h.ok<{ proposed: { start: string; works: boolean; conflicts?: Array<{ subject?: string }> } }>('ol_calendar_find_free_time', { proposed_start: '2019-03-16T04:00:00+09:00', duration_minutes: 30 });
    expect(r.proposed.start).toBe('2019-03-15 12:00');
    expect(r.proposed.works).toBe(false);
    expect(r.proposed.conflicts?.map((c) => c.subject)).toContain("Let's go for lunch");
    const body = JSON.parse(h.graph.requests.find((q) => q.method === 'POST')?.body ?? '{}') as { startTime?: { dateTime?: string } };
    expect(body.startTime?.dateTime).toBe('2019-03-15T07:00:00');
  });
});

describe('zones outside Graph short IANA list, against the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('the sandbox answers an unsupported IANA zone in UTC without Preference-Applied, a Windows name in that zone with it', async () => {
    const get = (zone: string) => fetch(`${sb.url}/me/calendarView?startDateTime=2026-11-30T00:00:00Z&endDateTime=2026-12-07T00:00:00Z&$top=1`, { headers: { authorization: `Bearer ${sb.token}`, prefer: `outlook.timezone="${zone}"` } });
    const madrid = await get('Europe/Madrid');
    expect(madrid.headers.get('preference-applied')).toBeNull();
    expect(((await madrid.json()) as { value: Ev[] }).value[0]?.start).toMatchObject({ timeZone: 'UTC' });
    const romance = await get('Romance Standard Time');
    expect(romance.headers.get('preference-applied')).toContain('outlook.timezone="Romance Standard Time"');
    expect(((await romance.json()) as { value: Array<{ start: unknown }> }).value[0]?.start).toMatchObject({ timeZone: 'Romance Standard Time' });
  });

  it.each(['America/Toronto', 'Europe/Madrid', 'Europe/Amsterdam', 'Europe/Zurich', 'Europe/Rome', 'Asia/Hong_Kong', 'Australia/Melbourne'])('%s: every listed time is the true instant in that zone', async (zone) => {
    const utc = await startHarness({ sandboxInstance: sb, env: { OUTLOOK_TIMEZONE: 'UTC' } });
    const local = await startHarness({ sandboxInstance: sb, env: { OUTLOOK_TIMEZONE: zone } });
    try {
      const args = { from_date: '2026-11-30', to_date: '2026-12-06', limit: 100 };
      const inUtc = (await utc.ok<{ events: Ev[] }>('ol_calendar_list_events', args)).events;
      const inZone = (await local.ok<{ events: Ev[] }>('ol_calendar_list_events', args)).events;
      const shift = (s: string) => formatInZone(new Date(`${s.replace(' ', 'T')}:00Z`), zone, 'datetime');
      const timed = (es: Ev[]) => es.filter((e) => !e.flags?.includes('all day'));
      // The windows differ by the zone's offset, so compare the events both lists hold.
      const expected = new Set(timed(inUtc).map((e) => `${e.subject}|${shift(e.start)}|${shift(e.end)}`));
      const got = timed(inZone).map((e) => `${e.subject}|${e.start}|${e.end}`);
      const common = got.filter((g) => expected.has(g));
      expect(common.length).toBeGreaterThan(5);
      expect(common.length).toBeGreaterThanOrEqual(got.length - 4);
    } finally {
      await utc.close();
      await local.close();
    }
  });
});
