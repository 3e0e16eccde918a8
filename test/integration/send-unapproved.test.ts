/**
 * With send enabled, nothing reaches anyone unless the user approved that
 * exact draft: random sequences of draft and send calls, with hostile ids and
 * a user who declines, cancels, or approves a version that then changes,
 * leave the sandbox's notification log empty.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElicitResult } from '@modelcontextprotocol/client';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { editLikeOutlook, startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

type Decision = 'decline' | 'cancel' | 'accept-then-changed' | 'accept-unticked';
type Call = { name: string; args: Record<string, unknown>; decision?: Decision };

const idArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant('@own') },
  { weight: 1, arbitrary: fc.constantFrom(SEED_IDS.draftMessage, SEED_IDS.threadDraft, SEED_IDS.threadRoot, `${SEED_IDS.draftMessage}/send`, '../sendMail', '@ownEvent', 'zzzzzzzz') },
);
const CALLS: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ to: fc.constantFrom(['dana@fabrikam.example'], ['x@contoso.example', 'y@northwind.example']), subject: fc.string({ maxLength: 20 }) }).map((a) => ({ name: 'ol_email_create_draft', args: { ...a, body: 'b' } })),
  fc.record({ draft_id: idArb, subject: fc.string({ maxLength: 20 }) }).map((a) => ({ name: 'ol_email_update_draft', args: a })),
  fc.record({ draft_id: idArb }).map((a) => ({ name: 'ol_email_discard_draft', args: a })),
  fc.constant({ name: 'ol_calendar_create_event_draft', args: { subject: 'e', start: '2026-12-02T10:00', end: '2026-12-02T10:30', attendees: ['dana@fabrikam.example'] } }),
  fc
    .record({ draft_id: idArb, decision: fc.constantFrom<Decision>('decline', 'cancel', 'accept-then-changed', 'accept-unticked') })
    .map(({ decision, ...a }) => ({ name: 'ol_email_send_draft', args: a, decision })),
);

describe('send enabled, the user never approves the version sent', () => {
  let h: DraftsHarness;
  let decide: () => Promise<ElicitResult> = async () => ({ action: 'decline' });
  beforeAll(async () => {
    h = await startDraftsHarness({ env: { OUTLOOK_ALLOW_SEND: 'true' }, elicit: () => decide() });
  });
  afterAll(async () => {
    await h.close();
  });

  it('no sequence of calls sends anything', async () => {
    const own: { mail?: string; event?: string } = {};
    let prompted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(CALLS, { minLength: 1, maxLength: 8 }), async (calls) => {
        h.sandbox.clearLog();
        for (const c of calls) {
          const args = Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, v === '@own' ? (own.mail ?? v) : v === '@ownEvent' ? (own.event ?? v) : v]));
          decide = async () => {
            prompted++;
            if (c.decision === 'cancel') return { action: 'cancel' };
            if (c.decision === 'accept-unticked') return { action: 'accept', content: { confirm: false } };
            if (c.decision === 'accept-then-changed') {
              // A person edits the draft in Outlook while the prompt is open (the agent's own update is locked out).
              await editLikeOutlook(h.sandbox, await h.idOf(String(args.draft_id)), { subject: 'changed meanwhile' });
              return { action: 'accept', content: { confirm: true } };
            }
            return { action: 'decline' };
          };
          const r = await h.call(c.name, args);
          const s = r.structuredContent as { draft_id?: string; event_id?: string; sent?: boolean } | undefined;
          if (!r.isError && s?.draft_id && c.name === 'ol_email_create_draft') own.mail = s.draft_id;
          if (!r.isError && s?.event_id) own.event = s.event_id;
          if (!r.isError) expect(s?.sent ?? false).toBe(false);
        }
        expect(h.sandbox.notifications).toEqual([]);
        expect(h.sandbox.requests.filter((r) => r.method === 'POST' && /\/send(Mail)?$/.test(r.path))).toEqual([]);
      }),
      { numRuns: 40, seed: 5151, endOnFailure: true },
    );
    // The runs did reach the prompt, not only refusals.
    expect(prompted).toBeGreaterThan(5);
  }, 30_000);
});
