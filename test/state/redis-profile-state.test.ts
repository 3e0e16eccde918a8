/**
 * A profile's state in Redis: namespaced by a keyed hash (the profile name never reaches Redis, another
 * secret sees nothing), a warning when Redis would lose acknowledged writes in a crash, and the upkeep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../../src/state/redis/connection.js';
import { openRedisProfileState, stateNamespace } from '../../src/state/redis/profile-state.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const available = redisServerAvailable();
const SECRET_A = 'a'.repeat(40);
const SECRET_B = 'b'.repeat(40);
const DAY = 86_400_000;

describe('state namespaces', () => {
  it('are keyed hashes: stable per secret and name, different across secrets, kinds and names', () => {
    const n = stateNamespace(SECRET_A, 'profile', 'acme');
    expect(n).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(stateNamespace(SECRET_A, 'profile', 'acme')).toBe(n);
    expect(new Set([n, stateNamespace(SECRET_B, 'profile', 'acme'), stateNamespace(SECRET_A, 'user', 'acme'), stateNamespace(SECRET_A, 'profile', 'acme2')]).size).toBe(4);
  });
});

describe.skipIf(!available)('Redis profile state (real redis-server)', () => {
  let volatile: RedisServer;
  let durable: RedisServer;
  beforeAll(async () => {
    [volatile, durable] = await Promise.all([startRedisServer(), startRedisServer({ persistence: true })]);
  });
  afterAll(async () => Promise.all([volatile?.close(), durable?.close()]));

  const open = (url: string, secret: string, warnings: string[] = [], now = () => Date.now()) =>
    openRedisProfileState({ url, secret, profile: 'acme-consulting', now, handleIdleMs: 90 * DAY, maintainEveryMs: 3_600_000, onWarning: (m) => warnings.push(m) });

  it('the profile name never appears in Redis, and another secret sees none of its state', async () => {
    const a = await open(volatile.url, SECRET_A);
    const b = await open(volatile.url, SECRET_B);
    try {
      await a.drafts.add({ id: 'AAMkADdraft', kind: 'mail', creationId: 'c', subject: 'private', createdAt: '2026-12-07T10:00:00Z' });
      expect(await b.drafts.list()).toEqual([]);
      const probe = await RedisConnection.connect({ url: volatile.url });
      try {
        const keys = (await probe.command((c) => c.keys('*'))).map(String);
        expect(keys.length).toBeGreaterThan(0);
        expect(keys.join('\n')).not.toContain('acme');
      } finally {
        await probe.close();
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('warns when Redis does not fsync every write, and not when it does', async () => {
    const warnings: string[] = [];
    await (await open(volatile.url, SECRET_A, warnings)).close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/appendonly yes, appendfsync always/);
    const none: string[] = [];
    await (await open(durable.url, SECRET_A, none)).close();
    expect(none).toEqual([]);
  });

  it('upkeep forgets handles idle past the horizon and purges expired cursors', async () => {
    let t = Date.UTC(2026, 11, 7, 12);
    const s = await open(volatile.url, SECRET_B, [], () => t);
    try {
      const [h] = await s.handles.handlesFor(['AAMkAGI2' + 'q'.repeat(40)]);
      await s.cursors.issue('cabcdefghjkmn', { nextLink: 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=1', tool: 't', root: '/me', expiresAt: t + DAY });
      t += 91 * DAY;
      expect(await s.maintain()).toEqual({ records: 1, handles: 1 });
      expect(await s.handles.lookup(h!)).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
