/**
 * Every write tool appends one audit line per call (docs/DESIGN.md promise 5: attribution),
 * with Graph's request-id, the recipients' domains and a subject hash, and
 * never the subject, body or addresses themselves.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { AuditLog, subjectHash } from '../../src/audit/audit-log.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

let h: DraftsHarness;
beforeAll(async () => {
  h = await startDraftsHarness();
});
afterAll(async () => {
  await h.close();
});

describe('audit log of writes', () => {
  it('records create, update, discard of mail and event drafts, and refusals', async () => {
    const log = new AuditLog(h.stateDir);
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['Dana <dana@fabrikam.example>'], bcc: ['audit@northwind.example'], subject: 'Confidential pricing', body: 'The price is 42.' });
    await h.ok('ol_email_update_draft', { draft_id: d.draft_id, subject: 'Confidential pricing v2', cc: ['lukas.becker@contoso.example'] });
    await h.fail('ol_email_update_draft', { draft_id: SEED_IDS.draftMessage, subject: 'Hijack attempt' });
    await h.ok('ol_email_discard_draft', { draft_id: d.draft_id });
    const e = await h.ok<{ event_id: string }>('ol_calendar_create_event_draft', { subject: 'Board prep', start: '2026-12-02T10:00', end: '2026-12-02T11:00', attendees: ['ceo@fabrikam.example'] });
    await h.ok('ol_calendar_discard_event_draft', { event_id: e.event_id });
    await h.ok('ol_email_list_drafts', {});

    const lines = await log.read();
    expect(lines.map((l) => `${l.tool}:${l.outcome}`)).toEqual([
      'ol_email_create_draft:ok',
      'ol_email_update_draft:ok',
      'ol_email_update_draft:refused',
      'ol_email_discard_draft:ok',
      'ol_calendar_create_event_draft:ok',
      'ol_calendar_discard_event_draft:ok',
    ]);
    const [create, update, refused, discard, eventCreate, eventDiscard] = lines;
    const mailId = await h.idOf(d.draft_id);
    expect(create).toMatchObject({ profile: 'default', action: 'draft.create', item_id: mailId, recipient_domains: ['fabrikam.example', 'northwind.example'], subject_sha256: subjectHash('Confidential pricing') });
    expect(update).toMatchObject({ action: 'draft.update', item_id: mailId, subject_sha256: subjectHash('Confidential pricing v2') });
    expect(update?.recipient_domains).toContain('contoso.example');
    expect(refused).toMatchObject({ action: 'draft.update', item_id: SEED_IDS.draftMessage, reason: 'DraftNotOwnedError' });
    expect(discard).toMatchObject({ action: 'draft.discard', item_id: mailId });
    expect(eventCreate).toMatchObject({ action: 'event.create', item_id: await h.idOf(e.event_id), recipient_domains: ['fabrikam.example'] });
    expect(eventDiscard).toMatchObject({ action: 'event.discard', item_id: await h.idOf(e.event_id) });
    for (const l of [create, update, discard, eventCreate, eventDiscard]) expect(l?.request_id).toMatch(/\S/);
    expect(refused?.request_id).toBeUndefined();
    const raw = readFileSync(log.file, 'utf8');
    for (const secret of ['Confidential', 'price is 42', 'dana@', 'Dana', 'ceo@', 'Board prep', 'Hijack']) expect(raw).not.toContain(secret);
  });
});
