/**
 * The review card from the built binary over stdio, on both protocol eras:
 * the bundled binary finds the card page next to its chunks, serves it to a
 * client that declares MCP Apps, and the card's Send path works end to end.
 * Requires `npm run build` (part of npm test).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { APPROVAL_META, CARD_SEND_TOOL, CARD_VIEW_TOOL, REVIEW_CARD_URI } from '../../src/apps/card-contract.js';
import { APPS_CAPABILITIES } from '../helpers/apps-harness.js';

const BIN = path.resolve('dist/bin/main.js');

describe.each([
  ['2025-11-25', false],
  ['2026-07-28', true],
])('review card over stdio (%s client)', (_label, modern) => {
  it('serves the card page and sends through the card', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-e2e-card-'));
    const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true' };
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox'], env, stderr: 'pipe' });
    const client = new Client({ name: 'e2e-card-host', version: '1' }, { capabilities: APPS_CAPABILITIES, ...(modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) });
    await client.connect(transport);
    try {
      const read = await client.readResource({ uri: REVIEW_CARD_URI });
      expect((read.contents[0] as { text?: string }).text).toContain('Content-Security-Policy');
      const created = await client.callTool({ name: 'ol_email_create_draft', arguments: { to: ['dana@fabrikam.example'], subject: 'stdio card', body: 'hi' } });
      const draftId = (created.structuredContent as { draft_id: string }).draft_id;
      const view = await client.callTool({ name: CARD_VIEW_TOOL, arguments: { draft_id: draftId } });
      const approval = view._meta?.[APPROVAL_META] as string;
      const sent = await client.callTool({ name: CARD_SEND_TOOL, arguments: { draft_id: draftId, approval } });
      expect(sent.structuredContent).toMatchObject({ status: 'sent', sent: true, approved_by: 'card' });
    } finally {
      await client.close();
    }
    const audit = readFileSync(path.join(cacheDir, '@sandbox', 'default', 'audit.jsonl'), 'utf8');
    const lines = audit.trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; approved_by?: string });
    expect(lines.map((l) => `${l.outcome}${l.approved_by ? `/${l.approved_by}` : ''}`)).toEqual(['ok', 'approved/card', 'sent/card']);
  }, 30_000);
});
