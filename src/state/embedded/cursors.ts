/** Paging cursors on LMDB: handle → record with its expiry. */
import type { Database, RootDatabase } from 'lmdb';
import type { CursorRecord, PagingCursors } from '../ports.js';
import { sweepExpired } from './sweep.js';

/** A cursor handle already taken (random handles make this a bug, not bad luck). */
export class CursorHandleTakenError extends Error {
  override name = 'CursorHandleTakenError';
}

/** {@link PagingCursors} on the embedded engine. */
export class EmbeddedPagingCursors implements PagingCursors {
  private readonly db: Database<CursorRecord, string>;

  constructor(
    root: RootDatabase,
    private readonly now: () => number,
  ) {
    this.db = root.openDB({ name: 'cursors' });
  }

  async issue(handle: string, record: CursorRecord): Promise<void> {
    const stored = await this.db.transaction(() => {
      const current = this.db.get(handle);
      if (current && current.expiresAt > this.now()) return false;
      this.db.put(handle, record);
      return true;
    });
    if (!stored) throw new CursorHandleTakenError(`The cursor handle ${handle} is already in use.`);
  }

  async find(handle: string): Promise<CursorRecord | undefined> {
    const rec = this.db.get(handle);
    return rec && rec.expiresAt > this.now() ? rec : undefined;
  }

  /** Every live cursor (for a copy to another store). */
  async entries(): Promise<{ handle: string; record: CursorRecord }[]> {
    const now = this.now();
    return [...this.db.getRange()].filter(({ value }) => value.expiresAt > now).map(({ key, value }) => ({ handle: key, record: value }));
  }

  async purgeExpired(): Promise<number> {
    const now = this.now();
    // In small transactions that resume where the last stopped (sweep.ts says why).
    return sweepExpired(this.db, (rec) => rec.expiresAt <= now);
  }
}
