/**
 * A small JSON state file of one profile, changed read-modify-write under a
 * cross-process lock and replaced atomically (temp file + rename, 0600 in a
 * 0700 folder), so two servers of the same profile never lose each other's
 * changes and a crash never leaves half a file. `proper-lockfile` does the
 * cross-process part; it is imported on first use so start-up does not pay it.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserFacingError } from '../errors.js';

/** The state file is unreadable; the message names the file and what to do. */
export class StateFileError extends UserFacingError {
  override name = 'StateFileError';
  constructor(message: string) {
    super('state-file', message);
  }
}

/** What to do with a file that is not JSON: refuse (the default) or start again from `fallback()`. */
export interface StateFileOptions {
  readonly damaged?: 'refuse' | 'reset';
}

/** Reads `file` as JSON; `fallback()` when it does not exist; a {@link StateFileError} when it is not JSON (unless `damaged: 'reset'`). */
export async function readJsonState<T>(file: string, fallback: () => T, what: string, options: StateFileOptions = {}): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback();
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    if (options.damaged === 'reset') return fallback();
    throw new StateFileError(`The ${what} file ${file} is not valid JSON (damaged). Move it aside and try again; it is recreated empty.`);
  }
}

/** Runs `change` on the current content of `file` under the lock and writes what it returns. */
export async function mutateJsonState<T, R>(file: string, fallback: () => T, what: string, change: (current: T) => { next: T; result: R }, options: StateFileOptions = {}): Promise<R> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(file, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 100, factor: 1.3, minTimeout: 5, maxTimeout: 100, randomize: true },
    // The default throws from a timer, which would crash the server; a stale takeover is the worst case.
    onCompromised: () => undefined,
  });
  try {
    const { next, result } = change(await readJsonState(file, fallback, what, options));
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(next) + '\n', { mode: 0o600 });
    await fs.rename(tmp, file);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
