/**
 * Expiry sweeps on the embedded engine, in small write transactions that each
 * resume where the last one stopped.
 *
 * Small, because LMDB is copy-on-write: a transaction that deletes thousands
 * of records frees thousands of pages at once, and LMDB keeps each
 * transaction's freed pages as one record of its free-page list. The next
 * small transactions (a tool call's handle or cursor write) each load and
 * rewrite such a record while they reuse its pages: measured after a sweep of
 * 100,000 handles, the next 100 cursor writes took 0.74 ms each in transactions
 * of 1,000 deletions and 0.25 ms in transactions of 100, against 0.17 ms
 * before the sweep (docs/BENCHMARKS.md). Small also means the writer lock,
 * which every process of the profile shares, is never held long.
 *
 * Resuming, because restarting each transaction from the first key walks the
 * records kept by earlier transactions again: quadratic when few of many
 * records expire. Each transaction also stops after {@link VISITS_PER_TXN}
 * records, so a sweep that deletes nothing still does not hold the lock while it
 * walks 100,000 records.
 */
import type { Database } from 'lmdb';

/** Records deleted per write transaction of a sweep. */
export const DELETES_PER_TXN = 100;
/** Records looked at per write transaction of a sweep. */
export const VISITS_PER_TXN = 2_000;

/**
 * Deletes every record of `db` for which `expired` holds, in key order, in small transactions; `alsoRemove`
 * runs in the same transaction for each deleted record (an index to keep in step). Returns how many went.
 */
export async function sweepExpired<K extends string, V>(
  db: Database<V, K>,
  expired: (value: V) => boolean,
  alsoRemove?: (key: K, value: V) => void,
): Promise<number> {
  let total = 0;
  let after: K | undefined;
  for (;;) {
    const { deleted, last, done } = await db.transaction(() => {
      let deleted = 0;
      let visits = 0;
      let last = after;
      for (const { key, value } of db.getRange(after === undefined ? {} : { start: after })) {
        if (key === after) continue;
        last = key;
        if (expired(value)) {
          db.remove(key);
          alsoRemove?.(key, value);
          deleted++;
        }
        if (++visits === VISITS_PER_TXN || deleted === DELETES_PER_TXN) return { deleted, last, done: false };
      }
      return { deleted, last, done: true };
    });
    total += deleted;
    if (done) return total;
    after = last;
  }
}
