/**
 * The one place that picks the state adapter: the embedded store in the profile folder (the default),
 * or Redis when OUTLOOK_STATE_STORE=redis. A run that keeps nothing (demo, one-shot CLI calls, `dir`
 * undefined) always uses a temporary embedded store: it must not write into a shared Redis.
 */
import type { Config } from '../config/config.js';
import { COMPACT_EVERY_MS, HANDLE_IDLE_MS, openProfileState, type ProfileState, type ProfileStateOptions } from './profile-state.js';

export interface OpenStateStoreOptions extends ProfileStateOptions {
  /** Told once of a setting of the store that weakens a promise (e.g. a Redis that does not fsync). */
  readonly onWarning?: (message: string) => void;
}

/** Opens the profile's state on the configured adapter. */
export async function openStateStore(config: Pick<Config, 'stateStore' | 'redisUrl' | 'stateSecret'>, o: OpenStateStoreOptions): Promise<ProfileState> {
  if (config.stateStore !== 'redis' || o.dir === undefined) return openProfileState(o);
  // loadConfig guarantees both with stateStore=redis; a hand-built config that lacks them is a bug.
  if (!config.redisUrl || !config.stateSecret) throw new Error('OUTLOOK_STATE_STORE=redis without OUTLOOK_REDIS_URL and OUTLOOK_STATE_SECRET');
  // Loaded only here: a local server never loads the Redis client at start-up.
  const { openRedisProfileState } = await import('./redis/profile-state.js');
  return openRedisProfileState({
    url: config.redisUrl,
    secret: config.stateSecret,
    profile: o.profile,
    now: o.now,
    handleIdleMs: HANDLE_IDLE_MS,
    maintainEveryMs: COMPACT_EVERY_MS,
    onWarning: o.onWarning,
    onMaintenanceError: o.onMaintenanceError,
  });
}
