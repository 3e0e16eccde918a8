/**
 * One contender in the token-store concurrency test: a process that, again
 * and again, takes the profile's lock, reads the cache, "rotates" the refresh
 * token and appends its update, then writes, the way a login and a running
 * server would. Arguments: kind profileDir workerId iterations mode(store|plugin).
 */
import path from 'node:path';
import type { TokenCacheContext } from '@azure/msal-node';
import { openTokenStore, type TokenStoreKind } from '../../src/auth/stores/token-store.js';
import { msalCachePlugin } from '../../src/auth/stores/msal-cache-plugin.js';

interface Shared {
  counter: number;
  updates: string[];
  refreshToken: string;
}

const [kind, profileDir, id, iterations, mode] = process.argv.slice(2) as [TokenStoreKind, string, string, string, 'store' | 'plugin'];
const store = await openTokenStore({ profile: path.basename(profileDir), profileDir, kind, passphrase: 'concurrency passphrase', lockTimeoutMs: 60_000 });
const plugin = msalCachePlugin(store);

function next(state: Shared | undefined, i: number): Shared {
  const s = state ?? { counter: 0, updates: [], refreshToken: '' };
  const update = `${id}-${i}`;
  return { counter: s.counter + 1, updates: [...s.updates, update], refreshToken: `rt-${update}` };
}

for (let i = 0; i < Number(iterations); i++) {
  if (mode === 'store') {
    await store.withLock(async () => {
      const raw = await store.read();
      await store.write(JSON.stringify(next(raw === undefined ? undefined : (JSON.parse(raw) as Shared), i)));
    });
  } else {
    // What MSAL does around saving a token response, with a cache object that records what it is given.
    let memory: Shared | undefined;
    const context = {
      cacheHasChanged: true,
      tokenCache: {
        deserialize: (data: string) => {
          const parsed = JSON.parse(data) as Partial<Shared>;
          memory = parsed.counter === undefined ? undefined : (parsed as Shared);
        },
        serialize: () => JSON.stringify(memory),
      },
    };
    await plugin.beforeCacheAccess(context as unknown as TokenCacheContext);
    memory = next(memory, i);
    await plugin.afterCacheAccess(context as unknown as TokenCacheContext);
  }
}
