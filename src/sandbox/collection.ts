/** Collection responses: page size, `$skip`/`$skiptoken` offsets, `@odata.count` and nextLinks. */
import type { HandlerResult, RequestContext } from './context.js';
import { readCount, readSkip, readTop } from './odata/query.js';

export interface ListSpec<T> {
  /** Filtered and sorted items, all of them. */
  items: readonly T[];
  defaultPageSize: number;
  /** `@odata.context` after the `#`, e.g. `users('id')/messages(subject)`. */
  context: string;
  shape: (item: T) => Record<string, unknown>;
  /**
   * Page with `$skip` in the nextLink (the first request's query plus
   * `$skip=N`), as Graph's message lists do, instead of an opaque `$skiptoken`.
   */
  skipLinks?: boolean;
}

/** The query of a `$skip` nextLink: the request's own options with `$skip` replaced (OData keys keep their `$`). */
function skipQuery(query: Readonly<Record<string, string>>, skip: number): string {
  const parts = Object.entries(query)
    .filter(([k]) => k !== '$skip' && k !== '$skiptoken')
    .map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`);
  return [...parts, `$skip=${skip}`].join('&');
}

/** Builds one page of a collection, with a signed nextLink when more remain. */
export function listResponse<T>(ctx: RequestContext, spec: ListSpec<T>): HandlerResult {
  const top = readTop(ctx.query);
  const count = readCount(ctx.query);
  let pageSize = top ?? spec.defaultPageSize;
  if (top === undefined && ctx.prefer.maxPageSize !== undefined) {
    pageSize = Math.min(ctx.prefer.maxPageSize, 1000);
    ctx.applied.maxPageSize = pageSize;
  }
  if (ctx.state.pageSizeCap !== undefined) pageSize = Math.max(1, Math.min(pageSize, ctx.state.pageSizeCap));
  const offset = ctx.resumeOffset ?? readSkip(ctx.query);
  const page = spec.items.slice(offset, offset + pageSize);
  const body: Record<string, unknown> = { '@odata.context': `${ctx.state.url}/$metadata#${spec.context}` };
  if (count) body['@odata.count'] = spec.items.length;
  body.value = page.map(spec.shape);
  if (offset + pageSize < spec.items.length && spec.skipLinks) {
    body['@odata.nextLink'] = `${ctx.state.origin}${ctx.rawPathname}?${skipQuery(ctx.query, offset + pageSize)}`;
  } else if (offset + pageSize < spec.items.length) {
    const token = ctx.state.pages.encode({ route: ctx.routeKey, query: { ...ctx.query }, offset: offset + pageSize });
    body['@odata.nextLink'] = `${ctx.state.origin}${ctx.rawPathname}?$skiptoken=${encodeURIComponent(token)}`;
  }
  return { status: 200, json: body };
}

/** `@odata.context` suffix listing selected properties, as Graph writes it. */
export function contextWithSelect(base: string, selected: readonly string[] | undefined): string {
  return selected ? `${base}(${selected.join(',')})` : base;
}
