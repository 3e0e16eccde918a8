/**
 * Short, stable handles for Graph ids.
 *
 * A Graph immutable id is ~150 characters (about 110 tokens); listing 50
 * messages with full ids would spend most of the agent's context on ids. Each
 * id is therefore shown as an 8-character handle derived from a hash of the id
 * (the same id always gets the same handle, in every process), and the handle
 * → id mapping is kept in the profile's state (the {@link IdHandles} port) so a
 * handle keeps working after a restart and in every server of the profile.
 * Full Graph ids are still accepted everywhere.
 */
import { UserFacingError } from '../errors.js';
import type { IdHandles } from '../state/ports.js';

const HANDLE_RE = /^[a-hjkmnp-z2-9]{8,12}$/;
/** Graph ids: base64/base64url characters, long. Anything else is refused before it reaches a URL. */
const GRAPH_ID_RE = /^[A-Za-z0-9+/=_-]{16,1024}$/;

export type IdKind = 'message' | 'attachment' | 'folder' | 'event' | 'calendar' | 'thread';

/** An id argument that is neither a known handle nor shaped like a Graph id. */
export class InvalidIdError extends UserFacingError {
  override name = 'InvalidIdError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_id', message, options);
  }
}

/** Handle ↔ Graph id of one profile, on its state store. */
export class HandleStore {
  constructor(private readonly port: IdHandles) {}

  /** True when `value` has the shape of a handle (not whether it is known). */
  static looksLikeHandle(value: string): boolean {
    return HANDLE_RE.test(value);
  }

  /**
   * The handle for a Graph id, creating it on first sight. It is stored
   * before it is returned: a server stopped by SIGKILL right after answering
   * must not leave the agent with a handle no process knows.
   */
  async handleFor(id: string): Promise<string> {
    const [handle] = await this.port.handlesFor([id]);
    return handle as string;
  }

  /** Handles for many ids in one transaction. */
  async handlesFor(ids: readonly string[]): Promise<string[]> {
    return this.port.handlesFor(ids);
  }

  /** The Graph id behind a handle, or undefined when this profile has never issued it (or forgot it unused). */
  async lookup(handle: string): Promise<string | undefined> {
    return this.port.lookup(handle);
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
}

function truncateForMessage(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}...` : v;
}
