import { afterEach, describe, expect, it, vi } from 'vitest';
import crypto from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTokenStore, TokenStoreError, type TokenStore } from '../../src/auth/stores/token-store.js';
import { decodeEnvelope, SCRYPT_PARAMS } from '../../src/auth/stores/encrypted-file-store.js';

const CACHE = JSON.stringify({ Account: { a: { username: 'ada@contoso.com' } }, RefreshToken: { r: { secret: 'rt-secret-value' } } });
const PASS = 'correct horse battery staple';

function cacheDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'token-store-enc-'));
}

/** `passphrase` null = none given. */
function open(root: string, passphrase: string | null = PASS, profile = 'acme'): Promise<TokenStore> {
  return openTokenStore({ profile, profileDir: path.join(root, profile), kind: 'encrypted-file', passphrase: passphrase ?? undefined });
}

async function storeError(p: Promise<unknown>): Promise<TokenStoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenStoreError);
  return err as TokenStoreError;
}

let encrypted: Promise<Buffer> | undefined;

/** An encrypted cache file in a fresh cache dir (encrypted once per test file: scrypt is deliberately slow). */
async function written(root: string): Promise<{ file: string; bytes: Buffer }> {
  encrypted ??= (async () => {
    const source = cacheDir();
    await (await open(source)).write(CACHE);
    return readFileSync(path.join(source, 'acme', 'tokens.enc'));
  })();
  const bytes = await encrypted;
  const file = path.join(root, 'acme', 'tokens.enc');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, bytes, { mode: 0o600 });
  return { file, bytes };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('encrypted-file token store', () => {
  it('round-trips the cache; the file holds no plaintext and has the documented layout', async () => {
    const root = cacheDir();
    const store = await open(root);
    expect(store.kind).toBe('encrypted-file');
    expect(store.description).toContain(path.join(root, 'acme', 'tokens.enc'));
    expect(store.description).not.toContain(PASS);
    expect(await store.read()).toBeUndefined();
    await store.write(CACHE);
    expect(await store.read()).toBe(CACHE);
    expect(await (await open(root)).read()).toBe(CACHE); // a new process derives the same key

    const file = path.join(root, 'acme', 'tokens.enc');
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('rt-secret-value'))).toBe(false);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('OLTK');
    expect([...bytes.subarray(4, 8)]).toEqual([1, SCRYPT_PARAMS.log2N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p]);
    expect(bytes.length).toBe(68 + Buffer.byteLength(CACHE));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('uses a fresh IV for every write, keeps the salt of the file, and gives each profile its own salt', async () => {
    const root = cacheDir();
    const store = await open(root);
    await store.write(CACHE);
    const first = decodeEnvelope(readFileSync(path.join(root, 'acme', 'tokens.enc')));
    await store.write(CACHE);
    const second = decodeEnvelope(readFileSync(path.join(root, 'acme', 'tokens.enc')));
    expect(second?.salt.equals(first?.salt as Buffer)).toBe(true);
    expect(second?.iv.equals(first?.iv as Buffer)).toBe(false);
    expect(second?.ciphertext.equals(first?.ciphertext as Buffer)).toBe(false);

    await (await open(root, PASS, 'other')).write(CACHE);
    const other = decodeEnvelope(readFileSync(path.join(root, 'other', 'tokens.enc')));
    expect(other?.salt.equals(first?.salt as Buffer)).toBe(false);
  });

  it('runs scrypt once per salt, not on every access', async () => {
    const root = cacheDir();
    const scrypt = vi.spyOn(crypto, 'scrypt');
    const store = await open(root);
    await store.write(CACHE);
    for (let i = 0; i < 5; i++) {
      await store.read();
      await store.write(CACHE);
    }
    expect(scrypt).toHaveBeenCalledTimes(1);
    const options = scrypt.mock.calls[0]?.[3] as crypto.ScryptOptions;
    expect(options).toMatchObject({ N: 2 ** 15, r: 8, p: 1 });
  });

  it('reports a wrong passphrase with the profile, the file and the fix, and does not overwrite the file', async () => {
    const root = cacheDir();
    const { file, bytes } = await written(root);
    const wrong = await open(root, 'not the passphrase');
    const err = await storeError(wrong.read());
    expect(err.code).toBe('wrong-passphrase');
    expect(err.profile).toBe('acme');
    expect(err.store).toBe('encrypted-file');
    expect(err.message).toBe(
      `The token file for profile 'acme' (${file}) cannot be decrypted: wrong OUTLOOK_TOKEN_PASSPHRASE or the file was modified. Set the right passphrase, or run: mcp-server-outlook logout --profile acme and sign in again.`,
    );
    expect((await storeError(wrong.write(CACHE))).code).toBe('wrong-passphrase');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it.each([
    ['the ciphertext', -1, 1, 'corrupt', /modified or damaged/],
    ['the tag', 60, 1, 'corrupt', /modified or damaged/],
    ['the IV (authenticated header)', 45, 1, 'corrupt', /modified or damaged/],
    ['the salt', 10, 1, 'wrong-passphrase', /wrong OUTLOOK_TOKEN_PASSPHRASE or the file was modified/],
    ['the passphrase check', 30, 1, 'wrong-passphrase', /wrong OUTLOOK_TOKEN_PASSPHRASE/],
    ['the magic', 0, 0x10, 'corrupt', /not an encrypted token file/],
    ['the version', 4, 0x08, 'corrupt', /not an encrypted token file/],
    ['the scrypt cost (to a huge N)', 5, 0x20, 'corrupt', /not an encrypted token file/],
  ] as const)('detects tampering with %s', async (_what, offset, xor, code, message) => {
    const root = cacheDir();
    const { file, bytes } = await written(root);
    const changed = Buffer.from(bytes);
    const at = offset < 0 ? changed.length + offset : offset;
    changed.writeUInt8(changed.readUInt8(at) ^ xor, at);
    writeFileSync(file, changed);
    const store = await open(root);
    const err = await storeError(store.read());
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(file);
    expect(err.message).toContain('mcp-server-outlook logout --profile acme');
    expect((await storeError(store.write(CACHE))).code).toBe(code);
    expect(readFileSync(file).equals(changed)).toBe(true);
  });

  it('reports a truncated file as corrupt', async () => {
    const root = cacheDir();
    const { file, bytes } = await written(root);
    writeFileSync(file, bytes.subarray(0, 40));
    expect((await storeError((await open(root)).read())).code).toBe('corrupt');
    writeFileSync(file, bytes.subarray(0, bytes.length - 5));
    expect((await storeError((await open(root)).read())).code).toBe('corrupt');
  });

  it('fails with missing-passphrase (naming the variable) when no passphrase is given, even before anything is stored', async () => {
    const root = cacheDir();
    const store = await open(root, null);
    const err = await storeError(store.read());
    expect(err.code).toBe('missing-passphrase');
    expect(err.message).toContain("profile 'acme'");
    expect(err.message).toContain('OUTLOOK_TOKEN_PASSPHRASE is not set');
    expect((await storeError(store.write(CACHE))).code).toBe('missing-passphrase');
    expect((await storeError((await open(root, '')).read())).code).toBe('missing-passphrase');
  });

  it('keeps profiles apart and clear() removes only its own file (no passphrase needed to clear)', async () => {
    const root = cacheDir();
    const a = await open(root, PASS, 'a');
    const b = await open(root, PASS, 'b');
    await a.write('{"owner":"a"}');
    expect(await b.read()).toBeUndefined();
    await b.write('{"owner":"b"}');
    await (await open(root, null, 'a')).clear();
    expect(await a.read()).toBeUndefined();
    expect(await b.read()).toBe('{"owner":"b"}');
  });
});
