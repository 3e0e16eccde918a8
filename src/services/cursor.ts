/**
 * Opaque paging cursors. A cursor is the Graph `@odata.nextLink` (followed
 * whole, never rebuilt — docs/GRAPH-NOTES.md §3) plus the tool that issued it and any
 * constraint applied locally, base64url-encoded. Stateless, so a cursor keeps
 * working across server restarts and one-shot CLI calls; the Graph client
 * still refuses a link to any host but the configured Graph endpoint.
 */

/** A cursor the caller must not use here; the message says what to do. */
export class CursorError extends Error {
  override name = 'CursorError';
}

export interface CursorState<E = unknown> {
  nextLink: string;
  extra?: E;
}

/** Encodes a nextLink (and local state) into a cursor bound to one tool. */
export function encodeCursor(tool: string, nextLink: string, extra?: unknown): string {
  return Buffer.from(JSON.stringify({ t: tool, n: nextLink, ...(extra === undefined ? {} : { x: extra }) })).toString('base64url');
}

/** Decodes a cursor issued by `tool`; throws `CursorError` for anything else. */
export function decodeCursor<E = unknown>(tool: string, cursor: string): CursorState<E> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError(`cursor: not a cursor from ${tool}. Pass next_cursor exactly as the previous ${tool} result returned it, or omit it to start from the first page.`);
  }
  const p = parsed as { t?: unknown; n?: unknown; x?: unknown };
  if (typeof p !== 'object' || p === null || typeof p.n !== 'string') {
    throw new CursorError(`cursor: not a cursor from ${tool}. Pass next_cursor exactly as the previous ${tool} result returned it, or omit it to start from the first page.`);
  }
  if (p.t !== tool) {
    throw new CursorError(`cursor: this cursor belongs to ${String(p.t)}, not ${tool}. Use it with the tool that returned it.`);
  }
  return { nextLink: p.n, extra: p.x as E | undefined };
}
