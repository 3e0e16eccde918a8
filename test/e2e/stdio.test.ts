/**
 * The built binary over stdio, driven by the official SDK client: what an MCP
 * client such as Claude Code does. Requires `npm run build` (part of npm test).
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const BIN = path.resolve('dist/bin/main.js');
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-e2e-'));
const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin' };

describe('built binary over stdio', () => {
  it('serves tools/list and tool calls to the SDK client, with nothing but protocol on stdout', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox'], env, stderr: 'pipe' });
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('ol_email_list_unread');
      const r = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 3 } });
      expect(r.isError ?? false).toBe(false);
      expect((r.structuredContent as { messages: unknown[] }).messages).toHaveLength(3);
      const bad = await client.callTool({ name: 'ol_email_read', arguments: { id: 'zzzzzzzz' } });
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('writes only JSON-RPC messages to stdout; logs go to stderr', async () => {
    const child = spawn(process.execPath, [BIN, '--sandbox'], { env: { ...env, OUTLOOK_LOG_LEVEL: 'debug' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const send = (msg: unknown) => child.stdin.write(JSON.stringify(msg) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ol_email_list_unread', arguments: { limit: 2 } } });
    for (let i = 0; i < 400 && !out.includes('"id":2'); i++) await new Promise((r) => setTimeout(r, 25));
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    const lines = out.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(JSON.parse(line).jsonrpc).toBe('2.0');
    expect(err).toMatch(/SANDBOX mode/);
    expect(err).toMatch(/ol_email_list_unread ok/);
  });

  it('prints its version and help', () => {
    const v = spawnSync(process.execPath, [BIN, '--version'], { env, encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = spawnSync(process.execPath, [BIN, '--help'], { env, encoding: 'utf8' });
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Examples:');
  });

  it('stops on invalid configuration with exit code 2 and a message naming the variable', () => {
    const r = spawnSync(process.execPath, [BIN, '--sandbox', 'call', 'ol_status'], { env: { ...env, OUTLOOK_ALLOW_DRAFTS: 'yes' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/OUTLOOK_ALLOW_DRAFTS="yes" is not allowed/);
    expect(r.stdout).toBe('');
  });

  it('runs one call from the command line', () => {
    const r = spawnSync(process.execPath, [BIN, '--sandbox', 'call', 'ol_email_search', '{"query":"invoice","limit":2}'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/2 message\(s\)/);
  });
});
