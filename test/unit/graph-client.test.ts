import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphClient, encodePath } from '../../src/graph/client.js';
import { GraphAuthError, GraphError, GraphNetworkError, GraphRequestRefusedError, GraphThrottledError } from '../../src/graph/errors.js';
import type { TokenProvider } from '../../src/auth/token-provider.js';
import { tempState } from '../helpers/state.js';
import { StateUnavailableError, type MailboxGate } from '../../src/state/ports.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Handler): Promise<{ base: string; seen: Seen[]; maxInFlight: () => number }> {
  const seen: Seen[] = [];
  let inFlight = 0;
  let max = 0;
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    inFlight++;
    max = Math.max(max, inFlight);
    res.on('finish', () => inFlight--);
    handler(req, res, seen.length);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}/v1.0`, seen, maxInFlight: () => max };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'rid-1', ...headers });
  res.end(JSON.stringify(body));
}

const graphError = (code: string, message = 'x') => ({ error: { code, message, innerError: { 'request-id': 'rid-body' } } });

function tokens(): TokenProvider & { calls: Array<boolean | undefined> } {
  const calls: Array<boolean | undefined> = [];
  return {
    source: 'test',
    calls,
    async getToken(r) {
      calls.push(r?.forceRefresh);
      return r?.forceRefresh ? 'fresh' : 'stale';
    },
  };
}

function client(base: string, extra: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}) {
  const sleeps: number[] = [];
  const c = new GraphClient({
    baseUrl: base,
    mailboxRoot: '/me',
    tokens: tokens(),
    timeZone: () => 'Europe/Berlin',
    userAgent: 'mcp-server-outlook/test',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
  return { c, sleeps };
}

describe('GraphClient', () => {
  it('sends auth, User-Agent, a client-request-id and Prefer IdType on every request, timezone when asked', async () => {
    const s = await serve((_q, res) => json(res, 200, { value: [] }));
    const { c } = client(s.base);
    await c.getPage('/me/messages', { query: [['$top', '5']] });
    await c.getPage('/me/calendarView', { preferTimeZone: true, preferTextBody: true });
    const [a, b] = s.seen;
    expect(a?.headers.authorization).toBe('Bearer stale');
    expect(a?.headers['user-agent']).toBe('mcp-server-outlook/test');
    expect(a?.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a?.headers.prefer).toBe('IdType="ImmutableId"');
    expect(a?.url).toBe('/v1.0/me/messages?$top=5');
    expect(b?.headers.prefer).toBe('IdType="ImmutableId", outlook.timezone="W. Europe Standard Time", outlook.body-content-type="text"');
  });

  it('follows nextLink whole and re-sends the Prefer headers on every page', async () => {
    const s = await serve((req, res, n) => {
      const origin = `http://${req.headers.host}`;
      json(res, 200, n === 1 ? { value: [{ n: 1 }], '@odata.nextLink': `${origin}/v1.0/me/messages?$skiptoken=abc%2Fdef&$top=1` } : { value: [{ n: 2 }] });
    });
    const { c } = client(s.base);
    const p1 = await c.getPage<{ n: number }>('/me/messages', { preferTimeZone: true });
    expect(p1.items).toEqual([{ n: 1 }]);
    const p2 = await c.getPage<{ n: number }>(p1.nextLink as string, { preferTimeZone: true });
    expect(p2.items).toEqual([{ n: 2 }]);
    expect(s.seen[1]?.url).toBe('/v1.0/me/messages?$skiptoken=abc%2Fdef&$top=1');
    expect(s.seen[1]?.headers.prefer).toContain('outlook.timezone="W. Europe Standard Time"');
  });

  it('leaves entries that are not objects out of a page and counts them (one odd entry never fails a list)', async () => {
    const s = await serve((req, res, n) => {
      const origin = `http://${req.headers.host}`;
      json(res, 200, n === 1 ? { value: [null, 7, 'x', [1], { n: 1 }], '@odata.nextLink': `${origin}/v1.0/me/messages?$skiptoken=b` } : { value: [{ n: 2 }, null] });
    });
    const { c } = client(s.base);
    const all = await c.getAll<{ n: number }>('/me/messages');
    expect(all.items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(all.skipped).toBe(5);
  });

  it('never sends the token to another host or path, whatever a nextLink says', async () => {
    const s = await serve((_q, res) => json(res, 200, { value: [] }));
    const { c } = client(s.base);
    await expect(c.getPage('https://evil.example/v1.0/me/messages')).rejects.toBeInstanceOf(GraphRequestRefusedError);
    await expect(c.getPage(s.base.replace('/v1.0', '/beta') + '/me/messages')).rejects.toBeInstanceOf(GraphRequestRefusedError);
    await expect(c.getPage('me/messages')).rejects.toBeInstanceOf(GraphRequestRefusedError);
    expect(s.seen).toHaveLength(0);
  });

  it('encodes every interpolated id as one path segment', () => {
    const { c } = client('https://graph.microsoft.com/v1.0');
    expect(c.mailbox`/messages/${'AAA/send'}`).toBe('/me/messages/AAA%2Fsend');
    expect(encodePath`/messages/${'../../sendMail'}/attachments/${'a+b=c?d#e'}`).toBe('/messages/..%2F..%2FsendMail/attachments/a%2Bb%3Dc%3Fd%23e');
  });

  it('retries 429 honouring Retry-After seconds, then succeeds', async () => {
    const s = await serve((_q, res, n) => (n < 3 ? json(res, 429, graphError('TooManyRequests'), { 'retry-after': n === 1 ? '2' : '0.5' }) : json(res, 200, { ok: 1 })));
    const { c, sleeps } = client(s.base);
    expect(await c.get('/me')).toEqual({ ok: 1 });
    expect(sleeps).toEqual([2000, 500]);
  });

  it('retries 503/504 with exponential backoff when Retry-After is absent', async () => {
    const s = await serve((_q, res, n) => (n === 1 ? json(res, 503, graphError('ServiceUnavailable')) : n === 2 ? json(res, 504, graphError('GatewayTimeout')) : json(res, 200, {})));
    const { c, sleeps } = client(s.base);
    await c.get('/me');
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] as number);
  });

  it('gives up after the attempt budget with a typed throttling error carrying request-id', async () => {
    const s = await serve((_q, res) => json(res, 429, graphError('TooManyRequests'), { 'retry-after': '1' }));
    const { c } = client(s.base);
    const err = await c.get('/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphThrottledError);
    expect((err as GraphThrottledError).requestId).toBe('rid-1');
    expect(s.seen).toHaveLength(4);
  });

  it('fails fast when Retry-After is longer than the cap', async () => {
    const s = await serve((_q, res) => json(res, 429, graphError('TooManyRequests'), { 'retry-after': '600' }));
    const { c, sleeps } = client(s.base);
    const err = (await c.get('/me').catch((e: unknown) => e)) as GraphThrottledError;
    expect(err.retryAfterMs).toBe(600_000);
    expect(sleeps).toEqual([]);
    expect(s.seen).toHaveLength(1);
  });

  it('does not retry non-idempotent writes', async () => {
    const s = await serve((_q, res) => json(res, 503, graphError('ServiceUnavailable')));
    const { c } = client(s.base);
    await expect(c.request('POST', '/me/messages', { body: {} })).rejects.toBeInstanceOf(GraphThrottledError);
    expect(s.seen).toHaveLength(1);
  });

  it('refreshes the token once after a 401, then asks for sign-in', async () => {
    const s1 = await serve((req, res) => (req.headers.authorization === 'Bearer fresh' ? json(res, 200, { ok: true }) : json(res, 401, graphError('InvalidAuthenticationToken'))));
    const t = tokens();
    const { c } = client(s1.base, { tokens: t });
    expect(await c.get('/me')).toEqual({ ok: true });
    expect(t.calls).toEqual([false, true]);

    const s2 = await serve((_q, res) => json(res, 401, graphError('InvalidAuthenticationToken')));
    const { c: c2 } = client(s2.base);
    const err = await c2.get('/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphAuthError);
    expect((err as Error).message).toMatch(/Sign in again: mcp-server-outlook login/);
    expect(s2.seen).toHaveLength(2);
    // Worded for the install (src/config/advice.ts): the bundle's user signs in through the agent.
    const { c: c3 } = client(s2.base, { signIn: 'ol_login_begin (ask the agent to call it with force=true)' });
    expect(((await c3.get('/me').catch((e: unknown) => e)) as Error).message).toMatch(/Sign in again: ol_login_begin \(ask the agent/);
  });

  it('maps Graph error bodies to typed errors with code, status and request-id', async () => {
    const s = await serve((_q, res) => json(res, 404, graphError('ErrorItemNotFound', 'The specified object was not found in the store.'), { 'request-id': '' }));
    const { c } = client(s.base);
    const err = (await c.get('/me/messages/x').catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ status: 404, code: 'ErrorItemNotFound', requestId: 'rid-body', path: '/v1.0/me/messages/x' });
  });

  it('keeps at most 4 requests in flight', async () => {
    const s = await serve((_q, res) => setTimeout(() => json(res, 200, {}), 30));
    const { c } = client(s.base);
    await Promise.all(Array.from({ length: 12 }, () => c.get('/me')));
    expect(s.seen).toHaveLength(12);
    expect(s.maxInFlight()).toBe(4);
  });

  it('times out a request that never answers', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const { c } = client(s.base, { timeoutMs: 100, retry: { statuses: [], maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = (await c.get('/me').catch((e: unknown) => e)) as GraphNetworkError;
    expect(err).toBeInstanceOf(GraphNetworkError);
    expect(err.reason).toBe('timeout');
  });

  it('a request waiting for a shared slot when another process is told to wait does not go out during the pause', async () => {
    // Two servers of one profile share the gate (one slot here) and the pause. A holds the slot and gets a 429 with
    // Retry-After: 1; B was already waiting for that slot. B must reach Graph only after the pause, and A's retry too.
    const store = tempState();
    const shared = { gate: store.gate, pause: store.pause, now: () => Date.now() };
    const arrivals: Array<{ path: string; at: number }> = [];
    let throttledAt = 0;
    const s = await serve((req, res) => {
      arrivals.push({ path: req.url ?? '', at: Date.now() });
      if (req.url === '/v1.0/me/a' && arrivals.filter((a) => a.path === '/v1.0/me/a').length === 1) {
        setTimeout(() => {
          throttledAt = Date.now();
          json(res, 429, graphError('TooManyRequests'), { 'retry-after': '1' });
        }, 150);
      } else json(res, 200, {});
    });
    const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const a = client(s.base, { shared, maxConcurrency: 1, sleep: realSleep }).c;
    const b = client(s.base, { shared, maxConcurrency: 1, sleep: realSleep }).c;
    const first = a.get('/me/a');
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([first, b.get('/me/b')]);
    const bAt = arrivals.find((x) => x.path === '/v1.0/me/b')!.at;
    // Before the fix B took the slot A freed and went out at once, inside the pause.
    expect(bAt - throttledAt).toBeGreaterThanOrEqual(900);
    expect(arrivals.map((x) => x.path)).toContain('/v1.0/me/a');
  });
});


describe('an early shared-gate entry (remote mode starts it while the rate limit is counted)', () => {
  /** The profile's gate with every entry and release counted, and whether `root` has a slot free with a limit of 1. */
  function countedGate() {
    const store = tempState();
    const calls = { tryEnter: 0, release: 0 };
    const gate: MailboxGate = {
      tryAcquire: (...a) => store.gate.tryAcquire(...a),
      renew: (...a) => store.gate.renew(...a),
      tryEnter: (...a) => {
        calls.tryEnter++;
        return store.gate.tryEnter(...a);
      },
      release: (lease) => {
        calls.release++;
        return store.gate.release(lease);
      },
    };
    const shared = { gate, pause: store.pause, now: () => Date.now() };
    const free = async (root = '/me') => {
      const probe = await store.gate.tryAcquire(root, 1, 1_000);
      if (probe) await store.gate.release(probe);
      return probe !== undefined;
    };
    return { store, shared, calls, free };
  }
  const settle = () => new Promise((r) => setTimeout(r, 20));

  it("is the first request's entry: one entry per call, not two, and the slot is freed after the request", async () => {
    const s = await serve((_req, res) => json(res, 200, { ok: 1 }));
    const g = countedGate();
    const { c } = client(s.base, { shared: g.shared, maxConcurrency: 1 });
    const early = c.startGateEntry()!;
    expect(await early.run(async () => (await c.get<{ ok: number }>('/me/a')).ok)).toBe(1);
    await settle();
    expect(g.calls).toEqual({ tryEnter: 1, release: 1 });
    expect(await g.free()).toBe(true);
    // Later requests of the call, and later calls, enter as usual.
    await c.get('/me/b');
    await settle();
    expect(g.calls).toEqual({ tryEnter: 2, release: 2 });
  });

  it('is released when the call made no Graph request, and when it was refused before running', async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    const g = countedGate();
    const { c } = client(s.base, { shared: g.shared, maxConcurrency: 1 });
    await c.startGateEntry()!.run(async () => 'no Graph request');
    await settle();
    expect(g.calls).toEqual({ tryEnter: 1, release: 1 });
    expect(await g.free()).toBe(true);
    c.startGateEntry()!.end();
    await settle();
    expect(g.calls).toEqual({ tryEnter: 2, release: 2 });
    expect(await g.free()).toBe(true);
    expect(s.seen).toHaveLength(0);
  });

  it("is not taken by another mailbox's client; that one enters its own gate, and the unused entry is released", async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    const g = countedGate();
    const own = client(s.base, { shared: g.shared, maxConcurrency: 1 }).c;
    const other = client(s.base, { shared: g.shared, maxConcurrency: 1, mailboxRoot: '/users/boss%40contoso.example' }).c;
    await own.startGateEntry()!.run(() => other.get('/users/boss%40contoso.example/messages'));
    await settle();
    expect(g.calls).toEqual({ tryEnter: 2, release: 2 });
    expect(await g.free('/me')).toBe(true);
    expect(await g.free('/users/boss%40contoso.example')).toBe(true);
  });

  it('a full gate seen early is waited for as usual: never more requests in flight than slots', async () => {
    const s = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 30));
    const g = countedGate();
    const holder = client(s.base, { shared: g.shared, maxConcurrency: 1 }).c;
    const { c } = client(s.base, { shared: g.shared, maxConcurrency: 1 });
    const busy = holder.get('/me/slow');
    await new Promise((r) => setTimeout(r, 5));
    // The early entry finds the one slot taken; the request waits for it instead of going out.
    await c.startGateEntry()!.run(() => c.get('/me/a'));
    await busy;
    expect(s.maxInFlight()).toBe(1);
    expect(s.seen.map((x) => x.url)).toEqual(['/v1.0/me/slow', '/v1.0/me/a']);
  });

  it('a store that fails the early entry fails the request, closed: nothing reaches Graph', async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    const g = countedGate();
    const failing = { ...g.shared, gate: { ...g.shared.gate, tryEnter: async () => Promise.reject(new StateUnavailableError('Redis is not answering.')) } };
    const { c } = client(s.base, { shared: failing, maxConcurrency: 1 });
    await expect(c.startGateEntry()!.run(() => c.get('/me/a'))).rejects.toThrow(/Redis is not answering/);
    expect(s.seen).toHaveLength(0);
  });
});
