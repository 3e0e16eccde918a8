import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTokenStore, TokenStoreError, type TokenStore } from '../../src/auth/stores/token-store.js';
import { ConfigError } from '../../src/config/config.js';

const POSIX = process.platform !== 'win32';
const CACHE = JSON.stringify({ Account: { a: { username: 'ada@contoso.com' } }, RefreshToken: { r: { secret: 'rt-1' } } });

function cacheDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'token-store-file-'));
}

function open(root: string, profile = 'acme'): Promise<TokenStore> {
  return openTokenStore({ profile, profileDir: path.join(root, profile), kind: 'file' });
}

async function storeError(p: Promise<unknown>): Promise<TokenStoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenStoreError);
  return err as TokenStoreError;
}

describe('file token store', () => {
  it('round-trips the cache and describes itself without secrets', async () => {
    const root = cacheDir();
    const store = await open(root);
    expect(store.kind).toBe('file');
    expect(store.description).toBe(`file ${path.join(root, 'acme', 'tokens.json')}`);
    expect(store.detection).toBeUndefined();
    expect(await store.read()).toBeUndefined();
    await store.write(CACHE);
    expect(await store.read()).toBe(CACHE);
    await store.write('{"v":2}');
    expect(await store.read()).toBe('{"v":2}');
  });

  it.skipIf(!POSIX)('writes the file 0600 in 0700 directories, and tightens a looser profile directory', async () => {
    const root = cacheDir();
    const store = await open(root);
    await store.write(CACHE);
    const file = path.join(root, 'acme', 'tokens.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    chmodSync(path.dirname(file), 0o755);
    await store.write(CACHE);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!POSIX)('refuses a token file other users can read, naming the file and the fix, and leaves it alone', async () => {
    const root = cacheDir();
    const store = await open(root);
    await store.write(CACHE);
    const file = path.join(root, 'acme', 'tokens.json');
    chmodSync(file, 0o644);
    const err = await storeError(store.read());
    expect(err.code).toBe('permission');
    expect(err.profile).toBe('acme');
    expect(err.store).toBe('file');
    expect(err.message).toContain(file);
    expect(err.message).toContain('mode 0644');
    expect(err.message).toContain('chmod 600');
    expect(err.message).toContain('mcp-server-outlook logout --profile acme');
    expect((await storeError(store.write(CACHE))).code).toBe('permission');
    expect(readFileSync(file, 'utf8')).toBe(CACHE);
  });

  it.skipIf(!POSIX)('refuses a symlink in place of the token file', async () => {
    const root = cacheDir();
    mkdirSync(path.join(root, 'acme'), { mode: 0o700 });
    const elsewhere = path.join(root, 'elsewhere.json');
    writeFileSync(elsewhere, CACHE, { mode: 0o600 });
    symlinkSync(elsewhere, path.join(root, 'acme', 'tokens.json'));
    const err = await storeError((await open(root)).read());
    expect(err.code).toBe('permission');
    expect(err.message).toContain('symbolic link');
  });

  it.each([
    ['truncated JSON', CACHE.slice(0, 25)],
    ['garbage', '\u0000\u0001 not json at all'],
    ['an empty file', ''],
    ['JSON that is not a cache object', 'null'],
  ])('reports %s as corrupt, names the file and the fix, and never overwrites it', async (_name, content) => {
    const root = cacheDir();
    mkdirSync(path.join(root, 'acme'), { mode: 0o700 });
    const file = path.join(root, 'acme', 'tokens.json');
    writeFileSync(file, content, { mode: 0o600 });
    const store = await open(root);
    const err = await storeError(store.read());
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain("profile 'acme'");
    expect(err.message).toContain(file);
    expect(err.message).toContain('left untouched');
    expect(err.message).toContain('mcp-server-outlook logout --profile acme');
    expect((await storeError(store.write(CACHE))).code).toBe('corrupt');
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('refuses to write anything but a serialized cache', async () => {
    const store = await open(cacheDir());
    await expect(store.write('not json')).rejects.toThrow(TypeError);
    await expect(store.write('[1,2]')).rejects.toThrow(TypeError);
  });

  it('ignores a temp file left by a writer that crashed, and clear() removes it', async () => {
    const root = cacheDir();
    const store = await open(root);
    await store.write(CACHE);
    const dir = path.join(root, 'acme');
    // A crash between creating the temp file and renaming it leaves a partial temp file behind.
    const orphan = path.join(dir, 'tokens.json.0123456789ab.tmp');
    writeFileSync(orphan, CACHE.slice(0, 10), { mode: 0o600 });
    expect(await store.read()).toBe(CACHE);
    await store.write('{"after":"crash"}');
    expect(await store.read()).toBe('{"after":"crash"}');
    expect(existsSync(orphan)).toBe(true); // young: could belong to a live writer
    utimesSync(orphan, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await store.write('{"later":true}');
    expect(existsSync(orphan)).toBe(false);
    writeFileSync(orphan, 'x', { mode: 0o600 });
    await store.clear();
    expect(readdirSync(dir).filter((n) => n.startsWith('tokens.json'))).toEqual([]);
  });

  it('never lets a reader see a partial file while another process rewrites it', async () => {
    const root = cacheDir();
    const writer = await open(root);
    const reader = await open(root);
    const big = (n: number) => JSON.stringify({ n, pad: 'x'.repeat(200_000 + n) });
    await writer.write(big(0));
    let reads = 0;
    let stop = false;
    const readLoop = (async () => {
      while (!stop) {
        const text = await reader.read();
        expect(JSON.parse(text as string)).toHaveProperty('pad');
        reads++;
      }
    })();
    for (let i = 1; i <= 25; i++) await writer.write(big(i));
    stop = true;
    await readLoop;
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(path.join(root, 'acme')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps profiles apart: one profile never reads another, clear() removes only its own', async () => {
    const root = cacheDir();
    const a = await open(root, 'client-a');
    const b = await open(root, 'client-b');
    await a.write('{"owner":"a"}');
    expect(await b.read()).toBeUndefined();
    await b.write('{"owner":"b"}');
    expect(await a.read()).toBe('{"owner":"a"}');
    await a.clear();
    expect(await a.read()).toBeUndefined();
    expect(await b.read()).toBe('{"owner":"b"}');
    await a.clear(); // already absent: no error
  });

  it('clear() removes both file formats of the profile but nothing else in its folder', async () => {
    const root = cacheDir();
    const store = await open(root);
    await store.write(CACHE);
    const dir = path.join(root, 'acme');
    writeFileSync(path.join(dir, 'tokens.enc'), 'x', { mode: 0o600 });
    writeFileSync(path.join(dir, 'handles.jsonl'), '{}\n', { mode: 0o600 });
    await store.clear();
    expect(readdirSync(dir).sort()).toEqual(['handles.jsonl']);
  });

  it.each(['..', '.', '../acme', 'a/b', 'a\\b', '', 'x'.repeat(65), 'a:b'])('refuses the profile name %j', async (profile) => {
    const root = cacheDir();
    await expect(openTokenStore({ profile, profileDir: path.join(root, 'acme'), kind: 'file' })).rejects.toThrow(ConfigError);
  });

  it("refuses a profileDir that is not the profile's own folder", async () => {
    const root = cacheDir();
    await expect(openTokenStore({ profile: 'acme', profileDir: path.join(root, 'other'), kind: 'file' })).rejects.toThrow(/must be an absolute path ending in \/acme/);
    await expect(openTokenStore({ profile: 'acme', profileDir: 'relative/acme', kind: 'file' })).rejects.toThrow(TypeError);
  });
});
