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
 * Kept in the profile's state (the {@link PagingCursors} port, with a time to
 * live), so a cursor survives a restart and works in a second server of the
 * same profile.
 */
import { randomBytes } from 'node:crypto';
import { UserFacingError } from '../errors.js';
import type { PagingCursors } from '../state/ports.js';

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

/** How long a cursor stays valid: long enough for an agent's session, shorter than Graph's own skip tokens tend to live. */
export const CURSOR_TTL_MS = 12 * 3_600_000;

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
  /** The clock of expiries: the state store's, so issue and redeem agree. */
  now?: () => number;
}

/** One profile's cursors, on its state store. */
export class CursorStore {
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly port: PagingCursors,
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
    // Stored before the result is returned: the server may be killed right after answering.
    await this.port.issue(handle, { nextLink, tool, root, expiresAt: this.now() + this.ttlMs, ...(extra === undefined ? {} : { extra }) });
    return handle;
  }

  /** The state behind a cursor issued by `tool` on `root`; throws {@link CursorError} for anything else. */
  async redeem<E = unknown>(tool: string, root: string, cursor: string): Promise<CursorState<E>> {
    const value = cursor.trim();
    if (!CURSOR_RE.test(value)) {
      throw new CursorError(`cursor: not a cursor from ${tool}. Pass next_cursor exactly as the previous ${tool} result returned it, or omit it. ${startOver(tool)}`);
    }
    const rec = await this.port.find(value);
    if (!rec) throw new CursorError(`cursor: "${value}" is not a cursor this profile issued, or it expired (cursors last ${Math.round(this.ttlMs / 3_600_000)} h). ${startOver(tool)}`);
    if (rec.tool !== tool) throw new CursorError(`cursor: this cursor belongs to ${rec.tool}, not ${tool}. Use it with the tool that returned it, or: ${startOver(tool)}`);
    if (rec.root !== root) throw new CursorError(`cursor: this cursor was issued for another mailbox than the one this server reads. ${startOver(tool)}`);
    return { nextLink: rec.nextLink, extra: rec.extra as E | undefined };
  }
}
