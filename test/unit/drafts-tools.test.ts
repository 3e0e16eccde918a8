import { encode } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/client';
import { DRAFT_TOOLS } from '../../src/tools/drafts/index.js';
import { isAppOnly } from '../../src/apps/tool-meta.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

let h: DraftsHarness;
let tools: Tool[];
beforeAll(async () => {
  h = await startDraftsHarness();
  const names = new Set(DRAFT_TOOLS.map((t) => t.name));
  tools = (await h.client.listTools()).tools.filter((t) => names.has(t.name));
});
afterAll(async () => {
  await h.close();
});

describe('draft tool inventory', () => {
  it('are gated on drafts, named ol_, with all four hints and the promised annotations', () => {
    // App-only tools (the review card's) are listed only for clients that declare MCP Apps; this client does not.
    expect(tools.map((t) => t.name).sort()).toEqual(DRAFT_TOOLS.filter((t) => !isAppOnly(t.meta)).map((t) => t.name).sort());
    for (const t of DRAFT_TOOLS) {
      expect(t.gate, t.name).toBe('drafts');
      expect(t.name).toMatch(/^ol_[a-z_]+$/);
      expect(t.name).not.toMatch(/send|delete|logout|forward|reply/);
      expect(Object.keys(t.annotations).sort()).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint']);
      expect(t.annotations.openWorldHint, t.name).toBe(true);
    }
    const by = (n: string) => DRAFT_TOOLS.find((t) => t.name === n)?.annotations;
    for (const n of ['ol_email_create_draft', 'ol_calendar_create_event_draft']) expect(by(n)).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (const n of ['ol_email_update_draft', 'ol_email_discard_draft', 'ol_calendar_discard_event_draft']) expect(by(n)).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(by('ol_email_list_drafts')).toMatchObject({ readOnlyHint: true });
  });

  it('input schemas are strict objects with no top-level combinators', () => {
    for (const t of tools) {
      const s = t.inputSchema as Record<string, unknown>;
      expect(s.type, t.name).toBe('object');
      expect(s.additionalProperties, t.name).toBe(false);
      for (const k of ['anyOf', 'oneOf', 'allOf', '$schema']) expect(s[k], `${t.name}.${k}`).toBeUndefined();
    }
  });

  it('stay small in tools/list', () => {
    const tokens = encode(JSON.stringify(tools)).length;
    expect(tokens).toBeLessThan(2_000);
  });

});
