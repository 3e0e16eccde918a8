/**
 * Delta links on LMDB, keyed [mailbox root, folder]. A forgotten link leaves
 * a tombstone with its revision, so revisions only rise and a racer holding
 * an old revision can never write after a forget (no ABA).
 */
import type { Database, RootDatabase } from 'lmdb';
import type { DeltaLinks, DeltaSaveOutcome, DeltaState } from '../ports.js';

type Stored = DeltaState | { readonly revision: number; readonly forgotten: true };

const isLive = (s: Stored | undefined): s is DeltaState => !!s && !('forgotten' in s);

/** {@link DeltaLinks} on the embedded engine. */
export class EmbeddedDeltaLinks implements DeltaLinks {
  private readonly db: Database<Stored, string[]>;

  constructor(root: RootDatabase) {
    this.db = root.openDB({ name: 'deltas' });
  }

  async get(root: string, folder: string): Promise<DeltaState | undefined> {
    const s = this.db.get([root, folder]);
    return isLive(s) ? s : undefined;
  }

  async save(root: string, folder: string, expectedRevision: number, next: Omit<DeltaState, 'revision'>): Promise<DeltaSaveOutcome> {
    return this.db.transaction((): DeltaSaveOutcome => {
      const s = this.db.get([root, folder]);
      const current = isLive(s) ? s.revision : 0;
      if (current !== expectedRevision) return { ok: false, current: isLive(s) ? s : undefined };
      const revision = (s?.revision ?? 0) + 1;
      const state: DeltaState = { deltaLink: next.deltaLink, savedAt: next.savedAt, ...(next.newest === undefined ? {} : { newest: next.newest }), revision };
      this.db.put([root, folder], state);
      return { ok: true, revision };
    });
  }

  /** Every saved (not forgotten) link (for a copy to another store). */
  async entries(): Promise<{ root: string; folder: string; state: DeltaState }[]> {
    const out: { root: string; folder: string; state: DeltaState }[] = [];
    for (const { key, value } of this.db.getRange()) if (isLive(value)) out.push({ root: key[0]!, folder: key[1]!, state: value });
    return out;
  }

  async forget(root: string, folder: string, expectedRevision: number): Promise<boolean> {
    return this.db.transaction(() => {
      const s = this.db.get([root, folder]);
      if (!isLive(s) || s.revision !== expectedRevision) return false;
      this.db.put([root, folder], { revision: s.revision, forgotten: true });
      return true;
    });
  }
}
