/**
 * Opaque, signed `$skiptoken`s. A token carries the route, the original query
 * and the next offset, signed with a key that lives only as long as one
 * sandbox; a token the sandbox did not produce (or one moved to another path)
 * is refused, which is how a client that rebuilds nextLinks gets caught. A
 * persisted sandbox keeps its key, so its nextLinks outlive the process.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GraphErrorResponse } from './errors.js';

export interface PageState {
  /** The request path the token belongs to (decoded, lower-cased). */
  route: string;
  /** The query options of the first request, `$skiptoken` excluded. */
  query: Record<string, string>;
  offset: number;
}

function invalidToken(): GraphErrorResponse {
  return new GraphErrorResponse(400, 'BadRequest', 'The $skiptoken value is not valid for this request.');
}

/** Signs and verifies page tokens for one sandbox instance. */
export class PageTokens {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 22);
  }

  /** An opaque token for the state. */
  encode(state: PageState): string {
    const payload = Buffer.from(JSON.stringify([state.route, state.query, state.offset])).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The state behind a token produced by `encode` for the same route; throws 400 otherwise. */
  decode(token: string, route: string): PageState {
    const dot = token.lastIndexOf('.');
    if (dot < 0) throw invalidToken();
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.sign(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
    const [r, query, offset] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, Record<string, string>, number];
    if (r !== route) throw invalidToken();
    return { route: r, query, offset };
  }
}
