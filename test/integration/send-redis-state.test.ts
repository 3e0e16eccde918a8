/**
 * ol_email_send_draft with the state in Redis (OUTLOOK_STATE_STORE=redis, a real redis-server started
 * here): a send approved through elicitation goes out once, and when Redis dies while the user is being
 * asked, nothing is sent and the tool says the state store did not answer; after Redis is back the draft
 * sends after a fresh approval. What went out is read from the sandbox's request log.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { RedisConnection } from '../../src/state/redis/connection.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const available = redisServerAvailable();

describe.skipIf(!available)('sending with the state in Redis', () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let h: DraftsHarness;
  let answer: (req: ElicitRequest['params']) => Promise<ElicitResult>;
  const accept = async (): Promise<ElicitResult> => ({ action: 'accept', content: { confirm: true } });
  const sends = () => sandbox.requests.filter((r) => r.method === 'POST' && /\/send$/.test(r.path));

  beforeAll(async () => {
    // Persistent, as a production Redis should be: a restart keeps the draft registry and handles.
    redis = await startRedisServer({ persistence: true });
    sandbox = await startSandbox();
    h = await startDraftsHarness({
      sandboxInstance: sandbox,
      env: { OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_STATE_STORE: 'redis', OUTLOOK_REDIS_URL: redis.url, OUTLOOK_STATE_SECRET: randomBytes(32).toString('base64') },
      elicit: (req) => answer(req),
    });
  });
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
    await redis?.close();
  });
  beforeEach(() => {
    answer = accept;
  });

  async function draft(subject: string): Promise<string> {
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject, body: 'Hello Dana' });
    sandbox.clearLog();
    return d.draft_id;
  }

  it('keeps the state in Redis and sends an approved draft exactly once', async () => {
    const id = await draft('Via Redis');
    expect(await h.ok('ol_email_send_draft', { draft_id: id })).toMatchObject({ status: 'sent', sent: true });
    expect(sends()).toHaveLength(1);
    // The draft registry, handles and the spent approval are in Redis, not in the profile folder.
    const probe = await RedisConnection.connect({ url: redis.url });
    try {
      const keys = (await probe.command((c) => c.keys('outlook:*'))).map(String);
      expect(keys.some((k) => /:approval:/.test(k))).toBe(true);
      expect(keys.some((k) => /:handles:by-handle$/.test(k))).toBe(true);
    } finally {
      await probe.close();
    }
  }, 60_000);

  it('Redis dies while the user is asked: nothing is sent, the error says why; after a restart a fresh approval sends once', async () => {
    const id = await draft('Redis dies');
    answer = async () => {
      await redis.kill();
      return accept();
    };
    const text = await h.fail('ol_email_send_draft', { draft_id: id });
    expect(text).toMatch(/state store \(Redis at redis:\/\/127\.0\.0\.1:\d+\) did not answer/);
    expect(text).toMatch(/No send goes ahead without the state store/);
    expect(sends()).toHaveLength(0);

    await redis.start();
    answer = accept;
    // The client reconnects by itself: the next call works once it has.
    let result: Record<string, unknown> | undefined;
    for (let i = 0; i < 40 && !result; i++) {
      const r = await h.call('ol_email_send_draft', { draft_id: id });
      if (!r.isError) result = r.structuredContent as Record<string, unknown>;
      else await new Promise((res) => setTimeout(res, 50));
    }
    expect(result).toMatchObject({ status: 'sent', sent: true });
    expect(sends()).toHaveLength(1);
  }, 60_000);
});
