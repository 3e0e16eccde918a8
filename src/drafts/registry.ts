/**
 * The profile's draft registry: which mail and event drafts this profile
 * created. One JSON file under the profile's state folder, replaced atomically
 * (temp file + rename) under a cross-process lock, so two servers of the same
 * profile never lose each other's records. It is one half of the ownership
 * check; the other half is the tag stored on the item in Graph (tag.ts).
 */
import { UserFacingError } from '../errors.js';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export type DraftKind = 'mail' | 'event';

/** One item this profile created. */
export interface DraftRecord {
  /** The Graph (immutable) id. */
  readonly id: string;
  readonly kind: DraftKind;
  /** The random id also stored in the Graph tag; survives a lost registry. */
  readonly creationId: string;
  readonly subject: string;
  /** ISO instant. */
  readonly createdAt: string;
  readonly webLink?: string;
}

interface RegistryFile {
  version: 1;
  drafts: DraftRecord[];
}

/** The registry file is unreadable (not JSON, wrong shape); says where it is and what to do. */
export class DraftRegistryError extends UserFacingError {
  override name = 'DraftRegistryError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('draft_registry_unreadable', message, options);
  }
}

const FILE_NAME = 'drafts.json';

function isRecord(v: unknown): v is DraftRecord {
  const r = v as Partial<DraftRecord> | null;
  return !!r && typeof r.id === 'string' && (r.kind === 'mail' || r.kind === 'event') && typeof r.creationId === 'string' && typeof r.subject === 'string' && typeof r.createdAt === 'string';
}

/** Per-profile registry of created drafts, persisted as one JSON file. */
export class DraftRegistry {
  readonly file: string;

  /** `dir` is the profile's state folder (created 0700 on first write). */
  constructor(private readonly dir: string) {
    this.file = path.join(dir, FILE_NAME);
  }

  /** All records, newest first. */
  async list(kind?: DraftKind): Promise<DraftRecord[]> {
    const all = (await this.read()).drafts;
    return all.filter((r) => kind === undefined || r.kind === kind).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The record for a Graph id, if this profile created it. */
  async get(id: string): Promise<DraftRecord | undefined> {
    return (await this.read()).drafts.find((r) => r.id === id);
  }

  /** Adds (or replaces, by id) a record. */
  async add(record: DraftRecord): Promise<void> {
    await this.mutate((d) => [...d.filter((r) => r.id !== record.id), record]);
  }

  /** Updates the subject/web link of a record, if present. */
  async touch(id: string, fields: Partial<Pick<DraftRecord, 'subject' | 'webLink'>>): Promise<void> {
    await this.mutate((d) => d.map((r) => (r.id === id ? { ...r, ...fields } : r)));
  }

  /** Removes a record (discarded or sent). */
  async remove(id: string): Promise<void> {
    await this.mutate((d) => d.filter((r) => r.id !== id));
  }

  private async read(): Promise<RegistryFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, drafts: [] };
      throw new DraftRegistryError(`The draft registry ${this.file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}). Check its permissions, or move it aside; ol_email_list_drafts still finds this profile's drafts by their tag.`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DraftRegistryError(`The draft registry ${this.file} is not valid JSON. Move it aside; ol_email_list_drafts still finds this profile's drafts by their tag in the mailbox.`);
    }
    const drafts = (parsed as { drafts?: unknown } | null)?.drafts;
    if (!Array.isArray(drafts)) throw new DraftRegistryError(`The draft registry ${this.file} has an unexpected shape. Move it aside; ol_email_list_drafts still finds this profile's drafts by their tag.`);
    return { version: 1, drafts: drafts.filter(isRecord) };
  }

  private async mutate(change: (drafts: DraftRecord[]) => DraftRecord[]): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Imported on first write: a server that never drafts should not load it at start-up.
    const { default: lockfile } = await import('proper-lockfile');
    // Lock a sibling path: proper-lockfile's default needs the locked file to exist already.
    const release = await lockfile.lock(this.file, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 100, factor: 1.3, minTimeout: 5, maxTimeout: 100, randomize: true },
      // The default throws from a timer, which would crash the server. A compromised lock can at
      // worst lose one record to a concurrent writer, and list_drafts restores it from the Graph tag.
      onCompromised: () => undefined,
    });
    try {
      const current = await this.read();
      const next: RegistryFile = { version: 1, drafts: change(current.drafts) };
      const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(next, null, 1) + '\n', { mode: 0o600 });
      await fs.rename(tmp, this.file);
    } finally {
      // A lock already released as stale must not turn a completed write into an error.
      await release().catch(() => undefined);
    }
  }
}
