import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { PROPOSED_ATTENDEES_PROPERTY, DRAFT_ORIGIN_PROPERTY } from '../../src/drafts/tag.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

interface EventDraft {
  event_id: string;
  web_url?: string;
  subject: string;
  start: string;
  end: string;
  proposed_attendees: string[];
  conflicts: Array<{ subject: string; start: string; end: string }>;
  note: string;
}

let h: DraftsHarness;
beforeAll(async () => {
  h = await startDraftsHarness({ sandbox: { now: new Date('2026-11-27T12:00:00Z') } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sandbox.clearLog());

function event(id: string) {
  const e = h.sandbox.mailbox.events.find((x) => x.id === id);
  if (!e) throw new Error('no such event');
  return e;
}

describe('ol_calendar_create_event_draft', () => {
  it('creates the event without attendees, keeps the proposed ones on it, and invites nobody', async () => {
    const r = await h.ok<EventDraft>('ol_calendar_create_event_draft', {
      subject: 'Kick-off',
      start: '2026-12-02T10:00',
      end: '2026-12-02T11:00',
      attendees: ['Dana Lee <dana@fabrikam.example>', 'ops@fabrikam.example'],
      body: 'Agenda: **scope**',
      location: 'Room 4',
      online_meeting: true,
    });
    expect(r.proposed_attendees).toEqual(['Dana Lee <dana@fabrikam.example>', 'ops@fabrikam.example']);
    expect(r.note).toMatch(/No invitation was sent/);
    expect(r.start).toContain('2026-12-02');
    const e = event(await h.idOf(r.event_id));
    expect(e.attendees).toEqual([]);
    expect(e.isOnlineMeeting).toBe(true);
    expect(e.body.content).toContain('Proposed attendees — add them in Outlook and press Send:');
    expect(e.body.content).toContain('dana@fabrikam.example');
    expect(JSON.parse(e.singleValueExtendedProperties.find((p) => p.id === PROPOSED_ATTENDEES_PROPERTY)?.value ?? '[]')).toHaveLength(2);
    expect(e.singleValueExtendedProperties.some((p) => p.id === DRAFT_ORIGIN_PROPERTY)).toBe(true);
    const post = h.sandbox.requests.find((q) => q.method === 'POST');
    expect(JSON.stringify(post?.body)).not.toMatch(/"attendees"/);
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('reports conflicts with existing events in the window (default calendar)', async () => {
    await h.ok<EventDraft>('ol_calendar_create_event_draft', { subject: 'First', start: '2026-12-07T09:00', end: '2026-12-07T10:00' });
    const r = await h.ok<EventDraft>('ol_calendar_create_event_draft', { subject: 'Second', start: '2026-12-07T09:30', end: '2026-12-07T10:30' });
    expect(r.conflicts.map((c) => c.subject)).toContain('First');
    expect(r.conflicts.map((c) => c.subject)).not.toContain('Second');
    const view = h.sandbox.requests.findLast((q) => q.path.endsWith('/calendarView') && q.query.$skiptoken === undefined);
    expect(view?.query.startDateTime).toBe('2026-12-07T08:30:00Z');
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('refuses bad input before any request', async () => {
    expect(await h.fail('ol_calendar_create_event_draft', { subject: 'x', start: '2026-12-02T10:00', end: '2026-12-02T09:00' })).toMatch(/end must be after start/);
    expect(await h.fail('ol_calendar_create_event_draft', { subject: 'x', start: '2026-12-02T10:00', end: '2026-12-02T11:00', attendees: ['nope'] })).toMatch(/not a valid email address/);
    expect(h.sandbox.requests).toEqual([]);
  });
});

describe('ol_calendar_discard_event_draft', () => {
  it('deletes an own event draft without attendees', async () => {
    const r = await h.ok<EventDraft>('ol_calendar_create_event_draft', { subject: 'Temp', start: '2026-12-03T10:00', end: '2026-12-03T10:30', attendees: ['a@b.example'] });
    const id = await h.idOf(r.event_id);
    const d = await h.ok<{ note: string }>('ol_calendar_discard_event_draft', { event_id: r.event_id });
    expect(d.note).toMatch(/nobody was notified/);
    expect(h.sandbox.mailbox.events.some((e) => e.id === id)).toBe(false);
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('refuses once the human has added attendees (deleting would send cancellations)', async () => {
    const r = await h.ok<EventDraft>('ol_calendar_create_event_draft', { subject: 'Sent later', start: '2026-12-04T10:00', end: '2026-12-04T10:30' });
    const e = event(await h.idOf(r.event_id));
    e.attendees.push({ type: 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: 'Dana', address: 'dana@fabrikam.example' } });
    h.sandbox.clearLog();
    expect(await h.fail('ol_calendar_discard_event_draft', { event_id: r.event_id })).toMatch(/now has attendees.*cancellation/);
    expect(h.sandbox.requests.every((q) => q.method === 'GET')).toBe(true);
    expect(h.sandbox.mailbox.events.includes(e)).toBe(true);
  });

  it('refuses meetings it did not create and mail draft ids', async () => {
    expect(await h.fail('ol_calendar_discard_event_draft', { event_id: SEED_IDS.organizedMeeting })).toMatch(/not a draft this profile created/);
    expect(await h.fail('ol_calendar_discard_event_draft', { event_id: SEED_IDS.appointment })).toMatch(/not a draft this profile created/);
    const m = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['a@b.example'], subject: 's', body: 'b' });
    h.sandbox.clearLog();
    expect(await h.fail('ol_calendar_discard_event_draft', { event_id: m.draft_id })).toMatch(/mail draft, not an event draft/);
    expect(h.sandbox.requests).toEqual([]);
    expect(h.sandbox.notifications).toEqual([]);
  });
});
