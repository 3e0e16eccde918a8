/**
 * The one way this server talks to Microsoft Graph: bearer auth with a single
 * refresh on 401, retries of idempotent requests on 429/503/504 honouring
 * Retry-After, at most four requests in flight per mailbox (in this process,
 * and across every process of the profile through the shared gate of the
 * state store, whose Retry-After pause every process also honours), a
 * per-request timeout, Prefer headers on every request (including every page), typed
 * errors carrying Graph's request-id, and path building that encodes every id.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { TokenProvider } from '../auth/token-provider.js';
import type { GateLease, MailboxGate, ThrottlePause } from '../state/ports.js';
import { backoffDelay, parseRetryAfter } from './retry-after.js';
import { preferZoneName } from './prefer-zone.js';
import { EarlyGateEntry, takeEarlyGateEntry } from './early-gate-entry.js';
import { cleanUntrusted } from '../text/untrusted.js';
import {
  GraphAuthError,
  GraphError,
  GraphNetworkError,
  GraphPagingError,
  GraphRedirectError,
  GraphRequestRefusedError,
  GraphResponseTooLargeError,
  GraphThrottledError,
  type GraphErrorContext,
} from './errors.js';

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

/** How long a gate slot outlives the request's own timeout before a dead holder's slot is taken back. */
export const GATE_LEASE_MARGIN_MS = 5_000;
/** Longest wait between two tries for a full gate. */
const GATE_POLL_MAX_MS = 100;

/** The per-mailbox gate and Retry-After pause shared by every process of the profile (state ports). */
export interface SharedThrottle {
  readonly gate: MailboxGate;
  readonly pause: ThrottlePause;
  /** The state store's clock (ms): pauses are stored and compared in it. */
  readonly now: () => number;
}

/** Default cap on one JSON answer, and on all pages of one collection read together (OUTLOOK_MAX_RESPONSE_MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/** Consecutive empty pages after which a collection read stops: Graph does not page through nothing. */
export const MAX_EMPTY_PAGES = 20;
/** Most of an error body read (Graph's are a few hundred bytes). */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface GraphClientOptions {
  /** Base including version, e.g. `https://graph.microsoft.com/v1.0`. */
  baseUrl: string;
  /** Mailbox root path, `/me` or `/users/{upn}` (already encoded). */
  mailboxRoot: string;
  tokens: TokenProvider;
  /** How to sign in again, for the refusal after a token refresh (src/config/advice.ts); default the login command. */
  signIn?: string;
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
  /** Cap on one JSON answer and on one collection read (default {@link DEFAULT_MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number;
  /** Told of every successful non-GET request (the audit log takes Graph's request-id from it). */
  onWrite?: (w: { method: string; status: number; requestId?: string }) => void;
  /** The gate and pause shared across processes; without it the limit of 4 holds in this process only. */
  shared?: SharedThrottle;
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
  /** Cap on this answer's body, when it must differ from the client's (attachment bytes). */
  maxBytes?: number;
}

export interface GraphResponse<T> {
  data: T;
  status: number;
  requestId?: string;
  /** Bytes of the body as received. */
  size: number;
}

export interface Page<T> {
  items: T[];
  /** The whole URL this page was fetched from (query included): fetching it again returns this page. */
  link: string;
  /** Bytes of the page's body. */
  size?: number;
  nextLink?: string;
  /** The page's `@odata.deltaLink` (delta queries end with one instead of a nextLink). */
  deltaLink?: string;
  /** Entries of `value` that are not objects (`null`, a number, a string): left out of `items`, counted here. */
  skipped?: number;
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
  /** Entries left out of `items` because they were not objects (see {@link Page.skipped}). */
  skipped?: number;
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
  private readonly maxResponseBytes: number;

  constructor(private readonly opts: GraphClientOptions) {
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
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
    const { data, size } = await this.request<{ value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>('GET', pathOrNextLink, options);
    if (data === null || typeof data !== 'object' || (data.value !== undefined && !Array.isArray(data.value))) {
      throw new GraphPagingError(`Graph answered GET ${stripQuery(this.resolveUrl(pathOrNextLink).pathname)} with something that is not a collection.`);
    }
    const url = this.resolveUrl(pathOrNextLink);
    if (options.query?.length && !url.search) url.search = queryString(options.query);
    // One odd entry never fails a whole list: what is not an object cannot be an item, so it is counted and left out.
    const all: unknown[] = data.value ?? [];
    const items = all.filter((v): v is T => v !== null && typeof v === 'object' && !Array.isArray(v));
    const skipped = all.length - items.length;
    return { items, link: url.href, size, nextLink: stringOrUndefined(data['@odata.nextLink']), deltaLink: stringOrUndefined(data['@odata.deltaLink']), ...(skipped ? { skipped } : {}) };
  }

  /**
   * The one paging primitive: yields the pages of a collection, following each
   * `@odata.nextLink` whole (Prefer headers are resent on every page). It stops
   * with a {@link GraphPagingError} on a nextLink it has already followed (a
   * loop), after `maxPages` pages, after {@link MAX_EMPTY_PAGES} empty pages in
   * a row (so empty pages cannot defeat an item cap) and once the pages
   * together exceed the response-size cap; a nextLink to another host or
   * mailbox is refused by {@link resolveUrl} before any request.
   * `options.query` applies to the first page only, since a nextLink carries
   * its own query.
   */
  async *pages<T>(pathOrNextLink: string, options: RequestOptions = {}, limits: PagingLimits = {}): AsyncGenerator<Page<T>, void, undefined> {
    const maxPages = limits.maxPages ?? DEFAULT_MAX_PAGES;
    const what = () => stripQuery(this.resolveUrl(pathOrNextLink).pathname);
    const seen = new Set<string>();
    let next: string | undefined = pathOrNextLink;
    let opts = options;
    let empty = 0;
    let bytes = 0;
    for (let n = 1; next !== undefined; n++) {
      if (n > maxPages) throw new GraphPagingError(`Graph kept paging past ${maxPages} pages for ${what()}; stopped. Narrow the request (a shorter date range or a smaller folder).`);
      const page: Page<T> = await this.getPage<T>(next, opts);
      seen.add(next);
      if (page.nextLink !== undefined && seen.has(page.nextLink)) {
        throw new GraphPagingError(`Graph returned a nextLink that was already followed for ${what()} (a paging loop); stopped after ${n} page(s).`);
      }
      empty = page.items.length === 0 ? empty + 1 : 0;
      if (empty >= MAX_EMPTY_PAGES && page.nextLink !== undefined) {
        throw new GraphPagingError(`Graph returned ${empty} empty pages in a row for ${what()}, each with another nextLink; stopped after ${n} page(s). Try again later.`);
      }
      bytes += page.size ?? 0;
      if (bytes > this.maxResponseBytes && page.nextLink !== undefined) {
        throw new GraphResponseTooLargeError(`The pages of ${what()} together exceed ${mb(this.maxResponseBytes)} (OUTLOOK_MAX_RESPONSE_MB); stopped after ${n} page(s). Narrow the request, or raise OUTLOOK_MAX_RESPONSE_MB.`);
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
    let skipped = 0;
    const done = (rest: Partial<Collected<T>>): Collected<T> => ({ items, pages, ...rest, ...(skipped ? { skipped } : {}) });
    for await (const page of this.pages<T>(pathOrNextLink, options, limits)) {
      pages++;
      skipped += page.skipped ?? 0;
      items.push(...page.items);
      if (page.deltaLink !== undefined) return done({ deltaLink: page.deltaLink });
      if (limits.maxItems !== undefined && items.length >= limits.maxItems) return done({ nextLink: page.nextLink });
    }
    return done({});
  }

  /**
   * Follows the rest of an expanded collection (`$expand=attachments` answers
   * carry at most a page, plus `attachments@odata.nextLink`) through
   * {@link pages}, with the same caps; returns every item.
   */
  async expandedAll<T>(parent: Record<string, unknown>, property: string, options: RequestOptions = {}, limits: PagingLimits = {}): Promise<T[]> {
    const first = parent[property];
    const items: T[] = Array.isArray(first) ? [...(first as T[])] : [];
    const next = stringOrUndefined(parent[`${property}@odata.nextLink`]);
    if (next === undefined) return items;
    for await (const page of this.pages<T>(next, { ...options, query: undefined }, limits)) {
      items.push(...page.items);
      if (limits.maxItems !== undefined && items.length >= limits.maxItems) break;
    }
    return items;
  }

  /** GET raw bytes (e.g. an attachment's `/$value`), at most `options.maxBytes` (default the response cap). */
  async getBytes(path: string, options: RequestOptions = {}): Promise<{ bytes: Buffer; contentType?: string }> {
    const { body, res } = await this.send('GET', path, options);
    return { bytes: body, contentType: res.headers.get('content-type') ?? undefined };
  }

  /** Any JSON request. Non-GET requests are retried only with `idempotent: true`. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<GraphResponse<T>> {
    const { res, body } = await this.send(method, path, options);
    const requestId = cleanUntrusted(res.headers.get('request-id'), 'label') || undefined;
    if (method !== 'GET') this.opts.onWrite?.({ method, status: res.status, requestId });
    if (res.status === 204) return { data: undefined as T, status: res.status, requestId, size: 0 };
    const text = body.toString('utf8');
    let data: T;
    try {
      data = (text ? JSON.parse(text) : undefined) as T;
    } catch {
      throw new GraphError({ method, path: stripQuery(this.resolveUrl(path).pathname), status: res.status, code: 'InvalidJsonResponse', requestId, graphMessage: `Graph returned a body that is not JSON (${cleanUntrusted(text.slice(0, 80), 'label')})` });
    }
    return { data, status: res.status, requestId, size: body.length };
  }

  /**
   * Resolves a path or a whole nextLink to a URL on the configured Graph host
   * and inside the configured mailbox root, refusing anything else before any
   * request: whatever a cursor or a nextLink says, no request reaches another
   * host or another mailbox.
   */
  resolveUrl(pathOrUrl: string): URL {
    let url: URL;
    if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
      url = new URL(pathOrUrl);
      if (url.origin !== this.base.origin || !url.pathname.startsWith(this.base.pathname)) {
        // The bearer token must never reach another host, whatever a response says.
        throw new GraphRequestRefusedError(`Refusing to follow a link outside the configured Graph endpoint (${this.base.origin}${this.base.pathname}): ${url.origin}${url.pathname}`);
      }
    } else {
      if (!pathOrUrl.startsWith('/')) throw new GraphRequestRefusedError(`Graph paths must start with '/': ${pathOrUrl}`);
      url = new URL(this.base.pathname.replace(/\/$/, '') + pathOrUrl, this.base.origin);
    }
    if (!this.insideMailbox(url.pathname.slice(this.base.pathname.length - 1))) {
      throw new GraphRequestRefusedError(
        `Refusing a request outside the configured mailbox (${this.opts.mailboxRoot}): ${stripQuery(url.pathname)}. List or search again; a cursor or link is only valid for the mailbox that issued it.`,
      );
    }
    return url;
  }

  /**
   * True when a path below the version segment lies in the mailbox root. Segments
   * are compared decoded and case-insensitively (Graph echoes `/users/a@b` or
   * `/users/a%40b` alike); an encoded slash in a root segment, or a dot segment, never counts as inside.
   */
  private insideMailbox(rest: string): boolean {
    const decode = (seg: string) => {
      try {
        return decodeURIComponent(seg).toLowerCase();
      } catch {
        return undefined;
      }
    };
    const want = this.opts.mailboxRoot.split('/').filter(Boolean).map(decode);
    const have = rest.split('/').filter(Boolean);
    if (have.length < want.length) return false;
    for (const [i, w] of want.entries()) {
      const raw = have[i] as string;
      if (/%2f|%5c/i.test(raw) || decode(raw) !== w) return false;
    }
    return have.every((seg) => {
      const d = decode(seg);
      return d !== undefined && d !== '..' && d !== '.';
    });
  }

  private async preferHeader(options: RequestOptions): Promise<string> {
    const prefs = ['IdType="ImmutableId"'];
    if (options.preferTimeZone) prefs.push(`outlook.timezone="${await preferZoneName(this.opts.timeZone())}"`);
    if (options.preferTextBody) prefs.push('outlook.body-content-type="text"');
    return prefs.join(', ');
  }

  /**
   * One request with retries. The concurrency slot is held from the request
   * until its body has been read (or the read failed or was cancelled), not
   * only until the headers arrived: slow bodies would otherwise put many more
   * than four requests in flight at Graph.
   */
  private async send(method: string, path: string, options: RequestOptions): Promise<{ res: Response; body: Buffer }> {
    const url = this.resolveUrl(path);
    if (options.query?.length) {
      if (url.search) throw new GraphRequestRefusedError('A nextLink already carries its query; do not add parameters to it.');
      url.search = queryString(options.query);
    }
    const retryable = method === 'GET' || method === 'HEAD' || options.idempotent === true;
    const cap = options.maxBytes ?? this.maxResponseBytes;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.limit(() =>
        this.shared(method, url, options, async () => {
          const answer = await this.once(method, url, options, refreshed, cap);
          // Graph's Retry-After is recorded while this request still holds its slot, so no request of any process
          // takes the slot and goes out before the pause is there to see.
          if (!('body' in answer) && this.retry.statuses.includes(answer.res.status)) await this.recordPause(answer.res);
          return answer;
        }),
      );
      if ('body' in outcome) return outcome;
      const { res, ctx } = outcome;
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        attempt--; // the refresh is not a retry of a throttled request
        continue;
      }
      if (res.status === 401) {
        throw new GraphAuthError(ctx, `Microsoft Graph refused the credentials (${ctx.code}) even after a token refresh. Sign in again: ${this.opts.signIn ?? 'mcp-server-outlook login'}${ctx.requestId ? ` (request-id ${ctx.requestId})` : ''}`);
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

  /** Every process of the profile waits out Graph's Retry-After, not only this one. */
  private async recordPause(res: Response): Promise<void> {
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    if (retryAfter !== undefined && this.opts.shared) await this.opts.shared.pause.pauseUntil(this.opts.mailboxRoot, this.opts.shared.now() + retryAfter);
  }

  /**
   * Runs one attempt inside a slot of the shared gate, after any shared
   * Retry-After pause. A pause longer than the retry policy allows fails fast
   * as throttled, as it would for the process that was told.
   */
  private async shared<T>(method: string, url: URL, options: RequestOptions, attempt: () => Promise<T>): Promise<T> {
    const shared = this.opts.shared;
    if (!shared) return attempt();
    const lease = await this.enterGate(shared, method, url, options);
    try {
      return await attempt();
    } finally {
      // Not waited for: the answer need not wait one more round trip to the store, and a slot freed a
      // moment later only makes the gate stricter (a release that fails is covered by the lease's expiry).
      void shared.gate.release(lease).catch(() => undefined);
    }
  }

  /**
   * A slot of the shared gate. The pause check and the slot are one step (one Redis round trip on the common path),
   * and every try checks the pause again: a request still waiting for a slot when another process is told to wait
   * does not go out during the pause.
   */
  private async enterGate(shared: SharedThrottle, method: string, url: URL, options: RequestOptions): Promise<GateLease> {
    const root = this.opts.mailboxRoot;
    const { max, leaseMs } = this.gateTerms();
    let waitedOut = 0; // the end of the pause this request has already waited out
    // The call's entry started early (remote mode, early-gate-entry.ts) stands for the first try.
    let early = takeEarlyGateEntry(this);
    for (let poll = 5; ; poll = Math.min(poll * 2, GATE_POLL_MAX_MS)) {
      const entry = await (early ?? shared.gate.tryEnter(root, max, leaseMs));
      early = undefined;
      if ('lease' in entry) return entry.lease;
      if ('pausedUntil' in entry && entry.pausedUntil > waitedOut) {
        const wait = entry.pausedUntil - shared.now();
        if (wait > this.retry.maxDelayMs) throw new GraphThrottledError({ method, path: stripQuery(url.pathname), status: 429, code: 'TooManyRequests', graphMessage: 'Another server of this profile was told to wait' }, wait);
        if (wait > 0) await this.sleep(wait, options.signal);
        waitedOut = entry.pausedUntil;
        continue;
      }
      if ('pausedUntil' in entry) {
        // The pause already waited out, seen again because our sleep and the store's clock differ by a moment.
        const lease = await shared.gate.tryAcquire(root, max, leaseMs);
        if (lease) return lease;
      }
      // Real time, not the injected sleep: other processes hold the slots, and they free them in real time.
      await sleepReal(poll, options.signal);
    }
  }

  /** Slots per mailbox and the length of a lease: a lease outlives its request's timeout. */
  private gateTerms(): { max: number; leaseMs: number } {
    return { max: this.opts.maxConcurrency ?? MAILBOX_CONCURRENCY, leaseMs: this.timeoutMs + GATE_LEASE_MARGIN_MS };
  }

  /**
   * Starts, now, the shared-gate entry this client's first request of the coming call would make, for a caller
   * that is about to wait on something else (remote mode's rate limit): run the call with
   * {@link EarlyGateEntry.run}, or {@link EarlyGateEntry.end} it. Undefined without a shared gate.
   */
  startGateEntry(): EarlyGateEntry | undefined {
    const shared = this.opts.shared;
    if (!shared) return undefined;
    const { max, leaseMs } = this.gateTerms();
    return new EarlyGateEntry(this, shared.gate, shared.gate.tryEnter(this.opts.mailboxRoot, max, leaseMs));
  }

  /** One attempt, run inside a concurrency slot: the request and the whole body (or the error body). */
  private async once(method: string, url: URL, options: RequestOptions, forceRefresh: boolean, cap: number): Promise<{ res: Response; body: Buffer } | { res: Response; ctx: GraphErrorContext }> {
    const token = await this.opts.tokens.getToken({ forceRefresh, signal: options.signal });
    const clientRequestId = randomUUID();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      Prefer: await this.preferHeader(options),
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
    const networkError = (cause: unknown) => new GraphNetworkError(method, url.pathname, options.signal?.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'network', { cause });
    let res: Response;
    try {
      // 'manual': a redirect is reported as one, and never followed with the bearer token.
      res = await this.fetchImpl(url, { method, headers, body, signal, redirect: 'manual' });
    } catch (cause) {
      throw networkError(cause);
    }
    try {
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => undefined);
        throw new GraphRedirectError(method, url.pathname, res.status);
      }
      if (res.ok) return { res, body: await readCapped(res, cap, () => `${method} ${url.pathname}`) };
      return { res, ctx: await errorContext(method, url.pathname, res) };
    } catch (err) {
      if (err instanceof GraphRedirectError || err instanceof GraphResponseTooLargeError) throw err;
      throw networkError(err);
    }
  }
}

/** Reads a body, refusing (and cancelling the stream) past `cap` bytes, whatever Content-Length claimed. */
async function readCapped(res: Response, cap: number, what: () => string): Promise<Buffer> {
  const tooLarge = () => new GraphResponseTooLargeError(`Graph's answer to ${what()} is larger than ${mb(cap)} (OUTLOOK_MAX_RESPONSE_MB); stopped reading. Narrow the request, or raise OUTLOOK_MAX_RESPONSE_MB.`);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

function mb(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
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
  let requestId = cleanUntrusted(res.headers.get('request-id'), 'label') || undefined;
  try {
    const raw = await readCapped(res, MAX_ERROR_BODY_BYTES, () => `${method} ${path}`);
    const body = JSON.parse(raw.toString('utf8')) as { error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } } };
    // Graph's code and message are shown to the agent: a hostile Graph must not break lines or hide text with them.
    if (typeof body.error?.code === 'string' && body.error.code) code = cleanUntrusted(body.error.code, 'label');
    graphMessage = typeof body.error?.message === 'string' ? cleanUntrusted(body.error.message, 'label') : undefined;
    const rid = body.error?.innerError?.['request-id'];
    requestId ??= typeof rid === 'string' ? cleanUntrusted(rid, 'label') : undefined;
  } catch {
    // Not every failure has a Graph error body (proxies, gateways); the status still tells.
  }
  return { method, path, status: res.status, code, requestId, clientRequestId: res.headers.get('client-request-id') ?? undefined, graphMessage };
}
