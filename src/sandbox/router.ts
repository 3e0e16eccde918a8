/**
 * The route table: patterns relative to the mailbox root (`/me` or
 * `/users/{id}`), matched per decoded path segment so that an encoded `/` in
 * an id never crosses into another segment. Literal segments match without
 * regard to case, as Graph's do.
 */
import type { Handler } from './context.js';
import { GraphErrorResponse, segmentNotFound } from './errors.js';

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Segments below the mailbox root, `{name}` for parameters; `''` is the root itself. */
  pattern: string;
  handler: Handler;
}

type Segment = { literal: string } | { param: string };

interface CompiledRoute {
  method: string;
  segments: Segment[];
  literals: number;
  handler: Handler;
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

function compile(route: Route): CompiledRoute {
  const segments: Segment[] = route.pattern === '' ? [] : route.pattern.split('/').map((s) => {
    const m = /^\{(\w+)\}$/.exec(s);
    return m ? { param: m[1] as string } : { literal: s.toLowerCase() };
  });
  return { method: route.method, segments, literals: segments.filter((s) => 'literal' in s).length, handler: route.handler };
}

/** How many leading segments a route accepts (for Graph's "segment not found" message). */
function matchDepth(route: CompiledRoute, path: readonly string[]): number {
  let i = 0;
  for (; i < path.length && i < route.segments.length; i++) {
    const seg = route.segments[i] as Segment;
    const value = path[i] as string;
    if ('literal' in seg ? seg.literal !== value.toLowerCase() : value === '') break;
  }
  return i;
}

/** Matches requests against a fixed set of routes. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    // Literal-heavy patterns first, so `messages/delta` would beat `messages/{id}`.
    this.routes = routes.map(compile).sort((a, b) => b.literals - a.literals);
  }

  /** The handler and parameters for a request, or Graph's 400 (unknown segment) / 405 (method). */
  match(method: string, path: readonly string[]): RouteMatch {
    let deepest = 0;
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const depth = matchDepth(route, path);
      if (depth === path.length && depth === route.segments.length) {
        if (route.method === method) {
          const params: Record<string, string> = {};
          route.segments.forEach((s, i) => {
            if ('param' in s) params[s.param] = path[i] as string;
          });
          return { handler: route.handler, params };
        }
        allowed.add(route.method);
      }
      deepest = Math.max(deepest, depth);
    }
    if (allowed.size > 0) {
      throw new GraphErrorResponse(405, 'ErrorInvalidRequest', `The HTTP method '${method}' is not supported for this resource.`, { allow: [...allowed].sort().join(', ') });
    }
    throw segmentNotFound(path[Math.min(deepest, path.length - 1)] ?? '');
  }
}
