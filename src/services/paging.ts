/**
 * Reading "up to `limit` items" of a Graph collection for a listing tool, on
 * top of the client's one paging primitive. Pages are followed until the
 * limit is reached (Graph may answer fewer items per page than `$top`, down to
 * one), within a page budget per call, so empty or filtered-out pages cannot
 * make one call run on. Where the read stops inside a page, the resume point
 * is that page's link plus how many of its items were already returned, so no
 * item is lost or repeated between one call and the next.
 */
import type { GraphClient, RequestOptions } from '../graph/client.js';

/** Pages one listing call may fetch beyond one per item asked for, before it returns what it has, with a cursor. */
export const PAGES_PER_CALL = 10;

/** Where the next call resumes: a page link and the items of it already returned. */
export interface ResumePoint {
  link: string;
  skip: number;
}

export interface LimitedRead<T> {
  items: T[];
  /** Undefined when the collection ended. */
  resume?: ResumePoint;
  /** Entries of the pages read that were not items at all (`null`, numbers): left out, counted for the agent. */
  skipped?: number;
}

/** Reads up to `limit` items (those `keep` accepts) from `start`, skipping `skip` items of the first page. */
export async function readUpTo<T>(
  graph: GraphClient,
  start: string,
  options: RequestOptions,
  limit: number,
  opts: { skip?: number; keep?: (item: T) => boolean; pagesPerCall?: number } = {},
): Promise<LimitedRead<T>> {
  const out: T[] = [];
  // A Graph paging one item at a time still fills the limit; empty or filtered-out pages stop at the budget.
  const budget = opts.pagesPerCall ?? limit + PAGES_PER_CALL;
  let skip = opts.skip ?? 0;
  let n = 0;
  let skipped = 0;
  const done = (resume?: ResumePoint): LimitedRead<T> => ({ items: out, ...(resume ? { resume } : {}), ...(skipped ? { skipped } : {}) });
  // One page past the budget is never requested: pages() is lazy, and we return before asking for it.
  for await (const page of graph.pages<T>(start, options, { maxPages: budget })) {
    n++;
    // A page resumed inside (skip > 0) had its odd entries counted by the call that read it first.
    if (skip === 0) skipped += page.skipped ?? 0;
    for (let i = skip; i < page.items.length; i++) {
      const item = page.items[i] as T;
      if (!opts.keep || opts.keep(item)) out.push(item);
      if (out.length >= limit) {
        if (i + 1 < page.items.length) return done({ link: page.link, skip: i + 1 });
        return done(page.nextLink ? { link: page.nextLink, skip: 0 } : undefined);
      }
    }
    skip = 0;
    if (!page.nextLink) return done();
    if (n >= budget) return done({ link: page.nextLink, skip: 0 });
  }
  return done();
}
