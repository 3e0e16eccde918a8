/**
 * The local audit log: one JSON line per write this server made (or refused)
 * in `<state dir>/audit.jsonl`. It is the local complement to the tenant's own
 * audit log: it says which tool of which profile did what, with Graph's
 * `request-id` to find the same operation on Microsoft's side. It never holds
 * a subject or body: only a SHA-256 of the subject and the recipients' domains.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { domainOf } from '../services/shape.js';
import { UserFacingError } from '../errors.js';

/** What became of one write. */
/**
 * `lock-kept`: after a send (or its attempt) the state store could not end the draft's send lock; the lock
 * ends by its hold (15 min). An intermediate line: the call's own outcome follows.
 */
export type AuditOutcome = 'ok' | 'failed' | 'refused' | 'approved' | 'declined' | 'cancelled' | 'changed' | 'sent' | 'lock-kept';

/** One line of audit.jsonl. */
export interface AuditEntry {
  /** ISO instant. */
  readonly time: string;
  readonly profile: string;
  readonly tool: string;
  /** `draft.create`, `draft.update`, `draft.discard`, `event.create`, `event.discard`, `send`. */
  readonly action: string;
  /** The Graph (immutable) id of the item; always the Graph id, never a handle, so it matches the tenant's logs. */
  readonly item_id?: string;
  /** Graph `request-id` of the last write request of the call (or of the failed request). */
  readonly request_id?: string;
  /** Recipients' domains only (lower case, sorted, unique). */
  readonly recipient_domains: readonly string[];
  /** SHA-256 (hex) of the subject; the subject itself is never stored. */
  readonly subject_sha256?: string;
  readonly outcome: AuditOutcome;
  /** Error class or reason for failed/refused outcomes (never message text, which may quote content). */
  readonly reason?: string;
  /** For sends: how the human approved (`elicit`: the client's confirmation prompt; `card`: the review card's Send button; `client`: the client's own tool-approval prompt). */
  readonly approved_by?: string;
  /** The other mailbox acted on (shared or delegated, lower-cased address); absent for the default mailbox. */
  readonly mailbox?: string;
}

const FILE_NAME = 'audit.jsonl';

/** SHA-256 hex of a subject (empty subjects hash too, so "no subject" is visible). */
export function subjectHash(subject: string): string {
  return createHash('sha256').update(subject, 'utf8').digest('hex');
}

/** The domains of addresses written as `a@b.example` or `Name <a@b.example>`; anything else is dropped. */
export function recipientDomains(addresses: readonly string[]): string[] {
  const out = new Set<string>();
  for (const a of addresses) {
    const d = domainOf(a);
    if (d) out.add(d);
  }
  return [...out].sort();
}

/** The audit log cannot be written, so the write or send it would record is refused. */
export class AuditUnavailableError extends UserFacingError {
  override name = 'AuditUnavailableError';
  constructor(file: string, cause: unknown, what: string) {
    const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
    super(
      'audit-unavailable',
      `Refused: the audit log ${file} cannot be written (${reason}), and nothing is ${what} without its audit line. Nothing was changed or sent. Make the profile folder and that file writable by you (and check free disk space), then try again.`,
      { cause },
    );
  }
}

/** Appends and reads one profile's audit.jsonl. */
export class AuditLog {
  readonly file: string;

  /** `dir` is the profile's state folder (created 0700 on first write). */
  constructor(private readonly dir: string) {
    this.file = path.join(dir, FILE_NAME);
  }

  /**
   * Appends one line. One `write` of one buffer to a file opened with
   * O_APPEND: concurrent writers (two servers of a profile) never interleave
   * inside a line on a local file system.
   */
  async append(entry: AuditEntry): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const handle = await fs.open(this.file, 'a', 0o600);
    try {
      await handle.write(Buffer.from(JSON.stringify(entry) + '\n', 'utf8'));
    } finally {
      await handle.close();
    }
  }

  /** Throws {@link AuditUnavailableError} unless a line could be appended now (the folder and file open for appending). */
  async assertWritable(what: string): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await (await fs.open(this.file, 'a', 0o600)).close();
    } catch (err) {
      throw new AuditUnavailableError(this.file, err, what);
    }
  }

  /** All entries, oldest first; lines that are not audit entries (a torn write, a hand edit) are skipped. */
  async read(): Promise<AuditEntry[]> {
    return (await this.readAll()).entries;
  }

  /** Entries, oldest first, and how many lines were skipped as malformed (not JSON, or not an audit entry's shape). */
  async readAll(): Promise<{ entries: AuditEntry[]; skipped: number }> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0 };
      throw err;
    }
    const entries: AuditEntry[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        skipped++; // a partial line from a crash mid-write: keep reading the rest
        continue;
      }
      const entry = asEntry(v);
      if (entry) entries.push(entry);
      else skipped++;
    }
    return { entries, skipped };
  }
}

const OPTIONAL_STRINGS = ['item_id', 'request_id', 'subject_sha256', 'reason', 'profile', 'action'] as const;

/** `v` as an audit entry when it has the shape of one (every field of the right type); otherwise undefined. */
function asEntry(v: unknown): AuditEntry | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.time !== 'string' || typeof o.tool !== 'string' || typeof o.outcome !== 'string') return undefined;
  for (const k of OPTIONAL_STRINGS) if (o[k] !== undefined && typeof o[k] !== 'string') return undefined;
  const domains = o.recipient_domains ?? [];
  if (!Array.isArray(domains) || !domains.every((d) => typeof d === 'string')) return undefined;
  return { ...(o as unknown as AuditEntry), action: typeof o.action === 'string' ? o.action : '', profile: typeof o.profile === 'string' ? o.profile : '', recipient_domains: domains as string[] };
}

/** A Graph write seen during one tool call. */
export interface ObservedWrite {
  readonly method: string;
  readonly status: number;
  readonly requestId?: string;
}

/**
 * Collects the Graph writes of the tool call in progress. The Graph client is
 * shared by concurrent calls, so the call is found through async context, not
 * through a field that concurrent calls would overwrite.
 */
export class WriteTrace {
  private readonly als = new AsyncLocalStorage<ObservedWrite[]>();

  /** Runs `fn` with `writes` as the call's list (filled even when `fn` throws). */
  async capture<T>(fn: () => Promise<T>, writes: ObservedWrite[]): Promise<T> {
    return this.als.run(writes, fn);
  }

  /** Called by the Graph client after every successful non-GET request. */
  readonly observe = (w: ObservedWrite): void => {
    this.als.getStore()?.push(w);
  };
}
