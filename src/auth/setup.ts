/**
 * Picks how this configuration gets Graph tokens, in one place:
 * - `--sandbox`: the sandbox's ready token, until a sandbox sign-in exists
 *   for the profile (`login --sandbox` or `ol_login_begin`); from then on real
 *   MSAL against the sandbox's identity endpoint. Service-principal mode with
 *   a client secret uses client credentials against it.
 * - `OUTLOOK_ACCESS_TOKEN`: that token, as is.
 * - service principal: client credentials.
 * - otherwise: delegated device-code sign-in, stored per profile.
 */
import type { Config } from '../config/config.js';
import { loginCommandFor, signInWith } from '../config/advice.js';
import type { Logger } from '../log.js';
import { AppOnlyAuth } from './app-only.js';
import { DelegatedAuth } from './delegated.js';
import { SignInError } from './entra-errors.js';
import { scopesFor } from './scopes.js';
import { staticTokenProvider, type TokenProvider } from './token-provider.js';
import type { OpenTokenStoreOptions, TokenStore } from './stores/token-store.js';

export type AuthKind = 'sandbox' | 'static' | 'delegated' | 'service-principal' | 'obo';

/** The sign-in side of a running server. */
export interface AuthService {
  readonly kind: AuthKind;
  /** What the Graph client asks for tokens. */
  readonly tokens: TokenProvider;
  /** Device-code sign-in for this profile; absent when a static token or a service principal is used. */
  readonly delegated?: DelegatedAuth;
  /** Scopes these settings request. */
  readonly requestedScopes: string[];
  /** How this profile signs in, worded for its surface (a command, or ol_login_begin in the bundle). */
  readonly loginCommand: string;
  /** How often `ol_login_begin` reports progress while it waits. */
  readonly progressIntervalMs: number;
}

export interface AuthSetupOptions {
  logger: Logger;
  /** Where this profile's state (and token store) lives. */
  stateDir: string;
  /** The in-process sandbox's ready token, in sandbox mode. */
  sandboxToken?: string;
  /** Opens a token store (tests pass an in-memory one). */
  openTokenStore?: (opts: OpenTokenStoreOptions) => Promise<TokenStore>;
  fetch?: typeof fetch;
  now?: () => Date;
  progressIntervalMs?: number;
}

/** The command line that signs `config`'s profile in (worded in src/config/advice.ts with the other next steps). */
export { loginCommandFor };

async function defaultOpenTokenStore(opts: OpenTokenStoreOptions): Promise<TokenStore> {
  const { openTokenStore } = await import('./stores/token-store.js');
  return openTokenStore(opts);
}

/** Builds the auth side for `config` (whose URLs already point at the sandbox in sandbox mode). */
export function createAuth(config: Config, opts: AuthSetupOptions): AuthService {
  const loginCommand = signInWith(config);
  const common = { loginCommand, progressIntervalMs: opts.progressIntervalMs ?? 10_000, requestedScopes: scopesFor(config) };
  if (config.authMode === 'service-principal') {
    if (config.sandbox && !config.clientSecret) {
      return { ...common, kind: 'sandbox', tokens: staticTokenProvider(opts.sandboxToken ?? '', 'sandbox') };
    }
    return { ...common, kind: 'service-principal', tokens: new AppOnlyAuth({ config, logger: opts.logger, fetch: opts.fetch }) };
  }
  if (config.authMode === 'obo') {
    // Remote mode: tokens come per request (on behalf of the caller); the runtime is given that provider.
    return { ...common, kind: 'obo', tokens: staticTokenProvider('', 'on-behalf-of (no caller)') };
  }
  if (!config.sandbox && config.accessToken) return { ...common, kind: 'static', tokens: staticTokenProvider(config.accessToken) };
  const delegated = createDelegatedAuth(config, opts);
  if (config.sandbox) return { ...common, kind: 'sandbox', tokens: sandboxTokens(opts.sandboxToken ?? '', delegated), delegated };
  return { ...common, kind: 'delegated', tokens: delegated, delegated };
}

/** Device-code sign-in for `config`'s profile, whatever else is configured (the CLI's login, logout and status use it). */
export function createDelegatedAuth(config: Config, opts: AuthSetupOptions): DelegatedAuth {
  const open = opts.openTokenStore ?? defaultOpenTokenStore;
  return new DelegatedAuth({
    config,
    // Sandbox sign-ins go to a plain file beside the sandbox state: fake tokens never reach the OS keyring.
    openStore: () => open({ profile: config.profile, profileDir: opts.stateDir, kind: config.sandbox ? 'file' : config.tokenStore, passphrase: config.tokenPassphrase, ...(config.bundle ? { bundle: config.bundle } : {}) }),
    logger: opts.logger,
    loginCommand: signInWith(config),
    fetch: opts.fetch,
    now: opts.now,
  });
}

/**
 * The sandbox's ready token until the profile has a sandbox sign-in, then
 * the real MSAL path. The store is probed on each call until a sign-in
 * shows up, so `login --sandbox` in another terminal takes effect at once.
 */
function sandboxTokens(readyToken: string, delegated: DelegatedAuth): TokenProvider {
  let signedIn = false;
  return {
    get source() {
      return signedIn ? `sandbox ${delegated.source}` : 'sandbox';
    },
    async getToken(request) {
      if (!signedIn) signedIn = await delegated.hasStoredAccount();
      if (!signedIn) return readyToken;
      try {
        return await delegated.getToken(request);
      } catch (err) {
        // Signed out meanwhile (`--sandbox logout`): back to the ready token, as at start-up.
        if (err instanceof SignInError && err.code === 'not_signed_in') {
          signedIn = false;
          return readyToken;
        }
        throw err;
      }
    },
  };
}
