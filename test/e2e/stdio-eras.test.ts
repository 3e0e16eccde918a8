/**
 * The built binary over stdio for both protocol eras, through the official
 * SDK clients: pinned to 2026-07-28 (no initialize; server/discover first),
 * auto negotiation, and the default 2025-11-25 handshake. Also the stdio
 * edge an attacker can reach: one oversized JSON-RPC line.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type ClientOptions } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const BIN = path.resolve('dist/bin/main.js');
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-e2e-eras-'));
const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin' };

const CLIENTS: Array<{ name: string; options?: ClientOptions; era: string; version: string }> = [
  { name: 'pinned to 2026-07-28', options: { versionNegotiation: { mode: { pin: '2026-07-28' } } }, era: 'modern', version: '2026-07-28' },
  { name: 'auto negotiation', options: { versionNegotiation: { mode: 'auto' } }, era: 'modern', version: '2026-07-28' },
  { name: 'default (2025-11-25 handshake)', options: undefined, era: 'legacy', version: '2025-11-25' },
];

describe('built binary, both MCP protocol eras', () => {
  for (const c of CLIENTS) {
    it(`serves a client ${c.name}`, async () => {
      const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox'], env, stderr: 'pipe' });
      const client = new Client({ name: 'e2e-eras', version: '1' }, c.options);
      await client.connect(transport);
      try {
        expect(client.getProtocolEra()).toBe(c.era);
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toContain('ol_calendar_list_events');
        const s = await client.callTool({ name: 'ol_status', arguments: {} });
        expect(s.structuredContent).toMatchObject({ protocol_era: c.version, mode: 'SANDBOX' });
        const r = await client.callTool({ name: 'ol_email_search', arguments: { query: 'invoice', limit: 2 } });
        expect(r.isError ?? false).toBe(false);
      } finally {
        await client.close();
      }
    });
  }

  it('answers an 11 MB request line with an error and stays up', async () => {
    const child = spawn(process.execPath, [BIN, '--sandbox'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const send = (msg: unknown) => child.stdin.write(JSON.stringify(msg) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'ol_email_search', arguments: { query: 'x'.repeat(11 * 1024 * 1024) } } });
    send({ jsonrpc: '2.0', id: 8, method: 'tools/list' });
    for (let i = 0; i < 400 && !out.includes('"id":8'); i++) await new Promise((r) => setTimeout(r, 25));
    const exited = child.exitCode;
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    expect(exited).toBeNull();
    const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id?: number; error?: { message: string }; result?: unknown });
    const tooLarge = lines.find((l) => l.id === 7);
    expect(tooLarge?.error?.message).toMatch(/Request too large/);
    expect(lines.find((l) => l.id === 8)?.result).toBeDefined();
  });

  it('answers an oversized call from the official SDK client (which writes the id last) with its own id, on both eras', async () => {
    for (const options of [undefined, { versionNegotiation: { mode: { pin: '2026-07-28' as const } } }]) {
      const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox'], env, stderr: 'pipe' });
      const client = new Client({ name: 'e2e-oversize', version: '1' }, options);
      await client.connect(transport);
      try {
        // Without its id the answer matches no request, and the call ends only with the client's timeout error.
        await expect(client.callTool({ name: 'ol_email_search', arguments: { query: 'x'.repeat(9 * 1024 * 1024) } }, { timeout: 50_000 })).rejects.toThrow(/Request too large/);
        // The connection still works.
        expect((await client.callTool({ name: 'ol_status', arguments: {} })).isError ?? false).toBe(false);
      } finally {
        await client.close();
      }
    }
  }, 150_000);

  it('refuses prototype-machinery argument names sent over the wire, which the SDK would otherwise drop silently', async () => {
    const child = spawn(process.execPath, [BIN, '--sandbox'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const write = (raw: string) => child.stdin.write(raw + '\n');
    write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    // Written by hand: JSON.stringify of an object literal would not keep a "__proto__" key.
    write('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ol_email_list_unread","arguments":{"__proto__":{"limit":1}}}}');
    write('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ol_email_list_unread","arguments":{"folder":"inbox","x":{"constructor":1}}}}');
    for (let i = 0; i < 400 && !(out.includes('"id":2') && out.includes('"id":3')); i++) await new Promise((r) => setTimeout(r, 25));
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id?: number; error?: { code: number; message: string }; result?: unknown });
    expect(lines.find((l) => l.id === 2)?.error).toMatchObject({ code: -32602, message: expect.stringContaining('"__proto__" is not allowed') });
    expect(lines.find((l) => l.id === 3)?.error?.message).toContain('"x.constructor" is not allowed');
  });
});
