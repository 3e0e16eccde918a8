/**
 * Remote mode's own Redis parts against a real redis-server: the shared on-behalf-of cache is sealed
 * (nothing of the token in Redis, a blob moved to another partition or read under another secret does
 * not open, it expires), and the per-person rate limit counts across connections (as across replicas).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../../src/state/redis/connection.js';
import { OBO_PARTITION_TTL_MS, RedisOboCache, RedisRateLimiter } from '../../src/remote/redis-remote.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const available = redisServerAvailable();
const SECRET = 'redis-remote-test-secret-0123456789abcdef';
const CACHE = JSON.stringify({ AccessToken: { k: { secret: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-token-body.sig' } } });

describe.skipIf(!available)('remote mode on Redis: OBO cache and rate limit', () => {
  let redis: RedisServer;
  let a: RedisConnection;
  let b: RedisConnection;
  beforeAll(async () => {
    redis = await startRedisServer();
    a = await RedisConnection.connect({ url: redis.url });
    b = await RedisConnection.connect({ url: redis.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.close();
  });

  it('stores each partition sealed (AES-GCM), readable by any replica with the same secret, with a TTL', async () => {
    const partition = 'obo:user-a:assertion-hash-1';
    await new RedisOboCache(a, SECRET).save(partition, CACHE);
    expect(await new RedisOboCache(b, SECRET).load(partition)).toBe(CACHE);
    const raw = String(await a.command((c) => c.get(RedisOboCache.redisKey(partition))));
    expect(raw).toMatch(/^v1\./);
    expect(raw).not.toContain('graph-token-body');
    expect(Buffer.from(raw.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('graph-token-body');
    const keys = (await a.command((c) => c.keys('outlook:obo:*'))).map(String);
    expect(keys.join()).not.toContain('user-a');
    const ttl = Number(await a.command((c) => c.pTTL(RedisOboCache.redisKey(partition))));
    expect(ttl).toBeGreaterThan(OBO_PARTITION_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(OBO_PARTITION_TTL_MS);
  });

  it('a blob copied under another partition, altered, or read under another secret is a miss (never another person\'s token)', async () => {
    const warnings: string[] = [];
    const cache = new RedisOboCache(a, SECRET, (m) => warnings.push(m));
    await cache.save('obo:user-a:h', CACHE);
    const sealed = String(await a.command((c) => c.get(RedisOboCache.redisKey('obo:user-a:h'))));
    await a.command((c) => c.set(RedisOboCache.redisKey('obo:user-b:h'), sealed));
    expect(await cache.load('obo:user-b:h')).toBeUndefined();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    await a.command((c) => c.set(RedisOboCache.redisKey('obo:user-a:h2'), [parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.')));
    expect(await cache.load('obo:user-a:h2')).toBeUndefined();
    expect(await new RedisOboCache(a, 'another-secret-0123456789abcdef0123456').load('obo:user-a:h')).toBeUndefined();
    expect(await cache.load('obo:user-a:h')).toBe(CACHE);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/OUTLOOK_STATE_SECRET/);
  });

  it('counts one person\'s calls across connections and refuses over the limit with the seconds to wait; others are not affected', async () => {
    const ra = new RedisRateLimiter(a, 5, 10_000);
    const rb = new RedisRateLimiter(b, 5, 10_000);
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? ra : rb).take('user-x')));
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(5);
    const refused = outcomes.find((o) => !o.allowed) as { retryAfterSeconds: number };
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect((await ra.take('user-y')).allowed).toBe(true);
    // The window expires by itself: the counter carries a TTL from its first call.
    const keys = (await a.command((c) => c.keys('outlook:rate:*'))).map(String);
    for (const k of keys) expect(Number(await a.command((c) => c.pTTL(k)))).toBeGreaterThan(0);
    expect(keys.join()).not.toContain('user-x');
    expect((await new RedisRateLimiter(a, 0).take('user-x')).allowed).toBe(true);
  });
});
