/**
 * Paging cursors on Redis: one key per cursor with a TTL (Redis drops it by itself), plus a sorted set
 * of expiries so an explicit purge can say how many went.
 */
import type { CursorRecord, PagingCursors } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

/** A cursor handle already taken (random handles make this a bug, not bad luck). */
export class CursorHandleTakenError extends Error {
  override name = 'CursorHandleTakenError';
}

/** Cursors checked per purge script call. */
const PURGE_PER_CALL = 500;

/** {@link PagingCursors} on Redis. */
export class RedisPagingCursors implements PagingCursors {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {}

  async issue(handle: string, record: CursorRecord): Promise<void> {
    const stored = await this.conn.run<number>('cursor-issue', [this.keys.cursor(handle), this.keys.cursorExpiry], [this.now(), handle, record.expiresAt, JSON.stringify(record)]);
    if (stored !== 1) throw new CursorHandleTakenError(`The cursor handle ${handle} is already in use.`);
  }

  async find(handle: string): Promise<CursorRecord | undefined> {
    const raw = await this.conn.command((c) => c.get(this.keys.cursor(handle)));
    if (raw == null) return undefined;
    const rec = JSON.parse(String(raw)) as CursorRecord;
    return rec.expiresAt > this.now() ? rec : undefined;
  }

  async purgeExpired(): Promise<number> {
    const now = this.now();
    let total = 0;
    for (;;) {
      const due = await this.conn.command((c) => c.zRangeByScore(this.keys.cursorExpiry, '-inf', now, { LIMIT: { offset: 0, count: PURGE_PER_CALL } }));
      if (due.length === 0) return total;
      const handles = due.map(String);
      total += await this.conn.run<number>('cursors-purge', [this.keys.cursorExpiry, ...handles.map((h) => this.keys.cursor(h))], [now, ...handles]);
      if (due.length < PURGE_PER_CALL) return total;
    }
  }
}
