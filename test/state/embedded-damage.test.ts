/**
 * A damaged LMDB file must not crash the server (LMDB itself segfaults or aborts on a truncated file):
 * `working.lmdb` is unsynced by design and holds only rebuildable state, so after a power cut a damaged one
 * is moved aside (kept, named in a warning) and the store starts with an empty one; `state.lmdb` (approvals,
 * draft registry) is never discarded: opening it fails with a message that says what to do. The files are
 * written by the installed lmdb-js, so a change of its on-disk format fails the "whole files pass" test.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeSync, openSync, closeSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lmdbDamage, EMBEDDED_STATE_FILE, EMBEDDED_WORKING_FILE } from '../../src/state/embedded/engine.js';
import { openEmbeddedState } from '../../src/state/embedded/store.js';
import { StateUnavailableError } from '../../src/state/ports.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'outlook-state-damage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const idOf = (i: number) => `AAMkAGI2-damage-${i}-${'x'.repeat(120)}`;
let n = 0;

/** A profile folder whose two stores hold a draft, an open approval and 5,000 handles. */
async function filledProfile(): Promise<string> {
  const dir = path.join(root, `p${n++}`);
  const store = openEmbeddedState({ dir, namespace: 'default' });
  await store.drafts.add({ id: 'draft-1', kind: 'mail', creationId: 'c1', subject: 'Kept', createdAt: new Date().toISOString() });
  await store.approvals.open({ root: '/me', draftId: 'draft-1' }, 'nonce-1', Date.now() + 600_000, { lock: true });
  for (let i = 0; i < 5_000; i += 500) await store.handles.handlesFor(Array.from({ length: 500 }, (_, j) => idOf(i + j)));
  await store.close();
  return dir;
}

/** Opens the store, expecting the working file to be moved aside; checks what survived. */
async function opensAfterDamage(dir: string): Promise<void> {
  const before = statSync(path.join(dir, EMBEDDED_WORKING_FILE)).size;
  const warnings: string[] = [];
  const store = openEmbeddedState({ dir, namespace: 'default', onWarning: (m) => warnings.push(m) });
  try {
    expect(warnings).toHaveLength(1);
    const aside = readdirSync(dir).find((f) => f.startsWith(`${EMBEDDED_WORKING_FILE}.damaged-`) && !f.endsWith('-lock'));
    expect(aside, readdirSync(dir).join(', ')).toBeDefined();
    expect(warnings[0]).toContain(path.join(dir, aside!));
    expect(warnings[0]).toMatch(/moved aside .* new one started/);
    // Kept as it was, for whoever wants to look at it.
    expect(statSync(path.join(dir, aside!)).size).toBe(before);
    // The synced store is untouched: the draft and its open approval are there.
    expect((await store.drafts.get('draft-1'))?.subject).toBe('Kept');
    expect(await store.approvals.standing({ root: '/me', draftId: 'draft-1' }, 'nonce-1')).toBe('open');
    // The working store is new and works; a handle comes back with the same letters (derived from its id).
    const [h] = await store.handles.handlesFor([idOf(7)]);
    expect(await store.handles.lookup(h!)).toBe(idOf(7));
    await store.cursors.issue('cdamage', { nextLink: 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=1', tool: 't', root: '/me', expiresAt: Date.now() + 60_000 });
    expect(await store.cursors.find('cdamage')).toBeDefined();
  } finally {
    await store.close();
  }
  // The next open finds a whole file and moves nothing.
  const again: string[] = [];
  const reopened = openEmbeddedState({ dir, namespace: 'default', onWarning: (m) => again.push(m) });
  await reopened.close();
  expect(again).toEqual([]);
}

describe('damaged LMDB files', () => {
  it('whole files written by lmdb-js pass the check, also while another store keeps writing', async () => {
    const dir = await filledProfile();
    expect(lmdbDamage(path.join(dir, EMBEDDED_STATE_FILE))).toBeUndefined();
    expect(lmdbDamage(path.join(dir, EMBEDDED_WORKING_FILE))).toBeUndefined();
    expect(lmdbDamage(path.join(dir, 'missing.lmdb'))).toBeUndefined();
    const store = openEmbeddedState({ dir, namespace: 'default' });
    try {
      for (let i = 0; i < 100; i++) {
        await store.handles.handlesFor(Array.from({ length: 50 }, (_, j) => idOf(10_000 + i * 50 + j)));
        await store.drafts.add({ id: `d-${i}`, kind: 'mail', creationId: `c-${i}`, subject: 's', createdAt: new Date().toISOString() });
        expect(lmdbDamage(path.join(dir, EMBEDDED_WORKING_FILE))).toBeUndefined();
        expect(lmdbDamage(path.join(dir, EMBEDDED_STATE_FILE))).toBeUndefined();
      }
    } finally {
      await store.close();
    }
  });

  for (const cut of [100, 5_000, 'half'] as const) {
    it(`a working.lmdb truncated to ${cut === 'half' ? 'half its size' : `${cut} bytes`} is moved aside and the store starts empty`, async () => {
      const dir = await filledProfile();
      const file = path.join(dir, EMBEDDED_WORKING_FILE);
      truncateSync(file, cut === 'half' ? Math.floor(statSync(file).size / 2) : cut);
      expect(lmdbDamage(file)).toMatch(/shorter|truncated/);
      await opensAfterDamage(dir);
    });
  }

  it('a working.lmdb whose root page was never written (zeroed) is moved aside', async () => {
    const dir = await filledProfile();
    const file = path.join(dir, EMBEDDED_WORKING_FILE);
    const head = readFileSync(file).subarray(0, 8192);
    // The newer of the two meta pages names the main tree's root page (md_root of mm_dbs[1]).
    const metas = [0, 4096].map((off) => ({ txnid: head.readBigUInt64LE(off + 24 + 24 + 104), root: head.readBigUInt64LE(off + 24 + 24 + 48 + 40) }));
    const meta = metas[0]!.txnid > metas[1]!.txnid ? metas[0]! : metas[1]!;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096), 0, 4096, Number(meta.root) * 4096);
    closeSync(fd);
    expect(lmdbDamage(file)).toMatch(/never written/);
    await opensAfterDamage(dir);
  });

  it('a damaged state.lmdb is not replaced: the open fails saying what to do, and the file stays', async () => {
    const dir = await filledProfile();
    const file = path.join(dir, EMBEDDED_STATE_FILE);
    truncateSync(file, 5_000);
    expect(() => openEmbeddedState({ dir, namespace: 'default' })).toThrow(StateUnavailableError);
    expect(() => openEmbeddedState({ dir, namespace: 'default' })).toThrow(/state\.lmdb is damaged .*Restore it from a backup, or move it/);
    expect(statSync(file).size).toBe(5_000);
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});
