import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, EXIT_OK, EXIT_TOOL_ERROR, EXIT_USAGE } from '../../src/cli/run.js';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-cli-'));
  return {
    out,
    err,
    io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env: { OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_LOG_LEVEL: 'silent', ...env } },
  };
}

describe('cli run()', () => {
  it('call prints a tool result readably, or as JSON', async () => {
    const a = io();
    expect(await run(['--sandbox', 'call', 'ol_email_list_unread', '{"limit":2}'], a.io)).toBe(EXIT_OK);
    expect(a.out.join('')).toMatch(/2 message\(s\):\n[a-z2-9]{8} \| /);
    const b = io();
    expect(await run(['--sandbox', 'call', 'ol_status', '--json'], b.io)).toBe(EXIT_OK);
    expect(JSON.parse(b.out.join('')).structuredContent.mode).toBe('SANDBOX');
  });

  it('a tool error exits 1 and says why', async () => {
    const a = io();
    expect(await run(['--sandbox', 'call', 'ol_email_read', '{"id":"nope nope"}'], a.io)).toBe(EXIT_TOOL_ERROR);
    expect(a.out.join('')).toMatch(/^ERROR: id: "nope nope" is not a valid message id/);
  });

  it('bad usage exits 2 with a message', async () => {
    const a = io();
    expect(await run(['--sandbox', 'call', 'ol_status', '{not json'], a.io)).toBe(EXIT_USAGE);
    expect(a.err.join('')).toMatch(/must be a JSON object/);
    const b = io();
    expect(await run(['--sandbox', 'call', 'ol_send_everything'], b.io)).toBe(EXIT_USAGE);
    expect(b.err.join('')).toMatch(/Unknown tool "ol_send_everything". Available with these settings: .*ol_status/);
    const c = io({ OUTLOOK_PROFILE: '../etc' });
    expect(await run(['tools'], c.io)).toBe(EXIT_USAGE);
    expect(c.err.join('')).toMatch(/OUTLOOK_PROFILE: "..\/etc" is not a valid profile name/);
    const d = io();
    expect(await run(['--frobnicate'], d.io)).toBe(EXIT_USAGE);
  });

  it('mistakes on the command line say what to do', async () => {
    const off = io();
    expect(await run(['--sandbox', 'call', 'ol_email_create_draft', '{}'], off.io)).toBe(EXIT_USAGE);
    expect(off.err.join('')).toMatch(/ol_email_create_draft is switched off\. Set OUTLOOK_ALLOW_DRAFTS=true/);
    const send = io({ OUTLOOK_ALLOW_DRAFTS: 'true' });
    expect(await run(['--sandbox', 'call', 'ol_email_send_draft', '{}'], send.io)).toBe(EXIT_USAGE);
    expect(send.err.join('')).toMatch(/Set OUTLOOK_ALLOW_SEND=true/);
    const typo = io();
    expect(await run(['stauts'], typo.io)).toBe(EXIT_USAGE);
    expect(typo.err.join('')).toMatch(/Unknown command "stauts"\. Commands: serve, call, tools, sandbox, .*status/);
    expect(typo.err.join('')).not.toMatch(/for 'serve'/);
    const loud = io({ OUTLOOK_LOG_LEVEL: 'loud' });
    expect(await run(['--sandbox', 'call', 'ol_status'], loud.io)).toBe(EXIT_USAGE);
    expect(loud.err.join('')).toMatch(/OUTLOOK_LOG_LEVEL="loud" is not allowed\. Use one of: debug, info, warn, error, silent/);
    const empty = io();
    expect(await run(['--profile', '', 'tools'], empty.io)).toBe(EXIT_USAGE);
    expect(empty.err.join('')).toMatch(/^mcp-server-outlook: --profile: "" is not a valid profile name/);
  });

  it('tools --json prints the tools/list result', async () => {
    const a = io();
    expect(await run(['tools', '--json'], a.io)).toBe(EXIT_OK);
    const listed = JSON.parse(a.out.join('')) as { tools: Array<{ name: string; inputSchema: unknown }> };
    expect(listed.tools.map((t) => t.name)).toContain('ol_email_read');
    expect(listed.tools.every((t) => typeof t.inputSchema === 'object')).toBe(true);
  });

  it('tools lists the read-only surface without credentials', async () => {
    const a = io();
    expect(await run(['tools'], a.io)).toBe(EXIT_OK);
    expect(a.out.join('')).toMatch(/ol_email_search\s+read-only/);
  });

  it('live mode without credentials says how to get them', async () => {
    const a = io();
    expect(await run(['call', 'ol_email_list_unread'], a.io)).toBe(EXIT_TOOL_ERROR);
    expect(a.out.join('')).toMatch(/No usable credentials for profile 'default'.*OUTLOOK_ACCESS_TOKEN.*--sandbox/);
  });

  it('a static token works against a standalone sandbox, and --version prints the version', async () => {
    const { startSandbox } = await import('../../src/sandbox/index.js');
    const sb = await startSandbox();
    try {
      const a = io({ OUTLOOK_GRAPH_URL: sb.url, OUTLOOK_ACCESS_TOKEN: sb.token });
      expect(await run(['call', 'ol_status'], a.io)).toBe(EXIT_OK);
      expect(a.out.join('')).toMatch(/live[\s\S]*Avery Quinn[\s\S]*static \(OUTLOOK_ACCESS_TOKEN\)/);
      const b = io({ OUTLOOK_GRAPH_URL: sb.url, OUTLOOK_ACCESS_TOKEN: 'wrong' });
      expect(await run(['call', 'ol_email_list_unread'], b.io)).toBe(EXIT_TOOL_ERROR);
      expect(b.out.join('')).toMatch(/Graph refused the token in OUTLOOK_ACCESS_TOKEN/);
    } finally {
      await sb.close();
    }
    const v = io();
    expect(await run(['--version'], v.io)).toBe(EXIT_OK);
    expect(v.out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  // The whole demo (a sandbox, a server, two dozen calls) in one test: more time than a unit test.
  it('demo walks through reads and drafts on the sandbox, notifies nobody and leaves no state behind', { timeout: 60_000 }, async () => {
    const a = io();
    expect(await run(['demo'], a.io)).toBe(EXIT_OK);
    const out = a.out.join('');
    expect(out).toContain('Updated invoice details');
    expect(out).not.toMatch(/ignore previous instructions/i);
    expect(out).toMatch(/Proposed attendees \(not invited\)/);
    expect(out).toMatch(/0 notifications to anyone/);
    // The seed's two conversations, with token counts and Graph requests per step.
    expect(out).toMatch(/Proposed \d{4}-\d{2}-\d{2} 14:00 - 15:00: does NOT work\./);
    expect(out).toMatch(/conflict: \d{4}-\d{2}-\d{2} 14:30 - 15:30 \| me \| busy \| Customer Y review/);
    expect(out).toMatch(/nearest free: \d{4}-\d{2}-\d{2} 13:00 - 14:30; \d{4}-\d{2}-\d{2} 16:00 - 17:00/);
    expect(out).toMatch(/Conversation 1: \d+ o200k tokens of tool results/);
    expect(out).toMatch(/Conversation 2: \d+ o200k tokens of tool results/);
    expect(out).toMatch(/\[\d+ o200k tokens; 2 Graph request\(s\)\]/);
    const cache = a.io.env.OUTLOOK_CACHE_DIR as string;
    expect(readdirSync(cache)).toEqual([]);
  });

  it('the standalone sandbox prints its URL and stops when told', async () => {
    const a = io();
    let stop: () => void = () => {};
    const stopped = new Promise<void>((r) => (stop = r));
    const done = run(['sandbox', '--port', '0'], { ...a.io, untilStopped: () => stopped });
    for (let i = 0; i < 200 && !a.out.join('').includes('listening'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(a.out.join('')).toMatch(/Sandbox Graph listening: http:\/\/127\.0\.0\.1:\d+\/v1\.0/);
    stop();
    expect(await done).toBe(EXIT_OK);
    const b = io();
    expect(await run(['sandbox', '--port', '99999'], b.io)).toBe(EXIT_USAGE);
  });

  it('a sandbox port already in use says how to pick another', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const a = io();
      expect(await run(['sandbox', '--port', String(port)], a.io)).toBe(EXIT_USAGE);
      expect(a.err.join('')).toMatch(new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use \\(another sandbox\\?\\)\\. Pick another with --port <n>, or --port 0`));
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
