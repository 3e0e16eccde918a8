/**
 * The embedded adapter across real processes (the contract suites open several stores in one process): racers in
 * three processes consume one approval per round, and a writer killed with SIGKILL loses nothing it acknowledged.
 * Uses the built adapter (dist/), like the other process tests: run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedState } from '../../src/state/embedded/store.js';
import { DEFAULT_HANDLE_DERIVATION } from '../../src/state/handle-derivation.js';

const WORKER = path.join(import.meta.dirname, '..', '..', 'bench', 'state-worker.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'state-procs-'));
  dirs.push(d);
  return d;
};

/** A worker process and the JSON lines it printed so far. */
function worker(args: string[]) {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Array<Record<string, unknown>> = [];
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const waitFor = async (key: string) => {
    while (!lines.some((l) => key in l)) await new Promise((r) => setTimeout(r, 20));
    return lines.find((l) => key in l)!;
  };
  return { child, lines, exited, waitFor };
}

describe('embedded state across processes', () => {
  it('30 racers in 3 processes consume one approval: exactly one send per round, 10 rounds', async () => {
    const dir = tmp();
    const store = openEmbeddedState({ dir, namespace: 'bench' });
    for (let r = 0; r < 10; r++) await store.approvals.open({ root: '/me', draftId: `race-${r}` }, `nonce-${r}`, Date.now() + 600_000, { lock: true });
    await store.close();
    const racers = [worker(['race', 'embedded', dir, '10', '10']), worker(['race', 'embedded', dir, '10', '10']), worker(['race', 'embedded', dir, '10', '10'])];
    await Promise.all(racers.map((w) => w.waitFor('ready')));
    for (const w of racers) w.child.stdin.end('go\n');
    const wins = (await Promise.all(racers.map((w) => w.waitFor('wins')))).map((l) => l.wins as number[]);
    await Promise.all(racers.map((w) => w.exited));
    expect(Array.from({ length: 10 }, (_, r) => wins.reduce((n, w) => n + w[r]!, 0))).toEqual(Array(10).fill(1));
  }, 60_000);

  it('a writer killed with SIGKILL mid-write loses nothing it acknowledged, and the store opens (3 times)', async () => {
    const dir = tmp();
    for (let k = 0; k < 3; k++) {
      const w = worker(['write', 'embedded', dir]);
      await w.waitFor('ready');
      while (w.lines.filter((l) => 'ack' in l).length < 20) await new Promise((r) => setTimeout(r, 10));
      w.child.kill('SIGKILL');
      await w.exited;
      const store = openEmbeddedState({ dir, namespace: 'bench' });
      try {
        for (const a of w.lines.filter((l) => 'ack' in l) as Array<{ tag: string; kind: number }>) {
          if (a.kind === 0) expect(await store.drafts.get(`draft-${a.tag}`)).toBeDefined();
          // The unsynced working store too: a process crash is not a power cut.
          const id = `AAMkAGI2-${a.tag}-${'x'.repeat(120)}`;
          if (a.kind === 1) expect(await store.handles.lookup(DEFAULT_HANDLE_DERIVATION.candidate(id, 8))).toBe(id);
          if (a.kind === 2) expect(await store.cursors.find(`c${a.tag.replace(/[^0-9]/g, 'z').replace(/\d/g, (d) => 'abcdefghjk'[Number(d)]!)}`)).toBeDefined();
          if (a.kind === 3) expect(await store.approvals.standing({ root: '/me', draftId: `draft-${a.tag}` }, `n-${a.tag}`)).toBe('spent');
        }
      } finally {
        await store.close();
      }
    }
  }, 60_000);
});
