/**
 * The bridge between MSAL's in-memory token cache and a TokenStore.
 *
 * MSAL calls beforeCacheAccess, works on its in-memory cache (no network in
 * between: the refresh request happens before, only the saving of its answer
 * is bracketed), then afterCacheAccess. Holding the profile's lock across that
 * bracket makes each access a read-modify-write no other process can
 * interleave with, so a refresh token rotated by one process is never
 * overwritten by another's older copy.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { TokenStore } from './contract.js';

/** What MSAL deserializes to "no accounts, no tokens": what an empty store means. */
const EMPTY_CACHE = JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });
const ENTITY_SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata'] as const;
/**
 * MSAL pairs every beforeCacheAccess with an afterCacheAccess, except on one
 * error path (client credentials, when reading the in-memory cache throws); a
 * hold that outlives this is released so the profile cannot stay locked.
 */
const MAX_HOLD_MS = 60_000;

type CacheAccess = Pick<TokenCacheContext, 'cacheHasChanged' | 'tokenCache'>;
type SerializableCache = CacheAccess['tokenCache'];

interface Hold {
  release(): Promise<void>;
}

/** An MSAL cache plugin persisting to `store`, under the store's cross-process lock for each cache access. */
export function msalCachePlugin(store: TokenStore): ICachePlugin {
  const holds = new Map<CacheAccess, Hold>();
  /** Per MSAL cache: the entity keys it holds, as last loaded from or saved to the store. */
  const known = new WeakMap<SerializableCache, Set<string>>();
  return {
    async beforeCacheAccess(context: CacheAccess): Promise<void> {
      const hold = await acquire(store, () => holds.delete(context));
      holds.set(context, hold);
      try {
        const data = (await store.read()) ?? EMPTY_CACHE;
        forgetRemoved(context.tokenCache, known.get(context.tokenCache), entityKeys(data));
        context.tokenCache.deserialize(data);
        known.set(context.tokenCache, entityKeys(data));
      } catch (err) {
        holds.delete(context);
        await hold.release();
        throw err;
      }
    },
    async afterCacheAccess(context: CacheAccess): Promise<void> {
      const hold = holds.get(context);
      // No hold: beforeCacheAccess failed (lock timeout, unreadable store) and MSAL still calls us from its
      // `finally`. Writing now would bypass the lock or overwrite a store we could not read.
      if (!hold) return;
      holds.delete(context);
      try {
        if (context.cacheHasChanged) {
          const data = context.tokenCache.serialize();
          await store.write(data);
          known.set(context.tokenCache, entityKeys(data));
        }
      } finally {
        await hold.release();
      }
    },
  };
}

/**
 * MSAL's deserialize merges into its in-memory cache and never drops an entry,
 * so an account another process removed (a `logout` while a server runs)
 * would live on in memory and be written back on the next save. Entries this
 * cache held at the last load or save that the store no longer has are
 * deleted from MSAL's key-value store (public `getKVStore()`, which returns the
 * live map) before loading. Only entity keys we saw are touched, so MSAL's
 * authority metadata stays cached.
 */
function forgetRemoved(cache: SerializableCache, before: Set<string> | undefined, now: Set<string>): void {
  const getKVStore = (cache as { getKVStore?: () => Record<string, unknown> }).getKVStore;
  if (!before || typeof getKVStore !== 'function') return;
  const live = getKVStore.call(cache);
  for (const key of before) if (!now.has(key)) delete live[key];
}

/** The keys of the accounts, tokens and app metadata in a serialized MSAL cache. */
function entityKeys(data: string): Set<string> {
  const parsed = JSON.parse(data) as Partial<Record<(typeof ENTITY_SECTIONS)[number], Record<string, unknown>>>;
  const keys = new Set<string>();
  for (const section of ENTITY_SECTIONS) for (const key of Object.keys(parsed[section] ?? {})) keys.add(key);
  return keys;
}

/** Takes the store's lock and keeps it until release() (or MAX_HOLD_MS), bridging withLock's callback shape to MSAL's two calls. */
function acquire(store: TokenStore, onExpire: () => void): Promise<Hold> {
  return new Promise<Hold>((resolveHold, rejectHold) => {
    let finish!: () => void;
    const released = new Promise<void>((resolve) => (finish = resolve));
    const done = store.withLock(async () => {
      const timer = setTimeout(() => {
        onExpire();
        finish();
      }, MAX_HOLD_MS);
      timer.unref();
      resolveHold({
        release: async () => {
          clearTimeout(timer);
          finish();
          await done.catch(() => undefined);
        },
      });
      await released;
    });
    done.catch(rejectHold);
  });
}
