/** The draft registry on Redis: one hash of the namespace, Graph id → record (JSON). */
import type { DraftKind, DraftRecord, DraftRegistryPort } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

/** {@link DraftRegistryPort} on Redis. */
export class RedisDraftRegistry implements DraftRegistryPort {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async add(record: DraftRecord): Promise<void> {
    await this.conn.command((c) => c.hSet(this.keys.drafts, record.id, JSON.stringify(record)));
  }

  async get(id: string): Promise<DraftRecord | undefined> {
    const raw = await this.conn.command((c) => c.hGet(this.keys.drafts, id));
    return raw == null ? undefined : (JSON.parse(String(raw)) as DraftRecord);
  }

  async list(kind?: DraftKind): Promise<DraftRecord[]> {
    const all = await this.conn.command((c) => c.hVals(this.keys.drafts));
    return all
      .map((raw) => JSON.parse(String(raw)) as DraftRecord)
      .filter((r) => kind === undefined || r.kind === kind)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async touch(id: string, fields: Partial<Pick<DraftRecord, 'subject' | 'webLink'>>): Promise<void> {
    // JSON.stringify drops undefined fields: only what is given changes.
    await this.conn.run('draft-touch', [this.keys.drafts], [id, JSON.stringify({ subject: fields.subject, webLink: fields.webLink })]);
  }

  async remove(id: string): Promise<void> {
    await this.conn.command((c) => c.hDel(this.keys.drafts, id));
  }
}
