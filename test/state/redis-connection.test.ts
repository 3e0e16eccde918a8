/**
 * The Redis connection's failure rules against a real redis-server: a wrong or dead URL is a start-up
 * error naming the fix, a server that stops or hangs mid-use fails each call closed within the command
 * deadline (never a call that waits forever, never a queued command replayed later), and service resumes
 * by itself once the server is back, scripts included (a restarted server has an empty script cache).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateUnavailableError } from '../../src/state/ports.js';
import { RedisConnection, redactRedisUrl } from '../../src/state/redis/connection.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const available = redisServerAvailable();

async function until(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!available)('Redis connection (real redis-server)', () => {
  let server: RedisServer;
  let conn: RedisConnection;

  beforeAll(async () => {
    server = await startRedisServer();
    conn = await RedisConnection.connect({ url: server.url, commandTimeoutMs: 1500, connectTimeoutMs: 300 });
  });
  afterAll(async () => {
    await conn?.close();
    await server?.close();
  });

  it('runs a script by name with explicit keys', async () => {
    const [taken] = await conn.run<[number, number]>('gate-acquire', ['{t}:gate'], [Date.now(), 'lease-1', 10_000, 1]);
    expect(taken).toBe(1);
    const [again, waitMs] = await conn.run<[number, number]>('gate-acquire', ['{t}:gate'], [Date.now(), 'lease-2', 10_000, 1]);
    expect(again).toBe(0);
    expect(waitMs).toBeGreaterThan(0);
    expect(await conn.run<number>('gate-release', ['{t}:gate'], ['lease-1'])).toBe(1);
  });

  it('a dead URL is a start-up error that names the variable, without the password', async () => {
    const dead = await startRedisServer();
    const url = `redis://:s3cret@127.0.0.1:${dead.port}`;
    await dead.close();
    const err = await RedisConnection.connect({ url, connectTimeoutMs: 300, startupAttempts: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateUnavailableError);
    expect((err as Error).message).toMatch(/OUTLOOK_REDIS_URL/);
    expect((err as Error).message).not.toContain('s3cret');
    expect(redactRedisUrl(url)).toBe(`redis://:***@127.0.0.1:${dead.port}`);
  });

  it('a wrong password is a start-up error', async () => {
    const locked = await startRedisServer({ password: 'right' });
    try {
      const err = await RedisConnection.connect({ url: `redis://:wrong@127.0.0.1:${locked.port}`, connectTimeoutMs: 300, startupAttempts: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateUnavailableError);
      expect((err as Error).message).toMatch(/WRONGPASS|invalid|password/i);
    } finally {
      await locked.close();
    }
  });

  it('a hung server (SIGSTOP) fails the call closed within the deadline', async () => {
    server.freeze();
    try {
      const started = Date.now();
      const err = await conn.run('gate-acquire', ['{t}:gate2'], [Date.now(), 'x', 1000, 4]).catch((e: unknown) => e);
      const took = Date.now() - started;
      expect(err).toBeInstanceOf(StateUnavailableError);
      expect((err as Error).message).toMatch(/did not answer.*No send goes ahead without the state store/);
      expect(took).toBeGreaterThanOrEqual(1_400);
      expect(took).toBeLessThan(5_000);
    } finally {
      server.thaw();
    }
    // The late reply is discarded and the connection keeps working.
    await until(async () => (await conn.command((c) => c.ping()).catch(() => '')) === 'PONG');
  });

  it('a stopped server fails calls at once, and service (scripts included) resumes after a restart', async () => {
    await server.kill();
    // Let the client see the closed socket (as it would long before the next tool call).
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const err = await conn.run('gate-acquire', ['{t}:gate3'], [Date.now(), 'x', 1000, 4]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateUnavailableError);
    // Refused at once (no offline queue), not after the 1.5 s command deadline (bounds far apart: the machine may be loaded).
    expect(Date.now() - started).toBeLessThan(1_000);
    // Nothing queued: the command is not replayed once the server is back.
    await server.start();
    await until(async () => (await conn.command((c) => c.ping()).catch(() => '')) === 'PONG');
    expect(await conn.command((c) => c.exists('{t}:gate3'))).toBe(0);
    // The restarted server has an empty script cache: EVALSHA's NOSCRIPT is answered with EVAL.
    const [taken] = await conn.run<[number, number]>('gate-acquire', ['{t}:gate3'], [Date.now(), 'y', 1000, 4]);
    expect(taken).toBe(1);
  });
});
