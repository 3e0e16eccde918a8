/**
 * The MCP Bundle as Claude Desktop installs it: `npm run bundle:mcpb`'s script
 * builds it, the mcpb library validates and unpacks it, the mcpb library's own
 * variable substitution turns the manifest into the command a client runs, and
 * that command serves the sandbox over stdio from the unpacked folder alone
 * (a temp folder with no node_modules above it). Requires `npm run build`.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getMcpConfigForManifest, unpackExtension, validateManifest } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

interface Manifest {
  version: string;
  server: { entry_point: string; mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  user_config: Record<string, { type: string; default?: unknown; sensitive?: boolean }>;
}

describe('MCP Bundle (.mcpb)', () => {
  it('validates, unpacks and serves the sandbox from the unpacked bundle', { timeout: 180_000 }, async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'outlook-mcpb-'));
    const file = path.join(work, 'outlook.mcpb');
    execFileSync(process.execPath, ['scripts/bundle-mcpb.mjs', '--out', file, '--stage', path.join(work, 'stage')], { stdio: 'pipe' });
    // Was 9.1 MB: react, react-dom and scheduler (optional peers of ext-apps the server never loads), source
    // maps, type declarations and dependencies' test folders; without them 5.7 MB. The embedded state store (LMDB)
    // and the PDF reader (pdf.js rendering through @napi-rs/canvas) then brought native binaries and pdf.js's two
    // builds: 40.5 MB. Issue 16's target is 6 MB, not met: pruning pdf.js to the one build the worker loads is the
    // next step. This ceiling only keeps it from growing further unnoticed.
    expect(statSync(file).size).toBeLessThanOrEqual(42 * 1024 * 1024);

    const dir = path.join(work, 'installed');
    expect(await unpackExtension({ mcpbPath: file, outputDir: dir, silent: true })).toBe(true);
    expect(validateManifest(path.join(dir, 'manifest.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.version).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    expect(existsSync(path.join(dir, manifest.server.entry_point))).toBe(true);
    expect(existsSync(path.join(dir, 'node_modules', '@modelcontextprotocol', 'server', 'package.json'))).toBe(true);
    for (const never of ['react', 'react-dom', 'scheduler']) expect(existsSync(path.join(dir, 'node_modules', never)), never).toBe(false);
    const shipped = (readdirSync(path.join(dir, 'node_modules'), { recursive: true }) as string[]).map((f) => f.replaceAll('\\', '/'));
    expect(shipped.filter((f) => /(^|\/)(test|tests|__tests__)(\/|$)/.test(f) || /\.(map|d\.[cm]?ts)$/.test(f))).toEqual([]);

    // The settings a user sees; the passphrase is masked; every referenced setting exists and has a default
    // (a client leaves an unset placeholder as literal text, which the server would refuse).
    const settings = manifest.user_config;
    for (const key of ['profile', 'allow_drafts', 'allow_send', 'time_zone', 'attachment_dir', 'token_passphrase', 'sandbox']) expect(settings[key], key).toBeDefined();
    expect(settings.token_passphrase?.sensitive).toBe(true);
    expect(settings.attachment_dir?.type).toBe('directory');
    const referenced = [...JSON.stringify(manifest.server.mcp_config).matchAll(/\$\{user_config\.([a-z_]+)\}/g)].map((m) => m[1] as string);
    for (const key of referenced) expect(settings[key]?.default, key).toBeDefined();

    const cfg = await getMcpConfigForManifest({
      manifest: manifest as never,
      extensionPath: dir,
      systemDirs: {},
      userConfig: { sandbox: true, allow_drafts: true, time_zone: 'Europe/Berlin' },
      pathSeparator: path.sep,
    });
    if (!cfg) throw new Error('getMcpConfigForManifest returned nothing');
    expect(JSON.stringify(cfg)).not.toContain('${');
    expect(cfg.command).toBe('node');

    // Claude Desktop runs its own Node for "node" servers; this test runs the one it is running on.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: cfg.args ?? [],
      env: { ...cfg.env, PATH: process.env.PATH ?? '', HOME: work },
      cwd: work,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'mcpb-e2e', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['ol_email_list_unread', 'ol_email_create_draft']));
      expect(tools.map((t) => t.name)).not.toContain('ol_email_send_draft');
      const status = await client.callTool({ name: 'ol_status', arguments: {} });
      expect(status.structuredContent).toMatchObject({ mode: 'SANDBOX', drafts_enabled: true, send_enabled: false, time_zone: 'Europe/Berlin' });
      const unread = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 2 } });
      expect((unread.structuredContent as { messages: unknown[] }).messages).toHaveLength(2);
      const draft = await client.callTool({ name: 'ol_email_create_draft', arguments: { to: ['a@example.com'], subject: 'From the bundle', body: 'Hi' } });
      expect(draft.isError ?? false).toBe(false);
    } finally {
      await client.close();
    }
    // State went to the HOME the client gave it (~/.cache/outlook-mcp), in the sandbox's own folder.
    expect(existsSync(path.join(work, '.cache', 'outlook-mcp', '@sandbox', 'default', 'sandbox-mailbox.json'))).toBe(true);
  });
});
