/**
 * The embedded engine: two LMDB environments per profile folder, opened
 * through lmdb-js. LMDB gives ACID transactions with a single writer at a
 * time across every process that maps the file (a robust mutex, so a writer
 * killed mid-transaction leaves nothing half-written and blocks no one), and
 * lock-free readers. lmdb-js ships its native part as Node-API prebuilt
 * binaries inside registry packages, so the same node_modules runs on Node 20
 * and Node 24 (see docs/STATE.md for the choice).
 *
 * - `state.lmdb` (synced: a commit is on disk before it is acknowledged, so
 *   it survives a power cut): approvals, draft registry, delta links,
 *   downloads index.
 * - `working.lmdb` (not synced: a commit is acknowledged once the OS has it,
 *   which survives a crash or kill -9 of any process but not a power cut):
 *   id handles, cursors, the Graph gate and pause. These are written on
 *   almost every call, where a synced commit (~8 ms here, measured in
 *   docs/BENCHMARKS.md) would triple a call's overhead, and each can be
 *   rebuilt: a handle is the hash of its id (listing again brings the same
 *   handle back), a cursor is replaced by listing again, leases expire.
 *
 * Each port has its own named database; a key never crosses ports.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { StateUnavailableError } from '../ports.js';

/** The synced store inside a profile's state folder. */
export const EMBEDDED_STATE_FILE = 'state.lmdb';
/** The unsynced store of what is written on almost every call and can be rebuilt. */
export const EMBEDDED_WORKING_FILE = 'working.lmdb';

/** The two environments of one profile. */
export interface EmbeddedEngine {
  readonly durable: RootDatabase;
  readonly working: RootDatabase;
}

/** Opens (creating 0700/0600) the profile's embedded store in `dir`; each port opens its own named databases in it. */
export function openEngine(dir: string): EmbeddedEngine {
  mkdirPrivate(dir);
  const durable = openEnv(path.join(dir, EMBEDDED_STATE_FILE), false);
  try {
    return { durable, working: openEnv(path.join(dir, EMBEDDED_WORKING_FILE), true) };
  } catch (err) {
    void durable.close();
    throw err;
  }
}

function mkdirPrivate(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StateUnavailableError(`Cannot create this profile's state folder ${dir}: ${(err as Error).message}. Check that its parent is yours and writable.`, { cause: err });
  }
}

function openEnv(file: string, noSync: boolean): RootDatabase {
  try {
    const root = open({
      path: file,
      // 64 MiB to start; LMDB grows the map as needed.
      mapSize: 64 * 1024 * 1024,
      maxDbs: 8,
      // Expiry and compaction keep the file small; freed pages are reused.
      compression: false,
      noSync,
    });
    // LMDB creates its files 0644; the store holds draft ids and mailbox links, so it is the user's alone.
    for (const f of [file, `${file}-lock`]) chmodSync(f, 0o600);
    return root;
  } catch (err) {
    throw new StateUnavailableError(`Cannot open this profile's state store ${file}: ${(err as Error).message}. Check that the folder is yours and writable, and that the disk is not full.`, { cause: err });
  }
}
