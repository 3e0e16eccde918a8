/**
 * Copies a profile's local (embedded) state into a Redis namespace: the way from one local server to Redis
 * (several servers of the profile, or remote mode's per-user namespace) without losing a draft's ownership
 * record, a handle the agent holds, an open approval or a send lock.
 *
 * Written through the target's ports, so every value lands in the format its adapter reads and the same
 * checks apply; only what the ports cannot express is arranged here:
 * - handles are issued in order of length (8 characters first), so an id whose 8-character candidate was
 *   taken by another id gets the same longer handle again; a handle that still comes out different (its
 *   colliding id expired meanwhile) is counted and reported, and listing again gives the agent the new one;
 * - an approval is copied as what it allows: an open one stays open (its nonce, expiry and prompt lock); a
 *   send in progress is opened and spent again, so it stays spent and locked; a prompt lock without an open
 *   approval becomes a lock under a fresh random nonce (no token carries it, so it can never send); write
 *   leases are begun again. Spent and superseded nonces need no record: only a draft's open approval sends.
 * - last uses of handles and downloads become the copy's time (the 90-day idle clock restarts).
 * Gate leases and Retry-After pauses are not copied: they last seconds.
 *
 * Refuses a target that holds state unless `force` (then it writes over it: the copy is idempotent, running it
 * again changes nothing, and an approval answered in the target since is not opened again), and reads
 * everything back afterwards: the report's counts are what the target holds.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { EmbeddedStateStore } from './embedded/store.js';
import type { DraftKey, StateStore } from './ports.js';
import { UserFacingError } from '../errors.js';

/** What was copied (and found again in the target). */
export interface MigrationCounts {
  drafts: number;
  handles: number;
  /** Handles the target gave other letters (their colliding id had expired); listing again shows the new ones. */
  handlesChanged: number;
  cursors: number;
  deltaLinks: number;
  /** Drafts with an open approval, a prompt lock, a send in progress or a write lease. */
  approvals: number;
  downloads: number;
}

/** The target holds state and `force` was not given, or the copy did not read back as written. */
export class StateMigrationError extends UserFacingError {
  override name = 'StateMigrationError';
  constructor(message: string) {
    super('state-migration', message);
  }
}

export interface CopyOptions {
  /** Whether the target already holds state (keys other than gate leases and pauses). */
  readonly targetHasState: () => Promise<boolean>;
  readonly force: boolean;
  /** The target's description for messages (a redacted URL and namespace). */
  readonly target: string;
  /** The clock of the copy (expiries are absolute; only the remaining hold of a send in progress is relative). */
  readonly now?: () => number;
}

/** Copies every live record of `source` into `target`, then reads each back; returns the counts. */
export async function copyEmbeddedState(source: EmbeddedStateStore, target: StateStore, o: CopyOptions): Promise<MigrationCounts> {
  const now = o.now ?? Date.now;
  const fresh = !(await o.targetHasState());
  if (!o.force && !fresh) {
    throw new StateMigrationError(
      `${o.target} already holds state, so nothing was copied. If it is this profile's earlier copy, run the command again with --force (copying again changes nothing that is already there); ` +
        `if it belongs to someone else, check --user / --profile and OUTLOOK_STATE_SECRET.`,
    );
  }
  const drafts = await source.drafts.list();
  const handles = (await source.handles.entries()).sort((a, b) => a.handle.length - b.handle.length);
  const cursors = await source.cursors.entries();
  const deltas = await source.deltas.entries();
  const ledger = await source.approvals.entries();
  const downloads = await source.downloads.entries();

  for (const d of drafts) await target.drafts.add(d);
  let handlesChanged = 0;
  const BATCH = 1_000;
  for (let i = 0; i < handles.length; i += BATCH) {
    const batch = handles.slice(i, i + BATCH);
    const got = await target.handles.handlesFor(batch.map((h) => h.id));
    handlesChanged += got.filter((h, j) => h !== batch[j]!.handle).length;
  }
  for (const c of cursors) {
    const there = await target.cursors.find(c.handle);
    if (there && isDeepStrictEqual(there, c.record)) continue;
    await target.cursors.issue(c.handle, c.record);
  }
  for (const d of deltas) {
    const there = await target.deltas.get(d.root, d.folder);
    const next = { deltaLink: d.state.deltaLink, savedAt: d.state.savedAt, ...(d.state.newest === undefined ? {} : { newest: d.state.newest }) };
    if (there && there.deltaLink === next.deltaLink && there.savedAt === next.savedAt && there.newest === next.newest) continue;
    const saved = await target.deltas.save(d.root, d.folder, there?.revision ?? 0, next);
    if (!saved.ok) throw new StateMigrationError(`The delta link of folder ${d.folder} changed in ${o.target} while it was being copied (a server is using it). Stop the servers of this profile and copy again.`);
  }
  for (const { draft, entry } of ledger) await copyApproval(target, draft, entry, now, fresh);
  for (const r of downloads) await target.downloads.record({ sha256: r.sha256, name: r.name, requestedName: r.requestedName, path: r.path, size: r.size });

  // Read back: every record must be in the target as copied.
  const missing: string[] = [];
  for (const d of drafts) if (!(await target.drafts.get(d.id))) missing.push(`draft ${d.id}`);
  for (const h of handles) {
    const [handle] = await target.handles.handlesFor([h.id]);
    if ((await target.handles.lookup(handle!)) !== h.id) missing.push(`handle ${h.handle}`);
  }
  for (const c of cursors) if (!(await target.cursors.find(c.handle))) missing.push(`cursor ${c.handle}`);
  for (const d of deltas) if ((await target.deltas.get(d.root, d.folder))?.deltaLink !== d.state.deltaLink) missing.push(`delta link of ${d.folder}`);
  for (const { draft, entry } of ledger) {
    // Over a target in use (--force) an approval may have been answered there since the first copy: that stands.
    if (fresh && entry.open && (await target.approvals.standing(draft, entry.open.nonce)) !== 'open') missing.push(`open approval of ${draft.draftId}`);
    // A prompt answered in the target since the first copy has ended its lock there; a send's lock always holds.
    const lock = Math.max(fresh ? (entry.prompt?.until ?? 0) : 0, entry.send?.until ?? 0);
    if (lock > now() && ((await target.approvals.lockedUntil(draft)) ?? 0) < lock) missing.push(`lock of ${draft.draftId}`);
  }
  for (const r of downloads) if (!(await target.downloads.find(r.sha256, r.requestedName))) missing.push(`download ${r.name}`);
  if (missing.length > 0) {
    throw new StateMigrationError(`${missing.length} record(s) did not read back from ${o.target} after the copy (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}). The local store is unchanged; keep using it and report this.`);
  }
  return { drafts: drafts.length, handles: handles.length, handlesChanged, cursors: cursors.length, deltaLinks: deltas.length, approvals: ledger.length, downloads: downloads.length };
}

type LedgerEntry = Awaited<ReturnType<EmbeddedStateStore['approvals']['entries']>>[number]['entry'];

/**
 * Recreates one draft's approval state in the target through its ledger port (see the module comment). In the
 * order the ledger allows them to coexist: a write lease is begun before any lock (a locked draft refuses one),
 * a send in progress is spent before a newer approval is opened (opening supersedes the open one).
 */
async function copyApproval(target: StateStore, draft: DraftKey, entry: LedgerEntry, now: () => number, fresh: boolean): Promise<void> {
  const ledger = target.approvals;
  const locked = async () => (await ledger.lockedUntil(draft)) ?? 0;
  for (const [lease, until] of Object.entries(entry.write ?? {})) {
    const begun = await ledger.beginWrite(draft, lease, until);
    // Copying again: the lock below was copied after this lease the first time, so the lease is there already.
    if (!begun.ok && !entry.prompt && !entry.send) {
      throw new StateMigrationError(`A change of draft ${draft.draftId} in progress could not be recorded in the target (it is locked until ${new Date(begun.lockedUntil).toISOString()}). Stop the servers of this profile and copy again.`);
    }
  }
  if (entry.send && (await locked()) < entry.send.until) {
    // Spent and locked again until the same end: opened and consumed under its own nonce.
    await ledger.open(draft, entry.send.nonce, entry.send.until, { lock: false });
    const spent = await ledger.consume(draft, entry.send.nonce, Math.max(1, entry.send.until - now()));
    if (!spent.ok) throw new StateMigrationError(`The send in progress of draft ${draft.draftId} could not be recorded as spent in the target (${spent.reason}). Stop the servers of this profile and copy again.`);
  }
  // Into a target in use (--force), an approval not open there is not opened: it was copied and answered since
  // (opening it again would supersede the draft's newer approval), or is new, and then the user is asked again.
  if (entry.open && fresh && (await ledger.standing(draft, entry.open.nonce)) !== 'open') {
    await ledger.open(draft, entry.open.nonce, entry.open.exp, { lock: entry.prompt?.nonce === entry.open.nonce });
  }
  if (entry.prompt && !entry.open && (await locked()) < entry.prompt.until) {
    // A lock whose approval ended: held under a nonce no token carries.
    await ledger.open(draft, randomBytes(16).toString('base64url'), entry.prompt.until, { lock: true });
  }
}
