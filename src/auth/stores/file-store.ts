/**
 * Plain-file backend: `<profileDir>/tokens.json`, 0600 in a 0700 directory,
 * replaced atomically. The fallback where no OS keyring is usable; the tokens
 * are as safe as the user's account on this machine.
 */
import path from 'node:path';
import { TokenStoreError, assertCacheJson, corruptTokenFile, isCacheJson, type TokenStore } from './contract.js';
import { ProfileLock } from './profile-lock.js';
import { PLAIN_FILE_NAME, readPrivateFile, removeTokenFiles, writePrivateFileAtomic, type StoreContext } from './private-files.js';

export interface FileStoreOptions {
  profile: string;
  profileDir: string;
  detection?: string;
  lockTimeoutMs?: number;
}

/** The plain JSON token file of one profile. */
export class FileTokenStore implements TokenStore {
  readonly kind = 'file' as const;
  readonly file: string;
  readonly description: string;
  readonly detection?: string;
  private readonly ctx: StoreContext;
  private readonly lock: ProfileLock;

  constructor(private readonly opts: FileStoreOptions) {
    this.file = path.join(opts.profileDir, PLAIN_FILE_NAME);
    this.description = `file ${this.file}`;
    this.detection = opts.detection;
    this.ctx = { profile: opts.profile, store: this.kind };
    this.lock = new ProfileLock({ ...this.ctx, profileDir: opts.profileDir, timeoutMs: opts.lockTimeoutMs });
  }

  async read(): Promise<string | undefined> {
    const bytes = await readPrivateFile(this.file, this.ctx);
    if (bytes === undefined) return undefined;
    const text = bytes.toString('utf8');
    if (!isCacheJson(text)) throw this.corrupt(bytes.length === 0 ? 'is empty' : 'is not a token cache (invalid JSON: damaged or truncated)');
    return text;
  }

  async write(data: string): Promise<void> {
    assertCacheJson(data);
    // Refuses (through read) to replace a damaged or exposed file: the user decides what happens to it.
    await this.read();
    await writePrivateFileAtomic(this.file, data, this.ctx);
  }

  async clear(): Promise<void> {
    await removeTokenFiles(this.opts.profileDir, this.ctx);
  }

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }

  private corrupt(problem: string): TokenStoreError {
    return corruptTokenFile(this.opts.profile, this.kind, this.file, problem);
  }
}
