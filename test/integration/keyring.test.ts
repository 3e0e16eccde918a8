/**
 * The keyring backend against a real Secret Service (gnome-keyring on a
 * private session bus), and the fallbacks when there is none. The D-Bus
 * library behind the keyring reads DBUS_SESSION_BUS_ADDRESS once per process
 * and keeps it: this file's own process (a worker of its own) only ever talks
 * to the first private bus, and every other situation (locked, missing, deaf
 * or no bus) runs in a child process with its own environment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { openTokenStore, TokenStoreError, type OpenTokenStoreOptions, type TokenStore } from '../../src/auth/stores/token-store.js';
import { KEYRING_PART_CHARS } from '../../src/auth/stores/keyring-store.js';
import { missingPrograms, startSecretService, type SecretServiceSession } from '../helpers/keyring-session.js';
import { runNode, transpileEntry } from '../helpers/token-store-children.js';
import type { ScenarioResult } from '../helpers/keyring-scenario.js';

const LINUX = process.platform === 'linux';
const MISSING = LINUX ? missingPrograms(['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon']) : [];
if (!LINUX) console.warn('[keyring test] Secret Service tests skipped: they run on Linux only.');
else if (MISSING.length > 0) {
  console.warn(`[keyring test] real Secret Service tests SKIPPED: ${MISSING.join(', ')} not installed (apt-get install gnome-keyring dbus dbus-x11 libsecret-1-0).`);
}

const ENTRY_OPTIONS = { linux: { store: 'secret-service' } } as const;
const CACHE = JSON.stringify({ Account: { a: { username: 'ada@contoso.com' } }, RefreshToken: { r: { secret: 'rt-keyring' } } });
const child = LINUX ? transpileEntry('test/helpers/keyring-scenario.ts') : undefined;
afterAll(() => child?.cleanup());

/** Opens a store and runs ops in a new process on the given bus (undefined: no bus at all). */
async function scenario(bus: string | undefined, options: OpenTokenStoreOptions, ops: unknown[]): Promise<ScenarioResult> {
  const env = { ...process.env };
  if (bus === undefined) delete env.DBUS_SESSION_BUS_ADDRESS;
  else env.DBUS_SESSION_BUS_ADDRESS = bus;
  return JSON.parse(await runNode((child as { script: string }).script, [JSON.stringify({ options, ops })], env)) as ScenarioResult;
}

function cacheDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'keyring-cache-'));
}

function uniqueService(): string {
  return `mcp-server-outlook-test-${randomBytes(4).toString('hex')}`;
}

function open(root: string, profile: string, extra: Partial<OpenTokenStoreOptions> = {}): Promise<TokenStore> {
  return openTokenStore({ profile, profileDir: path.join(root, profile), ...extra });
}

async function storeError(p: Promise<unknown>): Promise<TokenStoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenStoreError);
  return err as TokenStoreError;
}

async function accounts(service: string): Promise<string[]> {
  return (await findCredentialsAsync(service)).map((c) => c.account).sort();
}

describe.skipIf(!LINUX || MISSING.length > 0)('keyring store on a real Secret Service', () => {
  let session: SecretServiceSession;
  beforeAll(async () => {
    session = await startSecretService({ keyring: 'unlocked' });
    // Before the first keyring call of this process: the address is read once and kept.
    process.env.DBUS_SESSION_BUS_ADDRESS = session.address;
  });
  afterAll(async () => {
    await session?.stop();
  });

  it('is auto-detected, round-trips a cache, and says why it was chosen', async () => {
    const root = cacheDir();
    const service = uniqueService();
    const store = await open(root, 'kr-a', { keyringService: service });
    expect(store.kind).toBe('keyring');
    expect(store.detection).toBe('the OS keyring is available');
    expect(store.description).toBe(`OS keyring (Secret Service), service ${service}, account profile:kr-a`);
    expect(await store.read()).toBeUndefined();
    await store.write(CACHE);
    expect(await store.read()).toBe(CACHE);

    const again = await open(root, 'kr-a', { keyringService: service });
    expect(again.kind).toBe('keyring');
    expect(again.detection).toBe("the OS keyring holds the tokens of profile 'kr-a'");
    expect(await again.read()).toBe(CACHE);
    // The probe's throw-away entry is gone again.
    expect(await accounts(service)).toEqual(expect.not.arrayContaining([expect.stringMatching(/^probe:/)]));
  });

  it('splits a large cache into parts a Windows credential could hold, and drops old parts on rewrite', async () => {
    const root = cacheDir();
    const service = uniqueService();
    const store = await open(root, 'big', { kind: 'keyring', keyringService: service });
    // Random tokens do not compress: ~20 KB of them needs more than a dozen parts.
    const big = JSON.stringify({ AccessToken: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`at${i}`, randomBytes(1200).toString('base64url')])) });
    await store.write(big);
    const stored = await findCredentialsAsync(service);
    const parts = stored.filter((c) => c.account.startsWith('profile:big:'));
    expect(parts.length).toBeGreaterThan(12);
    for (const p of parts) expect(p.password.length).toBeLessThanOrEqual(KEYRING_PART_CHARS);
    expect(stored.find((c) => c.account === 'profile:big')?.password).toMatch(/"parts":\d+/);

    const fresh = await open(root, 'big', { kind: 'keyring', keyringService: service });
    expect(await fresh.read()).toBe(big);

    await fresh.write(CACHE);
    expect((await accounts(service)).filter((a) => a.startsWith('profile:big'))).toHaveLength(2); // index + one part
    expect(await store.read()).toBe(CACHE); // the other instance notices the new index
  });

  it('keeps profiles apart; clear() removes only its profile, including parts orphaned by a crashed write', async () => {
    const root = cacheDir();
    const service = uniqueService();
    const kr = await open(root, 'kr', { kind: 'keyring', keyringService: service });
    const krx = await open(root, 'kr.x', { kind: 'keyring', keyringService: service });
    await kr.write('{"owner":"kr"}');
    expect(await krx.read()).toBeUndefined();
    await krx.write('{"owner":"kr.x"}');
    expect(await kr.read()).toBe('{"owner":"kr"}');
    await new AsyncEntry(service, 'profile:kr:deadbeef:0', ENTRY_OPTIONS).setPassword('orphan of a crashed write');

    await kr.clear();
    expect(await kr.read()).toBeUndefined();
    expect(await krx.read()).toBe('{"owner":"kr.x"}');
    expect((await accounts(service)).every((a) => a.startsWith('profile:kr.x'))).toBe(true);
    await kr.clear(); // already absent: no error
  });

  it('reports a damaged index or a missing part as corrupt, and does not overwrite it', async () => {
    const root = cacheDir();
    const service = uniqueService();
    const store = await open(root, 'dmg', { kind: 'keyring', keyringService: service });
    const index = new AsyncEntry(service, 'profile:dmg', ENTRY_OPTIONS);
    await index.setPassword('{not an index');
    const err = await storeError(store.read());
    expect(err.code).toBe('corrupt');
    expect(err.store).toBe('keyring');
    expect(err.message).toContain("profile 'dmg'");
    expect(err.message).toContain(`service ${service}`);
    expect(err.message).toContain('mcp-server-outlook logout --profile dmg');
    expect((await storeError(store.write(CACHE))).code).toBe('corrupt');
    expect(await index.getPassword()).toBe('{not an index');

    await store.clear();
    await store.write(CACHE);
    const part = (await accounts(service)).find((a) => a.startsWith('profile:dmg:')) as string;
    await new AsyncEntry(service, part, ENTRY_OPTIONS).deletePassword();
    const fresh = await open(root, 'dmg', { kind: 'keyring', keyringService: service });
    expect((await storeError(fresh.read())).message).toMatch(/part 1 of 1 is missing/);
  });

  it('prefers an existing token file over an empty keyring, so an earlier sign-in is not hidden', async () => {
    const root = cacheDir();
    const service = uniqueService();
    mkdirSync(path.join(root, 'ssh'), { mode: 0o700 });
    writeFileSync(path.join(root, 'ssh', 'tokens.json'), CACHE, { mode: 0o600 });
    const store = await open(root, 'ssh', { keyringService: service });
    expect(store.kind).toBe('file');
    expect(store.detection).toMatch(/OS keyring works but holds no tokens of profile 'ssh'.*using that file/);
    expect(await store.read()).toBe(CACHE);
  });
});

// Each of these runs in its own processes on its own bus: they can overlap (most of their time is waiting).
describe.skipIf(!LINUX || MISSING.length > 0)('keyring store when the Secret Service is locked or missing', { concurrent: true }, () => {
  it('reports a locked keyring with the fix, and auto-detection still picks it (the tokens are there)', async ({ expect }) => {
    const session = await startSecretService({ keyring: 'unlocked' });
    try {
      const root = cacheDir();
      const options = { profile: 'lk', profileDir: path.join(root, 'lk'), keyringService: uniqueService() };
      const stored = await scenario(session.address, { ...options, kind: 'keyring' }, [{ write: CACHE }]);
      expect(stored.outcomes).toEqual([{ ok: true, value: 'undefined' }]);
      await session.lockCollection();
      // The MCP Bundle's user (bundle: 'mcpb') has the keyring to unlock, and no variable or command to switch stores with.
      const [locked, bundled] = await Promise.all([scenario(session.address, options, ['read', { write: CACHE }]), scenario(session.address, { ...options, bundle: 'mcpb' }, ['read'])]);
      expect(locked.kind).toBe('keyring');
      expect(locked.detection).toBe("the OS keyring holds the tokens of profile 'lk' but is locked");
      const [read, write] = locked.outcomes;
      expect(read).toMatchObject({ ok: false, code: 'keyring-locked' });
      expect(write).toMatchObject({ ok: false, code: 'keyring-locked' });
      const message = (read as { message: string }).message;
      expect(message).toContain("profile 'lk'");
      expect(message).toContain('Unlock your keyring');
      expect(message).toContain('OUTLOOK_TOKEN_STORE=file or encrypted-file');
      const bundledMessage = (bundled.outcomes[0] as { message: string }).message;
      expect(bundledMessage).toContain('Unlock your keyring');
      expect(bundledMessage).not.toMatch(/OUTLOOK_|mcp-server-outlook /);
    } finally {
      await session.stop();
    }
  });

  it('falls back to the file when the keyring daemon runs but has no unlocked keyring to store into', async ({ expect }) => {
    const session = await startSecretService({ keyring: 'locked' });
    try {
      const root = cacheDir();
      const result = await scenario(session.address, { profile: 'headless', profileDir: path.join(root, 'headless'), keyringService: uniqueService() }, []);
      expect(result.kind).toBe('file');
      expect(result.detection).toMatch(/^keyring unavailable: the Secret Service is locked or has no default keyring to store into .*; using the plain file$/);
    } finally {
      await session.stop();
    }
  });

  it('falls back when the bus has no Secret Service, and a forced keyring says what to do', async ({ expect }) => {
    const session = await startSecretService({ keyring: 'none' });
    try {
      const root = cacheDir();
      const options = { profile: 'nosvc', profileDir: path.join(root, 'nosvc') };
      const auto = await scenario(session.address, options, []);
      expect(auto.kind).toBe('file');
      expect(auto.detection).toMatch(/^keyring unavailable: the Secret Service cannot be reached .*org\.freedesktop\.secrets.*; using the plain file$/);
      const forced = await scenario(session.address, { ...options, kind: 'keyring' }, ['read', { write: CACHE }, 'clear']);
      expect(forced.kind).toBe('keyring');
      for (const outcome of forced.outcomes) expect(outcome).toMatchObject({ ok: false, code: 'keyring-unavailable' });
      const message = (forced.outcomes[0] as { message: string }).message;
      expect(message).toContain("profile 'nosvc'");
      expect(message).toContain('OUTLOOK_TOKEN_STORE=file or encrypted-file');
    } finally {
      await session.stop();
    }
  });
});

describe.skipIf(!LINUX)('keyring auto-detection without a usable session bus', { concurrent: true }, () => {
  it('falls back to the plain file when DBUS_SESSION_BUS_ADDRESS is unset, naming the reason', async ({ expect }) => {
    const root = cacheDir();
    const result = await scenario(undefined, { profile: 'nobus', profileDir: path.join(root, 'nobus') }, []);
    expect(result.kind).toBe('file');
    expect(result.detection).toBe('keyring unavailable: no session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service; using the plain file');
  });

  it('prefers the encrypted file when a passphrase is set, and keeps using an existing tokens.enc without one', async ({ expect }) => {
    const root = cacheDir();
    const options = { profile: 'pp', profileDir: path.join(root, 'pp') };
    const bus = 'unix:path=/nonexistent/bus';
    const enc = await scenario(bus, { ...options, passphrase: 'secret' }, [{ write: CACHE }]);
    expect(enc.kind).toBe('encrypted-file');
    expect(enc.detection).toMatch(/^keyring unavailable: the Secret Service cannot be reached .*; OUTLOOK_TOKEN_PASSPHRASE is set, using the encrypted file$/);
    const without = await scenario(bus, options, ['read']);
    expect(without.kind).toBe('encrypted-file');
    expect(without.detection).toContain('it needs OUTLOOK_TOKEN_PASSPHRASE');
    expect(without.outcomes[0]).toMatchObject({ ok: false, code: 'missing-passphrase' });
  });

  it('does not hang on a bus that accepts connections but never answers', { timeout: 20_000 }, async ({ expect }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deaf-bus-'));
    const socket = path.join(dir, 'bus.sock');
    const clients: net.Socket[] = [];
    const server = net.createServer((c) => void clients.push(c));
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const root = cacheDir();
      const options = { profile: 'deaf', profileDir: path.join(root, 'deaf'), keyringProbeTimeoutMs: 1_000 };
      const auto = await scenario(`unix:path=${socket}`, options, []);
      expect(auto.kind).toBe('file');
      expect(auto.detection).toBe('keyring unavailable: the Secret Service did not answer within 1 s; using the plain file');
      const forced = await scenario(`unix:path=${socket}`, { ...options, kind: 'keyring' }, ['read']);
      expect(forced.outcomes[0]).toMatchObject({ ok: false, code: 'keyring-unavailable' });
    } finally {
      for (const c of clients) c.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
