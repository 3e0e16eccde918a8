/**
 * Typed Graph failures. Each carries what a person needs to act: the request
 * (method, path), Graph's stable `code` (never branch on `message`), the HTTP
 * status and Graph's `request-id` for a support ticket. All are
 * {@link UserFacingError}s: their messages say what to do next.
 */
import { UserFacingError } from '../errors.js';
export interface GraphErrorContext {
  method: string;
  /** Path without the query string, so no search text or token leaks into logs. */
  path: string;
  status: number;
  code: string;
  requestId?: string;
  clientRequestId?: string;
  graphMessage?: string;
}

/** Graph answered with an error body. */
export class GraphError extends UserFacingError {
  override name = 'GraphError';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly graphMessage?: string;

  constructor(ctx: GraphErrorContext, message?: string) {
    // The stable code is Graph's own (`ErrorItemNotFound`, …).
    super(ctx.code, message ?? `Graph ${ctx.method} ${ctx.path} failed: ${ctx.status} ${ctx.code}${ctx.graphMessage ? ` - ${ctx.graphMessage}` : ''}`);
    this.method = ctx.method;
    this.path = ctx.path;
    this.status = ctx.status;
    this.requestId = ctx.requestId;
    this.clientRequestId = ctx.clientRequestId;
    this.graphMessage = ctx.graphMessage;
  }
}

/** Still throttled (429/503/504) after the retry budget, or told to wait longer than we may. */
export class GraphThrottledError extends GraphError {
  override name = 'GraphThrottledError';
  constructor(
    ctx: GraphErrorContext,
    readonly retryAfterMs: number | undefined,
  ) {
    super(ctx);
  }
}

/** The token was refused even after one refresh: the user must sign in again. */
export class GraphAuthError extends GraphError {
  override name = 'GraphAuthError';
}

/** No HTTP answer: DNS, connection, TLS, or our own timeout. */
export class GraphNetworkError extends UserFacingError {
  override name = 'GraphNetworkError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: 'timeout' | 'network' | 'aborted',
    options?: { cause?: unknown },
  ) {
    super(
      `graph_${reason}`,
      reason === 'timeout'
        ? `Graph ${method} ${path} timed out.`
        : reason === 'aborted'
          ? `Graph ${method} ${path} was cancelled.`
          : `Could not reach Microsoft Graph for ${method} ${path}.`,
      options,
    );
  }
}

/** Graph answered with a redirect: never followed (the bearer token would go with it), and said so. */
export class GraphRedirectError extends UserFacingError {
  override name = 'GraphRedirectError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
  ) {
    super('graph_redirect', `Graph redirected to another host; not followed (${method} ${path} answered ${status}). Check OUTLOOK_GRAPH_URL and any proxy in between.`);
  }
}

/** An answer (or the pages of one collection together) larger than the configured cap. */
export class GraphResponseTooLargeError extends UserFacingError {
  override name = 'GraphResponseTooLargeError';
  constructor(message: string) {
    super('graph_response_too_large', message);
  }
}

/** A request our client refuses to make (e.g. a nextLink pointing at another host). */
export class GraphRequestRefusedError extends UserFacingError {
  override name = 'GraphRequestRefusedError';
  constructor(message: string) {
    super('graph_request_refused', message);
  }
}

/** A collection read that would not end: a repeated nextLink, too many pages, or a page that is not a collection. */
export class GraphPagingError extends UserFacingError {
  override name = 'GraphPagingError';
  constructor(message: string) {
    super('graph_paging', message);
  }
}
