/**
 * The built binary with its state in Redis (a real redis-server started here): two server processes
 * with separate profile folders, as on two machines, share one profile's state through Redis, so a
 * handle one of them listed works in the other. A Redis that cannot be reached stops start-up with a
 * message naming OUTLOOK_REDIS_URL. Requires `npm run build` (part of npm test).
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const BIN = path.resolve('dist/bin/main.js');
const available = redisServerAvailable();

describe.skipIf(!available)('built binary with OUTLOOK_STATE_STORE=redis', () => {
  let redis: RedisServer;
  const secret = randomBytes(32).toString('base64');
  const envFor = (url: string) => ({
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    OUTLOOK_CACHE_DIR: mkdtempSync(path.join(os.tmpdir(), 'outlook-e2e-redis-')),
    OUTLOOK_TIMEZONE: 'Europe/Berlin',
    OUTLOOK_STATE_STORE: 'redis',
    OUTLOOK_REDIS_URL: url,
    OUTLOOK_STATE_SECRET: secret,
  });

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => redis?.close());

  async function serve(url: string) {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox'], env: envFor(url), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'e2e-redis', version: '1' });
    await client.connect(transport);
    return { client, stderr: () => stderr };
  }

  it('two processes with separate folders share handles through Redis, and warn that this Redis does not fsync', async () => {
    const a = await serve(redis.url);
    const b = await serve(redis.url);
    try {
      const listed = await a.client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 2 } });
      expect(listed.isError ?? false).toBe(false);
      const id = (listed.structuredContent as { messages: { id: string }[] }).messages[0]!.id;
      const read = await b.client.callTool({ name: 'ol_email_read', arguments: { id } });
      expect(read.isError ?? false).toBe(false);
      expect(a.stderr()).toMatch(/appendonly yes, appendfsync always/);
    } finally {
      await Promise.all([a.client.close(), b.client.close()]);
    }
  }, 60_000);

  it('a Redis that cannot be reached stops start-up with a message naming OUTLOOK_REDIS_URL', async () => {
    const gone = await startRedisServer();
    await gone.close();
    const r = spawnSync(process.execPath, [BIN, '--sandbox'], { env: envFor(`redis://:pw-not-shown@127.0.0.1:${gone.port}`), encoding: 'utf8', input: '', timeout: 50_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Cannot connect to the state store at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(r.stderr).toMatch(/OUTLOOK_REDIS_URL/);
    expect(r.stderr).not.toContain('pw-not-shown');
  }, 60_000);
});
