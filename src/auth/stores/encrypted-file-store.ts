/**
 * Encrypted-file backend: `<profileDir>/tokens.enc`, for machines without an
 * OS keyring where the plain file is not acceptable (containers, CI, shared
 * hosts). The key comes from OUTLOOK_TOKEN_PASSPHRASE through scrypt.
 *
 * File layout (version 1), all integers unsigned bytes:
 *
 *   offset size  field
 *        0    4  magic "OLTK"
 *        4    1  format version (1)
 *        5    1  scrypt log2(N)   (15 → N = 32768)
 *        6    1  scrypt r         (8)
 *        7    1  scrypt p         (1)
 *        8   16  salt (random, per profile file; kept across rewrites so the key is derived once)
 *       24   16  passphrase check: bytes 32..47 of the scrypt output (tells "wrong passphrase" from "tampered")
 *       40   12  AES-GCM IV (random for every write)
 *       52   16  AES-GCM tag
 *       68    …  ciphertext of the UTF-8 JSON cache
 *
 * scrypt derives 48 bytes: 0..31 the AES-256-GCM key, 32..47 the check value.
 * Bytes 0..51 (everything before the tag) are the GCM additional data, so any
 * change to the header or the ciphertext fails authentication. N=2^15, r=8,
 * p=1 costs 32 MiB and ~50-100 ms once per process (the derived key is cached
 * per salt); header parameters outside sane bounds are refused, so a tampered
 * header cannot make us allocate gigabytes.
 *
 * Written with node:crypto directly: the primitives are standard, and a
 * library would add a dependency without removing any of the decisions above.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { TokenStoreError, assertCacheJson, corruptTokenFile, isCacheJson, logoutHint, type TokenStore } from './contract.js';
import { ProfileLock } from './profile-lock.js';
import { ENCRYPTED_FILE_NAME, readPrivateFile, removeTokenFiles, writePrivateFileAtomic, type StoreContext } from './private-files.js';

const MAGIC = Buffer.from('OLTK', 'ascii');
const FORMAT_VERSION = 1;
const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const OFFSET = { version: 4, log2N: 5, r: 6, p: 7, salt: 8, check: 24, iv: 40, tag: 52, body: 68 } as const;
/** scrypt cost: memory 128·N·r = 32 MiB, comfortably slow for guessing, fast enough for one derivation per process. */
export const SCRYPT_PARAMS = { log2N: 15, r: 8, p: 1 } as const;
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
/** Derived keys kept per (salt, parameters): one or two in practice; bounded all the same. */
const KEY_CACHE_SIZE = 8;

export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

export interface Envelope {
  params: ScryptParams;
  salt: Buffer;
  check: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** Serializes an envelope in the layout above. */
export function encodeEnvelope(e: Envelope): Buffer {
  return Buffer.concat([headerBytes(e), e.tag, e.ciphertext]);
}

/** Parses the layout above; undefined when it is not a well-formed version-1 file. */
export function decodeEnvelope(buf: Buffer): Envelope | undefined {
  if (buf.length < OFFSET.body || !buf.subarray(0, 4).equals(MAGIC) || buf[OFFSET.version] !== FORMAT_VERSION) return undefined;
  const params = { log2N: buf[OFFSET.log2N] ?? 0, r: buf[OFFSET.r] ?? 0, p: buf[OFFSET.p] ?? 0 };
  if (!saneParams(params)) return undefined;
  return {
    params,
    salt: buf.subarray(OFFSET.salt, OFFSET.salt + SALT_BYTES),
    check: buf.subarray(OFFSET.check, OFFSET.check + CHECK_BYTES),
    iv: buf.subarray(OFFSET.iv, OFFSET.iv + IV_BYTES),
    tag: buf.subarray(OFFSET.tag, OFFSET.tag + TAG_BYTES),
    ciphertext: buf.subarray(OFFSET.body),
  };
}

function headerBytes(e: Pick<Envelope, 'params' | 'salt' | 'check' | 'iv'>): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION, e.params.log2N, e.params.r, e.params.p]), e.salt, e.check, e.iv]);
}

function saneParams({ log2N, r, p }: ScryptParams): boolean {
  return log2N >= 10 && log2N <= 22 && r >= 1 && r <= 32 && p >= 1 && p <= 16 && 128 * 2 ** log2N * r <= MAX_SCRYPT_MEMORY;
}

interface DerivedKey {
  key: Buffer;
  check: Buffer;
}

export interface EncryptedFileStoreOptions {
  profile: string;
  profileDir: string;
  passphrase?: string;
  detection?: string;
  lockTimeoutMs?: number;
}

/** The AES-256-GCM encrypted token file of one profile. */
export class EncryptedFileTokenStore implements TokenStore {
  readonly kind = 'encrypted-file' as const;
  readonly file: string;
  readonly description: string;
  readonly detection?: string;
  private readonly ctx: StoreContext;
  private readonly lock: ProfileLock;
  private readonly keys = new Map<string, Promise<DerivedKey>>();

  constructor(private readonly opts: EncryptedFileStoreOptions) {
    this.file = path.join(opts.profileDir, ENCRYPTED_FILE_NAME);
    this.description = `encrypted file ${this.file} (AES-256-GCM, key from OUTLOOK_TOKEN_PASSPHRASE)`;
    this.detection = opts.detection;
    this.ctx = { profile: opts.profile, store: this.kind };
    this.lock = new ProfileLock({ ...this.ctx, profileDir: opts.profileDir, timeoutMs: opts.lockTimeoutMs });
  }

  async read(): Promise<string | undefined> {
    const passphrase = this.requirePassphrase();
    const bytes = await readPrivateFile(this.file, this.ctx);
    if (bytes === undefined) return undefined;
    return (await this.decrypt(bytes, passphrase)).text;
  }

  async write(data: string): Promise<void> {
    assertCacheJson(data);
    const passphrase = this.requirePassphrase();
    const existing = await readPrivateFile(this.file, this.ctx);
    // Decrypting what is there first refuses to overwrite a file this passphrase cannot open, and lets us keep its salt.
    const previous = existing === undefined ? undefined : (await this.decrypt(existing, passphrase)).envelope;
    const reuse = previous && sameParams(previous.params, SCRYPT_PARAMS);
    const params: ScryptParams = { ...SCRYPT_PARAMS };
    const salt = reuse ? Buffer.from(previous.salt) : crypto.randomBytes(SALT_BYTES);
    const { key, check } = await this.derive(passphrase, salt, params);
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(headerBytes({ params, salt, check, iv }));
    const ciphertext = Buffer.concat([cipher.update(data, 'utf8'), cipher.final()]);
    await writePrivateFileAtomic(this.file, encodeEnvelope({ params, salt, check, iv, tag: cipher.getAuthTag(), ciphertext }), this.ctx);
  }

  async clear(): Promise<void> {
    await removeTokenFiles(this.opts.profileDir, this.ctx);
  }

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }

  private requirePassphrase(): string {
    const { passphrase, profile } = this.opts;
    if (passphrase) return passphrase;
    throw new TokenStoreError(
      'missing-passphrase',
      profile,
      this.kind,
      `The token store of profile '${profile}' is an encrypted file (${this.file}) but OUTLOOK_TOKEN_PASSPHRASE is not set. Set OUTLOOK_TOKEN_PASSPHRASE to the passphrase it was written with (or, to start over, run: ${logoutHint(profile)} and sign in again).`,
    );
  }

  private async decrypt(bytes: Buffer, passphrase: string): Promise<{ text: string; envelope: Envelope }> {
    const envelope = decodeEnvelope(bytes);
    if (!envelope) throw this.corrupt('is not an encrypted token file of this version, or is truncated');
    const { key, check } = await this.derive(passphrase, envelope.salt, envelope.params);
    if (!crypto.timingSafeEqual(check, envelope.check)) {
      throw new TokenStoreError(
        'wrong-passphrase',
        this.opts.profile,
        this.kind,
        `The token file for profile '${this.opts.profile}' (${this.file}) cannot be decrypted: wrong OUTLOOK_TOKEN_PASSPHRASE or the file was modified. Set the right passphrase, or run: ${logoutHint(this.opts.profile)} and sign in again.`,
      );
    }
    let text: string;
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, envelope.iv);
      decipher.setAAD(headerBytes(envelope));
      decipher.setAuthTag(envelope.tag);
      text = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw this.corrupt('was modified or damaged after it was written (authentication failed)');
    }
    if (!isCacheJson(text)) throw this.corrupt('does not hold a token cache');
    return { text, envelope };
  }

  private derive(passphrase: string, salt: Buffer, params: ScryptParams): Promise<DerivedKey> {
    const id = `${params.log2N}.${params.r}.${params.p}.${salt.toString('hex')}`;
    let derived = this.keys.get(id);
    if (!derived) {
      derived = scrypt(passphrase, salt, params).then((out) => ({ key: out.subarray(0, KEY_BYTES), check: out.subarray(KEY_BYTES, KEY_BYTES + CHECK_BYTES) }));
      derived.catch(() => this.keys.delete(id));
      if (this.keys.size >= KEY_CACHE_SIZE) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(id, derived);
    }
    return derived;
  }

  private corrupt(problem: string): TokenStoreError {
    return corruptTokenFile(this.opts.profile, this.kind, this.file, problem);
  }
}

function sameParams(a: ScryptParams, b: ScryptParams): boolean {
  return a.log2N === b.log2N && a.r === b.r && a.p === b.p;
}

function scrypt(passphrase: string, salt: Buffer, { log2N, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** log2N;
  return new Promise((resolve, reject) => {
    // maxmem above 128·N·r: node's 32 MiB default is exactly our cost and would be refused.
    crypto.scrypt(passphrase, salt, KEY_BYTES + CHECK_BYTES, { N, r, p, maxmem: 2 * 128 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
