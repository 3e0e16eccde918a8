/**
 * The embedded (LMDB) adapter for bench/state.mjs. An adapter module exports
 * `name`, `openStore({ dir, namespace, now })` (the StateStore of one
 * namespace, `dir` a folder the bench owns) and `serverEnv(dir)` (what a
 * server process needs to use this adapter for the profile in `dir`), plus
 * `diskBytes(dir)` for the disk figures, and optionally `liveBytes(dir)`: what the data takes when copied
 * compactly (LMDB files reuse freed pages but never shrink).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const { openEmbeddedState } = await import(path.join(dist, 'state', 'embedded', 'store.js'));

export const name = 'embedded';

export function openStore({ dir, namespace, now }) {
  return openEmbeddedState({ dir, namespace, now });
}

/** The embedded store is the default of a local profile: nothing to set. */
export function serverEnv() {
  return {};
}

/** Bytes of the store's files in `dir`. */
export function diskBytes(dir) {
  let total = 0;
  for (const f of readdirSync(dir)) if (/\.lmdb(-lock)?$/.test(f)) total += statSync(path.join(dir, f)).size;
  return total;
}

/** Bytes of a compacting copy of both environments (lmdb-js `backup(path, true)`, i.e. mdb_env_copy2 with MDB_CP_COMPACT). */
export async function liveBytes(dir) {
  const { open } = await import('lmdb');
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-lmdb-copy-'));
  let total = 0;
  try {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.lmdb'))) {
      const env = open({ path: path.join(dir, f), readOnly: true, maxDbs: 8 });
      await env.backup(path.join(out, f), true);
      await env.close();
      total += statSync(path.join(out, f)).size;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return total;
}
