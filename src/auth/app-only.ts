/**
 * Service-principal (app-only) tokens: client credentials with the cloud's
 * `https://<graph>/.default` scope, i.e. whatever application permissions an
 * administrator granted the app. Nothing is persisted: the secret can get a
 * new token at any time, and MSAL keeps the current one in memory.
 */
import { randomUUID } from 'node:crypto';
import type { ConfidentialClientApplication } from '@azure/msal-node';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import type { TokenProvider, TokenRequest } from './token-provider.js';
import { authorityEndpoints } from './authority.js';
import { signInErrorFrom } from './entra-errors.js';
import { failureOf } from './msal-errors.js';
import { msalHttp, type MsalHttp } from './msal-http.js';
import { scopesFor } from './scopes.js';
import { TokenMemo, type FetchedToken } from './token-memo.js';

export interface AppOnlyAuthOptions {
  /** Needs clientId, tenantId and clientSecret (checked by the configuration). */
  config: Config;
  logger: Logger;
  fetch?: typeof fetch;
}

/** Client-credentials token provider. */
export class AppOnlyAuth implements TokenProvider {
  readonly source = 'service principal (client credentials)';
  readonly scopes: string[];
  private readonly http: MsalHttp;
  private appPromise?: Promise<ConfidentialClientApplication>;
  private readonly memo = new TokenMemo((force) => this.acquire(force));

  constructor(private readonly opts: AppOnlyAuthOptions) {
    this.scopes = scopesFor({ ...opts.config, authMode: 'service-principal' });
    this.http = msalHttp(opts.fetch);
  }

  /** A Graph token for `/.default`; `forceRefresh` skips MSAL's in-memory cache. */
  getToken(request: TokenRequest = {}): Promise<string> {
    return this.memo.get(request.forceRefresh === true);
  }

  private async acquire(forceRefresh: boolean): Promise<FetchedToken> {
    const app = await (this.appPromise ??= this.create());
    const correlationId = randomUUID();
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: this.scopes, skipCache: forceRefresh, correlationId });
      if (!result) throw new Error('Entra returned no token.');
      return { token: result.accessToken, expiresAt: result.expiresOn?.getTime() };
    } catch (err) {
      throw signInErrorFrom(failureOf(err, this.http.failures), 'check OUTLOOK_CLIENT_ID, OUTLOOK_TENANT_ID and OUTLOOK_CLIENT_SECRET');
    }
  }

  private async create(): Promise<ConfidentialClientApplication> {
    const { ConfidentialClientApplication, LogLevel } = await import('@azure/msal-node');
    const c = this.opts.config;
    const logger = this.opts.logger;
    return new ConfidentialClientApplication({
      // Only the sandbox lets service-principal mode start without a client id (the configuration requires one live).
      auth: { clientId: c.clientId ?? 'mcp-server-outlook-sandbox', clientSecret: c.clientSecret ?? '', ...authorityEndpoints(c.authorityUrl).forTenant(c.tenantId ?? 'organizations') },
      system: {
        networkClient: this.http.network,
        loggerOptions: { logLevel: LogLevel.Warning, piiLoggingEnabled: false, loggerCallback: (_l, m) => logger.debug(`msal: ${m}`) },
      },
    });
  }
}
