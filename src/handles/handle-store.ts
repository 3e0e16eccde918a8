/**
 * Short, stable handles for Graph ids.
 *
 * A Graph immutable id is ~150 characters (about 110 tokens); listing 50
 * messages with full ids would spend most of the agent's context on ids. Each
 * id is therefore shown as an 8-character handle derived from a hash of the id
 * (the same id always gets the same handle, in every process), and the handle
 * → id mapping is appended to a per-profile file so a handle keeps working
 * after a restart. Full Graph ids are still accepted everywhere.
 *
 * Written by hand because the job is small and specific: an append-only
 * JSON-lines file (O_APPEND writes of one short line are atomic on local file
 * systems, so concurrent servers of one profile never corrupt it) plus a map.
 */
import { UserFacingError } from '../errors.js';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o/1/l/i: handles get read aloud and retyped
const HANDLE_LENGTH = 8;
const HANDLE_RE = /^[a-hjkmnp-z2-9]{8,12}$/;
/** Graph ids: base64/base64url characters, long. Anything else is refused before it reaches a URL. */
const GRAPH_ID_RE = /^[A-Za-z0-9+/=_-]{16,1024}$/;

export type IdKind = 'message' | 'attachment' | 'folder' | 'event' | 'calendar';

/** An id argument that is neither a known handle nor shaped like a Graph id. */
export class InvalidIdError extends UserFacingError {
  override name = 'InvalidIdError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_id', message, options);
  }
}

function hashHandle(id: string, length: number): string {
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return out;
}

/** Per-profile handle ↔ Graph id map, persisted as JSON lines. */
export class HandleStore {
  private readonly byHandle = new Map<string, string>();
  private readonly byId = new Map<string, string>();
  private loaded: Promise<void> | undefined;
  private pending: string[] = [];
  private flushing: Promise<void> | undefined;

  /** `file` undefined keeps handles in memory only (tests, one-shot runs). */
  constructor(private readonly file: string | undefined) {}

  /** True when `value` has the shape of a handle (not whether it is known). */
  static looksLikeHandle(value: string): boolean {
    return HANDLE_RE.test(value);
  }

  /**
   * The handle for a Graph id, creating and persisting it on first sight. It is
   * on disk before it is returned: a server stopped by SIGKILL or SIGTERM right
   * after answering (how many clients stop servers) must not leave the agent
   * with a handle no process knows.
   */
  async handleFor(id: string): Promise<string> {
    await this.load();
    const handle = this.handleForLoaded(id);
    await this.flush();
    return handle;
  }

  /** Handles for many ids with one load and one write. */
  async handlesFor(ids: readonly string[]): Promise<string[]> {
    await this.load();
    const out = ids.map((id) => this.handleForLoaded(id));
    await this.flush();
    return out;
  }

  /** The Graph id behind a handle, or undefined when this profile has never issued it. */
  async lookup(handle: string): Promise<string | undefined> {
    await this.load();
    let id = this.byHandle.get(handle);
    if (id === undefined && this.file) {
      // Another process of this profile may have issued it since we loaded.
      this.loaded = undefined;
      await this.load();
      id = this.byHandle.get(handle);
    }
    return id;
  }

  /**
   * Turns a tool's id argument into a Graph id: a known handle maps to its id, a
   * Graph-shaped id is used as is, anything else is refused with a next step.
   */
  async resolve(value: string, field: string, kind: IdKind): Promise<string> {
    const v = value.trim();
    if (HandleStore.looksLikeHandle(v)) {
      const id = await this.lookup(v);
      if (id === undefined) {
        throw new InvalidIdError(`${field}: "${v}" is not a ${kind} id known to this profile. Ids come from this profile's list and search results; list or search again to get a current one.`);
      }
      return id;
    }
    if (GRAPH_ID_RE.test(v)) return v;
    throw new InvalidIdError(`${field}: "${truncateForMessage(v)}" is not a valid ${kind} id. Pass the id exactly as a list or search result returned it.`);
  }

  private handleForLoaded(id: string): string {
    const known = this.byId.get(id);
    if (known) return known;
    let length = HANDLE_LENGTH;
    let handle = hashHandle(id, length);
    // A collision between two different ids is astronomically rare; lengthen rather than alias.
    while (this.byHandle.has(handle) && this.byHandle.get(handle) !== id) handle = hashHandle(id, ++length);
    this.byHandle.set(handle, id);
    this.byId.set(id, handle);
    if (this.file) this.pending.push(JSON.stringify({ h: handle, id }) + '\n');
    return handle;
  }

  private load(): Promise<void> {
    this.loaded ??= this.readFile();
    return this.loaded;
  }

  private async readFile(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const { h, id } = JSON.parse(line) as { h?: unknown; id?: unknown };
        if (typeof h === 'string' && typeof id === 'string' && !this.byHandle.has(h)) {
          this.byHandle.set(h, id);
          if (!this.byId.has(id)) this.byId.set(id, h);
        }
      } catch {
        // A torn last line (crash mid-write) loses one mapping, never the file: that handle is simply re-created.
      }
    }
  }

  /** Appends new mappings. Serialised so lines are never interleaved within this process. */
  async flush(): Promise<void> {
    if (!this.file) return;
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const lines = this.pending.join('');
    this.pending = [];
    const file = this.file;
    this.flushing = (async () => {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await fs.appendFile(file, lines, { mode: 0o600 });
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }
}

function truncateForMessage(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}...` : v;
}
