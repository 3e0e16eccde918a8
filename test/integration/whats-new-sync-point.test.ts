/**
 * ol_email_whats_new never moves its sync point past changes it could not show
 * (issue 16). The failure here comes after Graph's delta pages were read and
 * before the answer exists: the handle store cannot persist the handles of the
 * rows (a full disk, as ENOSPC). The saved deltaLink (the state store's delta-link port) must not move, so the next
 * call shows the same messages instead of skipping them for good.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';

interface WhatsNew {
  mode: 'baseline' | 'changes';
  messages: Array<{ subject: string; change?: 'new' | 'updated' }>;
}

let h: Harness;
let cacheDir: string;
beforeAll(async () => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-whats-new-sync-'));
  h = await startHarness({ env: { OUTLOOK_CACHE_DIR: cacheDir } });
});
afterAll(async () => {
  await h.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** The inbox's saved sync point (its deltaLink state, read through the state port), if any. */
async function savedSyncPoint(): Promise<unknown> {
  const { deps } = h.runtime;
  const folder = await deps.folders.resolve('inbox');
  return deps.state!.deltas.get(deps.graph.root, folder);
}

/** The next rows' handles cannot be written (after Graph answered). */
function failNextHandleWrite(): void {
  vi.spyOn(h.runtime.deps.handles, 'handlesFor').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
}

const deltaReads = () => h.sandbox.requests.filter((r) => r.path.endsWith('/messages/delta'));

describe('ol_email_whats_new sync point', () => {
  it('a baseline that fails after its pages were read saves no sync point; the next call is the baseline again', async () => {
    h.sandbox.clearLog();
    failNextHandleWrite();
    expect(await h.fail('ol_email_whats_new', { limit: 5 })).toMatch(/ENOSPC|no space/i);
    // Graph's pages were read (and answered with a deltaLink) before the failure …
    expect(deltaReads().length).toBeGreaterThan(0);
    expect(deltaReads().every((r) => r.status === 200)).toBe(true);
    // … yet no sync point was saved.
    expect(await savedSyncPoint()).toBeUndefined();

    const r = await h.ok<WhatsNew>('ol_email_whats_new', { limit: 5 });
    expect(r.mode).toBe('baseline');
    expect(r.messages).toHaveLength(5);
    expect(await savedSyncPoint()).toBeDefined();
  });

  it('changes that fail to show leave the saved deltaLink as it was; the next call shows them', async () => {
    const before = await savedSyncPoint();
    expect(before).toBeDefined();
    const read = h.sandbox.mailbox.messages.find((m) => m.id === SEED_IDS.newestMessage);
    if (!read) throw new Error('seed message missing');
    read.isRead = !read.isRead;
    read.changeKey = 'ck-sync-point-test';
    h.sandbox.clearLog();
    failNextHandleWrite();
    expect(await h.fail('ol_email_whats_new', {})).toMatch(/ENOSPC|no space/i);
    expect(deltaReads()[0]?.query.$deltatoken).toBeTruthy();
    expect(await savedSyncPoint()).toEqual(before);

    const r = await h.ok<WhatsNew>('ol_email_whats_new', {});
    expect(r.mode).toBe('changes');
    expect(r.messages.map((m) => [m.subject, m.change])).toEqual([[read.subject, 'updated']]);
    expect(await savedSyncPoint()).not.toEqual(before);
  });
});
