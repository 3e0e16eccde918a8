/**
 * Id handles on LMDB: handle → {id, last use} and id → handle. The last use
 * is rewritten at most once a day per handle, so a read-heavy call (a list of
 * 50 messages whose handles all exist) writes nothing.
 */
import type { Database, RootDatabase } from 'lmdb';
import type { HandleDerivation, IdHandles } from '../ports.js';

/** How stale a last-use stamp may get before a use rewrites it. */
export const LAST_USE_GRANULARITY_MS = 86_400_000;

/** Handles forgotten per write transaction of an expiry sweep. */
const EXPIRE_PER_TXN = 1_000;

interface HandleEntry {
  id: string;
  /** Last use, ms. */
  u: number;
}

/** {@link IdHandles} on the embedded engine. */
export class EmbeddedIdHandles implements IdHandles {
  private readonly byHandle: Database<HandleEntry, string>;
  private readonly byId: Database<string, string>;

  constructor(
    root: RootDatabase,
    private readonly derive: HandleDerivation,
    private readonly now: () => number,
  ) {
    this.byHandle = root.openDB({ name: 'handles' });
    this.byId = root.openDB({ name: 'handle-ids' });
  }

  async handlesFor(ids: readonly string[]): Promise<string[]> {
    const now = this.now();
    // Fast path without a write: every id known and used recently.
    const known = ids.map((id) => this.byId.get(id));
    if (known.every((h, i) => h !== undefined && this.fresh(h, ids[i]!, now))) return known as string[];
    return this.byHandle.transaction(() => ids.map((id) => this.assign(id, now)));
  }

  async lookup(handle: string): Promise<string | undefined> {
    const entry = this.byHandle.get(handle);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.u <= now - LAST_USE_GRANULARITY_MS) await this.byHandle.put(handle, { id: entry.id, u: now });
    return entry.id;
  }

  async expireUnusedSince(before: number): Promise<number> {
    // In transactions of at most EXPIRE_PER_TXN handles: one transaction deleting 100,000 handles copies
    // nearly every page of the file (LMDB is copy-on-write) and grew it by half (docs/BENCHMARKS.md); small
    // ones reuse the pages the previous ones freed, and never hold the writer lock of every process for long.
    let total = 0;
    for (;;) {
      const gone = await this.byHandle.transaction(() => {
        let n = 0;
        for (const { key, value } of this.byHandle.getRange()) {
          if (value.u >= before) continue;
          this.byHandle.remove(key);
          if (this.byId.get(value.id) === key) this.byId.remove(value.id);
          if (++n === EXPIRE_PER_TXN) break;
        }
        return n;
      });
      total += gone;
      if (gone < EXPIRE_PER_TXN) return total;
    }
  }

  /** Every handle with its id and last use (for a copy to another store). */
  async entries(): Promise<{ handle: string; id: string; lastUse: number }[]> {
    return [...this.byHandle.getRange()].map(({ key, value }) => ({ handle: key, id: value.id, lastUse: value.u }));
  }

  /** Whether `handle` still maps to `id` with a recent last use. */
  private fresh(handle: string, id: string, now: number): boolean {
    const entry = this.byHandle.get(handle);
    return entry?.id === id && entry.u > now - LAST_USE_GRANULARITY_MS;
  }

  /** Inside a write transaction: the id's handle, created or refreshed. */
  private assign(id: string, now: number): string {
    const existing = this.byId.get(id);
    if (existing !== undefined && this.byHandle.get(existing)?.id === id) {
      if (!this.fresh(existing, id, now)) this.byHandle.put(existing, { id, u: now });
      return existing;
    }
    for (let length = this.derive.minLength; length <= this.derive.maxLength; length++) {
      const candidate = this.derive.candidate(id, length);
      const taken = this.byHandle.get(candidate);
      if (taken && taken.id !== id) continue;
      this.byHandle.put(candidate, { id, u: now });
      this.byId.put(id, candidate);
      return candidate;
    }
    // Past maxLength only if the hash collides at every length: astronomically rare, and a refusal loses nothing.
    throw new Error(`No free handle for an id after ${this.derive.maxLength} characters.`);
  }
}
