/**
 * Key names of one namespace (a profile, or a remote user's key). Every key starts with
 * `outlook:{<namespace>}:`: the braces are Redis Cluster's hash tag, so all keys of one user hash to one
 * slot and a Lua script may touch several of them. Variable parts (mailbox roots, Graph ids, folder
 * names) are percent-encoded, so no value can contain the separator or a brace and two different
 * (root, id) pairs can never name the same key.
 */
const part = (s: string): string => encodeURIComponent(s);

/** The keys of one namespace. */
export class RedisKeys {
  readonly prefix: string;

  constructor(namespace: string) {
    if (namespace === '') throw new Error('A state namespace must not be empty.');
    this.prefix = `outlook:{${part(namespace)}}:`;
  }

  /** One JSON document per draft: its open approval, its locks and its spent/superseded nonces. */
  approval(root: string, draftId: string): string {
    return `${this.prefix}approval:${part(root)}:${part(draftId)}`;
  }

  /** Hash Graph id → draft record (JSON). */
  get drafts(): string {
    return `${this.prefix}drafts`;
  }

  /** Hash handle → Graph id. */
  get handleIds(): string {
    return `${this.prefix}handles:by-handle`;
  }

  /** Hash Graph id → handle. */
  get idHandles(): string {
    return `${this.prefix}handles:by-id`;
  }

  /** Sorted set handle → last use (ms). */
  get handleUse(): string {
    return `${this.prefix}handles:last-use`;
  }

  /** One cursor record (JSON), with a TTL. */
  cursor(handle: string): string {
    return `${this.prefix}cursor:${part(handle)}`;
  }

  /** Sorted set cursor handle → expiry (ms): what purgeExpired walks. */
  get cursorExpiry(): string {
    return `${this.prefix}cursors:expiry`;
  }

  /** One folder's delta state (JSON, or a tombstone keeping the revision). */
  delta(root: string, folder: string): string {
    return `${this.prefix}delta:${part(root)}:${part(folder)}`;
  }

  /** Hash `<sha256>:<requested name>` → download record (JSON). */
  get downloads(): string {
    return `${this.prefix}downloads`;
  }

  /** Sorted set `<sha256>:<requested name>` → last use (ms). */
  get downloadUse(): string {
    return `${this.prefix}downloads:last-use`;
  }

  /** The field of one download in {@link downloads} and {@link downloadUse}. */
  downloadField(sha256: string, requestedName: string): string {
    return `${part(sha256)}:${part(requestedName)}`;
  }

  /** Sorted set lease id → expiry (ms) of one mailbox's Graph gate. */
  gate(mailbox: string): string {
    return `${this.prefix}gate:${part(mailbox)}`;
  }

  /** End (ms) of one mailbox's Retry-After pause. */
  pause(mailbox: string): string {
    return `${this.prefix}pause:${part(mailbox)}`;
  }
}
