/**
 * What the Redis adapter does when Redis fails, against a real redis-server that the test stops,
 * kills or freezes: every call fails closed with a message that says so, an approval is never treated
 * as unspent because Redis could not answer, and service resumes after a restart. Also: racers on
 * separate connections, the key layout (one hash tag per namespace) and a TTL on what expires.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StateUnavailableError, type DraftKey, type StateStore } from '../../src/state/ports.js';
import { RedisConnection } from '../../src/state/redis/connection.js';
import { RedisKeys } from '../../src/state/redis/keys.js';
import { connectRedisState, openRedisState } from '../../src/state/redis/store.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const available = redisServerAvailable();
const MIN = 60_000;
const nonce = () => randomBytes(16).toString('base64url');
const draft = (): DraftKey => ({ root: '/me', draftId: 'AAMkAD' + randomBytes(8).toString('hex') });
const ns = () => `failure-${randomBytes(6).toString('hex')}`;

async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error('not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!available)('Redis adapter when Redis fails (real redis-server)', () => {
  let server: RedisServer;
  const stores: StateStore[] = [];
  const open = async (namespace: string) => {
    const s = await connectRedisState({ namespace, url: server.url, commandTimeoutMs: 400, connectTimeoutMs: 400 });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    // Persistent (AOF, fsync always): a restart keeps what was acknowledged, as a production Redis should.
    server = await startRedisServer({ persistence: true });
  });
  afterEach(async () => {
    server.thaw();
    if (!server.running) await server.start();
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => server?.close());

  it('Redis stopped: consume fails closed with a message saying so; after a restart the approval sends exactly once', async () => {
    const store = await open(ns());
    const d = draft();
    const n = nonce();
    await store.approvals.open(d, n, Date.now() + 10 * MIN, { lock: true });
    await server.kill();
    const err = await store.approvals.consume(d, n, MIN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateUnavailableError);
    expect((err as Error).message).toMatch(/state store \(Redis at redis:\/\/127\.0\.0\.1:\d+\) did not answer/);
    expect((err as Error).message).toMatch(/No send goes ahead without the state store/);
    // Every port fails closed the same way, none hangs.
    for (const call of [() => store.approvals.lockedUntil(d), () => store.handles.lookup('abcdefgh'), () => store.cursors.find('cabcdefghjkmn'), () => store.gate.tryAcquire('/me', 4, 1000)]) {
      await expect(call()).rejects.toBeInstanceOf(StateUnavailableError);
    }
    await server.start();
    await eventually(async () => (await store.approvals.standing(d, n)) === 'open');
    const outcomes = await Promise.all([store.approvals.consume(d, n, MIN), store.approvals.consume(d, n, MIN)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  });

  it('Redis hung mid-consume: the call fails closed within the deadline, and the approval counts as spent, never unspent', async () => {
    const store = await open(ns());
    const d = draft();
    const n = nonce();
    await store.approvals.open(d, n, Date.now() + 10 * MIN, { lock: true });
    server.freeze();
    const started = Date.now();
    const err = await store.approvals.consume(d, n, MIN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateUnavailableError);
    expect(Date.now() - started).toBeLessThan(3_000);
    server.thaw();
    // The command reached Redis before it hung and ran when it woke: the caller, told "failed", sent
    // nothing, and the approval cannot be used again.
    await eventually(async () => (await store.approvals.standing(d, n)) === 'spent');
    expect(await store.approvals.consume(d, n, MIN)).toEqual({ ok: false, reason: 'spent' });
    expect(await store.approvals.lockedUntil(d)).toBeGreaterThan(Date.now());
  });

  it('Redis restarted empty (no persistence): an approval it forgot is spent, not open', async () => {
    const volatile = await startRedisServer();
    try {
      const store = await connectRedisState({ namespace: ns(), url: volatile.url, commandTimeoutMs: 400 });
      stores.push(store);
      const d = draft();
      const n = nonce();
      await store.approvals.open(d, n, Date.now() + 10 * MIN, { lock: true });
      await volatile.kill();
      await volatile.start();
      await eventually(async () => (await store.approvals.standing(d, n)) === 'spent');
      expect(await store.approvals.consume(d, n, MIN)).toEqual({ ok: false, reason: 'spent' });
    } finally {
      await volatile.close();
    }
  });

  it('kill -9 and restart (AOF, fsync always): approvals, drafts, handles and delta links survive; gate leases, pauses, cursors and rate counters were never written to disk', async () => {
    const store = await open(ns());
    const now = Date.now();
    const d = draft();
    const n = nonce();
    const id = 'AAMkAGI2' + randomBytes(20).toString('hex');
    await store.approvals.open(d, n, now + 10 * MIN, { lock: false });
    await store.drafts.add({ id: d.draftId, kind: 'mail', creationId: 'c', subject: 's', createdAt: new Date(now).toISOString() });
    const [handle] = await store.handles.handlesFor([id]);
    await store.deltas.save('/me', 'inbox', 0, { deltaLink: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=t', savedAt: new Date(now).toISOString() });
    await store.cursors.issue('cabcdefghjkmn', { nextLink: 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=x', tool: 't', root: '/me', expiresAt: now + 60 * MIN });
    const leases = await Promise.all(Array.from({ length: 4 }, () => store.gate.tryEnter('/me', 4, 10 * MIN)));
    expect(leases.every((e) => 'lease' in e)).toBe(true);
    await store.pause.pauseUntil('/users/x%40contoso.com', now + 10 * MIN);
    const probe = await RedisConnection.connect({ url: server.url, commandTimeoutMs: 400 });
    const rateKey = `outlook:rate:${ns()}`;
    try {
      expect(await probe.run('rate-take', [rateKey], [MIN])).toEqual([1, expect.any(Number)]);
    } finally {
      await probe.close();
    }

    await server.kill();
    await server.start();
    await eventually(async () => (await store.drafts.list()).length === 1);
    expect(await store.approvals.standing(d, n)).toBe('open');
    expect(await store.handles.lookup(handle!)).toBe(id);
    expect((await store.deltas.get('/me', 'inbox'))?.deltaLink).toMatch(/deltatoken=t$/);
    // Rebuildable, and gone: a cursor is answered "list again", the gate is free, the pause and the counter start over.
    expect(await store.cursors.find('cabcdefghjkmn')).toBeUndefined();
    expect(await store.pause.pausedUntil('/users/x%40contoso.com')).toBeUndefined();
    const fresh = await Promise.all(Array.from({ length: 4 }, () => store.gate.tryEnter('/me', 4, 10 * MIN)));
    expect(fresh.every((e) => 'lease' in e)).toBe(true);
    const after = await RedisConnection.connect({ url: server.url, commandTimeoutMs: 400 });
    try {
      expect(await after.command((c) => c.exists(rateKey))).toBe(0);
    } finally {
      await after.close();
    }
  });

  it('30 racers on one approval over 3 separate connections: exactly one wins, 20 rounds', async () => {
    const namespace = ns();
    const racers = [await open(namespace), await open(namespace), await open(namespace)];
    const probe = await RedisConnection.connect({ url: server.url });
    try {
      const clients = String(await probe.command((c) => c.sendCommand(['CLIENT', 'LIST']))).trim().split('\n');
      expect(clients.length).toBeGreaterThanOrEqual(4);
    } finally {
      await probe.close();
    }
    for (let round = 0; round < 20; round++) {
      const d = draft();
      const n = nonce();
      await racers[0]!.approvals.open(d, n, Date.now() + 10 * MIN, { lock: true });
      const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => racers[i % 3]!.approvals.consume(d, n, MIN)));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok && o.reason === 'spent')).toHaveLength(29);
    }
  });

  it('every key of a namespace carries its hash tag; what expires has a TTL, what must last has none', async () => {
    const namespace = `user:{tricky}/${ns()}`;
    const store = await open(namespace);
    const now = Date.now();
    const d = draft();
    await store.approvals.open(d, nonce(), now + 10 * MIN, { lock: true });
    await store.cursors.issue('cabcdefghjkmn', { nextLink: 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=x', tool: 't', root: '/me', expiresAt: now + 60 * MIN });
    const lease = await store.gate.tryAcquire('/me', 4, 30_000);
    expect(lease).toBeDefined();
    await store.pause.pauseUntil('/me', now + 20_000);
    await store.handles.handlesFor(['AAMkAGI2' + 'x'.repeat(40)]);
    await store.drafts.add({ id: d.draftId, kind: 'mail', creationId: 'c', subject: 's', createdAt: new Date(now).toISOString() });
    await store.deltas.save('/me', 'inbox', 0, { deltaLink: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=t', savedAt: new Date(now).toISOString() });
    await store.downloads.record({ sha256: 'a'.repeat(64), name: 'a.pdf', requestedName: 'a.pdf', path: '/d/a.pdf', size: 1 });

    const probe = await RedisConnection.connect({ url: server.url });
    try {
      const prefix = new RedisKeys(namespace).prefix;
      expect(prefix).toBe(`outlook:{${encodeURIComponent(namespace)}}:`);
      // The tag has no brace inside, so Redis Cluster hashes exactly the namespace.
      expect(prefix.slice(prefix.indexOf('{') + 1, prefix.indexOf('}'))).not.toMatch(/[{}]/);
      const keys = (await probe.command((c) => c.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`))).map(String);
      expect(keys.length).toBe(12);
      const ttl = async (k: string) => Number(await probe.command((c) => c.pTTL(k)));
      for (const key of keys) {
        const lasting = /:(drafts|handles:|delta:|downloads)/.test(key);
        if (lasting) expect(await ttl(key), key).toBe(-1);
        else expect(await ttl(key), key).toBeGreaterThan(0);
      }
      // The TTLs follow the store's own expiries (not a fixed guess).
      expect(await ttl(new RedisKeys(namespace).cursor('cabcdefghjkmn'))).toBeGreaterThan(59 * MIN);
      expect(await ttl(new RedisKeys(namespace).pause('/me'))).toBeLessThanOrEqual(20_000);
    } finally {
      await probe.close();
    }
  });

  it('stores of many namespaces share one connection, whose owner closes it', async () => {
    const conn = await RedisConnection.connect({ url: server.url });
    const a = openRedisState({ namespace: ns(), connection: conn });
    const b = openRedisState({ namespace: ns(), connection: conn });
    await a.drafts.add({ id: 'AAMkADx', kind: 'mail', creationId: 'c', subject: 'only in a', createdAt: '2026-12-07T10:00:00Z' });
    expect(await b.drafts.list()).toEqual([]);
    await a.close();
    expect((await b.drafts.list()).length).toBe(0); // b still works: closing a namespace leaves the connection
    await conn.close();
    await expect(b.drafts.list()).rejects.toBeInstanceOf(StateUnavailableError);
  });
});
