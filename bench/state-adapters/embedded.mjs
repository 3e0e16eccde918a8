/**
 * The embedded (LMDB) adapter for bench/state.mjs. An adapter module exports
 * `name`, `openStore({ dir, namespace, now })` (the StateStore of one
 * namespace, `dir` a folder the bench owns) and `serverEnv(dir)` (what a
 * server process needs to use this adapter for the profile in `dir`), plus
 * `diskBytes(dir)` for the disk figures.
 */
import { readdirSync, statSync } from 'node:fs';
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
