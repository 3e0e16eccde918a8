/**
 * Remote mode (`serve --http`): one deployment for a whole team. Every
 * request passes the Host and Origin checks (DNS rebinding), then either
 * gets a probe (`/healthz`, `/readyz`), the RFC 9728 protected-resource
 * metadata naming Entra as the authorization server, or the MCP endpoint
 * `/mcp`: the bearer token is validated (401/403 with `WWW-Authenticate`
 * otherwise), the caller's runtime is looked up by their user key, and the
 * SDK's `createMcpHandler` serves the request (both protocol eras) from the
 * same server factory the stdio server uses. The caller rides along in an
 * AsyncLocalStorage, so every Graph call of the request is made on behalf of
 * exactly that caller.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildOAuthProtectedResourceMetadata,
  createMcpHandler,
  getOAuthProtectedResourceMetadataUrl,
  isJsonContentType,
  isLegacyRequest,
  localhostAllowedHostnames,
  readRequestBody,
  requireBearerAuth,
  type AuthInfo,
  type McpServer,
} from '@modelcontextprotocol/server';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { isLoopback, type Config, type HttpConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { serverBuilder } from '../mcp/server.js';
import { forbiddenKey } from '../mcp/argument-guard.js';
import { VERSION } from '../version.js';
import { currentCaller, loadAppCredential, OboExchange, type OboCachePartitions } from './obo.js';
import { callerOf, EntraTokenVerifier, issuerOf, jwksUrlOf } from './token-verifier.js';
import { localUserRuntimes, UserRuntimes, type UserRuntime, type UserRuntimeFactory } from './users.js';
import { StateUnavailableError } from '../state/ports.js';
import type { EarlyGateEntry } from '../graph/early-gate-entry.js';
import { LegacySessions } from './legacy-sessions.js';
import type { RedisRateLimiter } from './redis-remote.js';

export interface HttpServerOptions {
  logger: Logger;
  /** For Entra (OBO, JWKS probes) and Graph; tests may wrap it. */
  fetch?: typeof fetch;
  /** Builds a user's runtime; default the local store per user key (the Redis adapter plugs in here). */
  users?: UserRuntimeFactory;
  /** Where OBO token caches live; default in memory. */
  oboCache?: OboCachePartitions;
  /** More readiness checks for `/readyz` (e.g. Redis). */
  readiness?: ReadonlyArray<{ name: string; check: () => Promise<void> }>;
}

export interface RemoteServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  readonly origin: string;
  /** The canonical MCP endpoint (from OUTLOOK_PUBLIC_URL). */
  readonly mcpUrl: URL;
  readonly users: UserRuntimes;
  readonly exchange: OboExchange;
  close(): Promise<void>;
}

/**
 * How long an idle keep-alive connection stays open. Behind a load balancer that reuses idle connections to its
 * backends (haproxy, nginx, cloud load balancers), the replica must never be the side that closes an idle connection:
 * if it closes one just as the balancer sends a request on it, the balancer drops the client's connection without an
 * answer and the call fails ("other side closed"). Node's default (5 s) is shorter than every balancer's idle time;
 * 75 s is longer than haproxy's `timeout server` in docs/REMOTE.md and the 60 s of nginx and AWS ALB.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

/** Hostnames as the SDK's validators want them (IPv6 in brackets). */
function hostnameOf(u: URL): string {
  return u.hostname;
}

/**
 * The JSON-RPC body of a POST, read once here (from a clone, by the SDK's own bounded reader) so the SDK
 * is handed it parsed instead of reading and parsing it again. Undefined when there is none, it is not
 * JSON, or it is over the SDK's bound: then the SDK reads the request itself and answers as it always
 * does (400, 413, 415).
 */
async function readJsonBody(request: Request): Promise<{ body: unknown } | undefined> {
  if (request.method !== 'POST' || !request.body || !isJsonContentType(request.headers.get('content-type'))) return undefined;
  try {
    const read = await readRequestBody(request.clone());
    return read.tooLarge ? undefined : { body: JSON.parse(read.text) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * The stdio transport's argument guard, for HTTP: a tools/call whose arguments name the prototype
 * machinery is answered with Invalid params before the SDK parses (and silently drops) the key.
 */
function guardArguments(body: unknown): Response | undefined {
  for (const m of (Array.isArray(body) ? body : [body]) as Array<{ id?: string | number; method?: string; params?: { arguments?: unknown } }>) {
    const bad = m?.method === 'tools/call' && m.id !== undefined ? forbiddenKey(m.params?.arguments) : undefined;
    if (bad !== undefined) {
      return Response.json({ jsonrpc: '2.0', id: m.id, error: { code: -32602, message: `Invalid params: the argument name "${bad}" is not allowed. Pass only the tool's documented arguments.` } });
    }
  }
  return undefined;
}

/**
 * The per-person limit, checked before the request reaches the MCP layer. Over the limit: 429 with
 * Retry-After. Redis not answering: 503, fail closed (the limit cannot be counted, and neither can an
 * approval be consumed once), with what to do.
 */
async function rateLimit(limiter: RedisRateLimiter, userKey: string, request: Request): Promise<Response | undefined> {
  if (request.method !== 'POST') return undefined;
  try {
    const d = await limiter.take(userKey);
    if (d.allowed) return undefined;
    return json(
      429,
      { jsonrpc: '2.0', id: null, error: { code: -32000, message: `Too many calls: this server allows ${limiter.limit} calls per minute per person (OUTLOOK_RATE_LIMIT_PER_MINUTE). Wait ${d.retryAfterSeconds} s, then call again.` } },
      { 'retry-after': String(d.retryAfterSeconds) },
    );
  } catch (err) {
    if (!(err instanceof StateUnavailableError)) throw err;
    return json(503, { jsonrpc: '2.0', id: null, error: { code: -32000, message: err.message } }, { 'retry-after': '5' });
  }
}

/**
 * The SDK's 401 for a request that sent no bearer token names an error (`invalid_token`, "Missing Authorization
 * header"). RFC 6750 §3.1: when a request lacks any authentication information (the client did not know it was
 * needed, or used another scheme), the server should not include an error code or other error information; the
 * challenge keeps what a client needs to sign in (`resource_metadata`, `scope`).
 */
function challengeWithoutError(res: Response): Response {
  const challenge = res.headers.get('www-authenticate');
  if (res.status !== 401 || !challenge) return res;
  const params = [...challenge.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi)].filter(([, name]) => name !== 'error' && name !== 'error_description');
  const headers = new Headers(res.headers);
  headers.set('www-authenticate', `Bearer ${params.map(([whole]) => whole).join(', ')}`);
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ message: 'This MCP server needs a bearer token from Microsoft Entra ID: sign in as its protected-resource metadata says (resource_metadata in WWW-Authenticate).' }), { status: 401, headers });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** Serves MCP over Streamable HTTP for many users until closed. */
export async function startHttpServer(config: Config, opts: HttpServerOptions): Promise<RemoteServer> {
  const http = config.http as HttpConfig;
  const logger = opts.logger;
  const credential = await loadAppCredential(config);
  // With the Redis store every replica shares state, token cache and rate limits; loaded only then.
  const redis = config.stateStore === 'redis' ? await (await import('./redis-remote.js')).openRedisRemote(config, { logger, ...(opts.fetch ? { fetch: opts.fetch } : {}), exchange: () => exchange }) : undefined;
  const oboCache = opts.oboCache ?? redis?.oboCache;
  const exchange: OboExchange = new OboExchange({ config, logger, credential, ...(oboCache ? { cache: oboCache } : {}), ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const users = new UserRuntimes(opts.users ?? redis?.users ?? localUserRuntimes(config, { exchange, logger, ...(opts.fetch ? { fetch: opts.fetch } : {}) }));
  const readinessChecks = [...(redis ? [redis.readiness] : []), ...(opts.readiness ?? [])];
  const verifier = new EntraTokenVerifier(http, config.authorityUrl);

  const publicUrl = new URL(http.publicUrl);
  const basePath = publicUrl.pathname.replace(/\/+$/, '');
  const mcpUrl = new URL(`${basePath}/mcp`, publicUrl);
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(mcpUrl);
  const firstTenant = http.allowedTenants[0] as string;
  const authority = config.authorityUrl.replace(/\/+$/, '');
  // The SDK builds the document (and checks the issuer is https outside loopback); the issuers of every allowed tenant are listed.
  const prm = {
    ...buildOAuthProtectedResourceMetadata({
      oauthMetadata: {
        issuer: issuerOf(authority, firstTenant),
        authorization_endpoint: `${authority}/${firstTenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${authority}/${firstTenant}/oauth2/v2.0/token`,
        response_types_supported: ['code'],
      },
      resourceServerUrl: mcpUrl,
      scopesSupported: [http.apiScope],
      resourceName: 'Outlook (Microsoft 365) MCP server',
      dangerouslyAllowInsecureIssuerUrl: isLoopback(new URL(authority).hostname),
    }),
    authorization_servers: http.allowedTenants.map((t) => issuerOf(authority, t)),
    bearer_methods_supported: ['header'],
  };
  const prmPaths = new Set([new URL(resourceMetadataUrl).pathname, `/.well-known/oauth-protected-resource${basePath}`, '/.well-known/oauth-protected-resource']);
  const gate = requireBearerAuth({ verifier, requiredScopes: [http.apiScope], resourceMetadataUrl });

  // One server builder per person's runtime: the SDK asks for a fresh server per request, and the tools' schemas are prepared once.
  const builders = new WeakMap<UserRuntime, (era: 'legacy' | 'modern') => McpServer>();
  const serverFor = async (userKey: string, era: 'legacy' | 'modern') => {
    const runtime = await users.get(userKey);
    let build = builders.get(runtime);
    if (!build) builders.set(runtime, (build = serverBuilder(runtime.deps, runtime.tools)));
    return build(era);
  };
  const handler = createMcpHandler(
    (ctx) => serverFor(callerOf(ctx.authInfo as AuthInfo).userKey, ctx.era),
    // 2025 clients: served statelessly by the SDK, or refused (also when sessions serve them, below).
    { legacy: http.legacyClients === 'stateless' ? 'stateless' : 'reject', onerror: (err) => logger.debug(`MCP HTTP: ${err.message}`) },
  );
  const sessions = http.legacyClients === 'sessions' ? new LegacySessions((userKey) => serverFor(userKey, 'legacy')) : undefined;

  const fetchImpl = opts.fetch ?? fetch;
  let readyUntil = 0;
  async function readiness(): Promise<Response> {
    const failed: string[] = [];
    if (Date.now() > readyUntil) {
      // The tenants' signing keys: without them no request can be authenticated.
      await Promise.all(
        http.allowedTenants.map(async (t) => {
          try {
            const r = await fetchImpl(jwksUrlOf(authority, t), { signal: AbortSignal.timeout(3000) });
            if (!r.ok) throw new Error(String(r.status));
            await r.body?.cancel();
          } catch {
            failed.push(`signing keys of tenant ${t}`);
          }
        }),
      );
    }
    for (const c of readinessChecks) {
      try {
        await c.check();
      } catch {
        failed.push(c.name);
      }
    }
    if (failed.length > 0) return json(503, { status: 'not ready', failed });
    readyUntil = Date.now() + 30_000;
    return json(200, { status: 'ready' });
  }

  async function serve(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === '/healthz') return json(200, { status: 'ok', version: VERSION });
    if (path === '/readyz') return readiness();
    if (prmPaths.has(path)) {
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS' } });
      if (request.method !== 'GET') return json(405, { error: 'method_not_allowed' }, { allow: 'GET, OPTIONS' });
      return json(200, prm, { 'access-control-allow-origin': '*', 'cache-control': 'max-age=3600' });
    }
    if (path !== mcpUrl.pathname) return json(404, { error: 'not_found', message: `Nothing here. The MCP endpoint is ${mcpUrl.href}.` });
    const auth = await gate(request);
    if (auth instanceof Response) return /^bearer\s/i.test(request.headers.get('authorization') ?? '') ? auth : challengeWithoutError(auth);
    const caller = callerOf(auth);
    // The person's rate is counted while the body is read: one Redis round trip off each call's path. Every POST
    // counts, also one the argument guard then refuses. (Awaited below; the catch only keeps a failure while the body
    // is still being read from counting as an unhandled rejection.)
    const limited = redis ? rateLimit(redis.rateLimiter, caller.userKey, request) : undefined;
    limited?.catch(() => undefined);
    const parsed = await readJsonBody(request);
    // While the rate limit is counted, the gate entry of the call's first Graph request is started too (its own
    // round trip, in flight at the same time: src/graph/early-gate-entry.ts).
    const early = limited && parsed ? await earlyGateEntry(caller.userKey, parsed.body) : undefined;
    try {
      const refusal = (await limited) ?? (parsed && guardArguments(parsed.body));
      if (refusal) return refusal;
      const sessionful = sessions !== undefined && (request.headers.has('mcp-session-id') || (request.method === 'POST' && (await isLegacyRequest(parsed ? request : request.clone(), parsed?.body))));
      const serveCall = () => handler.fetch(request, { authInfo: auth, ...(parsed ? { parsedBody: parsed.body } : {}) });
      return await currentCaller.run({ assertion: auth.token, tenantId: caller.tenantId, userKey: caller.userKey }, () =>
        sessionful ? sessions.handle(request, caller.userKey, auth) : early ? early.run(serveCall) : serveCall(),
      );
    } finally {
      // An entry the call did not run with (refused, failed, or served by a session) is released; end() is idempotent.
      early?.end();
    }
  }

  /**
   * The early gate entry for a single tools/call of the caller's own mailbox (no `mailbox` argument), when the
   * caller's runtime is already built on this replica (a first call builds it, and makes its entry as usual).
   */
  async function earlyGateEntry(userKey: string, body: unknown): Promise<EarlyGateEntry | undefined> {
    const m = body as { method?: unknown; params?: { arguments?: { mailbox?: unknown } } } | null;
    if (Array.isArray(body) || m?.method !== 'tools/call' || m.params?.arguments?.mailbox !== undefined) return undefined;
    // A runtime whose build failed is the call's to report (serverFor builds it again); no early entry then.
    const runtime = await users.peek(userKey)?.catch(() => undefined);
    return runtime?.deps.graph.startGateEntry();
  }

  // The MCP endpoint's own hostnames plus, on a loopback bind, the loopback names (local clients and probes).
  const allowedHosts = [...new Set([hostnameOf(publicUrl), ...(isLoopback(http.host) ? localhostAllowedHostnames() : [])])];
  const hostOk = hostHeaderValidation(allowedHosts);
  const originOk = originValidation([...new Set([hostnameOf(publicUrl), ...http.allowedOriginHosts])]);
  const node = toNodeHandler({ fetch: serve }, { onerror: (err) => logger.warn(`HTTP: ${err.message}`) });
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if (!hostOk(req, res) || !originOk(req, res)) return;
    node(req, res).catch((err: unknown) => {
      logger.warn(`HTTP: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Longer than the keep-alive time, so waiting for the next request's headers never cuts an idle connection first.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(http.port, http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info(`Remote mode: MCP at ${mcpUrl.href} (listening on ${origin}); tenants ${http.allowedTenants.join(', ')}.`);
  return {
    origin,
    mcpUrl,
    users,
    exchange,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await handler.close();
      await sessions?.closeAll();
      await users.closeAll();
      await redis?.close();
    },
  };
}
