/**
 * The embedded engine: one LMDB environment per profile folder
 * (`state.lmdb`), opened through lmdb-js. LMDB gives ACID transactions with a
 * single writer at a time across every process that maps the file (a robust
 * mutex, so a writer killed mid-transaction leaves nothing half-written and
 * blocks no one), and lock-free readers. lmdb-js ships its native part as
 * Node-API prebuilt binaries inside registry packages, so the same
 * node_modules runs on Node 20 and Node 24 (see docs/STATE.md for the choice).
 *
 * Each port has its own named database; a key never crosses ports.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { StateUnavailableError } from '../ports.js';

/** The file of the embedded store inside a profile's state folder. */
export const EMBEDDED_STATE_FILE = 'state.lmdb';

/** Opens (creating 0700/0600) the profile's embedded store in `dir`; each port opens its own named databases in it. */
export function openEngine(dir: string): RootDatabase {
  const file = path.join(dir, EMBEDDED_STATE_FILE);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return open({
      path: file,
      // 64 MiB to start; LMDB grows the map as needed.
      mapSize: 64 * 1024 * 1024,
      maxDbs: 16,
      // Expiry and compaction keep the file small; freed pages are reused.
      compression: false,
    });
  } catch (err) {
    throw new StateUnavailableError(`Cannot open this profile's state store ${file}: ${(err as Error).message}. Check that the folder is yours and writable, and that the disk is not full.`, { cause: err });
  }
}
