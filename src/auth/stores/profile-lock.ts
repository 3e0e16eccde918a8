/**
 * The cross-process lock around a profile's token cache.
 *
 * A CLI `login` and one or more servers of the same profile each
 * read-modify-write the cache; without a lock, a refresh in one process could
 * overwrite the refresh token another process had just rotated in. The
 * cross-process part is `proper-lockfile` (an atomic `mkdir` lock whose mtime
 * the holder refreshes, so a crashed holder's lock turns stale and is taken
 * over). Written here by hand is only what it does not do: a bounded wait with
 * a typed error, an in-process queue (so concurrent callers in one process hand
 * the lock over directly instead of polling the file system), and re-entrancy
 * through AsyncLocalStorage (so `withLock(() => msal.acquireTokenSilent())`,
 * whose cache plugin takes the lock again, does not deadlock).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { TokenStoreError, type TokenStoreKind } from './contract.js';
import { ensurePrivateDir, storeLabel } from './private-files.js';

/** A holder that stops refreshing the lock for this long (crashed, or event loop blocked) loses it. */
export const LOCK_STALE_MS = 10_000;
const LOCK_UPDATE_MS = 2_000;
/** How long a caller waits for the lock by default: longer than a stale lock takes to be recovered. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
export const LOCK_FILE_NAME = 'tokens.lock';

interface Hold {
  active: boolean;
}

export interface ProfileLockOptions {
  profile: string;
  profileDir: string;
  store: TokenStoreKind;
  timeoutMs?: number;
  /** Lock file name inside profileDir (default the token cache's). */
  fileName?: string;
  /** What the lock guards, for messages (default "token-cache"). */
  purpose?: string;
}

/** The token-cache lock of one profile. */
export class ProfileLock {
  readonly path: string;
  private readonly timeoutMs: number;
  private readonly holds = new AsyncLocalStorage<Hold>();
  /** Waiters of this process, in arrival order; the head holds (or is taking) the lock. */
  private readonly queue: Array<() => void> = [];

  constructor(private readonly opts: ProfileLockOptions) {
    this.path = path.join(opts.profileDir, opts.fileName ?? LOCK_FILE_NAME);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  }

  /** Runs fn holding the lock; a nested call from inside fn's async flow runs fn directly. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.holds.getStore()?.active) return fn();
    const deadline = Date.now() + this.timeoutMs;
    await this.enterQueue(deadline);
    let releaseFile: (() => Promise<void>) | undefined;
    const hold: Hold = { active: true };
    try {
      releaseFile = await this.lockFile(deadline);
      return await this.holds.run(hold, fn);
    } finally {
      // Work fn left behind (a timer, an unawaited promise) must not believe it still holds the lock.
      hold.active = false;
      if (releaseFile) await releaseFile().catch(() => undefined);
      this.leaveQueue();
    }
  }

  private enterQueue(deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      this.queue.push(grant);
      const timer = setTimeout(() => {
        const i = this.queue.indexOf(grant);
        if (i > 0) {
          this.queue.splice(i, 1);
          reject(this.timeoutError());
        }
      }, Math.max(0, deadline - Date.now()));
      timer.unref();
      if (this.queue[0] === grant) grant();
    });
  }

  private leaveQueue(): void {
    this.queue.shift();
    this.queue[0]?.();
  }

  private async lockFile(deadline: number): Promise<() => Promise<void>> {
    await ensurePrivateDir(this.opts.profileDir, this.opts);
    // Loaded on first use (~12 ms with graceful-fs): the server's start-up path never needs it.
    const { default: lockfile } = await import('proper-lockfile');
    let delay = 5;
    for (;;) {
      try {
        return await lockfile.lock(this.path, {
          lockfilePath: this.path,
          realpath: false,
          stale: LOCK_STALE_MS,
          update: LOCK_UPDATE_MS,
          retries: 0,
          // The default throws from a timer and would crash the server. A lock is only "compromised"
          // when this process stalled for longer than LOCK_STALE_MS; the write that follows is still atomic.
          onCompromised: () => undefined,
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw this.fsError(err);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeoutError();
      // Jittered backoff: processes that collided do not retry in lockstep.
      await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
      // Holders keep the lock for milliseconds, so a short cap keeps hand-over quick; an attempt is one mkdir + stat.
      delay = Math.min(delay * 2, 50);
    }
  }

  private timeoutError(): TokenStoreError {
    const { profile, store, purpose } = this.opts;
    if (purpose) {
      return new TokenStoreError(
        'lock-timeout',
        profile,
        store,
        `Timed out after ${formatSeconds(this.timeoutMs)} waiting for the ${purpose} lock of profile '${profile}' (${this.path}): another mcp-server-outlook process is using it. Try again in a moment; a lock left by a crashed process is recovered automatically after ${formatSeconds(LOCK_STALE_MS)}.`,
      );
    }
    return new TokenStoreError(
      'lock-timeout',
      profile,
      store,
      `Timed out after ${formatSeconds(this.timeoutMs)} waiting for the token-cache lock of profile '${profile}' (${storeLabel(store)} store, lock ${this.path}): another mcp-server-outlook process (a login or a server) is using this profile's tokens. Try again in a moment; a lock left by a crashed process is recovered automatically after ${formatSeconds(LOCK_STALE_MS)}.`,
    );
  }

  private fsError(err: unknown): TokenStoreError {
    const { profile, store, purpose } = this.opts;
    return new TokenStoreError(
      'permission',
      profile,
      store,
      `Cannot create the ${purpose ?? 'token-cache'} lock of profile '${profile}' (${this.path}): ${(err as Error).message}. Make sure ${this.opts.profileDir} is a directory you own and can write to (or set OUTLOOK_CACHE_DIR to one).`,
      { cause: err },
    );
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
