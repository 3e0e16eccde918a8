/** OUTLOOK_STATE_STORE, OUTLOOK_REDIS_URL and OUTLOOK_STATE_SECRET: defaults, and each mistake a start-up error naming its variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const base = { OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_CACHE_DIR: '/tmp/outlook-test-cache' };
const SECRET = 'k'.repeat(32);
const redis = { ...base, OUTLOOK_STATE_STORE: 'redis', OUTLOOK_REDIS_URL: 'redis://127.0.0.1:6379', OUTLOOK_STATE_SECRET: SECRET };

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('loadConfig accepted it');
}

describe('state store configuration', () => {
  it('defaults to the embedded store with no Redis URL', () => {
    const c = loadConfig(base);
    expect(c.stateStore).toBe('embedded');
    expect(c.redisUrl).toBeUndefined();
  });

  it('accepts redis with a URL (plain or TLS, optional database) and a secret', () => {
    expect(loadConfig(redis)).toMatchObject({ stateStore: 'redis', redisUrl: 'redis://127.0.0.1:6379', stateSecret: SECRET });
    expect(loadConfig({ ...redis, OUTLOOK_STATE_STORE: ' Redis ', OUTLOOK_REDIS_URL: 'rediss://app:pw@cache.example.com:6380/3' }).redisUrl).toBe('rediss://app:pw@cache.example.com:6380/3');
  });

  it('refuses an unknown store by name', () => {
    const err = refusal({ ...base, OUTLOOK_STATE_STORE: 'sqlite' });
    expect(err.variable).toBe('OUTLOOK_STATE_STORE');
    expect(err.message).toMatch(/Use one of: embedded, redis/);
  });

  it('redis without a URL, or with one that is not redis://, names OUTLOOK_REDIS_URL', () => {
    const { OUTLOOK_REDIS_URL: _, ...noUrl } = redis;
    expect(refusal(noUrl)).toMatchObject({ variable: 'OUTLOOK_REDIS_URL', message: expect.stringMatching(/needs OUTLOOK_REDIS_URL/) });
    for (const url of ['127.0.0.1:6379x', 'http://127.0.0.1:6379', 'not a url', 'redis://127.0.0.1:6379/cache']) {
      expect(refusal({ ...redis, OUTLOOK_REDIS_URL: url }).variable).toBe('OUTLOOK_REDIS_URL');
    }
  });

  it('a password in a refused URL is not repeated in the message', () => {
    const err = refusal({ ...redis, OUTLOOK_REDIS_URL: 'http://user:hunter2-secret@127.0.0.1:6379' });
    expect(err.message).not.toContain('hunter2-secret');
  });

  it('a Redis URL without OUTLOOK_STATE_STORE=redis is refused instead of silently ignored', () => {
    const err = refusal({ ...base, OUTLOOK_REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(err.variable).toBe('OUTLOOK_REDIS_URL');
    expect(err.message).toMatch(/OUTLOOK_STATE_STORE=redis/);
  });

  it('redis needs a secret of at least 32 characters', () => {
    const { OUTLOOK_STATE_SECRET: _, ...noSecret } = redis;
    expect(refusal(noSecret)).toMatchObject({ variable: 'OUTLOOK_STATE_SECRET', message: expect.stringMatching(/openssl rand -base64 32/) });
    const short = refusal({ ...redis, OUTLOOK_STATE_SECRET: 'short-secret' });
    expect(short.variable).toBe('OUTLOOK_STATE_SECRET');
    expect(short.message).not.toContain('short-secret');
  });
});
