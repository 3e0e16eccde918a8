/**
 * Several real processes (a CLI login, a server or two) read-modify-writing
 * one profile's token cache at once: every update must survive and the cache
 * must end with the last rotated refresh token.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTokenStore } from '../../src/auth/stores/token-store.js';
import { runNode, transpileEntry } from '../helpers/token-store-children.js';

const PROCESSES = 5;
const ITERATIONS = 12;
const worker = transpileEntry('test/helpers/token-store-worker.ts');
afterAll(() => worker.cleanup());

describe.each([
  ['file', 'store'],
  ['encrypted-file', 'store'],
  ['file', 'plugin'],
] as const)('%s store, %s path: concurrent writers', (kind, mode) => {
  it(`loses no update across ${PROCESSES} processes`, { timeout: 60_000 }, async () => {
    const profileDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'token-store-race-')), 'acme');
    const ids = Array.from({ length: PROCESSES }, (_, i) => `w${i}`);
    await Promise.all(ids.map((id) => runNode(worker.script, [kind, profileDir, id, String(ITERATIONS), mode])));

    const store = await openTokenStore({ profile: 'acme', profileDir, kind, passphrase: 'concurrency passphrase' });
    const final = JSON.parse((await store.read()) as string) as { counter: number; updates: string[]; refreshToken: string };
    expect(final.counter).toBe(PROCESSES * ITERATIONS);
    expect(new Set(final.updates).size).toBe(PROCESSES * ITERATIONS);
    for (const id of ids) {
      // Each process's own updates appear in its own order: no write was based on a stale read.
      const mine = final.updates.filter((u) => u.startsWith(`${id}-`));
      expect(mine).toEqual(Array.from({ length: ITERATIONS }, (_, i) => `${id}-${i}`));
    }
    expect(final.refreshToken).toBe(`rt-${final.updates.at(-1)}`);
    expect(readdirSync(profileDir).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });
});
