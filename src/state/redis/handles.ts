/**
 * Id handles on Redis: hash handle → id, hash id → handle, and a sorted set of last uses (what the
 * 90-day expiry walks). The candidates of each id are derived here (SHA-256, same as every adapter)
 * and the first free one is taken inside a Lua script, so racing replicas never give two ids one handle.
 */
import type { HandleDerivation, IdHandles } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

/** How stale a last-use stamp may get before a use rewrites it (a read-heavy list then writes nothing). */
export const LAST_USE_GRANULARITY_MS = 86_400_000;
/** Ids per script call: a list of 10,000 ids must not hold Redis for one long script. */
const IDS_PER_CALL = 1_000;
/** Handles forgotten per script call of an expiry sweep. */
const EXPIRE_PER_CALL = 1_000;

/** {@link IdHandles} on Redis. */
export class RedisIdHandles implements IdHandles {
  private readonly tables: string[];

  constructor(
    private readonly conn: RedisConnection,
    keys: RedisKeys,
    private readonly derive: HandleDerivation,
    private readonly now: () => number,
  ) {
    this.tables = [keys.handleIds, keys.idHandles, keys.handleUse];
  }

  async handlesFor(ids: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let start = 0; start < ids.length; start += IDS_PER_CALL) {
      const batch = ids.slice(start, start + IDS_PER_CALL);
      // Only the shortest candidate first: deriving costs a hash per length, and collisions are rare.
      const handles = await this.assign(batch, this.derive.minLength);
      const collided = batch.filter((_, i) => handles[i] === '');
      if (collided.length > 0) {
        const longer = await this.assign(collided, this.derive.maxLength);
        let next = 0;
        for (const [i, h] of handles.entries()) if (h === '') handles[i] = longer[next++]!;
      }
      const missing = handles.findIndex((h) => h === '');
      // Past maxLength only if the hash collides at every length: astronomically rare, and a refusal loses nothing.
      if (missing >= 0) throw new Error(`No free handle for an id after ${this.derive.maxLength} characters.`);
      out.push(...handles);
    }
    return out;
  }

  /** One script call: the handle of each id, trying candidates of every length up to `upTo`. */
  private assign(ids: readonly string[], upTo: number): Promise<string[]> {
    const k = upTo - this.derive.minLength + 1;
    const args: (string | number)[] = [this.now(), LAST_USE_GRANULARITY_MS, k];
    for (const id of ids) {
      args.push(id);
      for (let length = this.derive.minLength; length <= upTo; length++) args.push(this.derive.candidate(id, length));
    }
    return this.conn.run<string[]>('handles-assign', this.tables, args);
  }

  async lookup(handle: string): Promise<string | undefined> {
    const id = await this.conn.run<string | null>('handle-lookup', [this.tables[0]!, this.tables[2]!], [this.now(), LAST_USE_GRANULARITY_MS, handle]);
    return id ?? undefined;
  }

  async expireUnusedSince(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const gone = await this.conn.run<number>('handles-expire', this.tables, [before, EXPIRE_PER_CALL]);
      total += gone;
      if (gone < EXPIRE_PER_CALL) return total;
    }
  }
}
