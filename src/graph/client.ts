/**
 * The one way this server talks to Microsoft Graph: bearer auth with a single
 * refresh on 401, retries of idempotent requests on 429/503/504 honouring
 * Retry-After, at most four requests in flight per mailbox, a per-request
 * timeout, Prefer headers on every request (including every page), typed
 * errors carrying Graph's request-id, and path building that encodes every id.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { TokenProvider } from '../auth/token-provider.js';
import { backoffDelay, parseRetryAfter } from './retry-after.js';
import { GraphAuthError, GraphError, GraphNetworkError, GraphPagingError, GraphRequestRefusedError, GraphThrottledError, type GraphErrorContext } from './errors.js';

export interface RetryPolicy {
  /** Statuses retried for idempotent requests. */
  readonly statuses: readonly number[];
  /** Total attempts, first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  /** Longest single wait; a Retry-After beyond it fails fast with the advice to retry later. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  statuses: [429, 503, 504],
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
});

/** Graph's documented limit of concurrent requests per app per mailbox (docs/GRAPH-NOTES.md §7). */
export const MAILBOX_CONCURRENCY = 4;

export interface GraphClientOptions {
  /** Base including version, e.g. `https://graph.microsoft.com/v1.0`. */
  baseUrl: string;
  /** Mailbox root path, `/me` or `/users/{upn}` (already encoded). */
  mailboxRoot: string;
  tokens: TokenProvider;
  /** IANA zone for `Prefer: outlook.timezone` (read per request, so it can be resolved lazily). */
  timeZone: () => string;
  userAgent: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  maxConcurrency?: number;
  fetch?: typeof fetch;
  /** Injected so tests can skip real waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Told of every successful non-GET request (the audit log takes Graph's request-id from it). */
  onWrite?: (w: { method: string; status: number; requestId?: string }) => void;
}

export interface RequestOptions {
  query?: ReadonlyArray<readonly [string, string]>;
  body?: unknown;
  /** Return event times in the user's zone. */
  preferTimeZone?: boolean;
  /** Ask Graph for text bodies instead of HTML. */
  preferTextBody?: boolean;
  headers?: Record<string, string>;
  /** Non-GET requests are retried only when the caller vouches they are idempotent. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface GraphResponse<T> {
  data: T;
  status: number;
  requestId?: string;
}

export interface Page<T> {
  items: T[];
  nextLink?: string;
  /** The page's `@odata.deltaLink` (delta queries end with one instead of a nextLink). */
  deltaLink?: string;
}

/** Bounds for {@link GraphClient.pages}: how far a collection read may go. */
export interface PagingLimits {
  /** Most pages fetched, first included (default {@link DEFAULT_MAX_PAGES}). Past it the read fails, it never loops on. */
  readonly maxPages?: number;
  /** Stop (without error) once this many items arrived; the last page's nextLink is then kept for a cursor. */
  readonly maxItems?: number;
}

/** Default page cap of one collection read: 1,000 items a page at most would be a million items. */
export const DEFAULT_MAX_PAGES = 1000;

/** The result of reading a collection to its end (or to `maxItems`). */
export interface Collected<T> {
  items: T[];
  /** Set when `maxItems` stopped the read before the end: where the next page starts. */
  nextLink?: string;
  deltaLink?: string;
  pages: number;
}

const sleepReal = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Encodes each interpolated value as one path segment, so no id can reach another endpoint. */
export function encodePath(strings: TemplateStringsArray, ...values: ReadonlyArray<string>): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += encodeURIComponent(v) + (strings[i + 1] ?? '');
  });
  return out;
}

/** Percent-encodes query parameters; `$` stays readable in names as Graph's docs write them. */
export function queryString(params: ReadonlyArray<readonly [string, string]>): string {
  if (params.length === 0) return '';
  return '?' + params.map(([k, v]) => `${encodeURIComponent(k).replace(/%24/g, '$')}=${encodeURIComponent(v)}`).join('&');
}

/** Microsoft Graph client bound to one mailbox. */
export class GraphClient {
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly base: URL;

  constructor(private readonly opts: GraphClientOptions) {
    this.limit = pLimit(opts.maxConcurrency ?? MAILBOX_CONCURRENCY);
    this.fetchImpl = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? sleepReal;
    this.retry = opts.retry ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.base = new URL(opts.baseUrl.replace(/\/+$/, '') + '/');
  }

  /** The mailbox root path, `/me` or `/users/{upn}`. */
  get root(): string {
    return this.opts.mailboxRoot;
  }

  /** The mailbox root (`/me` or `/users/{upn}`) followed by a path whose interpolations are encoded. */
  mailbox(strings: TemplateStringsArray, ...values: ReadonlyArray<string>): string {
    return this.opts.mailboxRoot + encodePath(strings, ...values);
  }

  /** GET a JSON resource. */
  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('GET', path, options)).data;
  }

  /** GET one page of a collection; `pathOrNextLink` may be a nextLink from an earlier page (used whole). */
  async getPage<T>(pathOrNextLink: string, options: RequestOptions = {}): Promise<Page<T>> {
    const { data } = await this.request<{ value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>('GET', pathOrNextLink, options);
    if (data === null || typeof data !== 'object' || (data.value !== undefined && !Array.isArray(data.value))) {
      throw new GraphPagingError(`Graph answered GET ${stripQuery(this.resolveUrl(pathOrNextLink).pathname)} with something that is not a collection.`);
    }
    return { items: data.value ?? [], nextLink: stringOrUndefined(data['@odata.nextLink']), deltaLink: stringOrUndefined(data['@odata.deltaLink']) };
  }

  /**
   * The one paging primitive: yields the pages of a collection, following each
   * `@odata.nextLink` whole (Prefer headers are resent on every page). It stops
   * with a {@link GraphPagingError} on a nextLink it has already followed (a
   * loop) and after `maxPages` pages; a nextLink to another host is refused by
   * {@link resolveUrl} before any request. `options.query` applies to the first
   * page only, since a nextLink carries its own query.
   */
  async *pages<T>(pathOrNextLink: string, options: RequestOptions = {}, limits: PagingLimits = {}): AsyncGenerator<Page<T>, void, undefined> {
    const maxPages = limits.maxPages ?? DEFAULT_MAX_PAGES;
    const seen = new Set<string>();
    let next: string | undefined = pathOrNextLink;
    let opts = options;
    for (let n = 1; next !== undefined; n++) {
      if (n > maxPages) throw new GraphPagingError(`Graph kept paging past ${maxPages} pages for ${stripQuery(this.resolveUrl(pathOrNextLink).pathname)}; stopped. Narrow the request (a shorter date range or a smaller folder).`);
      const page: Page<T> = await this.getPage<T>(next, opts);
      seen.add(next);
      if (page.nextLink !== undefined && seen.has(page.nextLink)) {
        throw new GraphPagingError(`Graph returned a nextLink that was already followed for ${stripQuery(this.resolveUrl(pathOrNextLink).pathname)} (a paging loop); stopped after ${n} page(s).`);
      }
      yield page;
      next = page.nextLink;
      opts = { ...options, query: undefined };
    }
  }

  /** Reads a collection through {@link pages} to its end, or until `maxItems` items arrived. */
  async getAll<T>(pathOrNextLink: string, options: RequestOptions = {}, limits: PagingLimits = {}): Promise<Collected<T>> {
    const items: T[] = [];
    let pages = 0;
    for await (const page of this.pages<T>(pathOrNextLink, options, limits)) {
      pages++;
      items.push(...page.items);
      if (page.deltaLink !== undefined) return { items, deltaLink: page.deltaLink, pages };
      if (limits.maxItems !== undefined && items.length >= limits.maxItems) return { items, nextLink: page.nextLink, pages };
    }
    return { items, pages };
  }

  /** GET raw bytes (e.g. an attachment's `/$value`). */
  async getBytes(path: string, options: RequestOptions = {}): Promise<{ bytes: Buffer; contentType?: string }> {
    const res = await this.send('GET', path, options);
    const buf = Buffer.from(await res.arrayBuffer());
    return { bytes: buf, contentType: res.headers.get('content-type') ?? undefined };
  }

  /** Any JSON request. Non-GET requests are retried only with `idempotent: true`. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<GraphResponse<T>> {
    const res = await this.send(method, path, options);
    const requestId = res.headers.get('request-id') ?? undefined;
    if (method !== 'GET') this.opts.onWrite?.({ method, status: res.status, requestId });
    if (res.status === 204) return { data: undefined as T, status: res.status, requestId };
    const text = await res.text();
    let data: T;
    try {
      data = (text ? JSON.parse(text) : undefined) as T;
    } catch {
      throw new GraphError({ method, path: stripQuery(path), status: res.status, code: 'InvalidJsonResponse', requestId, graphMessage: `Graph returned a body that is not JSON (${text.slice(0, 80)})` });
    }
    return { data, status: res.status, requestId };
  }

  /** Resolves a path or a whole nextLink to a URL on the configured Graph host, refusing anything else. */
  resolveUrl(pathOrUrl: string): URL {
    if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
      const url = new URL(pathOrUrl);
      if (url.origin !== this.base.origin || !url.pathname.startsWith(this.base.pathname)) {
        // The bearer token must never reach another host, whatever a response says.
        throw new GraphRequestRefusedError(`Refusing to follow a link outside the configured Graph endpoint (${this.base.origin}${this.base.pathname}): ${url.origin}${url.pathname}`);
      }
      return url;
    }
    if (!pathOrUrl.startsWith('/')) throw new GraphRequestRefusedError(`Graph paths must start with '/': ${pathOrUrl}`);
    return new URL(this.base.pathname.replace(/\/$/, '') + pathOrUrl, this.base.origin);
  }

  private preferHeader(options: RequestOptions): string {
    const prefs = ['IdType="ImmutableId"'];
    if (options.preferTimeZone) prefs.push(`outlook.timezone="${this.opts.timeZone()}"`);
    if (options.preferTextBody) prefs.push('outlook.body-content-type="text"');
    return prefs.join(', ');
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = this.resolveUrl(path);
    if (options.query?.length) {
      if (url.search) throw new GraphRequestRefusedError('A nextLink already carries its query; do not add parameters to it.');
      url.search = queryString(options.query);
    }
    const logPath = url.pathname;
    const retryable = method === 'GET' || method === 'HEAD' || options.idempotent === true;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const res = await this.limit(() => this.once(method, url, options, refreshed));
      if (res.ok) return res;
      const ctx = await errorContext(method, logPath, res);
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        attempt--; // the refresh is not a retry of a throttled request
        continue;
      }
      if (res.status === 401) {
        throw new GraphAuthError(ctx, `Microsoft Graph refused the credentials (${ctx.code}) even after a token refresh. Sign in again: mcp-server-outlook login${ctx.requestId ? ` (request-id ${ctx.requestId})` : ''}`);
      }
      if (this.retry.statuses.includes(res.status)) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'), Date.now());
        const delay = retryAfter ?? backoffDelay(attempt, { baseMs: this.retry.baseDelayMs, capMs: this.retry.maxDelayMs, random: this.opts.random });
        if (!retryable || attempt >= this.retry.maxAttempts || delay > this.retry.maxDelayMs) {
          throw new GraphThrottledError(ctx, retryAfter);
        }
        await this.sleep(delay, options.signal);
        continue;
      }
      throw new GraphError(ctx);
    }
  }

  private async once(method: string, url: URL, options: RequestOptions, forceRefresh: boolean): Promise<Response> {
    const token = await this.opts.tokens.getToken({ forceRefresh, signal: options.signal });
    const clientRequestId = randomUUID();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      Prefer: this.preferHeader(options),
      'User-Agent': this.opts.userAgent,
      'client-request-id': clientRequestId,
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return await this.fetchImpl(url, { method, headers, body, signal, redirect: 'error' });
    } catch (cause) {
      const reason = options.signal?.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'network';
      throw new GraphNetworkError(method, url.pathname, reason, { cause });
    }
  }
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function stripQuery(path: string): string {
  const i = path.indexOf('?');
  return i < 0 ? path : path.slice(0, i);
}

async function errorContext(method: string, path: string, res: Response): Promise<GraphErrorContext> {
  let code = `HTTP${res.status}`;
  let graphMessage: string | undefined;
  let requestId = res.headers.get('request-id') || undefined;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } } };
    if (body.error?.code) code = body.error.code;
    graphMessage = body.error?.message;
    requestId ??= body.error?.innerError?.['request-id'];
  } catch {
    // Not every failure has a Graph error body (proxies, gateways); the status still tells.
  }
  return { method, path, status: res.status, code, requestId, clientRequestId: res.headers.get('client-request-id') ?? undefined, graphMessage };
}
