/**
 * Owner-only files for the two file backends.
 *
 * Written by hand because the rules are ours: directories 0700 (an existing
 * profile directory with looser bits is tightened: it holds only this
 * profile's state), files created 0600, and a token file that other users
 * could read, that another user owns, or that is a symlink is refused rather
 * than used (like ssh does with private keys): its tokens may already be
 * exposed, and the fix is the user's call. Writes go to a temp file in the
 * same directory, are fsynced and renamed over the target, so a reader sees
 * the old or the new content, never a part, and a crash mid-write leaves the
 * previous file intact. On Windows, POSIX modes do not exist; files there
 * inherit the ACL of the user's profile directory.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { TokenStoreError, logoutHint, type TokenStoreKind } from './contract.js';

const POSIX = process.platform !== 'win32';
/** Temp files are `<target>.<hex>.tmp`; a crash can leave one behind (0600, in the 0700 directory). */
const TEMP_RE = /^((?:tokens|sandbox-mailbox)\.(?:json|enc))\.[0-9a-f]{12}\.tmp$/;
/** A temp file older than this belongs to a writer that died. */
const STALE_TEMP_MS = 60_000;
export const PLAIN_FILE_NAME = 'tokens.json';
export const ENCRYPTED_FILE_NAME = 'tokens.enc';

export interface StoreContext {
  profile: string;
  store: TokenStoreKind;
}

/** Creates `dir` (0700) if missing; tightens an existing one we own; refuses one owned by someone else. */
export async function ensurePrivateDir(dir: string, ctx: StoreContext): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    if (!POSIX) return;
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw permissionError(ctx, `${dir} is not a directory`, 'Remove it or set OUTLOOK_CACHE_DIR to another folder.');
    if (st.uid !== process.getuid?.()) {
      throw permissionError(ctx, `${dir} belongs to another user (uid ${st.uid})`, 'Set OUTLOOK_CACHE_DIR to a folder of your own.');
    }
    if ((st.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
  } catch (err) {
    if (err instanceof TokenStoreError) throw err;
    throw permissionError(ctx, `cannot prepare ${dir}: ${(err as Error).message}`, 'Make sure it is a folder you own and can write to, or set OUTLOOK_CACHE_DIR to one.', err);
  }
}

/** The file's bytes, or undefined when it does not exist; throws 'permission' for files other users could read or replace. */
export async function readPrivateFile(file: string, ctx: StoreContext): Promise<Buffer | undefined> {
  let handle: fs.FileHandle;
  try {
    // O_NOFOLLOW: a symlink planted in place of the token file must not redirect the read.
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw permissionError(ctx, `${file} is a symbolic link`, `Replace it with a regular file, or run: ${logoutHint(ctx.profile)}`);
    throw permissionError(ctx, `cannot open ${file}: ${(err as Error).message}`, `Check the file's owner and permissions, or run: ${logoutHint(ctx.profile)}`, err);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw permissionError(ctx, `${file} is not a regular file`, `Move it aside, or run: ${logoutHint(ctx.profile)}`);
    if (POSIX) {
      if (st.uid !== process.getuid?.()) {
        throw permissionError(ctx, `${file} belongs to another user (uid ${st.uid}), so it is not used`, `Move it aside, or run: ${logoutHint(ctx.profile)} and sign in again.`);
      }
      if ((st.mode & 0o077) !== 0) {
        const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
        throw permissionError(
          ctx,
          `${file} can be read or changed by other users (mode ${mode}), so it is not used`,
          `If nobody else could have read it, run: chmod 600 '${file}'. Otherwise treat its tokens as exposed: run ${logoutHint(ctx.profile)} and sign in again.`,
        );
      }
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` atomically with `data`, mode 0600, in its 0700 directory. */
export async function writePrivateFileAtomic(file: string, data: string | Uint8Array, ctx: StoreContext): Promise<void> {
  const dir = path.dirname(file);
  await ensurePrivateDir(dir, ctx);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameReplacing(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw permissionError(ctx, `cannot write ${file}: ${(err as Error).message}`, `Make sure ${dir} is a folder you own with free space, or set OUTLOOK_CACHE_DIR to another one.`, err);
  }
  await syncDir(dir);
  await removeStaleTemps(dir, Date.now() - STALE_TEMP_MS);
}

/** Deletes both token-file formats and any temp files of this profile directory; nothing else in it. */
export async function removeTokenFiles(profileDir: string, ctx: StoreContext): Promise<void> {
  try {
    await fs.rm(path.join(profileDir, PLAIN_FILE_NAME), { force: true });
    await fs.rm(path.join(profileDir, ENCRYPTED_FILE_NAME), { force: true });
    await removeStaleTemps(profileDir, Infinity);
  } catch (err) {
    throw permissionError(ctx, `cannot delete the token files in ${profileDir}: ${(err as Error).message}`, 'Check the folder permissions and delete tokens.json / tokens.enc by hand.', err);
  }
}

/** True when a regular file or anything else exists at `file` (permissions are checked on read, not here). */
export async function fileExists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

async function removeStaleTemps(dir: string, olderThan: number): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!TEMP_RE.test(name)) continue;
    const full = path.join(dir, name);
    const st = await fs.lstat(full).catch(() => undefined);
    if (st && st.mtimeMs <= olderThan) await fs.rm(full, { force: true }).catch(() => undefined);
  }
}

async function renameReplacing(from: string, to: string): Promise<void> {
  // On Windows a rename over a file another process has open fails briefly with EPERM/EBUSY.
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (POSIX || attempt >= 10 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable across a power loss; directories cannot be opened on Windows.
  if (!POSIX) return;
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

function permissionError(ctx: StoreContext, problem: string, fix: string, cause?: unknown): TokenStoreError {
  return new TokenStoreError('permission', ctx.profile, ctx.store, `Token store of profile '${ctx.profile}' (${storeLabel(ctx.store)}): ${problem}. ${fix}`, { cause });
}

/** A short name of a backend for messages. */
export function storeLabel(kind: TokenStoreKind): string {
  return kind === 'file' ? 'plain file' : kind === 'encrypted-file' ? 'encrypted file' : 'OS keyring';
}
