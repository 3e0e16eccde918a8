import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

/** Fails the first matching request AFTER the server handled it: the create happened, the answer was lost. */
function losingFetch(match: (method: string, url: string) => boolean) {
  let armed = true;
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (armed && match(init?.method ?? 'GET', url)) {
      armed = false;
      await res.arrayBuffer();
      throw new TypeError('fetch failed (simulated lost response)');
    }
    return res;
  };
}

describe('a create whose answer was lost is not duplicated', () => {
  let h: DraftsHarness;
  beforeAll(async () => {
    h = await startDraftsHarness({ graphFetch: losingFetch((m, u) => m === 'POST' && /\/me\/(messages|events)$/.test(new URL(u).pathname)) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('finds the mail draft by its creation tag instead of creating it twice', async () => {
    const before = h.sandbox.mailbox.messages.length;
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['a@b.example'], subject: 'Once', body: 'x' });
    expect(h.sandbox.mailbox.messages.length).toBe(before + 1);
    expect(h.sandbox.mailbox.messages.filter((m) => m.subject === 'Once')).toHaveLength(1);
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const lookup = h.sandbox.requests.find((r) => r.method === 'GET' && r.query.$filter?.includes('draftOrigin'));
    expect(lookup).toBeDefined();
    expect(await h.deps.draftRegistry.get(await h.idOf(d.draft_id))).toBeDefined();
  });
});

describe('an event create whose answer was lost is not duplicated', () => {
  let h: DraftsHarness;
  beforeAll(async () => {
    h = await startDraftsHarness({ sandbox: { now: new Date('2026-11-27T12:00:00Z') }, graphFetch: losingFetch((m, u) => m === 'POST' && new URL(u).pathname.endsWith('/me/events')) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('finds the event by its creation tag', async () => {
    const before = h.sandbox.mailbox.events.length;
    const e = await h.ok<{ event_id: string }>('ol_calendar_create_event_draft', { subject: 'Once only', start: '2026-12-08T10:00', end: '2026-12-08T11:00' });
    expect(h.sandbox.mailbox.events.length).toBe(before + 1);
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect((await h.deps.draftRegistry.get(await h.idOf(e.event_id)))?.kind).toBe('event');
    expect(h.sandbox.notifications).toEqual([]);
  });
});

describe('a create refused with 503 (not created) is retried once after the tag lookup', () => {
  let h: DraftsHarness;
  beforeAll(async () => {
    h = await startDraftsHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates exactly one draft', async () => {
    h.sandbox.inject({ status: 503, match: { method: 'POST', pathIncludes: '/me/messages' } });
    await h.ok('ol_email_create_draft', { to: ['a@b.example'], subject: 'After 503', body: 'x' });
    expect(h.sandbox.mailbox.messages.filter((m) => m.subject === 'After 503')).toHaveLength(1);
    expect(h.sandbox.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 503', 'GET 200', 'POST 201']);
  });
});
