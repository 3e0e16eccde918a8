/**
 * One-off import of a profile's state files written by earlier versions (a
 * JSON file per kind, rewritten under a lock) into the embedded store, on the
 * first start that finds them. Imports go through the ports, so the result is
 * exactly what the services would have written. The files are then moved,
 * unchanged, into `legacy-state-<time>/` in the profile folder (the backup):
 * nothing is deleted. A file that cannot be parsed is moved too and named in
 * the report; the rest is still imported.
 *
 * What is kept: every draft record; every handle (re-derived by the same hash,
 * in the file's order, so each keeps its letters; any that would differ is
 * counted); open and in-progress approvals with their locks (spent and
 * superseded nonces need no record: an approval that is not a draft's open
 * one can never send); live cursors; each folder's deltaLink; and the
 * download folder's files into the downloads index.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { StateStore } from '../ports.js';

/** Handles imported per write transaction. */
const IMPORT_HANDLES_PER_TXN = 50;

/** Files of the old layout, relative to the profile folder. */
export const LEGACY_FILES = ['drafts.json', 'approvals.json', 'handles.jsonl', 'cursors.json', 'delta'] as const;

/** What a migration did (logged once, and returned for tests). */
export interface MigrationReport {
  backupDir?: string;
  drafts: number;
  handles: number;
  /** Handles whose re-derived letters differ from the old file's (collisions resolved in another order). */
  handlesChanged: number;
  approvals: number;
  cursors: number;
  deltaLinks: number;
  downloads: number;
  /** Files that were not readable JSON: moved to the backup, not imported. */
  unreadable: string[];
}

/** Imports the legacy files of `dir` into `store` (bound to mailbox `root`) and moves them into a backup folder. */
export async function migrateLegacyFiles(dir: string, store: StateStore, root: string, now: () => number): Promise<MigrationReport> {
  const report: MigrationReport = { drafts: 0, handles: 0, handlesChanged: 0, approvals: 0, cursors: 0, deltaLinks: 0, downloads: 0, unreadable: [] };
  const present = (await Promise.all(LEGACY_FILES.map(async (f) => ((await exists(path.join(dir, f))) ? f : undefined)))).filter((f): f is (typeof LEGACY_FILES)[number] => !!f);

  const json = async <T>(file: string): Promise<T | undefined> => {
    try {
      return JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') report.unreadable.push(file);
      return undefined;
    }
  };

  const drafts = await json<{ drafts?: unknown }>('drafts.json');
  for (const r of Array.isArray(drafts?.drafts) ? drafts.drafts : []) {
    if (!isDraftRecord(r)) continue;
    await store.drafts.add(r);
    report.drafts++;
  }

  if (present.includes('handles.jsonl')) {
    const pairs = new Map<string, string>();
    const seen = new Set<string>();
    for (const line of (await fs.readFile(path.join(dir, 'handles.jsonl'), 'utf8')).split('\n')) {
      try {
        const { h, id } = JSON.parse(line) as { h?: unknown; id?: unknown };
        if (typeof h === 'string' && typeof id === 'string' && !seen.has(h) && !pairs.has(id)) {
          seen.add(h);
          pairs.set(id, h);
        }
      } catch {
        // The old format tolerated a torn last line; so does its import.
      }
    }
    const ids = [...pairs.keys()];
    // In transactions of a call's size (a page of at most 50 messages), not thousands at once: a transaction
    // that inserts thousands of handles at random places rewrites most of the tree's pages, and the free-page
    // records it leaves slow the next few hundred calls' writes ~10× (sweep.ts, docs/BENCHMARKS.md).
    for (let i = 0; i < ids.length; i += IMPORT_HANDLES_PER_TXN) {
      const chunk = ids.slice(i, i + IMPORT_HANDLES_PER_TXN);
      const got = await store.handles.handlesFor(chunk);
      got.forEach((h, j) => {
        if (h !== pairs.get(chunk[j]!)) report.handlesChanged++;
      });
    }
    report.handles = ids.length;
  }

  const approvals = await json<{ pending?: Record<string, { nonce?: unknown; exp?: unknown; open?: unknown }>; used?: Record<string, unknown> }>('approvals.json');
  const t = now();
  for (const [draftId, p] of Object.entries(approvals?.pending ?? {})) {
    if (!p || typeof p.nonce !== 'string' || typeof p.exp !== 'number' || p.exp * 1000 <= t) continue;
    const draft = { root, draftId };
    await store.approvals.open(draft, p.nonce, p.exp * 1000, { lock: p.open !== false });
    // A pending entry whose nonce is already used was a send in progress: keep its lock, never its spendability.
    if (approvals?.used?.[p.nonce] !== undefined) await store.approvals.consume(draft, p.nonce, p.exp * 1000 - t);
    report.approvals++;
  }

  const cursors = await json<{ cursors?: Record<string, { n?: unknown; t?: unknown; r?: unknown; e?: unknown; x?: unknown }> }>('cursors.json');
  for (const [handle, c] of Object.entries(cursors?.cursors ?? {})) {
    if (!c || typeof c.n !== 'string' || typeof c.t !== 'string' || typeof c.r !== 'string' || typeof c.e !== 'number' || c.e <= t) continue;
    await store.cursors.issue(handle, { nextLink: c.n, tool: c.t, root: c.r, expiresAt: c.e, ...(c.x === undefined ? {} : { extra: c.x }) }).catch(() => undefined);
    report.cursors++;
  }

  if (present.includes('delta')) {
    for (const name of await fs.readdir(path.join(dir, 'delta'))) {
      if (!name.endsWith('.json')) continue;
      const d = await json<{ folder?: unknown; deltaLink?: unknown; savedAt?: unknown; newest?: unknown }>(path.join('delta', name));
      if (!d || typeof d.folder !== 'string' || typeof d.deltaLink !== 'string' || typeof d.savedAt !== 'string') continue;
      const saved = await store.deltas.save(root, d.folder, 0, { deltaLink: d.deltaLink, savedAt: d.savedAt, ...(typeof d.newest === 'string' ? { newest: d.newest } : {}) });
      if (saved.ok) report.deltaLinks++;
    }
  }

  report.downloads = await indexDownloads(path.join(dir, 'downloads'), store);

  if (present.length > 0) {
    const stamp = new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const backup = path.join(dir, `legacy-state-${stamp}`);
    await fs.mkdir(backup, { recursive: true, mode: 0o700 });
    for (const f of present) await fs.rename(path.join(dir, f), path.join(backup, f));
    report.backupDir = backup;
  }
  return report;
}

/** Records the files already in the download folder, so an identical download reuses them and the size cap counts them. */
async function indexDownloads(downloads: string, store: StateStore): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(downloads);
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    const full = path.join(downloads, name);
    const st = await fs.lstat(full).catch(() => undefined);
    if (!st?.isFile()) continue;
    const sha256 = await sha256Of(full);
    // "report (2).pdf" was asked for as "report.pdf".
    const requestedName = name.replace(/ \((\d+)\)(\.[^.]*)?$/, '$2');
    await store.downloads.record({ sha256, name, requestedName, path: full, size: st.size });
    n++;
  }
  return n;
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

function isDraftRecord(v: unknown): v is { id: string; kind: 'mail' | 'event'; creationId: string; subject: string; createdAt: string; webLink?: string } {
  const r = v as Record<string, unknown> | null;
  return !!r && typeof r.id === 'string' && (r.kind === 'mail' || r.kind === 'event') && typeof r.creationId === 'string' && typeof r.subject === 'string' && typeof r.createdAt === 'string';
}
