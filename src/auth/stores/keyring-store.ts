/**
 * OS keyring backend (`@napi-rs/keyring`: macOS Keychain, Windows Credential
 * Manager, Linux Secret Service), one profile per account name.
 *
 * Layout under the service (default `mcp-server-outlook`):
 *   account `profile:<name>`             the index: {"v":1,"gen":"<8 hex>","parts":n,"sha256":"<hex of the cache>"}
 *   account `profile:<name>:<gen>:<i>`   part i of the cache, deflated then base64, ≤ 1200 characters
 *
 * Why parts: a Windows credential blob holds at most 2560 bytes (the library
 * stores UTF-16, so 1280 characters), while an MSAL cache with a few tokens is
 * 5-20 KB. The same chunking runs on every platform so the code path the
 * Linux tests exercise is the one Windows relies on. Why generations: the
 * keyring cannot replace several entries at once, so a write stores the new
 * parts under a fresh generation, then switches the index to it, then deletes
 * the old parts: a reader (or a crash) sees either the old or the new cache.
 * The index is re-read on every access and the decoded cache is reused while it
 * is unchanged, so a cache hit costs one keyring read. Profile names cannot
 * contain ':', so no profile's prefix matches another's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AsyncEntry } from '@napi-rs/keyring';
import { TokenStoreError, assertCacheJson, isCacheJson, logoutHint, type TokenStore } from './contract.js';
import { ENTRY_OPTIONS, isLockedMessage, keyringBackendName } from './keyring-probe.js';
import { ProfileLock } from './profile-lock.js';
import { removeTokenFiles } from './private-files.js';

export const DEFAULT_KEYRING_SERVICE = 'mcp-server-outlook';
/** Characters per part: under the 1280 UTF-16 characters of a Windows credential blob, with margin. */
export const KEYRING_PART_CHARS = 1200;
/** A keyring call waiting on an unlock prompt gives up after this long. */
const KEYRING_CALL_TIMEOUT_MS = 120_000;

type KeyringModule = typeof import('@napi-rs/keyring');

interface Manifest {
  v: 1;
  gen: string;
  parts: number;
  sha256: string;
}

export interface KeyringStoreOptions {
  profile: string;
  profileDir: string;
  service: string;
  detection?: string;
  lockTimeoutMs?: number;
  /** Set when the probe found no usable keyring: every operation then fails with this reason instead of touching the library. */
  unavailable?: string;
  /** `mcpb` when the MCP Bundle runs the server: its user has no variables or commands to switch stores with. */
  bundle?: 'mcpb';
}

/** One profile's token cache in the OS keyring. */
export class KeyringTokenStore implements TokenStore {
  readonly kind = 'keyring' as const;
  readonly description: string;
  readonly detection?: string;
  private readonly account: string;
  private readonly lock: ProfileLock;
  private module: Promise<KeyringModule> | undefined;
  /** Constructing an entry connects to the keyring synchronously (~10 ms on D-Bus): the index entry, read on every access, is kept. */
  private indexEntry: AsyncEntry | undefined;
  /** The last index read or written and the cache it describes. */
  private cached: { manifest: string; data: string } | undefined;

  constructor(private readonly opts: KeyringStoreOptions) {
    this.account = `profile:${opts.profile}`;
    this.description = `OS keyring (${keyringBackendName()}), service ${opts.service}, account ${this.account}`;
    this.detection = opts.detection;
    this.lock = new ProfileLock({ profile: opts.profile, profileDir: opts.profileDir, store: this.kind, timeoutMs: opts.lockTimeoutMs });
  }

  async read(): Promise<string | undefined> {
    // The index can switch between reading it and reading the parts when another process writes without the lock: read again once.
    for (let attempt = 0; ; attempt++) {
      const raw = await this.get(this.account);
      if (raw === null) {
        this.cached = undefined;
        return undefined;
      }
      if (this.cached?.manifest === raw) return this.cached.data;
      const manifest = this.parseManifest(raw);
      const parts: string[] = [];
      for (let i = 0; i < manifest.parts; i++) {
        const part = await this.get(this.partAccount(manifest.gen, i));
        if (part === null) break;
        parts.push(part);
      }
      if (parts.length < manifest.parts) {
        if (attempt === 0) continue;
        throw this.corrupt(`part ${parts.length + 1} of ${manifest.parts} is missing`);
      }
      const data = decodeParts(parts);
      if (data === undefined || sha256(data) !== manifest.sha256 || !isCacheJson(data)) throw this.corrupt('its content does not match its index (damaged)');
      this.cached = { manifest: raw, data };
      return data;
    }
  }

  async write(data: string): Promise<void> {
    assertCacheJson(data);
    const currentRaw = await this.get(this.account);
    // An index we cannot parse is reported, not overwritten: the user decides (logout clears it).
    const current = currentRaw === null ? undefined : this.parseManifest(currentRaw);
    const gen = randomBytes(4).toString('hex');
    const parts = encodeParts(data);
    for (const [i, part] of parts.entries()) await this.set(this.partAccount(gen, i), part);
    const manifest = JSON.stringify({ v: 1, gen, parts: parts.length, sha256: sha256(data) } satisfies Manifest);
    await this.set(this.account, manifest);
    this.cached = { manifest, data };
    if (current && current.gen !== gen) {
      for (let i = 0; i < current.parts; i++) await this.delete(this.partAccount(current.gen, i)).catch(() => undefined);
    }
  }

  async clear(): Promise<void> {
    const mod = await this.load();
    // Listing the service also finds parts orphaned by a write that crashed before switching the index.
    const listed = await this.call(() => mod.findCredentialsAsync(this.opts.service, undefined, AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS)));
    const ours = new Set(listed.map((c) => c.account).filter((a) => a === this.account || a.startsWith(`${this.account}:`)));
    ours.add(this.account);
    for (const account of ours) await this.delete(account);
    this.cached = undefined;
    await removeTokenFiles(this.opts.profileDir, { profile: this.opts.profile, store: this.kind });
  }

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }

  private partAccount(gen: string, i: number): string {
    return `${this.account}:${gen}:${i}`;
  }

  private parseManifest(raw: string): Manifest {
    let m: Partial<Manifest> | undefined;
    try {
      m = JSON.parse(raw) as Partial<Manifest>;
    } catch {
      m = undefined;
    }
    if (
      !m ||
      m.v !== 1 ||
      typeof m.gen !== 'string' ||
      !/^[0-9a-f]{8}$/.test(m.gen) ||
      !Number.isInteger(m.parts) ||
      (m.parts ?? 0) < 1 ||
      (m.parts ?? 0) > 10_000 ||
      typeof m.sha256 !== 'string'
    ) {
      throw this.corrupt('its index entry is damaged');
    }
    return m as Manifest;
  }

  private load(): Promise<KeyringModule> {
    if (this.opts.unavailable !== undefined) return Promise.reject(this.unavailableError(this.opts.unavailable));
    this.module ??= import('@napi-rs/keyring').catch((err: unknown) => {
      this.module = undefined;
      throw this.unavailableError(`the native keyring module could not be loaded (${(err as Error).message})`);
    });
    return this.module;
  }

  private async entry(account: string): Promise<AsyncEntry> {
    if (account === this.account && this.indexEntry) return this.indexEntry;
    const mod = await this.load();
    const entry = await this.call(async () => new mod.AsyncEntry(this.opts.service, account, ENTRY_OPTIONS));
    if (account === this.account) this.indexEntry = entry;
    return entry;
  }

  private async get(account: string): Promise<string | null> {
    const e = await this.entry(account);
    return this.call(() => e.getPassword(AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS)));
  }

  private async set(account: string, value: string): Promise<void> {
    const e = await this.entry(account);
    await this.call(() => e.setPassword(value, AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS)));
  }

  private async delete(account: string): Promise<void> {
    const e = await this.entry(account);
    await this.call(() => e.deletePassword(AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS)));
  }

  /** Runs a keyring call, turning the library's errors into TokenStoreErrors that say what to do. */
  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof TokenStoreError) throw err;
      const message = (err as Error).message ?? String(err);
      if (isLockedMessage(message)) {
        const { profile } = this.opts;
        throw new TokenStoreError(
          'keyring-locked',
          profile,
          this.kind,
          `The OS keyring (${keyringBackendName()}) holding the tokens of profile '${profile}' is locked or refused access (${message}). Unlock your keyring (log in to your desktop session, or unlock it in your keyring manager) and try again${this.opts.bundle === 'mcpb' ? '.' : `, or set OUTLOOK_TOKEN_STORE=file or encrypted-file and sign in again: mcp-server-outlook login --profile ${profile}`}`,
          { cause: err },
        );
      }
      throw this.unavailableError(message, err);
    }
  }

  private unavailableError(reason: string, cause?: unknown): TokenStoreError {
    const { profile } = this.opts;
    return new TokenStoreError(
      'keyring-unavailable',
      profile,
      this.kind,
      `The OS keyring (${keyringBackendName()}) for the tokens of profile '${profile}' cannot be used: ${reason}. Start or unlock your keyring (on Linux, a Secret Service such as gnome-keyring in your session), or set OUTLOOK_TOKEN_STORE=file or encrypted-file (with OUTLOOK_TOKEN_PASSPHRASE) and sign in again: mcp-server-outlook login --profile ${profile}`,
      { cause },
    );
  }

  private corrupt(problem: string): TokenStoreError {
    const { profile, service } = this.opts;
    return new TokenStoreError(
      'corrupt',
      profile,
      this.kind,
      `The tokens of profile '${profile}' in the OS keyring (${keyringBackendName()}, service ${service}, account ${this.account}) cannot be read: ${problem}. They were left untouched. Run: ${logoutHint(profile)} and sign in again.`,
    );
  }
}

/** Splits a cache into keyring-sized parts (deflate, then base64). */
export function encodeParts(data: string): string[] {
  const encoded = deflateRawSync(Buffer.from(data, 'utf8')).toString('base64');
  const parts: string[] = [];
  for (let i = 0; i < encoded.length; i += KEYRING_PART_CHARS) parts.push(encoded.slice(i, i + KEYRING_PART_CHARS));
  return parts.length > 0 ? parts : [''];
}

/** Reassembles parts; undefined when they do not inflate. */
export function decodeParts(parts: readonly string[]): string | undefined {
  try {
    return inflateRawSync(Buffer.from(parts.join(''), 'base64')).toString('utf8');
  } catch {
    return undefined;
  }
}

function sha256(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}
