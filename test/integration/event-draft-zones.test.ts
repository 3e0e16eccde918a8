/**
 * The conflict check of `ol_calendar_create_event_draft` reads each event's
 * times in the zone Graph names for them (issue 16). Graph may answer
 * calendarView in a zone other than UTC (a Prefer header, Microsoft's own
 * examples mixing zones): here the real sandbox is asked, through the Graph
 * client's fetch, to answer the conflict read in Pacific time, and the
 * conflicts must still show in the user's zone (Berlin), not 9 hours off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

interface EventDraft {
  start: string;
  end: string;
  conflicts: Array<{ subject: string; start: string; end: string }>;
}

const PACIFIC = 'outlook.timezone="Pacific Standard Time"';
/** The calendarView answers this test saw, as Graph sent them. */
interface ViewPage {
  value: Array<{ subject: string; start: { timeZone: string }; end: { timeZone: string } }>;
}
const answers: ViewPage[] = [];

/** The Graph client's fetch, with calendarView asked to answer in Pacific time. */
const pacificCalendarView: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  if (req.method !== 'GET' || !new URL(req.url).pathname.endsWith('/calendarView')) return fetch(input, init);
  req.headers.set('prefer', [req.headers.get('prefer'), PACIFIC].filter(Boolean).join(', '));
  const res = await fetch(req);
  answers.push((await res.clone().json()) as ViewPage);
  return res;
};

let h: DraftsHarness;
beforeAll(async () => {
  h = await startDraftsHarness({ sandbox: { now: new Date('2026-11-27T12:00:00Z') }, graphFetch: pacificCalendarView });
});
afterAll(async () => {
  await h.close();
});

describe('event-draft conflicts, answered in another zone', () => {
  it('shows a conflict Graph sent in Pacific time at its Berlin time', async () => {
    const first = await h.ok<EventDraft>('ol_calendar_create_event_draft', { subject: 'First', start: '2026-12-07T09:00', end: '2026-12-07T10:00' });
    expect([first.start, first.end]).toEqual(['2026-12-07 09:00', '2026-12-07 10:00']);
    h.sandbox.clearLog();
    answers.length = 0;
    const r = await h.ok<EventDraft>('ol_calendar_create_event_draft', { subject: 'Second', start: '2026-12-07T09:30', end: '2026-12-07T10:30' });

    // Graph really answered in Pacific: the request carried the zone, and the times came labelled with it.
    const view = h.sandbox.requests.find((q) => q.path.endsWith('/calendarView'));
    expect(view?.headers.prefer).toContain(PACIFIC);
    const sent = answers.flatMap((a) => a.value).find((e) => e.subject === 'First');
    expect(sent?.start.timeZone).toBe('Pacific Standard Time');

    // 09:00 Berlin is 00:00 Pacific; read as UTC it would show as 01:00.
    expect(r.conflicts).toContainEqual({ subject: 'First', start: '2026-12-07 09:00', end: '2026-12-07 10:00' });
    // Every conflict (seeded ones too) overlaps the 09:30–10:30 Berlin window as shown.
    for (const c of r.conflicts) expect(c.start < '2026-12-07 10:30' && c.end > '2026-12-07 09:30').toBe(true);
    expect(h.sandbox.notifications).toEqual([]);
  });
});
