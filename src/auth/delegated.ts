/**
 * Delegated sign-in for one profile: MSAL's device-code flow to sign in, and
 * `acquireTokenSilent` with the cached account to renew, through the
 * account's own authority. The MSAL cache lives in the profile's token store
 * (through the cache plugin), so every renewal, and with it every rotated
 * refresh token, is persisted at once. The access token is also kept in
 * memory (TokenMemo), so a Graph call does not touch the store.
 */
import { randomUUID } from 'node:crypto';
import type { AccountInfo, AuthenticationResult, PublicClientApplication } from '@azure/msal-node';
import { settingName, signInAdvice, withoutSignInAdvice } from '../config/advice.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import type { TokenRequest, TokenProvider } from './token-provider.js';
import type { TokenStore } from './stores/token-store.js';
import { authorityEndpoints, DEFAULT_PUBLIC_CLIENT_ID, isPersonalAccount, isSpecificTenant, renewalTenant, signInTenant, type AuthorityEndpoints } from './authority.js';
import { storedSignIn, summarizeCache, type StoredSignIn } from './cache-summary.js';
import { LoginSession, type LoginOutcome } from './device-code.js';
import { aadstsNumber, SignInError, signInErrorFrom, type EntraFailure } from './entra-errors.js';
import { failureOf } from './msal-errors.js';
import { msalHttp, type MsalHttp } from './msal-http.js';
import { graphPermissions, missingScopes, scopesFor, settingNeeding } from './scopes.js';
import { TokenMemo, type FetchedToken } from './token-memo.js';

export interface DelegatedAuthOptions {
  /** Effective configuration (in sandbox mode its `authorityUrl` is the sandbox's). */
  config: Config;
  /** Opens the profile's token store (called once, on first need). */
  openStore: () => Promise<TokenStore>;
  logger: Logger;
  /** The command that signs this profile in, for messages. */
  loginCommand: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The token is missing permissions the current flags need. */
export class ScopeMismatchError extends SignInError {
  override name = 'ScopeMismatchError';
  constructor(
    message: string,
    readonly missing: string[],
  ) {
    super(message, 'scope_mismatch');
  }
}

/** A TokenStoreError (matched by name: the store backends are loaded only on demand). */
function isStoreError(err: unknown): boolean {
  return err instanceof Error && err.name === 'TokenStoreError';
}

interface Msal {
  app: PublicClientApplication;
  http: MsalHttp;
}

/** Delegated (device code) sign-in and token renewal for one profile. */
export class DelegatedAuth implements TokenProvider {
  readonly source = 'sign-in (device code)';
  /** The scopes these settings request (docs/DESIGN.md promise 4). */
  readonly scopes: string[];
  readonly clientId: string;
  readonly endpoints: AuthorityEndpoints;
  private msalPromise?: Promise<Msal>;
  private storePromise?: Promise<TokenStore>;
  private readonly memo: TokenMemo;
  private login?: LoginSession;
  private readonly now: () => Date;
  private readonly http: MsalHttp;

  constructor(private readonly opts: DelegatedAuthOptions) {
    this.http = msalHttp(opts.fetch);
    this.scopes = scopesFor(opts.config);
    this.clientId = opts.config.clientId ?? DEFAULT_PUBLIC_CLIENT_ID;
    this.endpoints = authorityEndpoints(opts.config.authorityUrl);
    this.now = opts.now ?? (() => new Date());
    this.memo = new TokenMemo((force) => this.acquire(force), () => this.now().getTime());
  }

  /** The profile's token store. */
  store(): Promise<TokenStore> {
    const p = (this.storePromise ??= this.opts.openStore());
    p.catch(() => {
      // A store that failed to open (locked keyring, wrong passphrase) is tried again next time.
      if (this.storePromise === p) this.storePromise = undefined;
    });
    return p;
  }

  /** A Graph token for the configured scopes; renews silently, never prompts. */
  getToken(request: TokenRequest = {}): Promise<string> {
    return this.memo.get(request.forceRefresh === true);
  }

  /** What the stored cache says (no network, no MSAL). */
  async stored(): Promise<StoredSignIn> {
    const store = await this.store();
    return storedSignIn(summarizeCache(await store.read()), this.scopes, this.now());
  }

  /** True when the store holds an account that can be renewed. */
  async hasStoredAccount(): Promise<boolean> {
    const s = await this.stored();
    return s.signedIn;
  }

  /** The sign-in in progress or the last one, if any. */
  get currentLogin(): LoginSession | undefined {
    return this.login;
  }

  /**
   * Starts a device-code sign-in, or joins the one in progress. `force`
   * cancels a pending one and starts fresh.
   */
  beginLogin(opts: { force?: boolean } = {}): LoginSession {
    const current = this.login;
    if (current?.active) {
      if (!opts.force) return current;
      current.cancel();
    }
    const session = new LoginSession({
      scopes: this.scopes,
      now: this.now,
      acquire: async (req) => {
        // A store that cannot be read must fail now, not after the person has entered the code.
        await this.stored();
        return (await this.msal()).app.acquireTokenByDeviceCode(req);
      },
      succeeded: (result) => this.signedIn(result),
      failed: (err, correlationId) =>
        isStoreError(err) ? new SignInError((err as Error).message, 'token_store') : signInErrorFrom(this.failure(err, correlationId), this.opts.loginCommand, (v) => settingName(this.opts.config, v)),
    });
    this.login = session;
    void session.run();
    return session;
  }

  /** Removes this profile's tokens (and only them) and forgets the in-memory token. */
  async logout(): Promise<boolean> {
    this.login?.cancel();
    this.memo.clear();
    const store = await this.store();
    // A damaged store counts as holding something: logout is the documented way to clear it.
    const had = await store.read().then(
      (data) => summarizeCache(data).accounts.length > 0 || data !== undefined,
      () => true,
    );
    await store.clear();
    // MSAL's in-memory cache would write the account back on its next access.
    this.msalPromise = undefined;
    return had;
  }

  /** Entra's answer for a failed attempt; errors of our own carry no correlation id, so the attempt's is used. */
  private failure(err: unknown, correlationId: string): EntraFailure {
    const own = typeof (err as { correlationId?: unknown } | undefined)?.correlationId !== 'string';
    return (own ? this.http.failures.get(correlationId) : undefined) ?? failureOf(err, this.http.failures);
  }

  private msal(): Promise<Msal> {
    const p = (this.msalPromise ??= this.createMsal());
    p.catch(() => {
      if (this.msalPromise === p) this.msalPromise = undefined;
    });
    return p;
  }

  private async createMsal(): Promise<Msal> {
    // Loaded on first use: serving tools/list or a static token never pays for MSAL.
    const [{ PublicClientApplication, LogLevel }, { msalCachePlugin }, store] = await Promise.all([
      import('@azure/msal-node'),
      import('./stores/msal-cache-plugin.js'),
      this.store(),
    ]);
    const http = this.http;
    const logger = this.opts.logger;
    const app = new PublicClientApplication({
      auth: { clientId: this.clientId, ...this.endpoints.forTenant(signInTenant(this.opts.config.tenantId)) },
      cache: { cachePlugin: msalCachePlugin(store) },
      system: {
        networkClient: http.network,
        loggerOptions: {
          logLevel: LogLevel.Warning,
          piiLoggingEnabled: false,
          loggerCallback: (_level, message) => logger.debug(`msal: ${message}`),
        },
      },
    });
    return { app, http };
  }

  private notSignedIn(): SignInError {
    const p = this.opts.config.profile;
    return new SignInError(
      `No usable credentials for profile '${p}'. Sign in with: ${signInAdvice(this.opts.config)}, ${withoutSignInAdvice(this.opts.config)}.`,
      'not_signed_in',
    );
  }

  private scopeMismatch(missing: string[]): ScopeMismatchError {
    const p = this.opts.config.profile;
    return new ScopeMismatchError(
      `The sign-in of profile '${p}' does not grant ${missing.join(', ')}, which ${settingNeeding(missing, this.opts.config)} needs. ` +
        `Sign in again to grant ${missing.length > 1 ? 'them' : 'it'}: ${signInAdvice(this.opts.config)}.`,
      missing,
    );
  }

  private async account(app: PublicClientApplication): Promise<AccountInfo> {
    const accounts = await app.getTokenCache().getAllAccounts();
    const account = accounts[0];
    if (!account) throw this.notSignedIn();
    const pinned = this.opts.config.tenantId?.trim();
    // A GUID tenant that differs from the account's means the stored sign-in belongs to another tenant: never mix them.
    if (isSpecificTenant(pinned) && /^[0-9a-f-]{36}$/i.test(pinned) && account.tenantId && pinned.toLowerCase() !== account.tenantId.toLowerCase()) {
      throw new SignInError(
        `Profile '${this.opts.config.profile}' is signed in to tenant ${account.tenantId}, but ${settingName(this.opts.config, 'OUTLOOK_TENANT_ID')} is ${pinned}. Sign in again for that tenant: ${this.opts.loginCommand}`,
        'tenant_mismatch',
      );
    }
    return account;
  }

  private async acquire(forceRefresh: boolean): Promise<FetchedToken> {
    const { app, http } = await this.msal();
    const account = await this.account(app);
    const correlationId = randomUUID();
    let result: AuthenticationResult;
    try {
      result = await app.acquireTokenSilent({
        account,
        scopes: this.scopes,
        authority: this.endpoints.forTenant(renewalTenant(account.tenantId, this.opts.config.tenantId)).authority,
        forceRefresh,
        correlationId,
      });
    } catch (err) {
      // The token store's own errors already name the profile, the store and the fix.
      if (isStoreError(err)) throw err;
      const f = failureOf(err, http.failures);
      if (f.error === 'not_signed_in') throw this.notSignedIn();
      if (aadstsNumber(f) === 65001 || f.suberror === 'consent_required' || f.error === 'consent_required') {
        const missing = missingScopes((await this.stored()).grantedScopes, this.scopes);
        if (missing.length > 0) throw this.scopeMismatch(missing);
      }
      throw signInErrorFrom(f, this.opts.loginCommand, (v) => settingName(this.opts.config, v));
    }
    const missing = missingScopes(result.scopes, this.scopes);
    if (missing.length > 0) throw this.scopeMismatch(missing);
    return { token: result.accessToken, expiresAt: result.expiresOn?.getTime() };
  }

  /** After a device-code success: keep only this account in the profile, remember its token. */
  private async signedIn(result: AuthenticationResult): Promise<LoginOutcome> {
    const { app } = await this.msal();
    const account = result.account;
    if (!account) throw new SignInError('The sign-in returned no account. Try again.', 'no_account');
    const cache = app.getTokenCache();
    for (const other of await cache.getAllAccounts()) {
      // One profile, one identity: an earlier account of this profile must not linger next to the new one.
      if (other.homeAccountId !== account.homeAccountId) await cache.removeAccount(other);
    }
    const scopes = graphPermissions(result.scopes);
    const missing = missingScopes(scopes, this.scopes);
    // A token without every needed scope is not handed to Graph; getToken will explain what is missing.
    if (missing.length === 0) this.memo.set({ token: result.accessToken, expiresAt: result.expiresOn?.getTime() });
    else this.memo.clear();
    return {
      account: account.name && account.username ? `${account.name} <${account.username}>` : account.username || account.name || account.homeAccountId,
      username: account.username,
      tenantId: account.tenantId,
      personal: isPersonalAccount(account.tenantId),
      scopes,
      missing,
    };
  }
}
