/**
 * The downloads index on Redis: hash `<sha256>:<requested name>` → record (JSON) and a sorted set of
 * last uses, which the size cap evicts from, oldest first.
 */
import type { DownloadIndex, DownloadRecord } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

/** {@link DownloadIndex} on Redis. */
export class RedisDownloadIndex implements DownloadIndex {
  private readonly tables: string[];

  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {
    this.tables = [keys.downloads, keys.downloadUse];
  }

  async find(sha256: string, requestedName: string): Promise<DownloadRecord | undefined> {
    const raw = await this.conn.run<string | null>('download-find', this.tables, [this.keys.downloadField(sha256, requestedName), this.now()]);
    return raw == null ? undefined : (JSON.parse(raw) as DownloadRecord);
  }

  async record(entry: Omit<DownloadRecord, 'lastUsed'>): Promise<void> {
    const now = this.now();
    const rec: DownloadRecord = { sha256: entry.sha256, name: entry.name, requestedName: entry.requestedName, path: entry.path, size: entry.size, lastUsed: now };
    await this.conn.run('download-record', this.tables, [this.keys.downloadField(entry.sha256, entry.requestedName), JSON.stringify(rec), now]);
  }

  async forget(sha256: string, requestedName: string): Promise<void> {
    await this.conn.run('download-forget', this.tables, [this.keys.downloadField(sha256, requestedName)]);
  }

  async totalBytes(): Promise<number> {
    const all = await this.conn.command((c) => c.hVals(this.keys.downloads));
    return all.reduce((n, raw) => n + (JSON.parse(String(raw)) as DownloadRecord).size, 0);
  }

  async evictOver(maxBytes: number): Promise<DownloadRecord[]> {
    const gone = await this.conn.run<string[]>('downloads-evict', this.tables, [maxBytes]);
    return gone.map((raw) => JSON.parse(raw) as DownloadRecord);
  }
}
