/**
 * OUTLOOK_LEGACY_CLIENTS across replicas. `sessions`: a 2025-11-25 client confirms a send by elicitation
 * through haproxy keeping affinity on Mcp-Session-Id (the lines docs/REMOTE.md documents), sent once; the
 * session is refused on a replica that does not hold it and for another person. `reject`: 2025 clients
 * get the protocol's unsupported-version error while 2026 clients are served.
 */
import { Client, StreamableHTTPClientTransport, type ElicitResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAvailable, startCluster, type Cluster } from '../helpers/cluster.js';
import { startRemote } from '../helpers/remote-harness.js';

const available = clusterAvailable();
const LEGACY = { versionNegotiation: { mode: 'legacy' as const }, capabilities: { elicitation: { form: {} } } };

/** The affinity lines of docs/REMOTE.md: remember the replica that answered with a session id, route that id back to it. */
const AFFINITY = ['  balance roundrobin', '  stick-table type string len 64 size 1m expire 30m', '  stick match req.hdr(mcp-session-id)', '  stick store-response res.hdr(mcp-session-id)'];

describe.skipIf(!available)('OUTLOOK_LEGACY_CLIENTS=sessions behind haproxy with affinity', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ replicas: 2, backend: AFFINITY, env: { OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_LEGACY_CLIENTS: 'sessions' } });
  }, 120_000);
  afterAll(async () => c?.close(), 30_000);
  const sends = () => c.sandbox.requests.filter((r) => r.method === 'POST' && /\/send$/.test(r.path));

  it('a 2025 client confirms a send by elicitation on its sticky replica: sent once', async () => {
    const prompts: string[] = [];
    const client = await c.connectAs('avery', 'legacy', LEGACY);
    client.setRequestHandler('elicitation/create', async (req): Promise<ElicitResult> => {
      prompts.push(req.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    const status = await client.ok<{ protocol_era: string }>('ol_status', {});
    expect(status.protocol_era).toBe('2025-11-25');
    const d = await client.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: 'Session send', body: 'Hello' });
    const before = sends().length;
    const r = await client.ok<{ status: string }>('ol_email_send_draft', { draft_id: d.draft_id });
    expect(r.status).toBe('sent');
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('Session send');
    expect(sends().length - before).toBe(1);
    // Every request of the session went to one replica.
    expect(client.served.size).toBe(1);
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    expect(sessionId).toBeTruthy();

    // The same session id on the other replica, or by another person, does not exist.
    const home = [...client.served][0]!;
    const other = c.replicas.find((x) => x.name !== home)!;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' });
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
    const elsewhere = await fetch(`http://127.0.0.1:${other.port}/mcp`, { method: 'POST', headers: headers(await c.team.issueApiToken('avery')), body });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).toMatch(/affinity on the Mcp-Session-Id header/);
    const homePort = c.replicas.find((x) => x.name === home)!.port;
    const stranger = await fetch(`http://127.0.0.1:${homePort}/mcp`, { method: 'POST', headers: headers(await c.team.issueApiToken('blake')), body });
    expect(stranger.status).toBe(404);
    await stranger.body?.cancel();
  }, 60_000);

  it('many 2025 sessions spread over both replicas, each staying on its own', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, (_, i) => c.connectAs(['avery', 'blake', 'casey'][i % 3]!, 'legacy', LEGACY)));
    for (const cl of clients) for (let k = 0; k < 3; k++) expect((await cl.call('ol_status', {})).isError).toBeFalsy();
    for (const cl of clients) expect(cl.served.size).toBe(1);
    expect(new Set(clients.flatMap((cl) => [...cl.served])).size).toBe(2);
  }, 60_000);
});

describe('OUTLOOK_LEGACY_CLIENTS=reject', () => {
  it('refuses a 2025 client with the unsupported-version error and serves a 2026 client', async () => {
    const h = await startRemote({ env: { OUTLOOK_LEGACY_CLIENTS: 'reject' } });
    try {
      const token = await h.team.issueApiToken('avery');
      const legacy = new Client({ name: 'legacy', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
      const err = await legacy.connect(new StreamableHTTPClientTransport(h.server.mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } })).then(
        () => undefined,
        (e: unknown) => String(e),
      );
      expect(err).toMatch(/2026-07-28|[Uu]nsupported protocol version/);
      const modern = await h.connect(token, 'modern');
      expect((await modern.call('ol_status', {})).isError).toBeFalsy();
    } finally {
      await h.close();
    }
  }, 60_000);
});
