/**
 * The send gate over the real transport: the built binary over stdio and the
 * SDK client answering the elicitation, as an MCP client with elicitation
 * support does. Requires `npm run build` (part of npm test).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const BIN = path.resolve('dist/bin/main.js');

describe('send over stdio', () => {
  it('asks the user through elicitation and sends only after accept', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-e2e-send-'));
    const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true' };
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox'], env, stderr: 'pipe' });
    const answers: Array<'accept' | 'decline'> = ['decline', 'accept'];
    const prompts: string[] = [];
    const client = new Client({ name: 'e2e-send', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler('elicitation/create', async (req) => {
      prompts.push(req.params.message);
      const action = answers.shift() ?? 'decline';
      return action === 'accept' ? { action, content: { confirm: true } } : { action };
    });
    await client.connect(transport);
    try {
      const created = await client.callTool({ name: 'ol_email_create_draft', arguments: { to: ['dana@fabrikam.example'], subject: 'stdio send', body: 'hi' } });
      const draftId = (created.structuredContent as { draft_id: string }).draft_id;
      const first = await client.callTool({ name: 'ol_email_send_draft', arguments: { draft_id: draftId } });
      expect(first.structuredContent).toMatchObject({ status: 'declined', sent: false });
      const second = await client.callTool({ name: 'ol_email_send_draft', arguments: { draft_id: draftId } });
      expect(second.structuredContent).toMatchObject({ status: 'sent', sent: true });
      expect(prompts).toHaveLength(2);
      expect(prompts[0]).toContain('[EXTERNAL: fabrikam.example]');
    } finally {
      await client.close();
    }
    const audit = readFileSync(path.join(cacheDir, '@sandbox', 'default', 'audit.jsonl'), 'utf8');
    expect(audit.trim().split('\n').map((l) => (JSON.parse(l) as { outcome: string }).outcome)).toEqual(['ok', 'declined', 'approved', 'sent']);
    expect(audit).not.toContain('stdio send');
  }, 30_000);
});
