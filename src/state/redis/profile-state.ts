/**
 * A profile's (or a replica's) state in Redis: the namespace is a keyed hash of the profile under
 * OUTLOOK_STATE_SECRET, so several deployments can share one Redis without reading each other's state,
 * and profile names never appear in Redis. Redis drops what expires by itself (TTLs); the periodic upkeep
 * only forgets handles unused for the idle horizon and purges the cursor index.
 */
import { scheduleUpkeep } from '../upkeep.js';
import { createHmac } from 'node:crypto';
import type { StateStore, StateStoreOptions } from '../ports.js';
import { RedisConnection, redactRedisUrl } from './connection.js';
import { openRedisState } from './store.js';

export interface RedisProfileStateOptions {
  readonly url: string;
  /** OUTLOOK_STATE_SECRET. */
  readonly secret: string;
  readonly profile: string;
  readonly now?: () => number;
  readonly handles?: StateStoreOptions['handles'];
  /** Handles not used for this long are forgotten by {@link RedisProfileState.maintain}. */
  readonly handleIdleMs: number;
  /** How often upkeep runs in the background. */
  readonly maintainEveryMs: number;
  /** Told once, at start, when Redis would lose acknowledged writes in a crash. */
  readonly onWarning?: (message: string) => void;
  /** Told of a failed background upkeep (the server carries on). */
  readonly onMaintenanceError?: (err: unknown) => void;
  readonly commandTimeoutMs?: number;
}

/** The profile's Redis store with its upkeep; closing it closes its connection. */
export interface RedisProfileState extends StateStore {
  maintain(): Promise<{ records: number; handles: number }>;
}

/** The namespace of a profile (or any principal) in a shared store: HMAC-SHA-256 under the state secret. */
export function stateNamespace(secret: string, kind: 'profile' | 'user', name: string): string {
  return createHmac('sha256', secret).update(`${kind}\0${name}`).digest('base64url').slice(0, 32);
}

/** Connects and opens the profile's state in Redis; a Redis that cannot be reached is a start-up error. */
export async function openRedisProfileState(o: RedisProfileStateOptions): Promise<RedisProfileState> {
  const now = o.now ?? Date.now;
  const connection = await RedisConnection.connect({ url: o.url, commandTimeoutMs: o.commandTimeoutMs });
  const durability = await connection.durability().catch(() => 'unknown' as const);
  if (durability !== 'always') {
    o.onWarning?.(
      `Redis at ${redactRedisUrl(o.url)} ${durability === 'unknown' ? 'does not say whether it' : 'does not'} write each change to disk before answering (appendonly yes, appendfsync always). ` +
        'If it crashes, approvals spent in its last second could become usable again. Turn both on, or run it with a replica that the failover waits for.',
    );
  }
  const store = openRedisState({ namespace: stateNamespace(o.secret, 'profile', o.profile), connection, now, handles: o.handles });
  const maintain = async () => {
    const records = await store.cursors.purgeExpired();
    const handles = await store.handles.expireUnusedSince(now() - o.handleIdleMs);
    return { records, handles };
  };
  // Runs one at a time; close() waits for a run in progress instead of cutting its connection.
  const upkeep = scheduleUpkeep(maintain, o.maintainEveryMs, o.onMaintenanceError, false);
  return {
    ...store,
    maintain,
    async close() {
      await upkeep.stop();
      await connection.close();
    },
  };
}
