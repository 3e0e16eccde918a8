/** The state contract suites on the embedded (LMDB) adapter: one folder per namespace, as one profile per folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openEmbeddedState } from '../../src/state/embedded/store.js';
import { stateContract } from './contract/index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'state-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

stateContract({
  name: 'embedded',
  open: async (options) => openEmbeddedState({ ...options, dir: path.join(root, options.namespace) }),
});
