import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTokenStore, TokenStoreError, type TokenStore } from '../../src/auth/stores/token-store.js';

function profileDir(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'token-store-lock-')), 'acme');
}

function open(dir: string, lockTimeoutMs = 10_000): Promise<TokenStore> {
  return openTokenStore({ profile: 'acme', profileDir: dir, kind: 'file', lockTimeoutMs });
}

/** A promise with its resolve function, to hold a lock until the test lets go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves once `fn` is running inside the store's lock; the lock is held until `release` is opened. */
async function hold(store: TokenStore): Promise<{ release: () => void; done: Promise<void> }> {
  const entered = gate();
  const release = gate();
  const done = store.withLock(async () => {
    entered.open();
    await release.promise;
  });
  await entered.promise;
  return { release: release.open, done };
}

describe('token-cache lock', () => {
  it('creates its lock under the profile folder only while held', async () => {
    const dir = profileDir();
    const store = await open(dir);
    const seen = await store.withLock(async () => existsSync(path.join(dir, 'tokens.lock')));
    expect(seen).toBe(true);
    expect(existsSync(path.join(dir, 'tokens.lock'))).toBe(false);
  });

  it('fails with a clear lock-timeout error while another holder keeps it, and works once released', async () => {
    const dir = profileDir();
    const holder = await hold(await open(dir));
    const waiter = await open(dir, 300);
    const err = await waiter.withLock(async () => 'never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenStoreError);
    const e = err as TokenStoreError;
    expect(e.code).toBe('lock-timeout');
    expect(e.profile).toBe('acme');
    expect(e.store).toBe('file');
    expect(e.message).toContain("profile 'acme'");
    expect(e.message).toContain(path.join(dir, 'tokens.lock'));
    expect(e.message).toContain('another mcp-server-outlook process');
    expect(e.message).toContain('Try again');
    holder.release();
    await holder.done;
    expect(await waiter.withLock(async () => 'got it')).toBe('got it');
  });

  it('times out callers queued behind a holder in the same process too', async () => {
    const store = await open(profileDir(), 300);
    const holder = await hold(store);
    await expect(store.withLock(async () => 'never')).rejects.toMatchObject({ code: 'lock-timeout' });
    holder.release();
    await holder.done;
    expect(await store.withLock(async () => 'next')).toBe('next');
  });

  it('recovers a stale lock left by a crashed process', async () => {
    const dir = profileDir();
    mkdirSync(path.join(dir, 'tokens.lock'), { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(dir, 'tokens.lock'), old, old);
    const store = await open(dir, 5_000);
    expect(await store.withLock(async () => 'recovered')).toBe('recovered');
  });

  it('re-enters from nested calls in the same async flow instead of deadlocking', async () => {
    const store = await open(profileDir(), 2_000);
    const result = await store.withLock(() => store.withLock(() => store.withLock(async () => 'nested')));
    expect(result).toBe('nested');
  });

  it('does not let work started inside the lock re-enter after the lock was released', async () => {
    const dir = profileDir();
    const store = await open(dir);
    let later: Promise<boolean> | undefined;
    await store.withLock(async () => {
      later = new Promise((resolve) => setTimeout(resolve, 10)).then(() => store.withLock(async () => existsSync(path.join(dir, 'tokens.lock'))));
    });
    // Had it re-entered, it would run without the lock directory existing.
    expect(await later).toBe(true);
  });

  it('serializes concurrent callers of one process and releases after a failure', async () => {
    const store = await open(profileDir());
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store
          .withLock(async () => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            await new Promise((resolve) => setImmediate(resolve));
            order.push(i);
            inside--;
            if (i === 3) throw new Error('boom');
          })
          .catch((e: Error) => expect(e.message).toBe('boom')),
      ),
    );
    expect(maxInside).toBe(1);
    expect(order.sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });
});
