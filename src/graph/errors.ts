/**
 * Typed Graph failures. Each carries what a person needs to act: the request
 * (method, path), Graph's stable `code` (never branch on `message`), the HTTP
 * status and Graph's `request-id` for a support ticket.
 */
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
export class GraphError extends Error {
  override name = 'GraphError';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly graphMessage?: string;

  constructor(ctx: GraphErrorContext, message?: string) {
    super(message ?? `Graph ${ctx.method} ${ctx.path} failed: ${ctx.status} ${ctx.code}${ctx.graphMessage ? ` - ${ctx.graphMessage}` : ''}`);
    this.method = ctx.method;
    this.path = ctx.path;
    this.status = ctx.status;
    this.code = ctx.code;
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
export class GraphNetworkError extends Error {
  override name = 'GraphNetworkError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: 'timeout' | 'network' | 'aborted',
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'timeout'
        ? `Graph ${method} ${path} timed out.`
        : reason === 'aborted'
          ? `Graph ${method} ${path} was cancelled.`
          : `Could not reach Microsoft Graph for ${method} ${path}.`,
      options,
    );
  }
}

/** A request our client refuses to make (e.g. a nextLink pointing at another host). */
export class GraphRequestRefusedError extends Error {
  override name = 'GraphRequestRefusedError';
}

/** A collection read that would not end: a repeated nextLink, too many pages, or a page that is not a collection. */
export class GraphPagingError extends Error {
  override name = 'GraphPagingError';
}
