/**
 * The MCP Bundle as Claude Desktop installs it: `npm run bundle:mcpb`'s script
 * builds it, the mcpb library validates and unpacks it, the mcpb library's own
 * variable substitution turns the manifest into the command a client runs, and
 * that command serves the sandbox over stdio from the unpacked folder alone
 * (a temp folder with no node_modules above it). Requires `npm run build`.
 * It also proves the bundle's cut (scripts/bundle-mcpb.mjs): every tool listed,
 * a PDF, a Word and an Excel attachment read, a draft saved, all from the
 * unpacked bundle; the PDF read is fail-closed (no page renderer shipped), and
 * messages name the extension's settings (OUTLOOK_BUNDLE=mcpb).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getMcpConfigForManifest, unpackExtension, validateManifest } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/client';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
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
    // and the PDF reader (pdf.js rendering through @napi-rs/canvas) then brought native binaries and pdf.js's
    // builds: 40.5 MB. Now 9.2 MB: no canvas (the PDF reader fails closed, below), LMDB's Node-API binary only,
    // pdf.js's one loaded build without what only painting needs, and no package the bundle's command never loads
    // (LEFT_OUT in the script). Issue 16's 6 MB is not met: what is left is loaded JS (unbundled, unminified), the
    // two native binaries (keyring, LMDB: 2.6 MB) and pdf.js's CJK cmaps (1 MB). The ceiling is 9.2 MB + 8%.
    expect(statSync(file).size).toBeLessThanOrEqual(9.5 * 1024 * 1024);

    const dir = path.join(work, 'installed');
    expect(await unpackExtension({ mcpbPath: file, outputDir: dir, silent: true })).toBe(true);
    expect(validateManifest(path.join(dir, 'manifest.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.version).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    expect(existsSync(path.join(dir, manifest.server.entry_point))).toBe(true);
    expect(existsSync(path.join(dir, 'node_modules', '@modelcontextprotocol', 'server', 'package.json'))).toBe(true);
    for (const never of ['react', 'react-dom', 'scheduler', '@napi-rs/canvas', '@redis/client', 'chromium-bidi', 'tar-fs']) expect(existsSync(path.join(dir, 'node_modules', never)), never).toBe(false);
    expect(manifest.server.mcp_config.env).toMatchObject({ OUTLOOK_BUNDLE: 'mcpb', OUTLOOK_TRANSPORT: 'stdio', OUTLOOK_STATE_STORE: 'embedded' });
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
      expect(tools.length).toBeGreaterThanOrEqual(20);

      // Office files are read as with npm; the PDF fails closed: no page renderer, so no word reaches the agent unchecked.
      const markers = JSON.parse(readFileSync('test/documents/corpus/markers.json', 'utf8')) as Record<string, { visible: string[] }>;
      const read = async (attachment_id: string) => {
        const r = await client.callTool({ name: 'ol_email_read_attachment', arguments: { id: SEED_IDS.messageWithDocuments, attachment_id } });
        expect(r.isError ?? false).toBe(false);
        return r.structuredContent as { text: string; hidden?: Record<string, number>; notes?: string[] };
      };
      for (const [key, file] of [['docxDocument', 'docx.docx'], ['xlsxDocument', 'exceljs.xlsx']] as const) {
        const r = await read(SEED_IDS[key]);
        for (const w of markers[file]!.visible) expect(r.text, file).toContain(w);
      }
      const pdf = await read(SEED_IDS.pdfDocument);
      for (const w of markers['pdf-lib.pdf']!.visible) expect(pdf.text).not.toContain(w);
      expect(pdf.hidden?.['not checked (no page renderer here)']).toBeGreaterThanOrEqual(markers['pdf-lib.pdf']!.visible.length);
      expect(pdf.notes?.join('\n')).toMatch(/extension bundle leaves out the page renderer/);

      // A message that says what to do names the extension's setting, not a variable or a command.
      const off = await client.callTool({ name: 'ol_email_send_draft', arguments: { draft_id: 'x' } });
      const offText = JSON.stringify(off.content);
      expect(offText).toContain("Turn on 'Allow sending approved drafts' in the extension's settings");
      expect(offText).not.toMatch(/OUTLOOK_|mcp-server-outlook /);
    } finally {
      await client.close();
    }
    // State went to the HOME the client gave it (~/.cache/outlook-mcp), in the sandbox's own folder.
    expect(existsSync(path.join(work, '.cache', 'outlook-mcp', '@sandbox', 'default', 'sandbox-mailbox.json'))).toBe(true);
  });
});
