/** Scripted failures: the next matching requests answer with a Graph error instead of being served. */
import { GraphErrorResponse } from './errors.js';
import type { Injection } from './types.js';

const DEFAULTS: Readonly<Record<Injection['status'], [string, string]>> = {
  400: ['BadRequest', 'The request is malformed or incorrect.'],
  403: ['ErrorAccessDenied', 'Access is denied. Check credentials and try again.'],
  429: ['TooManyRequests', 'Application is over its MailboxConcurrency limit.'],
  500: ['UnknownError', 'An internal server error occurred.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.'],
  504: ['GatewayTimeout', 'The gateway did not receive a timely response from the mailbox server.'],
};

interface Pending extends Injection {
  remaining: number;
}

/** A queue of injections for one sandbox. */
export class Injections {
  private readonly pending: Pending[] = [];

  /** Queues an injection. */
  add(i: Injection): void {
    const times = i.times ?? 1;
    if (times > 0) this.pending.push({ ...i, remaining: times });
  }

  /** The error for this request if an injection matches it (consuming one use), else undefined. */
  take(method: string, path: string, rawPath: string): GraphErrorResponse | undefined {
    const idx = this.pending.findIndex((p) => {
      if (p.match?.method && p.match.method.toUpperCase() !== method.toUpperCase()) return false;
      const inc = p.match?.pathIncludes;
      return !inc || path.includes(inc) || rawPath.includes(inc);
    });
    const hit = this.pending[idx];
    if (!hit) return undefined;
    if (--hit.remaining <= 0) this.pending.splice(idx, 1);
    const [code, message] = DEFAULTS[hit.status];
    return new GraphErrorResponse(hit.status, hit.code ?? code, message, hit.retryAfter !== undefined ? { 'retry-after': hit.retryAfter } : {});
  }
}
