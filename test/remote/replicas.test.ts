/**
 * Remote mode across replicas: redis-server, the team sandbox (50 people), 3 replicas of the built binary
 * and haproxy round robin in front, all started here on loopback. What went out is read from the
 * sandbox's logs (Graph requests, sent-mail notifications), never from what the server says about itself.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import { readFileSync } from 'node:fs';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { textOf } from '../helpers/harness.js';
import { clusterAvailable, HAPROXY_TIMEOUT_SERVER_S, startCluster, type Cluster } from '../helpers/cluster.js';
import { subjectsOf } from '../helpers/remote-harness.js';

const available = clusterAvailable();
const USERS = 50;
const RATE_LIMIT = 200;
// Declares form elicitation and drives the input_required rounds itself, so a test can carry the request state between replicas.
const MANUAL_2026 = { versionNegotiation: { mode: { pin: '2026-07-28' as const } }, inputRequired: { autoFulfill: false }, capabilities: { elicitation: { form: {} } } };
const ACCEPT = { confirm: { action: 'accept', content: { confirm: true } } };

/** Most requests in flight at once among `requests`, from the sandbox's arrival and answer times (an answer at t frees its slot before an arrival at t). */
function peakInFlight(requests: readonly RecordedRequest[]): number {
  const events = requests.flatMap((q) => [{ at: q.startedAt, d: 1 }, { at: q.endedAt, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of events) peak = Math.max(peak, (now += e.d));
  return peak;
}

describe.skipIf(!available)('remote mode: 3 replicas behind haproxy, state in Redis', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ users: USERS, env: { OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) } });
  }, 120_000);
  afterAll(async () => c?.close(), 30_000);

  const sends = () => c.sandbox.requests.filter((r) => r.method === 'POST' && /\/send$/.test(r.path));
  const marker = (name: string) => `Only for ${c.team.users.find((u) => u.name === name)!.displayName}: mailbox ${name}`;
  const rawSend = (client: Awaited<ReturnType<Cluster['connectAs']>>, params: Record<string, unknown>) =>
    client.callTool({ name: 'ol_email_send_draft', ...params } as never, { allowInputRequired: true } as never) as unknown as Promise<CallToolResult & { resultType?: string; requestState?: string }>;
  /** A client of `user` talking to one replica directly (bypassing the load balancer). */
  async function direct(user: string, replica: string) {
    const r = c.replicas.find((x) => x.name === replica)!;
    const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const { toolCallers } = await import('../helpers/harness.js');
    const client = new Client({ name: `direct-${replica}`, version: '1.0.0' }, MANUAL_2026);
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${r.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${await c.team.issueApiToken(user)}` } } }));
    return Object.assign(client, toolCallers(client), { served: new Set([replica]) });
  }
  async function draftFor(user: string, subject: string): Promise<string> {
    const a = await c.connectAs(user, 'modern');
    const d = await a.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject, body: 'Hello Dana' });
    await a.close();
    return d.draft_id;
  }

  it(`${USERS} users x 20 mixed calls, each on several replicas: 0 cross-user leaks, handles work across replicas`, async () => {
    const names = c.team.users.map((u) => u.name);
    expect(names).toHaveLength(USERS);
    const results: Array<{ name: string; text: string; served: Set<string> }> = [];
    // Ten people at a time: 50 clients at once would only measure this 2-core machine.
    for (let i = 0; i < names.length; i += 10) {
      const batch = Promise.all(
        names.slice(i, i + 10).map(async (name, k) => {
            const client = await c.connectAs(name, k % 2 ? 'modern' : 'legacy');
            const seen: string[] = [];
            for (let round = 0; round < 5; round++) {
              const unread = await client.call('ol_email_list_unread', { limit: 2 });
              expect(unread.isError, textOf(unread)).toBeFalsy();
              seen.push(...subjectsOf(unread));
              const mine = (unread.structuredContent as { messages: Array<{ id: string }> }).messages[0]!;
              // The handle was minted by one replica and is resolved by another (state in Redis).
              const read = await client.call('ol_email_read', { id: mine.id });
              expect(read.isError, textOf(read)).toBeFalsy();
              seen.push(textOf(read));
              seen.push(textOf(await client.call('ol_email_search', { query: 'Only for' })));
              seen.push(textOf(await client.call('ol_status', {})));
            }
            await client.close();
            return { name, text: seen.join('\n'), served: client.served };
          }),
        );
      // On failure, say what each replica was doing (exited? what did it log?).
      results.push(...(await batch.catch((err: unknown) => Promise.reject(new Error(`${String(err)}\n${c.describe()}`, { cause: err })))));
    }
    let leaks = 0;
    for (const { name, text, served } of results) {
      expect(text).toContain(marker(name));
      for (const other of names) if (other !== name && text.includes(marker(other))) leaks++;
      expect(served.size, `${name} served by ${[...served].join(',')}`).toBeGreaterThanOrEqual(2);
    }
    expect(leaks).toBe(0);
    // Graph was only ever called with an on-behalf-of token for the mailbox's own person.
    expect(c.sandbox.requests.every((q) => q.bearerAudience !== c.team.serverApp.audience)).toBe(true);
  }, 120_000);

  it('a prompt opened on one replica and answered on another: sent once; the same answer again is refused', async () => {
    const id = await draftFor('blake', 'Opened on r1');
    const before = sends().length;
    const r1 = await direct('blake', 'r1');
    const first = await rawSend(r1, { arguments: { draft_id: id } });
    expect(first.resultType, JSON.stringify(first)).toBe('input_required');
    expect(sends().length).toBe(before);
    const r2 = await direct('blake', 'r2');
    const answered = await rawSend(r2, { arguments: { draft_id: id }, requestState: first.requestState, inputResponses: ACCEPT });
    expect(answered.isError, textOf(answered)).toBeFalsy();
    expect(answered.structuredContent).toMatchObject({ status: 'sent' });
    const r3 = await direct('blake', 'r3');
    const replay = await rawSend(r3, { arguments: { draft_id: id }, requestState: first.requestState, inputResponses: ACCEPT });
    expect(replay.isError).toBe(true);
    expect(sends().length).toBe(before + 1);
    await Promise.all([r1.close(), r2.close(), r3.close()]);
  }, 30_000);

  it("another person's request state is refused on every replica", async () => {
    const id = await draftFor('casey', 'Casey only');
    const casey = await direct('casey', 'r1');
    const first = await rawSend(casey, { arguments: { draft_id: id } });
    expect(first.resultType, JSON.stringify(first)).toBe('input_required');
    const before = sends().length;
    const thief = await direct('blake', 'r2');
    const stolen = await rawSend(thief, { arguments: { draft_id: id }, requestState: first.requestState, inputResponses: ACCEPT });
    expect(stolen.isError).toBe(true);
    expect(sends().length).toBe(before);
    await Promise.all([casey.close(), thief.close()]);
  }, 30_000);

  it('one approval raced by 30 clients across replicas: exactly one send', async () => {
    const user = c.team.users[5]!.name;
    const id = await draftFor(user, 'Raced');
    const opener = await c.connectAs(user, 'modern', MANUAL_2026);
    const first = await rawSend(opener, { arguments: { draft_id: id } });
    expect(first.resultType, JSON.stringify(first)).toBe('input_required');
    const before = sends().length;
    const racers = await Promise.all(Array.from({ length: 30 }, () => c.connectAs(user, 'modern', MANUAL_2026)));
    const outcomes = await Promise.all(racers.map((r) => rawSend(r, { arguments: { draft_id: id }, requestState: first.requestState, inputResponses: ACCEPT })));
    const served = new Set(racers.flatMap((r) => [...r.served]));
    expect(served.size).toBe(3);
    expect(outcomes.filter((o) => !o.isError && (o.structuredContent as { status?: string })?.status === 'sent')).toHaveLength(1);
    expect(sends().length - before).toBe(1);
    expect(c.sandbox.notifications.filter((n) => n.kind === 'mail-sent' && JSON.stringify(n).includes('Raced'))).toHaveLength(1);
    await Promise.all([opener, ...racers].map((r) => r.close()));
  }, 30_000);

  it('a replica killed while answering an approval: never a double send', async () => {
    const user = c.team.users[6]!.name;
    const id = await draftFor(user, 'Killed mid-approval');
    const r1 = await direct(user, 'r1');
    const first = await rawSend(r1, { arguments: { draft_id: id } });
    const before = sends().length;
    const r2 = await direct(user, 'r2');
    const inFlight = rawSend(r2, { arguments: { draft_id: id }, requestState: first.requestState, inputResponses: ACCEPT }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 15));
    await c.kill('r2');
    await inFlight;
    // The same answer on a live replica: sent now if r2 died before taking the approval, refused if it took it.
    const r3 = await direct(user, 'r3');
    const retry = await rawSend(r3, { arguments: { draft_id: id }, requestState: first.requestState, inputResponses: ACCEPT });
    const afterRetry = sends().length - before;
    expect(afterRetry).toBeLessThanOrEqual(1);
    if (afterRetry === 0) expect(retry.isError).toBe(true);
    await c.restart('r2');
    await Promise.all([r1.close(), r3.close()]);
  }, 30_000);

  it('one mailbox, 24 concurrent calls spread over 3 replicas: never more than 4 Graph requests in flight for it, and the gate is what holds them', async () => {
    const user = c.team.users[10]!;
    const clients = await Promise.all(Array.from({ length: 6 }, (_, k) => c.connectAs(user.name, k % 2 ? 'modern' : 'legacy')));
    const since = Date.now();
    // Slow answers make the calls overlap: each replica alone would put 4 requests in flight (12 in all).
    c.sandbox.setLatency(150);
    // allSettled: a failing call must not leave the others running into the next test.
    const settled = await Promise.allSettled(clients.flatMap((client) => [0, 1, 2, 3].map((k) => client.call(k % 2 ? 'ol_email_list_unread' : 'ol_email_search', k % 2 ? { limit: 2 } : { query: 'Only for' }))));
    c.sandbox.setLatency(0);
    await Promise.all(clients.map((cl) => cl.close()));
    for (const o of settled) {
      if (o.status === 'rejected') throw o.reason;
      expect(o.value.isError, textOf(o.value)).toBeFalsy();
    }
    expect(new Set(clients.flatMap((cl) => [...cl.served])).size, 'calls served by every replica').toBe(3);
    const mine = c.sandbox.requests.filter((q) => q.mailbox === user.upn && q.startedAt >= since);
    expect(mine.length).toBeGreaterThanOrEqual(24);
    // Exactly 4: never more (the shared gate), and the demand did reach it (so the check above could have failed).
    expect(peakInFlight(mine), c.describe()).toBe(4);
  }, 60_000);

  it('a 429 with Retry-After told to one replica pauses that mailbox on all three until it ends', async () => {
    const user = c.team.users[11]!;
    const [r1, r2, r3] = await Promise.all([direct(user.name, 'r1'), direct(user.name, 'r2'), direct(user.name, 'r3')]);
    const redis = createClient({ url: c.redis.url });
    await redis.connect();
    try {
      const since = Date.now();
      c.sandbox.inject({ status: 429, retryAfter: '4', match: { method: 'GET' } });
      // r1 is told to wait 4 s; it shares the pause (Redis), waits it out itself and then answers. (Settled at once, so
      // that a failed assertion below leaves no rejection unhandled when the clients close.)
      const told = r1.call('ol_email_list_unread', { limit: 1 }).then((r) => ({ r }), (err: unknown) => ({ err }));
      let pauseUntil: number | undefined;
      for (const until = Date.now() + 10_000; pauseUntil === undefined && Date.now() < until; ) {
        const values = (await Promise.all((await redis.keys('*pause:*')).map((k) => redis.get(k)))).map(Number).filter((v) => v > since);
        if (values.length) pauseUntil = Math.max(...values);
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(pauseUntil, 'the pause was never shared in Redis').toBeDefined();
      const shared = Date.now();
      expect(c.sandbox.requests.find((q) => q.status === 429 && q.startedAt >= since)?.mailbox).toBe(user.upn);
      // The other two replicas are asked while the pause holds (requests r1 had already sent before it was shared are not judged).
      expect(shared, 'the pause was over before the other replicas could be asked').toBeLessThan(pauseUntil!);
      const [a, b] = await Promise.all([r2.call('ol_email_list_unread', { limit: 1 }), r3.call('ol_email_search', { query: 'Only for' })]);
      const first = await told;
      if ('err' in first) throw first.err;
      for (const r of [first.r, a, b]) expect(r.isError, textOf(r)).toBeFalsy();
      const mine = c.sandbox.requests.filter((q) => q.mailbox === user.upn && q.startedAt >= shared);
      // r1's retry and the calls on r2 and r3 all reached Graph, none before the pause ended (5 ms: timer rounding).
      expect(mine.length).toBeGreaterThanOrEqual(3);
      expect(mine.filter((q) => q.startedAt < pauseUntil! - 5).map((q) => `${q.method} ${q.path} at ${q.startedAt} (pause until ${pauseUntil})`)).toEqual([]);
    } finally {
      await redis.quit();
      await Promise.all([r1, r2, r3].map((x) => x.close()));
    }
  }, 60_000);

  it("replicas keep an idle connection open longer than haproxy may reuse it (else: 'other side closed' under load)", async () => {
    const { get } = await import('node:http');
    const keepAlive = await new Promise<string>((resolve, reject) => {
      get(`http://127.0.0.1:${c.replicas[0]!.port}/healthz`, { agent: false, headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        resolve(String(res.headers['keep-alive'] ?? ''));
      }).on('error', reject);
    });
    const idleSeconds = Number(/timeout=(\d+)/.exec(keepAlive)?.[1]);
    // haproxy hands idle connections to a replica to later requests and closes them only in its pool purges (every 5 s, half
    // of them at a time), so one can be reused after many seconds. Node's default (5 s) lost that race; the replica must
    // outlast the balancer's idle times: 60 s (nginx, AWS ALB) and haproxy's `timeout server` (tested config and the documented one).
    const documented = Number(/^\s*timeout server (\d+)s/m.exec(readFileSync('docs/REMOTE.md', 'utf8'))?.[1]);
    expect(documented).toBeGreaterThan(0);
    expect(idleSeconds).toBeGreaterThan(Math.max(60, HAPROXY_TIMEOUT_SERVER_S, documented));
  });

  it('per-person rate limit holds across replicas (429 with Retry-After), other people unaffected', async () => {
    const token = await c.team.issueApiToken(c.team.users[7]!.name);
    const post = (t: string) =>
      fetch(c.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    const replicas = new Set<string>();
    let limited: Response | undefined;
    for (let i = 0; i < RATE_LIMIT + 5 && !limited; i++) {
      const r = await post(token);
      replicas.add(r.headers.get('x-replica') ?? '');
      if (r.status === 429) limited = r;
      else await r.body?.cancel();
    }
    expect(replicas.size).toBe(3);
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(await limited!.json())).toContain('OUTLOOK_RATE_LIMIT_PER_MINUTE');
    // A tool call over the limit is refused at the door on every replica, although each replica started its gate
    // entry while the limit was counted (src/graph/early-gate-entry.ts): nothing reaches Graph, and no slot is left held.
    const since = Date.now();
    for (let i = 0; i < 3; i++) {
      const r = await fetch(c.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ol_email_list_unread', arguments: { limit: 1 } } }),
      });
      await r.body?.cancel();
      expect(r.status).toBe(429);
    }
    const redis = createClient({ url: c.redis.url });
    await redis.connect();
    try {
      await new Promise((r) => setTimeout(r, 200));
      // A lease's score is its expiry: the request timeout (30 s) plus 5 s after it was taken. Leases older tests left
      // (a killed replica's) expire before since + 35 s; any taken by the refused calls would not.
      for (const k of await redis.keys('*gate:*')) expect(await redis.zCount(k, since + 35_000, '+inf'), `leases left in ${k}`).toBe(0);
    } finally {
      await redis.quit();
    }
    expect(c.sandbox.requests.filter((q) => q.mailbox === c.team.users[7]!.upn && q.startedAt >= since)).toEqual([]);
    const other = await post(await c.team.issueApiToken(c.team.users[8]!.name));
    expect(other.status).toBe(200);
    await other.body?.cancel();
  }, 30_000);

  it('Redis stopped: every replica fails closed with a clear message and /readyz says so; then recovers', async () => {
    const client = await c.connectAs(c.team.users[9]!.name, 'legacy');
    expect((await client.call('ol_status', {})).isError).toBeFalsy();
    await c.redis.stop();
    try {
      for (const r of c.replicas) {
        const ready = await fetch(`http://127.0.0.1:${r.port}/readyz`);
        expect(ready.status).toBe(503);
        expect(JSON.stringify(await ready.json())).toContain('Redis');
      }
      const before = c.sandbox.requests.length;
      const refused = await client.call('ol_email_list_unread', {}).then(
        (r) => textOf(r),
        (err: unknown) => String(err),
      );
      expect(refused).toMatch(/state store \(Redis/);
      expect(refused).toMatch(/Check that Redis is running/);
      expect(c.sandbox.requests.length).toBe(before);
    } finally {
      await c.redis.start();
    }
    // Each replica reconnects by itself (capped backoff).
    const until = Date.now() + 10_000;
    let ok = false;
    while (!ok && Date.now() < until) {
      const r = await client.call('ol_email_list_unread', { limit: 1 }).catch(() => undefined);
      ok = r !== undefined && !r.isError;
      if (!ok) await new Promise((res) => setTimeout(res, 200));
    }
    expect(ok).toBe(true);
    // Every replica reconnects on its own schedule: each must be ready again soon, not at the instant the first one is.
    for (const r of c.replicas) {
      let status = 0;
      for (const until = Date.now() + 10_000; status !== 200 && Date.now() < until; ) {
        status = (await fetch(`http://127.0.0.1:${r.port}/readyz`)).status;
        if (status !== 200) await new Promise((res) => setTimeout(res, 200));
      }
      expect(status, `${r.name} /readyz after Redis came back`).toBe(200);
    }
  }, 30_000);
});
