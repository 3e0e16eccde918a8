/**
 * `mcp-server-outlook state migrate --to redis` (issue 18): a profile's embedded state copied into its Redis
 * namespace on a real redis-server, through the CLI as a person runs it. Checked from the Redis side through
 * the Redis adapter's ports: every draft record, the same handle letters, cursors, the delta link, open
 * approvals still spendable once, a send in progress still spent and locked, a write lease still blocking a
 * send, downloads; a non-empty target refused without --force; a second copy with --force changes nothing.
 * One redis-server for the file; about 3 s a test here (four CLI runs each open LMDB and connect to Redis).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, EXIT_OK, EXIT_TOOL_ERROR, EXIT_USAGE } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/config.js';
import { stateDir } from '../../src/runtime.js';
import { openEmbeddedState } from '../../src/state/embedded/store.js';
import { connectRedisState } from '../../src/state/redis/store.js';
import { stateNamespace } from '../../src/state/redis/profile-state.js';
import type { StateStore } from '../../src/state/ports.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const available = redisServerAvailable();
const SECRET = 's'.repeat(40);
const PROFILE = 'acme';
const HOUR = 3_600_000;
const ids = Array.from({ length: 300 }, (_, i) => `AAMkAGI2-migrate-${i}-${'x'.repeat(100)}`);
const prompt = { root: '/me', draftId: 'draft-prompt' };
const sending = { root: '/me', draftId: 'draft-sending' };
const writing = { root: '/me', draftId: 'draft-writing' };

describe.skipIf(!available)('state migrate --to redis (real redis-server)', () => {
  let redis: RedisServer;
  let cacheDir: string;
  let handles: string[];
  const env = () => ({ OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_LOG_LEVEL: 'silent', OUTLOOK_PROFILE: PROFILE, OUTLOOK_STATE_SECRET: SECRET });
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(args, { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env: env() });
    return { code, out: out.join(''), err: err.join('') };
  };
  const target = (kind: 'profile' | 'user' = 'profile', name = PROFILE) => connectRedisState({ url: redis.url, namespace: stateNamespace(SECRET, kind, name) });
  /** What the target holds, read through its ports (a second copy must leave all of it as it was). */
  const logical = async (s: StateStore) => ({
    drafts: await s.drafts.list(),
    handles: await s.handles.handlesFor(ids),
    cursor: await s.cursors.find('cmigrate1'),
    delta: await s.deltas.get('/me', 'inbox'),
    promptStanding: await s.approvals.standing(prompt, 'nonce-prompt'),
    promptLock: await s.approvals.lockedUntil(prompt),
    sendStanding: await s.approvals.standing(sending, 'nonce-send'),
    sendLock: await s.approvals.lockedUntil(sending),
    downloads: await s.downloads.totalBytes(),
  });
  const keyCount = async () => {
    const { createClient } = await import('@redis/client');
    const c = createClient({ url: redis.url });
    await c.connect();
    try {
      return await c.dbSize();
    } finally {
      await c.close();
    }
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-migrate-'));
    const dir = stateDir(loadConfig(env()));
    const now = Date.now();
    const store = openEmbeddedState({ dir, namespace: PROFILE });
    try {
      await store.drafts.add({ id: 'draft-prompt', kind: 'mail', creationId: 'c1', subject: 'Numbers', createdAt: '2026-12-07T10:00:00.000Z', webLink: 'https://outlook.example/1' });
      await store.drafts.add({ id: 'draft-event', kind: 'event', creationId: 'c2', subject: 'Kick-off', createdAt: '2026-12-07T11:00:00.000Z' });
      handles = await store.handles.handlesFor(ids);
      await store.cursors.issue('cmigrate1', { nextLink: 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=abc', tool: 'ol_email_list_unread', root: '/me', extra: { unread: true }, expiresAt: now + 12 * HOUR });
      await store.deltas.save('/me', 'inbox', 0, { deltaLink: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=one', savedAt: '2026-12-07T09:00:00.000Z', newest: '2026-12-07T08:59:00.000Z' });
      await store.approvals.open(prompt, 'nonce-prompt', now + 600_000, { lock: true });
      await store.approvals.open(sending, 'nonce-send', now + 600_000, { lock: true });
      expect((await store.approvals.consume(sending, 'nonce-send', 15 * 60_000)).ok).toBe(true);
      expect((await store.approvals.beginWrite(writing, 'lease-1', now + HOUR)).ok).toBe(true);
      await store.approvals.open(writing, 'nonce-writing', now + 600_000, { lock: false });
      await store.downloads.record({ sha256: 'ab'.repeat(32), name: 'report.pdf', requestedName: 'report.pdf', path: path.join(dir, 'downloads', 'report.pdf'), size: 1234 });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await redis?.close();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  it('copies every kind of state into the profile namespace, checked through the Redis adapter', async () => {
    const r = await cli('state', 'migrate', '--to', 'redis', '--redis-url', redis.url);
    expect(r.code, r.err).toBe(EXIT_OK);
    expect(r.out).toMatch(/2 drafts, 300 handles, 1 cursors, 1 delta links, 3 drafts with approvals or locks, 1 downloads; every record read back/);
    expect(r.out).not.toContain(SECRET);
    const s = await target();
    try {
      expect((await s.drafts.get('draft-prompt'))?.webLink).toBe('https://outlook.example/1');
      expect((await s.drafts.list('event')).map((d) => d.id)).toEqual(['draft-event']);
      // The agent's handles keep their letters.
      expect(await s.handles.handlesFor(ids)).toEqual(handles);
      expect(await s.handles.lookup(handles[42]!)).toBe(ids[42]);
      expect((await s.cursors.find('cmigrate1'))?.extra).toEqual({ unread: true });
      expect(await s.deltas.get('/me', 'inbox')).toMatchObject({ deltaLink: expect.stringContaining('deltatoken=one'), newest: '2026-12-07T08:59:00.000Z' });
      expect(await s.downloads.find('ab'.repeat(32), 'report.pdf')).toMatchObject({ name: 'report.pdf', size: 1234 });
      // The send in progress stays spent and locked: copying cannot make it send again.
      expect(await s.approvals.standing(sending, 'nonce-send')).toBe('spent');
      expect(await s.approvals.lockedUntil(sending)).toBeGreaterThan(Date.now() + 14 * 60_000);
      expect(await s.approvals.consume(sending, 'nonce-send', 60_000)).toEqual({ ok: false, reason: 'spent' });
      // Our own change in progress still keeps the send of its draft from starting.
      expect(await s.approvals.consume(writing, 'nonce-writing', 60_000)).toEqual({ ok: false, reason: 'busy' });
      // The open prompt stays locked and sends exactly once.
      expect(await s.approvals.lockedUntil(prompt)).toBeGreaterThan(Date.now());
      const racers = await Promise.all(Array.from({ length: 10 }, () => s.approvals.consume(prompt, 'nonce-prompt', 60_000)));
      expect(racers.filter((o) => o.ok)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('refuses a namespace that holds state without --force and changes nothing; with --force copying again changes nothing either', async () => {
    const s = await target();
    try {
      const before = await logical(s);
      const keys = await keyCount();
      const refused = await cli('state', 'migrate', '--to', 'redis', '--redis-url', redis.url);
      expect(refused.code).toBe(EXIT_TOOL_ERROR);
      expect(refused.err).toMatch(/already holds state, so nothing was copied.*--force/);
      expect(await logical(s)).toEqual(before);
      const again = await cli('state', 'migrate', '--to', 'redis', '--redis-url', redis.url, '--force');
      expect(again.code, again.err).toBe(EXIT_OK);
      expect(await logical(s)).toEqual(before);
      expect(await keyCount()).toBe(keys);
    } finally {
      await s.close();
    }
  });

  it("copies into a remote user's namespace with --user", async () => {
    const r = await cli('state', 'migrate', '--to', 'redis', '--redis-url', redis.url, '--user', 'dana@contoso.example');
    expect(r.code, r.err).toBe(EXIT_OK);
    const s = await target('user', 'dana@contoso.example');
    try {
      expect(await s.handles.handlesFor(ids.slice(0, 5))).toEqual(handles.slice(0, 5));
      expect(await s.approvals.standing(prompt, 'nonce-prompt')).toBe('open');
    } finally {
      await s.close();
    }
  });

  it('says what is missing: no secret, no Redis, another store, a profile without state', async () => {
    const err: string[] = [];
    const noSecret = await run(['state', 'migrate', '--to', 'redis', '--redis-url', redis.url], { stdout: () => {}, stderr: (s) => void err.push(s), env: { ...env(), OUTLOOK_STATE_SECRET: '' } });
    expect(noSecret).toBe(EXIT_USAGE);
    expect(err.join('')).toMatch(/OUTLOOK_STATE_SECRET/);
    expect((await cli('state', 'migrate', '--to', 'redis')).err).toMatch(/--redis-url redis:\/\/host:6379/);
    expect((await cli('state', 'migrate', '--to', 'sqlite', '--redis-url', redis.url)).err).toMatch(/Use --to redis/);
    const other = await cli('--profile', 'nobody', 'state', 'migrate', '--to', 'redis', '--redis-url', redis.url);
    expect(other.code).toBe(EXIT_USAGE);
    expect(other.err).toMatch(/Profile "nobody" has no local state/);
  });
});
