/**
 * The token-store contract shared by every backend: what MSAL's cache plugin
 * needs (read, atomic write, clear, a cross-process lock) and the one error
 * type whose message always names the profile, the store and the fix.
 */
import { UserFacingError } from '../../errors.js';

export type TokenStoreKind = 'keyring' | 'file' | 'encrypted-file';

/** One profile's persisted MSAL token cache in one backend. */
export interface TokenStore {
  readonly kind: TokenStoreKind;
  /** Human description for `status`; never contains secrets. */
  readonly description: string;
  /** Why auto-detection chose this backend; undefined when the kind was forced. */
  readonly detection?: string;
  /**
   * The serialized MSAL token cache of this profile, or undefined when there is none.
   * Throws TokenStoreError when the store exists but cannot be read; a damaged store is never reported as empty.
   */
  read(): Promise<string | undefined>;
  /** Replaces the cache atomically. `data` must be JSON (a serialized MSAL cache); a damaged existing store is never overwritten. */
  write(data: string): Promise<void>;
  /** Removes this profile's tokens and only them; no error when already absent. */
  clear(): Promise<void>;
  /** Runs fn holding this profile's cross-process token-cache lock; nested calls on the same store object in the same async flow re-enter instead of deadlocking. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

export type TokenStoreErrorCode =
  | 'corrupt'
  | 'wrong-passphrase'
  | 'keyring-locked'
  | 'keyring-unavailable'
  | 'permission'
  | 'lock-timeout'
  | 'missing-passphrase';

/** A token store that cannot be used as it is; the message says which profile, which store, and what to do. */
export class TokenStoreError extends UserFacingError {
  override readonly name = 'TokenStoreError';
  declare readonly code: TokenStoreErrorCode;
  constructor(
    code: TokenStoreErrorCode,
    readonly profile: string,
    readonly store: TokenStoreKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** The command that removes a profile's tokens, quoted in error messages. */
export function logoutHint(profile: string): string {
  return `mcp-server-outlook logout --profile ${profile}`;
}

/** Throws unless `data` is a JSON object: the stores hold serialized MSAL caches and check them on read, so they refuse to write anything else. */
export function assertCacheJson(data: string): void {
  if (!isCacheJson(data)) throw new TypeError('TokenStore.write expects a serialized MSAL token cache (a JSON object).');
}

/** True when `data` parses as a JSON object, the shape of every serialized MSAL cache. */
export function isCacheJson(data: string): boolean {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** The error for a token file that cannot be used as it is; the file is never touched. */
export function corruptTokenFile(profile: string, store: TokenStoreKind, file: string, problem: string): TokenStoreError {
  return new TokenStoreError(
    'corrupt',
    profile,
    store,
    `The token file for profile '${profile}' (${file}) ${problem}. It was left untouched. Move it aside, or run: ${logoutHint(profile)} and sign in again.`,
  );
}
