/** Attack groups 3, 4 and 12a: slow bodies vs the 4-in-flight promise, endless paging, oversized bodies, redirects, bad JSON, endless 429s. */
import { afterEach, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { GraphClient, MAX_EMPTY_PAGES } from '../../src/graph/client.js';
import { GraphPagingError, GraphRedirectError, GraphResponseTooLargeError, GraphThrottledError } from '../../src/graph/errors.js';
import { userMessage } from '../../src/tools/errors.js';
import { graphError, json, startHostileGraph, startHostileHarness, staticTokens, type HostileGraph, type HostileHarness } from '../helpers/hostile-graph.js';

let g: HostileGraph | undefined;
let h: HostileHarness | undefined;
afterEach(async () => {
  await g?.close();
  await h?.close();
  g = h = undefined;
});

function client(graph: HostileGraph, extra: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}) {
  return new GraphClient({ baseUrl: graph.url, mailboxRoot: '/me', tokens: staticTokens, timeZone: () => 'UTC', userAgent: 't', sleep: async () => {}, ...extra });
}

/** Headers at once, then the body trickles: 3 chunks `gapMs` apart. */
function slowJson(res: http.ServerResponse, body: unknown, gapMs: number) {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json' });
  const parts = [text.slice(0, 5), text.slice(5, 10), text.slice(10)];
  let i = 0;
  const tick = () => {
    if (res.destroyed) return;
    const part = parts[i++] as string;
    if (i < parts.length) {
      res.write(part);
      setTimeout(tick, gapMs);
    } else res.end(part);
  };
  tick();
}

const MSG_ID = `AAMk${'1'.repeat(60)}`;

describe('concurrency slots are held until the body is read', () => {
  it('20 concurrent reads with slow bodies: at most 4 in flight at the server', async () => {
    g = await startHostileGraph();
    g.on(/^GET \/v1\.0\/me\/messages\//, (_r, res) => slowJson(res, { id: 'x', subject: 's' }, 30));
    const c = client(g);
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.get(`/me/messages/m${i}`)));
    expect(g.requests).toHaveLength(20);
    expect(g.maxInFlight).toBeLessThanOrEqual(4);
    expect(g.maxInFlight).toBe(4);
  });

  it('under errors (slow error bodies) and cancellation the promise holds, and slots come back', async () => {
    g = await startHostileGraph();
    let n = 0;
    g.on(/^GET \/v1\.0\/me\/messages\//, (_r, res) => {
      if (n++ % 2 === 0) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.write('{"error":{"code":"Err');
        setTimeout(() => res.end('orItemNotFound","message":"x"}}'), 40);
      } else slowJson(res, { id: 'x' }, 40);
    });
    const c = client(g);
    const ac = new AbortController();
    const calls = Array.from({ length: 16 }, (_, i) => c.get(`/me/messages/m${i}`, { signal: i % 4 === 0 ? ac.signal : undefined }).catch((e: unknown) => e));
    setTimeout(() => ac.abort(), 20);
    const results = await Promise.all(calls);
    expect(g.maxInFlight).toBeLessThanOrEqual(4);
    expect(results.some((r) => r instanceof Error)).toBe(true);
    // Every slot was released: a fresh burst still completes.
    g.reset();
    g.on(/^GET /, (_r, res) => json(res, 200, { id: 'y' }));
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.get(`/me/messages/n${i}`)));
    expect(g.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('through the tools: concurrent ol_email_read calls with slow bodies keep 4 in flight', async () => {
    h = await startHostileHarness();
    h.graph.on(/^GET \/v1\.0\/me\/messages\/[^/?]+\/attachments/, (_r, res) => slowJson(res, { value: [] }, 25));
    h.graph.on(/^GET \/v1\.0\/me\/messages\//, (_r, res) => slowJson(res, { id: MSG_ID, subject: 's', body: { contentType: 'text', content: 'hi' } }, 25));
    await Promise.all(Array.from({ length: 10 }, () => h?.ok('ol_email_read', { id: MSG_ID, include_attachments: true })));
    expect(h.graph.requests.length).toBe(20);
    expect(h.graph.maxInFlight).toBeLessThanOrEqual(4);
  });
});

describe('paging caps', () => {
  it('a self-referencing attachments nextLink stops after one page with a clear error', async () => {
    h = await startHostileHarness();
    const graph = h.graph;
    graph.on(/^GET \/v1\.0\/me\/messages\/[^/?]+\/attachments/, (r, res) => json(res, 200, { value: [{ id: `AAMkAt${'2'.repeat(40)}`, name: 'a.pdf', size: 1 }], '@odata.nextLink': `${graph.origin}${r.url}` }));
    graph.on(/^GET \/v1\.0\/me\/messages\//, (_r, res) => json(res, 200, { id: MSG_ID, subject: 's', body: { contentType: 'text', content: 'x' } }));
    const text = await h.fail('ol_email_read', { id: MSG_ID, include_attachments: true });
    expect(text).toMatch(/nextLink that was already followed.*paging loop/);
    const pages = graph.requests.filter((r) => r.path.endsWith('/attachments')).length;
    expect(pages).toBe(2); // the first page, and its self-link once: then the loop is seen
  });

  it('an ever-changing nextLink stops at the page cap; empty pages stop much sooner', async () => {
    g = await startHostileGraph();
    const graph = g;
    let n = 0;
    graph.on(/^GET \/v1\.0\/me\/full/, (_r, res) => json(res, 200, { value: [{ id: 'x' }], '@odata.nextLink': `${graph.url}/me/full?p=${++n}` }));
    graph.on(/^GET \/v1\.0\/me\/empty/, (_r, res) => json(res, 200, { value: [], '@odata.nextLink': `${graph.url}/me/empty?p=${++n}` }));
    const c = client(graph);
    await expect(c.getAll('/me/full', {}, { maxPages: 30 })).rejects.toThrowError(/past 30 pages/);
    expect(graph.requests.length).toBe(30);
    graph.clearLog();
    // Empty pages cannot defeat an item cap: the read stops after MAX_EMPTY_PAGES, not at the page cap.
    await expect(c.getAll('/me/empty', {}, { maxItems: 10 })).rejects.toThrowError(GraphPagingError);
    expect(graph.requests.length).toBe(MAX_EMPTY_PAGES);
  });

  it('a listing tool fills its limit across one-item pages and resumes without loss or repeats', async () => {
    h = await startHostileHarness();
    const graph = h.graph;
    const all = Array.from({ length: 7 }, (_, i) => ({ id: `AAMk${String(i).padStart(40, '0')}`, subject: `m${i}`, receivedDateTime: '2026-11-30T10:00:00Z' }));
    graph.on(/^GET \/v1\.0\/me\/mailFolders\/inbox\/messages/, (r, res) => {
      const p = Number(new URL(r.url, graph.origin).searchParams.get('p') ?? 0);
      json(res, 200, { value: [all[p]], ...(p + 1 < all.length ? { '@odata.nextLink': `${graph.url}/me/mailFolders/inbox/messages?p=${p + 1}` } : {}) });
    });
    const a = await h.ok<{ messages: Array<{ subject: string }>; next_cursor?: string }>('ol_email_list_unread', { limit: 3 });
    const b = await h.ok<{ messages: Array<{ subject: string }>; next_cursor?: string }>('ol_email_list_unread', { cursor: a.next_cursor });
    const c = await h.ok<{ messages: Array<{ subject: string }>; next_cursor?: string }>('ol_email_list_unread', { cursor: b.next_cursor });
    expect([...a.messages, ...b.messages, ...c.messages].map((m) => m.subject)).toEqual(all.map((m) => m.subject));
    expect(c.next_cursor).toBeUndefined();
  });

  it('expanded collections follow attachments@odata.nextLink with the same caps', async () => {
    g = await startHostileGraph();
    const graph = g;
    graph.on(/^GET \/v1\.0\/me\/messages\/m\/attachments/, (r, res) => {
      const p = Number(new URL(r.url, graph.origin).searchParams.get('p'));
      json(res, 200, { value: [{ id: `a${p}` }], ...(p < 3 ? { '@odata.nextLink': `${graph.url}/me/messages/m/attachments?p=${p + 1}` } : {}) });
    });
    const c = client(graph);
    const parent = { id: 'm', attachments: [{ id: 'a0' }], 'attachments@odata.nextLink': `${graph.url}/me/messages/m/attachments?p=1` };
    expect((await c.expandedAll<{ id: string }>(parent, 'attachments')).map((a) => a.id)).toEqual(['a0', 'a1', 'a2', 'a3']);
    const loop = { attachments: [], 'attachments@odata.nextLink': `${graph.url}/me/messages/m/attachments?p=1&loop` };
    graph.reset();
    graph.on(/loop/, (r, res) => json(res, 200, { value: [], '@odata.nextLink': `${graph.origin}${r.url}` }));
    await expect(c.expandedAll(loop, 'attachments')).rejects.toThrowError(/paging loop/);
    const foreign = { attachments: [], 'attachments@odata.nextLink': `${graph.url}/users/ceo@contoso.com/messages/m/attachments` };
    await expect(c.expandedAll(foreign, 'attachments')).rejects.toThrowError(/outside the configured mailbox/);
  });
});

describe('response size cap', () => {
  it('a body over the cap is refused while streaming (Content-Length lies or is absent) and by a declared length', async () => {
    g = await startHostileGraph();
    g.on(/^GET \/v1\.0\/me\/chunked/, (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 100 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('{"value":["');
      pump();
    });
    g.on(/^GET \/v1\.0\/me\/declared/, (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write('{');
    });
    const c = client(g, { maxResponseBytes: 1024 * 1024 });
    const err = await c.get('/me/chunked').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphResponseTooLargeError);
    expect(userMessage(err)).toMatch(/larger than 1 MB \(OUTLOOK_MAX_RESPONSE_MB\).*raise OUTLOOK_MAX_RESPONSE_MB/);
    await expect(c.get('/me/declared')).rejects.toThrowError(GraphResponseTooLargeError);
  });

  it('OUTLOOK_MAX_RESPONSE_MB configures the cap; a bad value is a clear configuration error', async () => {
    const { loadConfig } = await import('../../src/config/config.js');
    expect(loadConfig({ OUTLOOK_MAX_RESPONSE_MB: '5' }).maxResponseBytes).toBe(5 * 1024 * 1024);
    expect(loadConfig({}).maxResponseBytes).toBe(50 * 1024 * 1024);
    expect(() => loadConfig({ OUTLOOK_MAX_RESPONSE_MB: 'lots' })).toThrowError(/OUTLOOK_MAX_RESPONSE_MB="lots".*between 1 and 1024/);
  });
});

describe('misleading failures', () => {
  it('a redirect is reported as one and not followed (the token never goes to the other host)', async () => {
    g = await startHostileGraph();
    const other = await startHostileGraph();
    try {
      g.on(/^GET /, (_r, res) => {
        res.writeHead(302, { location: `${other.url}/me/messages` });
        res.end();
      });
      const err = await client(g).get('/me/messages').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GraphRedirectError);
      expect(userMessage(err)).toMatch(/^Graph redirected to another host; not followed/);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('invalid JSON and endless 429s are named for what they are', async () => {
    g = await startHostileGraph();
    g.on(/^GET \/v1\.0\/me\/bad/, (_r, res) => json(res, 200, '{"value": [1, 2'));
    g.on(/^GET \/v1\.0\/me\/busy/, (_r, res) => graphError(res, 429, 'TooManyRequests', { 'retry-after': '1' }));
    const c = client(g);
    expect(userMessage(await c.get('/me/bad').catch((e: unknown) => e))).toMatch(/InvalidJsonResponse.*not JSON/);
    const busy = await c.get('/me/busy').catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(GraphThrottledError);
    expect(userMessage(busy)).toMatch(/throttling this mailbox/);
    expect(g.requests.filter((r) => r.path.endsWith('/busy'))).toHaveLength(4);
  });
});
