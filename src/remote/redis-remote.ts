/**
 * Remote mode on Redis (OUTLOOK_STATE_STORE=redis): what lets several replicas behind a load balancer
 * serve one team as if they were one server. One connection per process carries:
 * - each person's state (approvals consumed once, drafts, handles, cursors, delta links, downloads, the
 *   per-mailbox Graph gate and the shared Retry-After pause) in a namespace derived from their user key,
 *   so whichever replica a request lands on sees the same state, and no replica can name another
 *   person's keys without the user key;
 * - the MSAL on-behalf-of token cache, encrypted and partitioned per assertion ({@link RedisOboCache});
 * - the per-person call rate limit ({@link RedisRateLimiter});
 * - a readiness probe (`/readyz` fails while Redis does not answer).
 * Loaded only by `serve --http` with the Redis store: the local server never imports it.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { startRuntime } from '../runtime.js';
import { HANDLE_IDLE_MS } from '../state/profile-state.js';
import { RedisConnection, redactRedisUrl } from '../state/redis/connection.js';
import { stateNamespace } from '../state/redis/profile-state.js';
import { openRedisState } from '../state/redis/store.js';
import { callerTokens, type OboCachePartitions, type OboExchange } from './obo.js';
import { approvalKeyOf } from './user-key.js';
import { configForUser, type UserRuntimeFactory } from './users.js';

/**
 * How long an encrypted OBO cache partition is kept. A partition belongs to one incoming token (its
 * assertion), which Entra issues for 60–90 minutes and the verifier refuses once expired: two hours
 * outlives every assertion, after which the partition could never be asked for again.
 */
export const OBO_PARTITION_TTL_MS = 2 * 3_600_000;

/** Fixed labels of the keys derived from OUTLOOK_STATE_SECRET (HKDF): one key per purpose, never reused. */
const OBO_KEY_INFO = 'mcp-server-outlook obo-cache v1';
const FORMAT = 'v1';

/**
 * The OBO token cache in Redis. Each partition (one assertion of one person) is sealed with AES-256-GCM
 * under a key every replica derives from OUTLOOK_STATE_SECRET, with the partition's name as associated
 * data: a blob copied under another partition's key does not open. The Redis key is a hash of the
 * partition, so neither user keys nor token hashes appear in Redis. A blob that does not open (secret
 * rotated, tampered) counts as a miss: the exchange simply runs again.
 */
export class RedisOboCache implements OboCachePartitions {
  private readonly key: Buffer;

  constructor(
    private readonly conn: RedisConnection,
    secret: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'mcp-server-outlook', OBO_KEY_INFO, 32));
  }

  /** The Redis key of a partition (exported for tests that look at what Redis holds). */
  static redisKey(partition: string): string {
    return `outlook:obo:${createHash('sha256').update(partition).digest('base64url')}`;
  }

  async load(partition: string): Promise<string | undefined> {
    const sealed = await this.conn.command((c) => c.get(RedisOboCache.redisKey(partition)));
    if (sealed == null) return undefined;
    try {
      const [format, iv, tag, data] = String(sealed).split('.');
      if (format !== FORMAT || !iv || !tag || data === undefined) throw new Error('unknown format');
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(partition));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
    } catch {
      this.onError('A shared on-behalf-of cache entry could not be opened (OUTLOOK_STATE_SECRET differs between replicas, or the entry was altered); the token is exchanged again.');
      return undefined;
    }
  }

  async save(partition: string, serialized: string): Promise<void> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(partition));
    const data = Buffer.concat([c.update(serialized, 'utf8'), c.final()]);
    const sealed = [FORMAT, iv.toString('base64url'), c.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    await this.conn.command((cl) => cl.set(RedisOboCache.redisKey(partition), sealed, { PX: OBO_PARTITION_TTL_MS }));
  }
}

/** What the rate limiter says about one call. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Calls per person per minute, counted in Redis so the limit holds across replicas: a fixed one-minute
 * window per user key, counted by one Lua script (`rate-take.lua`: count and expiry in one step, one
 * round trip, no fsync).
 */
export class RedisRateLimiter {
  constructor(
    private readonly conn: RedisConnection,
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Calls allowed per window. */
  get limit(): number {
    return this.perMinute;
  }

  async take(userKey: string): Promise<RateDecision> {
    if (this.perMinute <= 0) return { allowed: true };
    const key = `outlook:rate:${createHash('sha256').update(userKey).digest('base64url')}`;
    // One script: counted and expired in one step, kept out of Redis's append-only file (a counter is rebuildable).
    const [count, ttl] = await this.conn.run<[number, number]>('rate-take', [key], [this.windowMs]);
    if (count <= this.perMinute) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((ttl > 0 ? ttl : this.windowMs) / 1000)) };
  }
}

/** Everything remote mode takes from Redis, on one connection. */
export interface RedisRemote {
  readonly connection: RedisConnection;
  readonly users: UserRuntimeFactory;
  readonly oboCache: RedisOboCache;
  readonly rateLimiter: RedisRateLimiter;
  readonly readiness: { name: string; check: () => Promise<void> };
  close(): Promise<void>;
}

export interface RedisRemoteOptions {
  logger: Logger;
  fetch?: typeof fetch;
  /** The exchange is built by the HTTP server around {@link RedisRemote.oboCache}; it is needed only when a user's runtime is built. */
  exchange: () => OboExchange;
}

/** Connects to Redis (a start-up error if it cannot be reached) and builds remote mode's Redis parts. */
export async function openRedisRemote(config: Config, o: RedisRemoteOptions): Promise<RedisRemote> {
  const secret = config.stateSecret;
  const url = config.redisUrl;
  if (!secret || !url || !config.http) throw new Error('Remote mode on Redis needs OUTLOOK_REDIS_URL and OUTLOOK_STATE_SECRET (loadConfig checks both).');
  const connection = await RedisConnection.connect({ url, onError: (err) => o.logger.debug(`redis: ${err.message}`) });
  const durability = await connection.durability().catch(() => 'unknown' as const);
  if (durability !== 'always') {
    o.logger.warn(
      `Redis at ${redactRedisUrl(url)} ${durability === 'unknown' ? 'does not say whether it' : 'does not'} write each change to disk before answering (appendonly yes, appendfsync always). If it crashes, approvals spent in its last second could become usable again.`,
    );
  }
  const oboCache = new RedisOboCache(connection, secret, (m) => o.logger.warn(m));
  const users: UserRuntimeFactory = async (userKey) => {
    const store = openRedisState({ namespace: stateNamespace(secret, 'user', userKey), connection });
    // Redis expires cursors, approvals and downloads by itself; idle handles are forgotten when asked.
    const state = {
      ...store,
      maintain: async () => ({ records: await store.cursors.purgeExpired(), handles: await store.handles.expireUnusedSince(Date.now() - HANDLE_IDLE_MS) }),
    };
    const runtime = await startRuntime(configForUser(config, userKey), {
      tokens: callerTokens(o.exchange(), userKey),
      logger: o.logger,
      approvalKey: approvalKeyOf(secret, userKey),
      state,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    return { deps: runtime.deps, tools: runtime.tools, close: () => runtime.close() };
  };
  return {
    connection,
    users,
    oboCache,
    rateLimiter: new RedisRateLimiter(connection, config.http.rateLimitPerMinute),
    readiness: {
      name: `state store (Redis at ${redactRedisUrl(url)})`,
      check: async () => {
        await connection.command((c) => c.ping());
      },
    },
    close: () => connection.close(),
  };
}
