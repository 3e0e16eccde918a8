import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

describe('profiles sharing one mailbox never touch each other’s drafts', () => {
  let sb: Sandbox;
  let acme: DraftsHarness;
  let fab: DraftsHarness;
  beforeAll(async () => {
    sb = await startSandbox({ now: new Date('2026-11-27T12:00:00Z') });
    acme = await startDraftsHarness({ sandboxInstance: sb, env: { OUTLOOK_PROFILE: 'acme' } });
    fab = await startDraftsHarness({ sandboxInstance: sb, env: { OUTLOOK_PROFILE: 'fabrikam' } });
  });
  afterAll(async () => {
    await acme.close();
    await fab.close();
    await sb.close();
  });

  it('lists, updates and discards only its own', async () => {
    const a = await acme.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['a@b.example'], subject: 'acme draft', body: 'x' });
    const e = await acme.ok<{ event_id: string }>('ol_calendar_create_event_draft', { subject: 'acme event', start: '2026-12-09T10:00', end: '2026-12-09T11:00' });
    const id = await acme.idOf(a.draft_id);
    const eventId = await acme.idOf(e.event_id);
    const listed = await fab.ok<{ drafts: Array<{ subject: string }> }>('ol_email_list_drafts', {});
    expect(listed.drafts.map((d) => d.subject)).not.toContain('acme draft');
    // Even with a forged local record, the server-side tag names another profile.
    await fab.deps.draftRegistry.add({ id, kind: 'mail', creationId: 'x', subject: 'forged', createdAt: new Date().toISOString() });
    sb.clearLog();
    expect(await fab.fail('ol_email_discard_draft', { draft_id: id })).toMatch(/does not carry this profile's draft tag/);
    expect(await fab.fail('ol_calendar_discard_event_draft', { event_id: eventId })).toMatch(/not a draft this profile created/);
    expect(sb.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await acme.ok('ol_email_discard_draft', { draft_id: a.draft_id })).toMatchObject({ subject: 'acme draft' });
    expect(sb.notifications).toEqual([]);
  });
});
