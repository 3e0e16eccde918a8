/** The downloads index on LMDB, keyed [sha256, requested name]. */
import type { Database, RootDatabase } from 'lmdb';
import type { DownloadIndex, DownloadRecord } from '../ports.js';

/** {@link DownloadIndex} on the embedded engine. */
export class EmbeddedDownloadIndex implements DownloadIndex {
  private readonly db: Database<DownloadRecord, string[]>;

  constructor(
    root: RootDatabase,
    private readonly now: () => number,
  ) {
    this.db = root.openDB({ name: 'downloads' });
  }

  async find(sha256: string, requestedName: string): Promise<DownloadRecord | undefined> {
    const rec = this.db.get([sha256, requestedName]);
    if (!rec) return undefined;
    const used = { ...rec, lastUsed: this.now() };
    await this.db.put([sha256, requestedName], used);
    return used;
  }

  async record(entry: Omit<DownloadRecord, 'lastUsed'>): Promise<void> {
    await this.db.put([entry.sha256, entry.requestedName], { ...entry, lastUsed: this.now() });
  }

  async forget(sha256: string, requestedName: string): Promise<void> {
    await this.db.remove([sha256, requestedName]);
  }

  /** Every recorded download (for a copy to another store). */
  async entries(): Promise<DownloadRecord[]> {
    return [...this.db.getRange()].map((e) => e.value);
  }

  async totalBytes(): Promise<number> {
    let total = 0;
    for (const { value } of this.db.getRange()) total += value.size;
    return total;
  }

  async evictOver(maxBytes: number): Promise<DownloadRecord[]> {
    return this.db.transaction(() => {
      const all = [...this.db.getRange()].map((e) => e.value).sort((a, b) => a.lastUsed - b.lastUsed);
      let total = all.reduce((n, r) => n + r.size, 0);
      const gone: DownloadRecord[] = [];
      for (const rec of all) {
        if (total <= maxBytes) break;
        this.db.remove([rec.sha256, rec.requestedName]);
        total -= rec.size;
        gone.push(rec);
      }
      return gone;
    });
  }
}
