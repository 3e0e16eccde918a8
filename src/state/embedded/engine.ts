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
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync } from 'node:fs';
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

export interface OpenEngineOptions {
  /** Told (for stderr) when a damaged `working.lmdb` was moved aside and a new one started. */
  readonly onWarning?: (message: string) => void;
  /** The clock of the moved-aside file's name. */
  readonly now?: () => number;
}

/**
 * Opens (creating 0700/0600) the profile's embedded store in `dir`; each port opens its own named databases in it.
 *
 * Both files are checked before LMDB maps them ({@link lmdbDamage}): a truncated or half-written file makes
 * LMDB crash the whole process (segmentation fault or assertion), not throw. `working.lmdb` is unsynced by
 * design, so a power cut may leave it damaged; it holds only rebuildable state (handles are re-derived from
 * their ids, cursors re-issued by listing again, leases expire), so it is moved aside (kept, named in the
 * warning) and a new one is started. `state.lmdb` holds approvals and the draft registry: a damaged one is
 * never discarded silently, the open fails saying what to do.
 */
export function openEngine(dir: string, options: OpenEngineOptions = {}): EmbeddedEngine {
  mkdirPrivate(dir);
  const durableFile = path.join(dir, EMBEDDED_STATE_FILE);
  const durableDamage = lmdbDamage(durableFile);
  if (durableDamage) {
    throw new StateUnavailableError(
      `This profile's state store ${durableFile} is damaged (${durableDamage}). It holds approvals and the draft registry, so it is not replaced automatically. ` +
        `Restore it from a backup, or move it (and ${EMBEDDED_STATE_FILE}-lock) aside to start empty: drafts stay recognisable by their Outlook tag, open approvals are lost.`,
    );
  }
  const workingFile = path.join(dir, EMBEDDED_WORKING_FILE);
  const workingDamage = lmdbDamage(workingFile);
  if (workingDamage) {
    const aside = `${workingFile}.damaged-${new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(workingFile, aside);
      // The lock file only holds the reader table of the file it belonged to; LMDB makes a new one.
      if (existsSync(`${workingFile}-lock`)) renameSync(`${workingFile}-lock`, `${aside}-lock`);
    } catch (err) {
      throw new StateUnavailableError(`This profile's working store ${workingFile} is damaged (${workingDamage}) and could not be moved aside: ${(err as Error).message}. Delete it: it holds only handles, cursors and leases, which are rebuilt.`, { cause: err });
    }
    (options.onWarning ?? ((m: string) => process.stderr.write(`[mcp-server-outlook] warn: ${m}\n`)))(
      `This profile's working store was damaged (${workingDamage}), most likely by a power cut (it is not synced to disk on every write, by design). ` +
        `It was moved aside to ${aside} and a new one started: it holds only rebuildable state (list again for handles and cursors); nothing about drafts or approvals was in it.`,
    );
  }
  const durable = openEnv(durableFile, false);
  try {
    return { durable, working: openEnv(workingFile, true) };
  } catch (err) {
    void durable.close();
    throw err;
  }
}

/** LMDB's meta page magic (MDB_MAGIC) and the page flags of meta, branch and leaf pages. */
const MDB_MAGIC = 0xbeefc0de;
const P_META = 0x08;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
/** Page header of lmdb-js's LMDB: mp_pgno (8), mp_txnid (8), mp_pad (2), mp_flags (2), mp_lower, mp_upper. */
const HEADER = 24;
const FLAGS_AT = 18;
/** md_root of an empty database (P_INVALID). */
const P_INVALID = 0xffffffffffffffffn;

/**
 * Why an LMDB file cannot be opened safely, or undefined when it looks whole (or does not exist, or is empty:
 * LMDB initialises those). Hand-written because LMDB has no "check" call that fails instead of crashing, and
 * no library reads its format: this reads the two meta pages (page 0 and 1; LMDB uses the one with the higher
 * transaction id) and checks that the newest one is a meta page, that the file holds every page up to its
 * last page, and that the main and free databases' root pages are in the file and are tree pages. That
 * catches truncation and unwritten (zeroed) pages at the root, which a power cut on an unsynced file leaves.
 * The layout is that of the LMDB inside lmdb-js 3 on 64-bit: page header 24 bytes ({@link HEADER}), then
 * mm_magic, mm_version, mm_address, mm_mapsize, mm_dbs[2] (48 bytes each; the free DB's md_pad holds the page
 * size), mm_last_pg, mm_txnid. A test opens files written by the installed lmdb-js, so a format change fails it.
 * The meta is read before the size, and LMDB writes data pages before the meta, so a file another process is
 * writing never looks truncated.
 */
export function lmdbDamage(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(8192);
    const read = readSync(fd, head, 0, head.length, 0);
    const size = fstatSync(fd).size;
    if (size === 0) return undefined;
    if (read < 192) return `${size} bytes: shorter than its header`;
    const metaAt = (off: number) => ({
      flags: head.readUInt16LE(off + FLAGS_AT),
      magic: head.readUInt32LE(off + HEADER),
      pageSize: head.readUInt32LE(off + HEADER + 24),
      freeRoot: head.readBigUInt64LE(off + HEADER + 24 + 40),
      mainRoot: head.readBigUInt64LE(off + HEADER + 24 + 48 + 40),
      lastPage: head.readBigUInt64LE(off + HEADER + 24 + 96),
      txnid: head.readBigUInt64LE(off + HEADER + 24 + 104),
    });
    const first = metaAt(0);
    if (first.magic !== MDB_MAGIC || !(first.flags & P_META)) return 'its first page is not an LMDB meta page';
    const pageSize = first.pageSize;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return `page size ${pageSize} is not one LMDB writes`;
    if (size < 2 * pageSize) return `${size} bytes: shorter than its two meta pages`;
    let second = first;
    if (pageSize <= 4096) second = metaAt(pageSize);
    else {
      const page = Buffer.alloc(192);
      readSync(fd, page, 0, 192, pageSize);
      head.set(page, 0);
      second = metaAt(0);
    }
    const candidates = [first, second].filter((m) => m.magic === MDB_MAGIC && m.flags & P_META);
    const meta = candidates.reduce((a, b) => (b.txnid > a.txnid ? b : a));
    const pages = BigInt(size) / BigInt(pageSize);
    if (meta.lastPage + 1n > pages) return `${size} bytes: truncated, its last transaction wrote up to page ${meta.lastPage} of ${pages}`;
    for (const [name, root] of [['main', meta.mainRoot], ['free-page', meta.freeRoot]] as const) {
      if (root === P_INVALID) continue;
      if (root > meta.lastPage) return `the ${name} tree's root page ${root} is past the last page ${meta.lastPage}`;
      const page = Buffer.alloc(HEADER);
      readSync(fd, page, 0, HEADER, Number(root) * pageSize);
      const pgno = page.readBigUInt64LE(0);
      const flags = page.readUInt16LE(FLAGS_AT);
      if (pgno !== root || !(flags & (P_BRANCH | P_LEAF))) return `the ${name} tree's root page ${root} was never written`;
    }
    return undefined;
  } finally {
    closeSync(fd);
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
