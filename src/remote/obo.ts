/**
 * On-behalf-of: the caller's token for our API is exchanged with Entra
 * (MSAL `acquireTokenOnBehalfOf`) for a Graph token for the same person; the
 * caller's token itself never goes to Graph. MSAL's token cache is
 * partitioned per assertion through an `ICachePlugin` (the distributed-cache
 * pattern of MSAL Node): one confidential client per exchange, its cache
 * loaded from and saved to the partition of that assertion, so no person's
 * Graph token can ever be found under another's. The partitions live in
 * memory here; the Redis-backed, encrypted store plugs in behind
 * {@link OboCachePartitions}.
 */
import { createHash, createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConfidentialClientApplication, ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { ConfigError, type Config } from '../config/config.js';
import { CLOUDS } from '../config/clouds.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../log.js';
import { authorityEndpoints } from '../auth/authority.js';
import { explainEntraError } from '../auth/entra-errors.js';
import { failureOf } from '../auth/msal-errors.js';
import { msalHttp, type MsalHttp } from '../auth/msal-http.js';
import { permissionsFor } from '../auth/scopes.js';
import type { TokenProvider, TokenRequest } from '../auth/token-provider.js';

/** Where MSAL's serialized caches are kept, one partition per assertion. The Redis adapter implements the same port. */
export interface OboCachePartitions {
  load(partition: string): Promise<string | undefined>;
  save(partition: string, serialized: string): Promise<void>;
}

/** Partitions in this process's memory, least recently used dropped first. */
export class MemoryOboCache implements OboCachePartitions {
  private readonly entries = new Map<string, string>();
  constructor(private readonly maxEntries = 2000) {}

  async load(partition: string): Promise<string | undefined> {
    const v = this.entries.get(partition);
    if (v !== undefined) {
      this.entries.delete(partition);
      this.entries.set(partition, v);
    }
    return v;
  }

  async save(partition: string, serialized: string): Promise<void> {
    this.entries.delete(partition);
    this.entries.set(partition, serialized);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How long before its expiry a remembered Graph token is no longer handed out (MSAL's own renewal offset). */
export const RECENT_TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * The Graph tokens this process obtained lately, by OBO partition (one person's one incoming token), in
 * front of the shared cache: a repeat call of the same person with the same token gets the same Graph
 * token MSAL would find, without the Redis read, the AES-GCM opening, the cache deserialization and a
 * new MSAL client. Kept until five minutes before the token expires, as MSAL would (then the shared
 * cache and MSAL decide again); bounded, least recently used dropped first. The partition key carries
 * the user key and a hash of the incoming token, so no caller can be handed another's token.
 */
export class RecentGraphTokens {
  private readonly entries = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly maxEntries = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  get(partition: string): string | undefined {
    const e = this.entries.get(partition);
    if (e === undefined) return undefined;
    this.entries.delete(partition);
    if (e.until <= this.now()) return undefined;
    this.entries.set(partition, e);
    return e.token;
  }

  remember(partition: string, token: string, expiresOn: Date | null | undefined): void {
    const until = (expiresOn?.getTime() ?? 0) - RECENT_TOKEN_MARGIN_MS;
    this.entries.delete(partition);
    if (until <= this.now()) return;
    this.entries.set(partition, { token, until });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(partition: string): void {
    this.entries.delete(partition);
  }
}

/** MSAL's cache plugin bound to one partition. */
class PartitionPlugin implements ICachePlugin {
  constructor(
    private readonly store: OboCachePartitions,
    private readonly partition: string,
  ) {}

  async beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
    const data = await this.store.load(this.partition);
    if (data !== undefined) ctx.tokenCache.deserialize(data);
  }

  async afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
    if (ctx.cacheHasChanged) await this.store.save(this.partition, ctx.tokenCache.serialize());
  }
}

/** The caller of the request being served (set by the HTTP layer around each request). */
export interface Caller {
  /** The validated incoming access token (the OBO assertion). */
  readonly assertion: string;
  readonly tenantId: string;
  readonly userKey: string;
}

/** Carries the caller through the async work of one request, so each Graph call uses exactly its own request's assertion. */
export const currentCaller = new AsyncLocalStorage<Caller>();

/** An OBO failure, explained for the person and the agent, with the AADSTS code. */
export class OboError extends UserFacingError {
  override name = 'OboError';
  constructor(
    message: string,
    readonly aadsts: string,
  ) {
    super('obo_failed', message);
  }
}

type AppCredential = { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string; x5c: string } };

/** Reads the app's credential: the secret, or the certificate and key from OUTLOOK_CLIENT_CERTIFICATE_PATH (checked at start-up). */
export async function loadAppCredential(config: Config): Promise<AppCredential> {
  if (config.clientSecret) return { clientSecret: config.clientSecret };
  const file = config.clientCertificatePath as string;
  const name = 'OUTLOOK_CLIENT_CERTIFICATE_PATH';
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${name}: cannot read ${file} (${(err as Error).message}). Point it at a PEM file holding the certificate and its private key.`, name);
  }
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyPem = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!certPem || !keyPem) throw new ConfigError(`${name}: ${file} must hold both a certificate (BEGIN CERTIFICATE) and its private key (BEGIN PRIVATE KEY).`, name);
  try {
    const cert = new X509Certificate(certPem);
    const key = createPrivateKey(keyPem);
    if (!cert.checkPrivateKey(key)) throw new Error('the private key does not belong to the certificate');
    return {
      clientCertificate: {
        thumbprintSha256: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
        privateKey: key.export({ format: 'pem', type: 'pkcs8' }) as string,
        x5c: cert.raw.toString('base64'),
      },
    };
  } catch (err) {
    throw new ConfigError(`${name}: ${file} is not a usable certificate and key (${(err as Error).message}).`, name);
  }
}

/** What each kind of failure means in remote mode, and who can fix it. */
function remoteExplanation(code: string, config: Config): string {
  const app = config.clientId ?? 'the server app';
  const scope = config.http?.apiScope ?? 'the server API scope';
  switch (code) {
    case 'AADSTS65001':
      return `Microsoft Entra has no consent for this server's app (${app}) to use Microsoft Graph for you (${code}). An administrator must grant admin consent for the app's Microsoft Graph delegated permissions (Entra admin center, App registrations, the app, API permissions, Grant admin consent), or you sign in again in your MCP client and accept the consent screen; then call the tool again.`;
    case 'AADSTS50076':
    case 'AADSTS50079':
    case 'AADSTS50074':
    case 'AADSTS53003':
    case 'interaction_required':
      return `A Conditional Access policy of your organisation requires a fresh interactive sign-in (for example multi-factor authentication) before this server may use Microsoft Graph for you (${code}). Sign out of this server in your MCP client and sign in again, completing the prompt; then call the tool again. If it keeps failing, ask your administrator which policy applies.`;
    case 'AADSTS500131':
    case 'AADSTS50013':
    case 'AADSTS500133':
      return `The token your MCP client sent was not accepted for the exchange (${code}: issued for another app, or expired). Reconnect the client so it signs in again for the scope ${scope}; then call the tool again.`;
    case 'AADSTS7000215':
    case 'AADSTS7000218':
    case 'AADSTS700016':
    case 'AADSTS700027':
    case 'AADSTS7000222':
      return `Microsoft Entra refused this server's own credentials (${code}). This is a server configuration problem, not yours: the operator must check OUTLOOK_CLIENT_ID and OUTLOOK_CLIENT_SECRET (or the certificate).`;
    default:
      return `Microsoft Entra refused to issue a Graph token for you (${code}). Sign in again in your MCP client; if it keeps failing, give your administrator this code.`;
  }
}

export interface OboExchangeOptions {
  config: Config;
  logger: Logger;
  credential: AppCredential;
  cache?: OboCachePartitions;
  fetch?: typeof fetch;
}

/** The server app's on-behalf-of exchange. */
export class OboExchange {
  readonly cache: OboCachePartitions;
  /** Graph tokens this process got lately, by partition: the common call skips the shared cache, its decryption and MSAL. */
  private readonly recent = new RecentGraphTokens();
  private readonly http: MsalHttp;
  private readonly scopes: string[];

  constructor(private readonly o: OboExchangeOptions) {
    this.cache = o.cache ?? new MemoryOboCache();
    this.http = msalHttp(o.fetch);
    const host = CLOUDS[o.config.cloud].graphHost;
    // Explicit permissions rather than /.default: the exchange asks for no more than this configuration uses.
    this.scopes = permissionsFor(o.config).map((p) => `https://${host}/${p}`);
  }

  /** A Graph token for the caller; `forceRefresh` skips the cache (once, after Graph answered 401). */
  async graphToken(caller: Caller, forceRefresh = false): Promise<string> {
    const partition = `obo:${caller.userKey}:${createHash('sha256').update(caller.assertion).digest('base64url')}`;
    if (forceRefresh) this.recent.forget(partition);
    else {
      const hit = this.recent.get(partition);
      if (hit !== undefined) return hit;
    }
    const app = await this.app(caller.tenantId, partition);
    // MSAL consults the cache plugin when it writes, not before an OBO cache lookup: the partition is loaded first.
    const saved = forceRefresh ? undefined : await this.cache.load(partition);
    if (saved !== undefined) app.getTokenCache().deserialize(saved);
    const correlationId = randomUUID();
    try {
      const result = await app.acquireTokenOnBehalfOf({ oboAssertion: caller.assertion, scopes: this.scopes, skipCache: forceRefresh, correlationId });
      if (!result?.accessToken) throw new Error('Entra returned no token.');
      this.recent.remember(partition, result.accessToken, result.expiresOn);
      return result.accessToken;
    } catch (err) {
      const failure = failureOf(err, this.http.failures);
      const code = failure.error === 'interaction_required' && !failure.errorCodes?.length ? 'interaction_required' : explainEntraError(failure).code;
      this.o.logger.warn(`on-behalf-of exchange failed: ${code}`);
      throw new OboError(remoteExplanation(code, this.o.config), code);
    }
  }

  private async app(tenantId: string, partition: string): Promise<ConfidentialClientApplication> {
    const { ConfidentialClientApplication, LogLevel } = await import('@azure/msal-node');
    const c = this.o.config;
    const logger = this.o.logger;
    return new ConfidentialClientApplication({
      auth: { clientId: c.clientId as string, ...this.o.credential, ...authorityEndpoints(c.authorityUrl).forTenant(tenantId) },
      cache: { cachePlugin: new PartitionPlugin(this.cache, partition) },
      system: {
        networkClient: this.http.network,
        loggerOptions: { logLevel: LogLevel.Warning, piiLoggingEnabled: false, loggerCallback: (_l, m) => logger.debug(`msal: ${m}`) },
      },
    });
  }
}

/** The token provider of every per-user runtime: the Graph token of the caller of the request in progress. */
export function callerTokens(exchange: OboExchange, userKey: string): TokenProvider {
  return {
    source: 'on-behalf-of (remote)',
    async getToken(request?: TokenRequest) {
      const caller = currentCaller.getStore();
      // Defence in depth: a runtime only ever works for the user it was built for.
      if (!caller || caller.userKey !== userKey) throw new OboError('This request has no caller of its own; nothing was sent to Microsoft Graph. Call the tool again.', 'no_caller');
      return exchange.graphToken(caller, request?.forceRefresh === true);
    },
  };
}
