/**
 * Opaque paging cursors. The agent gets a short random handle (a dozen
 * characters, at most 16 tokens); the nextLink it stands for never leaves the
 * server. A handle maps, in a per-profile store, to the Graph `@odata.nextLink`
 * (followed whole, never rebuilt), the tool that issued it, the mailbox root it
 * was issued for, an expiry and any constraint applied locally.
 *
 * A cursor the agent makes up, or one of another profile (another store),
 * another tool, another mailbox root, or one that expired, is refused before
 * any request: an agent that could hand us a nextLink could otherwise make us
 * read any mailbox the token reaches (in app-only mode, the whole tenant).
 *
 * Persisted as one JSON file replaced atomically (temp file + rename) under a
 * cross-process lock, so a cursor survives a restart and works in a second
 * server of the same profile (src/state/locked-json.ts). Hand-written: the job is
 * one small map with an expiry, which no maintained library does better.
 */
import { randomBytes } from 'node:crypto';
import { UserFacingError } from '../errors.js';
import { mutateJsonState, readJsonState } from '../state/locked-json.js';

/** A cursor the caller must not use here; the message says what to do. */
export class CursorError extends UserFacingError {
  override name = 'CursorError';
  constructor(message: string) {
    super('cursor_refused', message);
  }
}

export interface CursorState<E = unknown> {
  nextLink: string;
  extra?: E;
}

interface CursorRecord {
  /** The nextLink. */
  n: string;
  /** Issuing tool. */
  t: string;
  /** Mailbox root (`/me`, `/users/{upn}`). */
  r: string;
  /** Expiry, ms since the epoch. */
  e: number;
  x?: unknown;
}

interface CursorFile {
  version: 1;
  cursors: Record<string, CursorRecord>;
}

/** How long a cursor stays valid: long enough for an agent's session, shorter than Graph's own skip tokens tend to live. */
export const CURSOR_TTL_MS = 12 * 3_600_000;
/** Most cursors kept per profile; the oldest go first. */
export const MAX_CURSORS = 5_000;

// No 0/o/1/l/i, like item handles. 'c' + 12 characters: about 59 bits, and at most 16 o200k tokens (measured in the tests).
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const CURSOR_RE = /^c[a-hjkmnp-z2-9]{12}$/;

function newHandle(): string {
  const bytes = randomBytes(12);
  let out = 'c';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

const startOver = (tool: string) => `Call ${tool} again without cursor to start from the first page (list or search again).`;

export interface CursorStoreOptions {
  ttlMs?: number;
  now?: () => number;
}

/** One profile's cursors. `file` undefined keeps them in memory only (tests, hand-built servers). */
export class CursorStore {
  private readonly memory = new Map<string, CursorRecord>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    readonly file: string | undefined,
    opts: CursorStoreOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? CURSOR_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  /** True when `value` has the shape of a cursor handle (not whether it is known). */
  static looksLikeCursor(value: string): boolean {
    return CURSOR_RE.test(value);
  }

  /** Stores `nextLink` (and local state) for `tool` on `root` and returns the handle the agent gets. */
  async issue(tool: string, root: string, nextLink: string, extra?: unknown): Promise<string> {
    const handle = newHandle();
    const rec: CursorRecord = { n: nextLink, t: tool, r: root, e: this.now() + this.ttlMs, ...(extra === undefined ? {} : { x: extra }) };
    this.memory.set(handle, rec);
    // Persisted before the result is returned: the server may be killed right after answering.
    if (this.file) await this.mutate((all) => ({ ...all, [handle]: rec }));
    return handle;
  }

  /** The state behind a cursor issued by `tool` on `root`; throws {@link CursorError} for anything else. */
  async redeem<E = unknown>(tool: string, root: string, cursor: string): Promise<CursorState<E>> {
    const value = cursor.trim();
    if (!CURSOR_RE.test(value)) {
      throw new CursorError(`cursor: not a cursor from ${tool}. Pass next_cursor exactly as the previous ${tool} result returned it, or omit it. ${startOver(tool)}`);
    }
    let rec = this.memory.get(value);
    if (!rec && this.file) rec = (await this.read()).cursors[value];
    if (!rec) throw new CursorError(`cursor: "${value}" is not a cursor this profile issued (or it was forgotten). ${startOver(tool)}`);
    if (rec.t !== tool) throw new CursorError(`cursor: this cursor belongs to ${rec.t}, not ${tool}. Use it with the tool that returned it, or: ${startOver(tool)}`);
    if (rec.r !== root) throw new CursorError(`cursor: this cursor was issued for another mailbox than the one this server reads. ${startOver(tool)}`);
    if (rec.e <= this.now()) throw new CursorError(`cursor: this cursor expired. ${startOver(tool)}`);
    return { nextLink: rec.n, extra: rec.x as E | undefined };
  }

  private async read(): Promise<CursorFile> {
    if (!this.file) return { version: 1, cursors: {} };
    // A damaged store only costs the agent a fresh listing; the next write replaces it.
    return onlyValid(await readJsonState<Partial<CursorFile> | null>(this.file, () => null, 'cursor', { damaged: 'reset' }));
  }

  private async mutate(change: (all: Record<string, CursorRecord>) => Record<string, CursorRecord>): Promise<void> {
    const now = this.now();
    await mutateJsonState<Partial<CursorFile> | null, void>(
      this.file as string,
      () => null,
      'cursor',
      (current) => {
        const live = Object.entries(change(onlyValid(current).cursors))
          .filter(([, r]) => r.e > now)
          .sort((a, b) => b[1].e - a[1].e)
          .slice(0, MAX_CURSORS);
        return { next: { version: 1, cursors: Object.fromEntries(live) }, result: undefined };
      },
      { damaged: 'reset' },
    );
  }
}

/** The well-formed records of a parsed cursor file (anything else in it is dropped). */
function onlyValid(parsed: Partial<CursorFile> | null): CursorFile {
  const cursors: Record<string, CursorRecord> = Object.create(null) as Record<string, CursorRecord>;
  const raw = parsed && typeof parsed === 'object' && parsed.cursors && typeof parsed.cursors === 'object' ? parsed.cursors : {};
  for (const [h, r] of Object.entries(raw)) {
    if (CURSOR_RE.test(h) && isRecord(r)) cursors[h] = r;
  }
  return { version: 1, cursors };
}

function isRecord(v: unknown): v is CursorRecord {
  const r = v as Partial<CursorRecord> | null;
  return !!r && typeof r.n === 'string' && typeof r.t === 'string' && typeof r.r === 'string' && typeof r.e === 'number';
}
