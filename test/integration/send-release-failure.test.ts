/**
 * A state-store failure after the work it guarded was done must not turn that work into an error
 * (issue 18): a mail that went out is reported as sent even when the ledger cannot release the send's
 * lock afterwards (the agent would otherwise try again), and an update that was applied is reported as
 * applied even when its write lease cannot be ended. The failure is logged to stderr (and, for a send,
 * to the audit log); the hold ends by its own expiry. The ledger is the real one, with only `release` /
 * `endWrite` replaced by a failing stand-in; what went out is asserted from the sandbox's notification log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { Logger } from '../../src/log.js';
import { StateUnavailableError, type ApprovalLedger } from '../../src/state/ports.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';
import { textOf } from '../helpers/harness.js';

const APPROVED = 'dana@fabrikam.example';

let sandbox: Sandbox;
let h: DraftsHarness;
const stderr: string[] = [];
/** When set, Graph refuses every PATCH (a change that fails on its own). */
let refusePatch = false;
/** The runtime's ledger port, whose `release` / `endWrite` a test replaces (deleting the stand-in restores the store's). */
let ledger: Omit<ApprovalLedger, 'release' | 'endWrite'> & Partial<Pick<ApprovalLedger, 'release' | 'endWrite'>>;

const storeDown = () => new StateUnavailableError('The state store did not answer (injected by the test).');

beforeAll(async () => {
  sandbox = await startSandbox();
  h = await startDraftsHarness({
    sandboxInstance: sandbox,
    env: { OUTLOOK_ALLOW_SEND: 'true' },
    logger: new Logger('warn', (line) => stderr.push(line)),
    elicit: async () => ({ action: 'accept', content: { confirm: true } }),
    graphFetch: async (input, init) => {
      if (refusePatch && init?.method === 'PATCH') {
        return new Response(JSON.stringify({ error: { code: 'ErrorInvalidRequest', message: 'Refused by the test.' } }), { status: 400, headers: { 'content-type': 'application/json' } });
      }
      return fetch(input, init);
    },
  });
  // The runtime's port is a proxy over the store opened on first use: a method set on it replaces the store's.
  ledger = h.runtime.deps.state!.approvals as typeof ledger;
});
afterAll(async () => {
  delete ledger.release;
  delete ledger.endWrite;
  await h.close();
  await sandbox.close();
});
beforeEach(() => {
  stderr.length = 0;
  refusePatch = false;
  delete ledger.release;
  delete ledger.endWrite;
  sandbox.clearLog();
});

async function newDraft(subject: string): Promise<{ handle: string; id: string }> {
  const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: [APPROVED], subject, body: 'Numbers attached.' });
  return { handle: d.draft_id, id: await h.idOf(d.draft_id) };
}

const sends = () => sandbox.notifications.filter((n) => n.kind === 'mail-sent');

describe('a store failure after the work is done', () => {
  it('a sent mail whose lock cannot be released is reported as sent, logged to stderr and the audit log', async () => {
    const d = await newDraft('Release fails after the send');
    let releases = 0;
    const accepted = { sent: 0 };
    ledger.release = async () => {
      releases++;
      // Only after the send request went out: the failure under test is the one that follows an accepted send.
      accepted.sent = sends().length;
      throw storeDown();
    };
    const r = await h.call('ol_email_send_draft', { draft_id: d.handle });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'sent', sent: true });
    expect(textOf(r)).toMatch(/^Sent draft /);
    expect(releases).toBe(1);
    expect(accepted.sent).toBe(1);
    expect(sends()).toHaveLength(1);
    expect(sends()[0]!.recipients).toEqual([APPROVED]);
    expect(stderr.join('')).toMatch(/warn: The send lock of draft .* could not be released after the send \(The state store did not answer/);
    const lines = (await new AuditLog(h.stateDir).read()).filter((l) => l.item_id === d.id && l.action === 'send');
    expect(lines.map((l) => l.outcome)).toEqual(['approved', 'lock-kept', 'sent']);
    expect(lines[1]!.reason).toBe('state-release-failed');
    // The approval was spent before the send: the same draft cannot go out again by a replay, and the lock
    // that could not be released still holds (until its 15-minute hold ends).
    expect(await ledger.lockedUntil({ root: '/me', draftId: d.id })).toBeGreaterThan(Date.now());
  });

  it('a failing release before any send (the person declined) is still an error: nothing went out', async () => {
    const declining = await startDraftsHarness({ sandboxInstance: sandbox, env: { OUTLOOK_ALLOW_SEND: 'true' }, elicit: async () => ({ action: 'decline' }) });
    try {
      const approvals = declining.runtime.deps.state!.approvals as typeof ledger;
      const d = await declining.ok<{ draft_id: string }>('ol_email_create_draft', { to: [APPROVED], subject: 'Declined', body: 'b' });
      approvals.release = async () => {
        throw storeDown();
      };
      const r = await declining.call('ol_email_send_draft', { draft_id: d.draft_id });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/state store did not answer/);
      expect(sends()).toHaveLength(0);
    } finally {
      await declining.close();
    }
  });

  it("an applied update whose write lease cannot be ended is reported as applied, and the failure is logged", async () => {
    const d = await newDraft('Before');
    let ends = 0;
    ledger.endWrite = async () => {
      ends++;
      throw storeDown();
    };
    const r = await h.call('ol_email_update_draft', { draft_id: d.handle, subject: 'After' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(ends).toBe(1);
    expect(sandbox.mailbox.messages.find((m) => m.id === d.id)?.subject).toBe('After');
    expect(stderr.join('')).toMatch(/warn: The write lease of draft .* could not be ended after its update \(The state store did not answer/);
    // The lease was left to expire: until then no approval of the draft can be spent, so nothing unseen goes out.
    delete ledger.endWrite;
    const send = await h.call('ol_email_send_draft', { draft_id: d.handle });
    expect(send.isError).toBe(true);
    expect(sends()).toHaveLength(0);
  });

  it('a failing change still reports its own error, not the lease failure', async () => {
    const d = await newDraft('Stays');
    let ends = 0;
    ledger.endWrite = async () => {
      ends++;
      throw storeDown();
    };
    refusePatch = true;
    const r = await h.call('ol_email_update_draft', { draft_id: d.handle, subject: 'Changed' });
    expect(r.isError).toBe(true);
    expect(ends).toBe(1);
    expect(textOf(r)).toMatch(/Refused by the test|refused|rejected/i);
    expect(textOf(r)).not.toMatch(/state store/);
    expect(sandbox.mailbox.messages.find((m) => m.id === d.id)?.subject).toBe('Stays');
  });
});
