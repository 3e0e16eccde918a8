/** Delta links on Redis: one key per mailbox root + folder, changed by compare-and-set in Lua. */
import type { DeltaLinks, DeltaSaveOutcome, DeltaState } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

type Stored = DeltaState | { readonly revision: number; readonly forgotten: true };

/** The stored JSON as a live state (without a tombstone's marker), or undefined. */
function live(raw: string | null | undefined): DeltaState | undefined {
  if (!raw) return undefined;
  const s = JSON.parse(raw) as Stored;
  if ('forgotten' in s) return undefined;
  return { deltaLink: s.deltaLink, savedAt: s.savedAt, ...(s.newest === undefined ? {} : { newest: s.newest }), revision: s.revision };
}

/** {@link DeltaLinks} on Redis. */
export class RedisDeltaLinks implements DeltaLinks {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async get(root: string, folder: string): Promise<DeltaState | undefined> {
    const raw = await this.conn.command((c) => c.get(this.keys.delta(root, folder)));
    return live(raw == null ? null : String(raw));
  }

  async save(root: string, folder: string, expectedRevision: number, next: Omit<DeltaState, 'revision'>): Promise<DeltaSaveOutcome> {
    const [ok, value] = await this.conn.run<[number, number | string]>('delta-save', [this.keys.delta(root, folder)], [expectedRevision, next.deltaLink, next.savedAt, next.newest ?? '']);
    return ok === 1 ? { ok: true, revision: Number(value) } : { ok: false, current: live(String(value)) };
  }

  async forget(root: string, folder: string, expectedRevision: number): Promise<boolean> {
    return (await this.conn.run<number>('delta-forget', [this.keys.delta(root, folder)], [expectedRevision])) === 1;
  }
}
