import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PublicClientApplication, type TokenCacheContext } from '@azure/msal-node';
import { openTokenStore, TokenStoreError, type TokenStore } from '../../src/auth/stores/token-store.js';
import { msalCachePlugin } from '../../src/auth/stores/msal-cache-plugin.js';

const EMPTY = { Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} };

function profileDir(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'token-store-plugin-')), 'acme');
}

function open(dir: string, lockTimeoutMs = 10_000): Promise<TokenStore> {
  return openTokenStore({ profile: 'acme', profileDir: dir, kind: 'file', lockTimeoutMs });
}

/** A stand-in for MSAL's TokenCacheContext that records what the plugin hands it. */
function fakeContext(cacheHasChanged: boolean, serialized = '{"Account":{"k":{}}}') {
  const deserialized: string[] = [];
  const context = {
    cacheHasChanged,
    tokenCache: {
      deserialize: (data: string) => void deserialized.push(data),
      serialize: () => serialized,
    },
  };
  return { context: context as unknown as TokenCacheContext, deserialized };
}

/** True when another holder can take the profile's lock right now. */
async function lockIsFree(dir: string): Promise<boolean> {
  const other = await open(dir, 200);
  return other.withLock(async () => true).catch((e: unknown) => {
    if (e instanceof TokenStoreError && e.code === 'lock-timeout') return false;
    throw e;
  });
}

describe('msalCachePlugin', () => {
  it('loads the store before access and saves after a change, holding the lock in between', async () => {
    const dir = profileDir();
    const store = await open(dir);
    await store.write('{"Account":{"before":{}}}');
    const plugin = msalCachePlugin(store);
    const { context, deserialized } = fakeContext(true, '{"Account":{"after":{}}}');
    await plugin.beforeCacheAccess(context);
    expect(deserialized).toEqual(['{"Account":{"before":{}}}']);
    expect(await lockIsFree(dir)).toBe(false);
    await plugin.afterCacheAccess(context);
    expect(await store.read()).toBe('{"Account":{"after":{}}}');
    expect(await lockIsFree(dir)).toBe(true);
  });

  it('does not write when the cache did not change', async () => {
    const dir = profileDir();
    const store = await open(dir);
    const plugin = msalCachePlugin(store);
    const { context, deserialized } = fakeContext(false);
    await plugin.beforeCacheAccess(context);
    await plugin.afterCacheAccess(context);
    // An empty store resets MSAL's memory, so a logout by another process takes effect here too.
    expect(deserialized.map((d) => JSON.parse(d))).toEqual([EMPTY]);
    expect(await store.read()).toBeUndefined();
  });

  it('releases the lock when saving fails', async () => {
    const dir = profileDir();
    const plugin = msalCachePlugin(await open(dir));
    const { context } = fakeContext(true, 'not json');
    await plugin.beforeCacheAccess(context);
    await expect(plugin.afterCacheAccess(context)).rejects.toThrow(TypeError);
    expect(await lockIsFree(dir)).toBe(true);
  });

  it('releases the lock when the store cannot be read, and the after-call MSAL still makes then writes nothing', async () => {
    const dir = profileDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dir, 'tokens.json'), '{"trunc', { mode: 0o600 });
    const plugin = msalCachePlugin(await open(dir));
    const { context } = fakeContext(true);
    await expect(plugin.beforeCacheAccess(context)).rejects.toMatchObject({ code: 'corrupt' });
    expect(await lockIsFree(dir)).toBe(true);
    await plugin.afterCacheAccess(context);
    expect(readFileSync(path.join(dir, 'tokens.json'), 'utf8')).toBe('{"trunc');
  });

  it('writes nothing when the lock could not be taken', async () => {
    const dir = profileDir();
    const store = await open(dir, 200);
    await store.write('{"kept":true}');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holder = await new Promise<{ done: Promise<void> }>((entered) => {
      const done = open(dir).then((other) =>
        other.withLock(async () => {
          entered({ done });
          await released;
        }),
      );
    });
    const plugin = msalCachePlugin(store);
    const { context } = fakeContext(true, '{"lost":true}');
    await expect(plugin.beforeCacheAccess(context)).rejects.toMatchObject({ code: 'lock-timeout' });
    await plugin.afterCacheAccess(context);
    release();
    await holder.done;
    expect(await store.read()).toBe('{"kept":true}');
  });

  it('runs inside an outer withLock of the same store without deadlocking', async () => {
    const dir = profileDir();
    const store = await open(dir, 1_000);
    const plugin = msalCachePlugin(store);
    await store.withLock(async () => {
      for (let i = 0; i < 3; i++) {
        const { context } = fakeContext(true, `{"round":${i}}`);
        await plugin.beforeCacheAccess(context);
        await plugin.afterCacheAccess(context);
      }
    });
    expect(await store.read()).toBe('{"round":2}');
    expect(await lockIsFree(dir)).toBe(true);
  });

  it('serves real MSAL: accounts come from the store and a removal is saved back', async () => {
    const dir = profileDir();
    const store = await open(dir);
    const key = 'uid.utid-login.microsoftonline.com-utid';
    const account = { home_account_id: 'uid.utid', environment: 'login.microsoftonline.com', realm: 'utid', local_account_id: 'uid', username: 'ada@contoso.com', authority_type: 'MSSTS' };
    await store.write(JSON.stringify({ ...EMPTY, Account: { [key]: account } }));
    const pca = new PublicClientApplication({
      auth: { clientId: '00000000-0000-0000-0000-000000000001', authority: 'https://login.microsoftonline.com/common' },
      cache: { cachePlugin: msalCachePlugin(store) },
    });
    const accounts = await pca.getTokenCache().getAllAccounts();
    expect(accounts.map((a) => a.homeAccountId)).toEqual(['uid.utid']);
    await pca.getTokenCache().removeAccount(accounts[0]!);
    expect(JSON.parse((await store.read()) as string).Account).toEqual({});
    expect(await lockIsFree(dir)).toBe(true);

    // Another process signing out clears the store: this MSAL instance must forget the account too.
    await store.write(JSON.stringify({ ...EMPTY, Account: { [key]: account } }));
    expect(await pca.getTokenCache().getAllAccounts()).toHaveLength(1);
    await store.clear();
    expect(await pca.getTokenCache().getAllAccounts()).toHaveLength(0);

    // ...and must not write the forgotten account back with its next save.
    const otherKey = 'uid2.utid-login.microsoftonline.com-utid';
    const other = { ...account, home_account_id: 'uid2.utid', local_account_id: 'uid2', username: 'bob@contoso.com' };
    await store.write(JSON.stringify({ ...EMPTY, Account: { [otherKey]: other, third: { ...other, home_account_id: 'uid3.utid' } } }));
    const [bob] = (await pca.getTokenCache().getAllAccounts()).filter((a) => a.homeAccountId === 'uid2.utid');
    await pca.getTokenCache().removeAccount(bob!);
    expect(Object.keys(JSON.parse((await store.read()) as string).Account)).toEqual(['third']);
  });
});
