/**
 * The Redis adapter across real processes, as replicas would use it: racers in three processes, each with
 * its own connection, consume one approval per round against one real redis-server. Uses the built
 * adapter (dist/) through bench/state-worker.mjs, like the embedded process test: run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const BENCH = path.join(import.meta.dirname, '..', '..', 'bench');
const available = redisServerAvailable();

describe.skipIf(!available)('Redis state across processes (real redis-server)', () => {
  let server: RedisServer;
  let dir: string;
  beforeAll(async () => {
    server = await startRedisServer();
    dir = mkdtempSync(path.join(os.tmpdir(), 'state-redis-procs-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('30 racers in 3 processes consume one approval: exactly one send per round, 20 rounds', async () => {
    const env = { ...process.env, OUTLOOK_BENCH_REDIS_URL: server.url };
    process.env.OUTLOOK_BENCH_REDIS_URL = server.url;
    const adapter = (await import(path.join(BENCH, 'state-adapters', 'redis.mjs'))) as { openStore(o: { dir: string; namespace: string }): Promise<import('../../src/state/ports.js').StateStore> };
    const store = await adapter.openStore({ dir, namespace: 'bench' });
    for (let r = 0; r < 20; r++) await store.approvals.open({ root: '/me', draftId: `race-${r}` }, `nonce-${r}`, Date.now() + 600_000, { lock: true });
    await store.close();
    const racers = [0, 1, 2].map(() => {
      const child = spawn(process.execPath, [path.join(BENCH, 'state-worker.mjs'), 'race', 'redis', dir, '20', '10'], { stdio: ['pipe', 'pipe', 'inherit'], env });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const line = async (key: string) => {
        while (!out.split('\n').some((l) => l.includes(`"${key}"`))) await new Promise((r) => setTimeout(r, 20));
        return JSON.parse(out.split('\n').find((l) => l.includes(`"${key}"`))!) as Record<string, unknown>;
      };
      return { child, line };
    });
    await Promise.all(racers.map((w) => w.line('ready')));
    for (const w of racers) w.child.stdin.end('go\n');
    const wins = (await Promise.all(racers.map((w) => w.line('wins')))).map((l) => l.wins as number[]);
    expect(Array.from({ length: 20 }, (_, r) => wins.reduce((n, w) => n + w[r]!, 0))).toEqual(Array(20).fill(1));
  }, 60_000);
});
