/**
 * The file that keeps one sandbox profile's demo mailbox between processes:
 * `<OUTLOOK_CACHE_DIR>/@sandbox/<profile>/sandbox-mailbox.json`, never under a
 * real profile. Writers hold the same kind of cross-process lock as the token
 * cache and replace the file atomically, so one-shot `--sandbox call`s,
 * `--sandbox` servers and the standalone `sandbox` can share it at once.
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { SandboxStore } from '../sandbox/index.js';
import { TokenStoreError } from '../auth/stores/contract.js';
import { ensurePrivateDir, writePrivateFileAtomic, type StoreContext } from '../auth/stores/private-files.js';
import { ProfileLock } from '../auth/stores/profile-lock.js';
import { UserFacingError } from '../errors.js';

export const MAILBOX_FILE_NAME = 'sandbox-mailbox.json';
const LOCK_NAME = 'sandbox-mailbox.lock';

/** The saved sandbox mailbox cannot be read or written; the message says what to do. */
export class SandboxStateError extends UserFacingError {
  override name = 'SandboxStateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('sandbox_state', message, options);
  }
}

/** Identifies one version of the file: an atomic replace always changes the inode. */
function stamp(st: Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** The file store of the sandbox profile whose state folder is `dir`. */
export class SandboxMailboxFile implements SandboxStore {
  readonly location: string;
  private readonly lock: ProfileLock;
  private readonly ctx: StoreContext;
  /** Stamp of the version this process last read or wrote. */
  private known: string | undefined;

  constructor(
    private readonly dir: string,
    profile: string,
    lockTimeoutMs?: number,
    /** How the person starts it afresh (the bundle has no command line: src/config/advice.ts). */
    readonly resetAdvice = 'mcp-server-outlook sandbox reset',
  ) {
    this.location = path.join(dir, MAILBOX_FILE_NAME);
    // The store kind only labels messages; this file holds demo data, never tokens.
    this.ctx = { profile: `@sandbox/${profile}`, store: 'file' };
    this.lock = new ProfileLock({ ...this.ctx, profileDir: dir, fileName: LOCK_NAME, purpose: 'sandbox mailbox', timeoutMs: lockTimeoutMs });
  }

  async open(init: () => Promise<string>): Promise<string> {
    const existing = await this.read();
    if (existing !== undefined) return existing;
    return this.locked(async () => {
      // Another process may have seeded it while this one waited for the lock.
      const raced = await this.read();
      if (raced !== undefined) return raced;
      const text = await init();
      await this.save(text);
      return text;
    });
  }

  async changed(): Promise<string | undefined> {
    const st = await this.stat();
    if (!st || stamp(st) === this.known) return undefined;
    return this.read();
  }

  locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.guard(() => this.lock.run(fn));
  }

  async save(text: string): Promise<void> {
    await this.guard(() => writePrivateFileAtomic(this.location, text, this.ctx));
    const st = await this.stat();
    this.known = st && stamp(st);
  }

  /** Seeds the mailbox afresh and deletes the rest of this sandbox profile's state (drafts registry, handles, audit, downloads, tokens). */
  async reset(fresh: () => Promise<string>): Promise<void> {
    await this.guard(() => ensurePrivateDir(this.dir, this.ctx));
    await this.locked(async () => {
      for (const name of await fs.readdir(this.dir)) {
        // Lock directories stay: another process may be holding one right now.
        if (name.endsWith('.lock') || name === MAILBOX_FILE_NAME) continue;
        await fs.rm(path.join(this.dir, name), { recursive: true, force: true });
      }
      // Replaced, not deleted: a server still running on this mailbox takes the fresh one in on its next request.
      await this.save(await fresh());
    });
  }

  private async read(): Promise<string | undefined> {
    // Stat before reading: if the file is replaced in between, the next changed() reads it again.
    const st = await this.stat();
    if (!st) return undefined;
    try {
      const text = await fs.readFile(this.location, 'utf8');
      this.known = stamp(st);
      return text;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.failure(err);
    }
  }

  private async stat(): Promise<Stats | undefined> {
    try {
      return await fs.stat(this.location);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.failure(err);
    }
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TokenStoreError) throw this.failure(err);
      throw err;
    }
  }

  private failure(err: unknown): SandboxStateError {
    const detail = err instanceof TokenStoreError ? err.message.replace(/^Token store of profile '[^']*' \([^)]*\): /, '') : (err as Error).message;
    return new SandboxStateError(
      `The sandbox mailbox ${this.location} cannot be used: ${detail} Set OUTLOOK_CACHE_DIR to a folder you own, or start it afresh: ${this.resetAdvice}`,
      { cause: err },
    );
  }
}
