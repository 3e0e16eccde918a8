/**
 * Id handles on LMDB: handle → {id, last use} and id → handle. The last use
 * is rewritten at most once a day per handle, so a read-heavy call (a list of
 * 50 messages whose handles all exist) writes nothing.
 */
import type { Database, RootDatabase } from 'lmdb';
import type { HandleDerivation, IdHandles } from '../ports.js';
import { sweepExpired } from './sweep.js';

/** How stale a last-use stamp may get before a use rewrites it. */
export const LAST_USE_GRANULARITY_MS = 86_400_000;

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
    // In small transactions that resume where the last stopped (sweep.ts says why).
    return sweepExpired(
      this.byHandle,
      (entry) => entry.u < before,
      (handle, entry) => {
        if (this.byId.get(entry.id) === handle) this.byId.remove(entry.id);
      },
    );
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
