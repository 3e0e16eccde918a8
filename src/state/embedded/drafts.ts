/** The draft registry on LMDB: one record per Graph id. */
import type { Database, RootDatabase } from 'lmdb';
import type { DraftKind, DraftRecord, DraftRegistryPort } from '../ports.js';

/** {@link DraftRegistryPort} on the embedded engine. */
export class EmbeddedDraftRegistry implements DraftRegistryPort {
  private readonly db: Database<DraftRecord, string>;

  constructor(root: RootDatabase) {
    this.db = root.openDB({ name: 'drafts' });
  }

  async add(record: DraftRecord): Promise<void> {
    await this.db.put(record.id, { ...record });
  }

  async get(id: string): Promise<DraftRecord | undefined> {
    return this.db.get(id);
  }

  async list(kind?: DraftKind): Promise<DraftRecord[]> {
    const out: DraftRecord[] = [];
    for (const { value } of this.db.getRange()) if (kind === undefined || value.kind === kind) out.push(value);
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async touch(id: string, fields: Partial<Pick<DraftRecord, 'subject' | 'webLink'>>): Promise<void> {
    await this.db.transaction(() => {
      const current = this.db.get(id);
      if (current) this.db.put(id, { ...current, ...definedOnly(fields) });
    });
  }

  async remove(id: string): Promise<void> {
    await this.db.remove(id);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
