/**
 * The lock lasts until the send returns (issue 16, send gate 2). The agent's
 * own ol_email_update_draft must never land between the final re-read and
 * `POST /send`, however late the person answers and however slow Graph is:
 * - the person answers two seconds before the approval expires and the
 *   re-read takes three more seconds (fake clock, latency injected in the Graph
 *   client's fetch): the update arrives then, and must be refused;
 * - the update started before the prompt and its PATCH is still on the way
 *   when the person answers: the send must not start until it is done.
 * Asserted from the sandbox's notification log and the audit log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { APPROVAL_TTL_SECONDS } from '../../src/approval/approvals.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';
import { textOf } from '../helpers/harness.js';

const APPROVED = 'dana@fabrikam.example';
const EVIL = 'exfil@evil.example';
const RUNS = 5;

let sandbox: Sandbox;
let h: DraftsHarness;
let offsetMs = 0;
/** Called by the Graph client's fetch after each response arrives, before the server sees it. */
let afterResponse: (method: string, url: URL) => Promise<void> = async () => {};
/** Called before a request is made. */
let beforeRequest: (method: string, url: URL) => Promise<void> = async () => {};
let onPrompt: () => Promise<void> = async () => {};

beforeAll(async () => {
  sandbox = await startSandbox();
  h = await startDraftsHarness({
    sandboxInstance: sandbox,
    env: { OUTLOOK_ALLOW_SEND: 'true' },
    now: () => new Date(Date.now() + offsetMs),
    graphFetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = init?.method ?? 'GET';
      await beforeRequest(method, url);
      const res = await fetch(input, init);
      await afterResponse(method, url);
      return res;
    },
    elicit: async () => {
      await onPrompt();
      return { action: 'accept', content: { confirm: true } };
    },
  });
});
afterAll(async () => {
  await h.close();
  await sandbox.close();
});
beforeEach(() => {
  afterResponse = async () => {};
  beforeRequest = async () => {};
  onPrompt = async () => {};
});

/** The send's read of the message (everything that goes out, with its changeKey); after an answer, the final re-read. */
const isFinalReread = (method: string, url: URL, graphId: string) => {
  const select = (url.searchParams.get('$select') ?? '').split(',');
  return method === 'GET' && url.pathname.endsWith(`/messages/${encodeURIComponent(graphId)}`) && select.includes('changeKey') && select.includes('body');
};

async function newDraft(): Promise<{ handle: string; id: string }> {
  const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: [APPROVED], subject: 'Quarterly numbers', body: 'Numbers attached.' });
  return { handle: d.draft_id, id: await h.idOf(d.draft_id) };
}

const sentTo = () => sandbox.notifications.filter((n) => n.kind === 'mail-sent').flatMap((n) => n.recipients);

describe('the send lock lasts until the send returns', () => {
  it(`an update arriving between the final re-read and POST /send, after an answer just before expiry, is refused (${RUNS} runs)`, async () => {
    let unapproved = 0;
    for (let run = 0; run < RUNS; run++) {
      const d = await newDraft();
      sandbox.clearLog();
      let armed = false;
      let update: CallToolResult | undefined;
      // The person answers two seconds before the approval expires (approvals count whole seconds).
      onPrompt = async () => {
        offsetMs += (APPROVAL_TTL_SECONDS - 2) * 1000;
        armed = true;
      };
      afterResponse = async (method, url) => {
        if (!armed || !isFinalReread(method, url, d.id)) return;
        armed = false;
        // Graph is slow: the re-read's answer arrives three seconds later, and the agent's update comes in now.
        offsetMs += 3000;
        update = await h.call('ol_email_update_draft', { draft_id: d.handle, to: [EVIL] });
      };
      const r = await h.call('ol_email_send_draft', { draft_id: d.handle });
      expect(update, `the race was reached; the send said: ${textOf(r)}`).toBeDefined();
      if (sentTo().includes(EVIL)) unapproved++;
      expect(update?.isError, textOf(update ?? { content: [] })).toBe(true);
      expect(textOf(update ?? { content: [] })).toMatch(/cannot be changed now: .*being sent/);
      // What was approved went out, reported and audited as such.
      expect(r.isError).toBeFalsy();
      expect(sentTo()).toEqual([APPROVED]);
      const sent = (await new AuditLog(h.stateDir).read()).filter((l) => l.outcome === 'sent').at(-1);
      expect(sent?.recipient_domains).toEqual(['fabrikam.example']);
      // And once the send returned, the lock is gone: the next lookup is "not a draft any more", not "locked".
      const after = await h.call('ol_email_update_draft', { draft_id: d.handle, subject: 'later' });
      expect(textOf(after)).not.toMatch(/cannot be changed now/);
    }
    expect(unapproved).toBe(0);
  }, 60_000);

  it(`an update whose PATCH is still on the way when the person answers keeps the send from starting (${RUNS} runs)`, async () => {
    let unapproved = 0;
    for (let run = 0; run < RUNS; run++) {
      const d = await newDraft();
      sandbox.clearLog();
      let releasePatch!: () => void;
      const patchMayGo = new Promise<void>((resolve) => (releasePatch = resolve));
      let patchReached!: () => void;
      const patchHeld = new Promise<void>((resolve) => (patchReached = resolve));
      beforeRequest = async (method, url) => {
        if (method !== 'PATCH' || !url.pathname.endsWith(`/messages/${encodeURIComponent(d.id)}`)) return;
        patchReached();
        await patchMayGo;
      };
      let answered = false;
      let updateDone: Promise<CallToolResult> | undefined = undefined;
      afterResponse = async (method, url) => {
        // Only the re-read after an answer: the PATCH lands between it and POST /send unless the send waits.
        if (!isFinalReread(method, url, d.id) || !answered) return;
        releasePatch();
        await updateDone;
      };
      onPrompt = async () => {
        answered = true;
      };
      // The agent's update passes its checks before any prompt exists; its PATCH is slow.
      updateDone = h.call('ol_email_update_draft', { draft_id: d.handle, to: [EVIL] });
      await patchHeld;
      const r = await h.call('ol_email_send_draft', { draft_id: d.handle });
      releasePatch();
      const u = await updateDone;
      if (sentTo().includes(EVIL)) unapproved++;
      // The update went through (it began first); the send did not start while it was under way.
      expect(u.isError, textOf(u)).toBeFalsy();
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^Not sent: another call was changing the draft at that moment/);
      expect(sentTo()).toEqual([]);
      // Nothing is left locked: asking again works and sends the current version, after a new approval.
      onPrompt = async () => {};
      const again = await h.ok<{ sent: boolean; to: string[] }>('ol_email_send_draft', { draft_id: d.handle });
      expect(again.sent).toBe(true);
      expect(sentTo()).toEqual([EVIL]);
    }
    expect(unapproved).toBe(0);
  }, 60_000);
});
