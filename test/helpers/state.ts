/** Embedded state stores in temporary folders for unit tests, removed after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openEmbeddedState, type EmbeddedStateStore } from '../../src/state/embedded/store.js';

const opened: Array<{ store: EmbeddedStateStore; dir: string }> = [];
afterEach(async () => {
  for (const { store, dir } of opened.splice(0)) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh embedded store (in `dir`, or a new temporary folder), closed and removed after the test. */
export function tempState(options: { dir?: string; now?: () => number; namespace?: string } = {}): EmbeddedStateStore {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'state-test-'));
  const store = openEmbeddedState({ dir, namespace: options.namespace ?? 'default', now: options.now });
  opened.push({ store, dir });
  return store;
}
