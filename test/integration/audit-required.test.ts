/**
 * No audit, no send (issue 16, send gate 3): when the profile's audit log
 * cannot be written, an approved send is refused and sends nothing, and every
 * draft write (mail and event, create/update/discard) is refused before its
 * first Graph write. Asserted from the sandbox's request and notification logs.
 * The log is made unwritable by putting a folder where the file goes (file
 * modes do not stop root, which CI runs as).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { AuditLog, type AuditEntry } from '../../src/audit/audit-log.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

let sandbox: Sandbox;
let h: DraftsHarness;
let log: AuditLog;
let onPrompt: () => void = () => {};

beforeAll(async () => {
  sandbox = await startSandbox();
  h = await startDraftsHarness({
    sandboxInstance: sandbox,
    env: { OUTLOOK_ALLOW_SEND: 'true' },
    elicit: async () => {
      onPrompt();
      return { action: 'accept', content: { confirm: true } };
    },
  });
  log = h.deps.auditLog as AuditLog;
});
afterAll(async () => {
  await h.close();
  await sandbox.close();
});
afterEach(() => {
  breakLog(false);
  onPrompt = () => {};
});

function breakLog(broken: boolean): void {
  rmSync(log.file, { recursive: true, force: true });
  if (broken) mkdirSync(log.file);
}

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');
const sends = () => sandbox.requests.filter((r) => r.method === 'POST' && /\/send$/.test(r.path));

async function draft(): Promise<string> {
  const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: 'Numbers', body: 'Attached.' });
  sandbox.clearLog();
  return d.draft_id;
}

describe('no audit, no send', () => {
  it('an approval answered while the log cannot be written sends nothing, and says why', async () => {
    const id = await draft();
    onPrompt = () => breakLog(true);
    const msg = await h.fail('ol_email_send_draft', { draft_id: id });
    expect(msg).toMatch(/^Refused: the audit log .*audit\.jsonl cannot be written \(EISDIR\), and nothing is sent without its audit line\. Nothing was changed or sent\./);
    expect(sends()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
    // Once the log works again, asking again sends (nothing stayed locked).
    breakLog(false);
    onPrompt = () => {};
    expect(await h.ok<{ sent: boolean }>('ol_email_send_draft', { draft_id: id })).toMatchObject({ sent: true });
  });

  it('when only the approved line fails (disk full at that moment), the send is refused', async () => {
    const id = await draft();
    const append = log.append.bind(log);
    log.append = async (entry: AuditEntry) => {
      if (entry.outcome === 'approved') throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return append(entry);
    };
    try {
      const msg = await h.fail('ol_email_send_draft', { draft_id: id });
      expect(msg).toMatch(/^Refused: the audit log .* cannot be written \(ENOSPC\), and nothing is sent without its audit line/);
    } finally {
      log.append = append;
    }
    expect(sends()).toEqual([]);
    expect(sandbox.notifications).toEqual([]);
    // The refusal itself is on record.
    expect((await log.read()).at(-1)).toMatchObject({ tool: 'ol_email_send_draft', outcome: 'refused', reason: 'AuditUnavailableError' });
  });

  it.each([
    ['ol_email_create_draft', async () => ({ to: ['dana@fabrikam.example'], subject: 's', body: 'b' })],
    ['ol_email_update_draft', async () => ({ draft_id: await draft(), subject: 'changed' })],
    ['ol_email_discard_draft', async () => ({ draft_id: await draft() })],
    ['ol_calendar_create_event_draft', async () => ({ subject: 'e', start: '2026-12-02T10:00', end: '2026-12-02T10:30', attendees: ['dana@fabrikam.example'] })],
    [
      'ol_calendar_discard_event_draft',
      async () => ({ event_id: (await h.ok<{ event_id: string }>('ol_calendar_create_event_draft', { subject: 'e', start: '2026-12-03T10:00', end: '2026-12-03T10:30' })).event_id }),
    ],
  ] as const)('%s is refused before any Graph write while the log cannot be written', async (tool, args) => {
    const a = await args();
    sandbox.clearLog();
    breakLog(true);
    const msg = await h.fail(tool, a);
    expect(msg).toMatch(/^Refused: the audit log .* cannot be written \(EISDIR\), and nothing is written without its audit line/);
    expect(writes()).toEqual([]);
  });
});
