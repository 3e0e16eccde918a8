/**
 * Opens a profile's token store: the backend named by OUTLOOK_TOKEN_STORE, or
 * one chosen automatically, with the reason kept for `status`.
 *
 * Auto-detection, in order:
 *  1. Probe the OS keyring in a child process (bounded by a timeout, see
 *     keyring-probe.ts): read this profile's index entry and, when there is
 *     none, store and delete a throw-away entry.
 *  2. The keyring holds this profile's tokens (even if it is locked: reading
 *     then says "unlock it") → keyring.
 *  3. The keyring works but holds nothing for this profile, while a token file
 *     of this profile exists → that file, so a sign-in made while the keyring
 *     was unavailable (say, over ssh) is not silently hidden.
 *  4. The keyring works → keyring.
 *  5. No usable keyring: OUTLOOK_TOKEN_PASSPHRASE set, or a `tokens.enc`
 *     already there → encrypted file (without the passphrase it then says so);
 *     otherwise the plain 0600 file.
 * The passphrase does not outrank a working keyring: an OS keyring keeps the
 * key out of the environment altogether.
 */
import path from 'node:path';
import { validateProfileName } from '../../config/config.js';
import type { TokenStore, TokenStoreKind } from './contract.js';
import { EncryptedFileTokenStore } from './encrypted-file-store.js';
import { FileTokenStore } from './file-store.js';
import { probeKeyring } from './keyring-probe.js';
import { DEFAULT_KEYRING_SERVICE, KeyringTokenStore } from './keyring-store.js';
import { ENCRYPTED_FILE_NAME, PLAIN_FILE_NAME, fileExists } from './private-files.js';

export { TokenStoreError, type TokenStore, type TokenStoreErrorCode, type TokenStoreKind } from './contract.js';
export { DEFAULT_KEYRING_SERVICE } from './keyring-store.js';

export interface OpenTokenStoreOptions {
  profile: string;
  /** `<cacheDir>/<profile>` (Config.profileDir): absolute, and its last segment must be the profile name. */
  profileDir: string;
  /** Forced backend; undefined = auto-detect. */
  kind?: TokenStoreKind;
  passphrase?: string;
  /** `mcpb` when the MCP Bundle runs the server (next steps then name no variable or command). */
  bundle?: 'mcpb';
  /** Keyring service name, default 'mcp-server-outlook'; tests pass a unique one. */
  keyringService?: string;
  /** How long withLock waits for another process before failing with 'lock-timeout' (default 30 s). */
  lockTimeoutMs?: number;
  /** How long the keyring probe may take before the keyring counts as unavailable (default 5 s). */
  keyringProbeTimeoutMs?: number;
}

/** Opens the token store of one profile, forced or auto-detected; never touches the network. */
export async function openTokenStore(opts: OpenTokenStoreOptions): Promise<TokenStore> {
  const profile = validateProfileName(opts.profile, 'token store profile');
  if (!path.isAbsolute(opts.profileDir) || path.basename(opts.profileDir) !== profile) {
    // Isolation between profiles rests on each store living in its own profile's directory.
    throw new TypeError(`Token store of profile '${profile}': profileDir must be an absolute path ending in /${profile}, got "${opts.profileDir}".`);
  }
  const profileDir = path.resolve(opts.profileDir);
  const service = opts.keyringService ?? DEFAULT_KEYRING_SERVICE;
  if (!service.trim()) throw new TypeError('keyringService must not be empty.');
  const base = { profile, profileDir, lockTimeoutMs: opts.lockTimeoutMs };
  const passphrase = opts.passphrase || undefined;
  const open = (kind: TokenStoreKind, detection?: string, unavailable?: string): TokenStore => {
    switch (kind) {
      case 'file':
        return new FileTokenStore({ ...base, detection });
      case 'encrypted-file':
        return new EncryptedFileTokenStore({ ...base, passphrase, detection });
      case 'keyring':
        return new KeyringTokenStore({ ...base, service, detection, unavailable, ...(opts.bundle ? { bundle: opts.bundle } : {}) });
    }
  };

  const account = `profile:${profile}`;
  if (opts.kind === 'keyring') {
    // Even when forced, the first contact goes through the bounded probe: an unresponsive bus would otherwise hang us.
    const probe = await probeKeyring({ service, account, writeTest: false, timeoutMs: opts.keyringProbeTimeoutMs });
    return open('keyring', undefined, probe.status === 'unavailable' ? probe.reason : undefined);
  }
  if (opts.kind) return open(opts.kind);

  const plainFile = path.join(profileDir, PLAIN_FILE_NAME);
  const encryptedFile = path.join(profileDir, ENCRYPTED_FILE_NAME);
  const probe = await probeKeyring({ service, account, writeTest: true, timeoutMs: opts.keyringProbeTimeoutMs });
  const [hasPlain, hasEncrypted] = await Promise.all([fileExists(plainFile), fileExists(encryptedFile)]);
  switch (probe.status) {
    case 'found':
      return open('keyring', `the OS keyring holds the tokens of profile '${profile}'`);
    case 'locked':
      return open('keyring', `the OS keyring holds the tokens of profile '${profile}' but is locked`);
    case 'empty': {
      if (hasEncrypted && (passphrase || !hasPlain)) {
        return open('encrypted-file', `the OS keyring works but holds no tokens of profile '${profile}', while ${encryptedFile} does; using that file (to move to the keyring: logout, set OUTLOOK_TOKEN_STORE=keyring, sign in again)`);
      }
      if (hasPlain) {
        return open('file', `the OS keyring works but holds no tokens of profile '${profile}', while ${plainFile} does; using that file (to move to the keyring: logout, set OUTLOOK_TOKEN_STORE=keyring, sign in again)`);
      }
      return open('keyring', 'the OS keyring is available');
    }
    case 'unavailable': {
      const why = `keyring unavailable: ${probe.reason}`;
      if (passphrase) {
        const note = hasPlain && !hasEncrypted ? `; note: the plain token file ${plainFile} is not used (logout removes it)` : '';
        return open('encrypted-file', `${why}; OUTLOOK_TOKEN_PASSPHRASE is set, using the encrypted file${note}`);
      }
      if (hasEncrypted) return open('encrypted-file', `${why}; ${encryptedFile} exists, using the encrypted file (it needs OUTLOOK_TOKEN_PASSPHRASE)`);
      return open('file', `${why}; using the plain file`);
    }
  }
}
