/**
 * The review card's approvals (`mint` with `lock: false`): they do not lock
 * the draft while the card is on screen, become a lock once Send is pressed
 * (consumed), and never lift the lock of a confirmation prompt that is open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalPendingError, ApprovalService } from '../../src/approval/approvals.js';
import { isAppOnly } from '../../src/apps/tool-meta.js';
import { tempState } from '../helpers/state.js';

let dir: string;
let approvals: ApprovalService;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-card-approvals-'));
  const now = () => new Date('2026-12-01T12:00:00Z');
  approvals = new ApprovalService({ stateDir: dir, profile: 'default', now, ledger: tempState({ dir, now: () => now().getTime() }).approvals, mailboxRoot: '/me' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const locked = (id: string) => approvals.assertNotPending(id, 'update', 'h1');

describe('card approvals', () => {
  it('do not lock the draft until Send is pressed, then lock it until released', async () => {
    const { claim } = await approvals.mint({ draftId: 'D1', digest: 'x', channel: 'card', lock: false });
    await expect(locked('D1')).resolves.toBeUndefined();
    const verified = await approvals.verify((await approvals.mint({ draftId: 'D1', digest: 'x', channel: 'card', lock: false })).token, { draftId: 'D1', channel: 'card' });
    expect(verified.nonce).not.toBe(claim.nonce);
    await approvals.consume(verified);
    await expect(locked('D1')).rejects.toBeInstanceOf(ApprovalPendingError);
    await approvals.release('D1', verified.nonce);
    await expect(locked('D1')).resolves.toBeUndefined();
  });

  it('a card opened while a confirmation prompt is open keeps the draft locked', async () => {
    await approvals.mint({ draftId: 'D2', digest: 'x', channel: 'elicit' });
    await expect(locked('D2')).rejects.toBeInstanceOf(ApprovalPendingError);
    await approvals.mint({ draftId: 'D2', digest: 'x', channel: 'card', lock: false });
    await expect(locked('D2')).rejects.toBeInstanceOf(ApprovalPendingError);
  });

  it('a card approval is refused on the elicitation channel and the other way round', async () => {
    const { token } = await approvals.mint({ draftId: 'D3', digest: 'x', channel: 'card', lock: false });
    await expect(approvals.verify(token, { draftId: 'D3', channel: 'elicit' })).rejects.toMatchObject({ reason: 'wrong-channel' });
  });
});

describe('the approval key', () => {
  it('is read once: a profile folder removed after the first approval leaves no failed read behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const first = await approvals.mint({ draftId: 'K1', digest: 'x', channel: 'card', lock: false });
      rmSync(path.join(dir, 'approval.key'));
      // Every later use goes on with the key already read; before, each use read the file again and a
      // failed read was a rejected promise nobody awaited.
      await expect(approvals.verify(first.token, { draftId: 'K1', channel: 'card' })).resolves.toMatchObject({ draftId: 'K1' });
      await approvals.mint({ draftId: 'K2', digest: 'x', channel: 'card', lock: false });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('isAppOnly', () => {
  it('is true only for visibility exactly ["app"]', () => {
    expect(isAppOnly({ ui: { visibility: ['app'] } })).toBe(true);
    expect(isAppOnly({ ui: { visibility: ['model', 'app'] } })).toBe(false);
    expect(isAppOnly({ ui: { resourceUri: 'ui://x' } })).toBe(false);
    expect(isAppOnly({ ui: { visibility: [] } })).toBe(false);
    expect(isAppOnly(undefined)).toBe(false);
  });
});
