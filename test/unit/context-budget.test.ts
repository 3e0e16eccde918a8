/**
 * The context budget: what tools/list costs the model, in o200k tokens (the
 * bench's measure, docs/BENCHMARKS.md), for the read-only and drafts surfaces.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { loadConfig } from '../../src/config/config.js';
import { startRuntime } from '../../src/runtime.js';
import { createServerFactory } from '../../src/mcp/server.js';
import { connectInProcess } from '../../src/in-process.js';
import { Logger } from '../../src/log.js';

async function toolsListTokens(env: Record<string, string>): Promise<{ tools: number; tokens: number; perTool: Record<string, number> }> {
  // A folder of its own: runs of this file in other worktrees on the same machine must not share one profile's state.
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-budget-'));
  const config = loadConfig({ OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_ACCESS_TOKEN: 'x', ...env });
  const runtime = await startRuntime(config, { logger: new Logger('silent'), ephemeralHandles: true });
  const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools));
  try {
    const { tools } = await session.client.listTools();
    const perTool = Object.fromEntries(tools.map((t) => [t.name, encode(JSON.stringify(t)).length]));
    return { tools: tools.length, tokens: encode(JSON.stringify(tools)).length, perTool };
  } finally {
    await session.close();
    await runtime.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

describe('tools/list context budget (o200k_base)', () => {
  it('the read-only surface stays within 3,000 tokens', async () => {
    const r = await toolsListTokens({});
    console.log(`read-only tools/list: ${r.tools} tools, ${r.tokens} tokens`);
    expect(r.tokens, JSON.stringify(r.perTool)).toBeLessThanOrEqual(3_000);
  });

  it('the drafts surface stays within 4,500 tokens', async () => {
    const r = await toolsListTokens({ OUTLOOK_ALLOW_DRAFTS: 'true' });
    console.log(`drafts tools/list: ${r.tools} tools, ${r.tokens} tokens`);
    expect(r.tokens, JSON.stringify(r.perTool)).toBeLessThanOrEqual(4_500);
  });

  it('the mailbox argument (OUTLOOK_ALLOW_SHARED_MAILBOXES) costs at most 25 tokens a tool, and nothing without the opt-in', async () => {
    const off = await toolsListTokens({});
    const on = await toolsListTokens({ OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' });
    const draftsOn = await toolsListTokens({ OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_ALLOW_DRAFTS: 'true' });
    console.log(`read-only tools/list with the mailbox argument: ${on.tokens} tokens (+${on.tokens - off.tokens}); drafts surface with it: ${draftsOn.tokens} tokens`);
    const carrying = Object.keys(on.perTool).filter((name) => (on.perTool[name] as number) > (off.perTool[name] as number));
    expect(carrying.length).toBe(12);
    expect(on.tokens - off.tokens).toBeLessThanOrEqual(25 * carrying.length);
  });

  it('group conversations (OUTLOOK_ALLOW_GROUP_MAILBOXES) add the argument to the two tools that read groups only, and nothing without the opt-in', async () => {
    const off = await toolsListTokens({});
    const on = await toolsListTokens({ OUTLOOK_ALLOW_GROUP_MAILBOXES: 'true' });
    const both = await toolsListTokens({ OUTLOOK_ALLOW_GROUP_MAILBOXES: 'true', OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' });
    const shared = await toolsListTokens({ OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' });
    console.log(`read-only tools/list with group conversations: ${on.tokens} tokens (+${on.tokens - off.tokens}); with shared mailboxes too: ${both.tokens} (+${both.tokens - shared.tokens} over shared alone)`);
    const carrying = Object.keys(on.perTool).filter((name) => (on.perTool[name] as number) > (off.perTool[name] as number));
    expect(carrying.sort()).toEqual(['ol_email_read_thread', 'ol_email_search']);
    expect(on.tokens - off.tokens).toBeLessThanOrEqual(25 * carrying.length);
    // With both opt-ins only those two tools' descriptions of the argument grow (they name group:).
    expect(both.tokens - shared.tokens).toBeLessThanOrEqual(10 * carrying.length);
  });
});
