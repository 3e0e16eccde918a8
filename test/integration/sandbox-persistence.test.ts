/**
 * The saved sandbox mailbox: one-shot `--sandbox call`s behave like one
 * mailbox (cursors and drafts carry over), `sandbox reset` starts afresh, and
 * processes sharing the file never lose each other's writes. Every test has
 * its own OUTLOOK_CACHE_DIR.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, EXIT_OK, EXIT_TOOL_ERROR, EXIT_USAGE } from '../../src/cli/run.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { SandboxMailboxFile, MAILBOX_FILE_NAME } from '../../src/sandbox-state/mailbox-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cacheDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'outlook-sandbox-state-'));
  dirs.push(d);
  return d;
}

/** Runs the CLI like one process start; returns exit code and stdout. */
async function cli(cache: string, argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    env: { OUTLOOK_CACHE_DIR: cache, OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_LOG_LEVEL: 'silent', ...env },
  });
  return { code, out: out.join(''), err: err.join('') };
}

async function callJson(cache: string, tool: string, args: object, env: Record<string, string> = {}) {
  const r = await cli(cache, ['--sandbox', 'call', tool, JSON.stringify(args), '--json'], env);
  expect(r.code, r.out + r.err).toBe(EXIT_OK);
  return JSON.parse(r.out).structuredContent as Record<string, unknown>;
}

const DRAFTS = { OUTLOOK_ALLOW_DRAFTS: 'true' };

// Each test runs the CLI binary two to six times (a Node start-up each), hence the longer timeout.
describe('saved sandbox mailbox', { timeout: 60_000 }, () => {
  it('a cursor printed by one --sandbox call pages on in the next', async () => {
    const cache = cacheDir();
    const first = await callJson(cache, 'ol_email_list_unread', { limit: 3 });
    const cursor = first.next_cursor as string;
    expect(cursor).toBeTruthy();
    const second = await callJson(cache, 'ol_email_list_unread', { limit: 3, cursor });
    const ids = (page: Record<string, unknown>) => (page.messages as Array<{ id: string }>).map((m) => m.id);
    expect(ids(second)).toHaveLength(3);
    expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
    expect(readFileSync(path.join(cache, '@sandbox', 'default', MAILBOX_FILE_NAME), 'utf8')).toContain('"format":"mcp-server-outlook sandbox state"');
  });

  it('a delta sync state saved by one call syncs on in the next', async () => {
    const cache = cacheDir();
    expect((await callJson(cache, 'ol_email_whats_new', {})).mode).toBe('baseline');
    const next = await callJson(cache, 'ol_email_whats_new', {});
    expect(next).toMatchObject({ mode: 'changes', messages: [] });
  });

  it('a draft made in one call is there in the next, until sandbox reset', async () => {
    const cache = cacheDir();
    const made = await callJson(cache, 'ol_email_create_draft', { to: ['dana@example.com'], subject: 'Kept across calls', body: 'Hello' }, DRAFTS);
    const listed = await callJson(cache, 'ol_email_list_drafts', {}, DRAFTS);
    expect(JSON.stringify(listed)).toContain('Kept across calls');
    const read = await cli(cache, ['--sandbox', 'call', 'ol_email_read', JSON.stringify({ id: made.draft_id ?? made.id })]);
    expect(read.code, read.out).toBe(EXIT_OK);
    expect(read.out).toContain('Kept across calls');

    // Another sandbox profile has its own mailbox.
    const other = await callJson(cache, 'ol_email_list_drafts', {}, { ...DRAFTS, OUTLOOK_PROFILE: 'other' });
    expect(JSON.stringify(other)).not.toContain('Kept across calls');

    const reset = await cli(cache, ['sandbox', 'reset']);
    expect(reset.code).toBe(EXIT_OK);
    expect(reset.out).toMatch(/starts afresh/);
    const after = await callJson(cache, 'ol_email_list_drafts', {}, DRAFTS);
    expect(JSON.stringify(after)).not.toContain('Kept across calls');
    const status = await cli(cache, ['--sandbox', 'call', 'ol_status'], DRAFTS);
    expect(status.out).not.toContain('Kept across calls');
  });

  it("other people's mailboxes are saved too: a draft made in support@ by one call is there in the next, the ids of its seed match", async () => {
    const cache = cacheDir();
    const env = { ...DRAFTS, OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' };
    const support = 'support@contoso.example';
    const found = await callJson(cache, 'ol_email_search', { mailbox: support, query: 'Only for Contoso Support' }, env);
    await callJson(cache, 'ol_email_create_draft', { mailbox: support, to: ['dana@example.com'], subject: 'Saved in support', body: 'Hello' }, env);
    const listed = await callJson(cache, 'ol_email_list_drafts', { mailbox: support }, env);
    expect(JSON.stringify(listed)).toContain('Saved in support');
    // Built once and saved, not per process: the same message has the same handle in the next call.
    const again = await callJson(cache, 'ol_email_search', { mailbox: support, query: 'Only for Contoso Support' }, env);
    expect((again.messages as Array<{ id: string }>)[0]?.id).toBe((found.messages as Array<{ id: string }>)[0]?.id);
    // …and the user's own mailbox has neither.
    expect(JSON.stringify(await callJson(cache, 'ol_email_list_drafts', {}, env))).not.toContain('Saved in support');
  });

  it('an attachment uploaded through an upload session (sandbox.localhost) is on the draft in the next call', async () => {
    const cache = cacheDir();
    const made = await callJson(cache, 'ol_email_create_draft', { to: ['dana@example.com'], subject: 'With a big file', body: 'See attached' }, DRAFTS);
    const add = { draft_id: made.draft_id, add_attachments: [{ message_id: SEED_IDS.messageWithLargeAttachment, attachment_id: SEED_IDS.largeAttachment, name: 'copy.zip' }] };
    const updated = await callJson(cache, 'ol_email_update_draft', add, DRAFTS);
    expect(updated.attachments).toEqual(['copy.zip']);
    const read = await cli(cache, ['--sandbox', 'call', 'ol_email_read', JSON.stringify({ id: made.draft_id, include_attachments: true })]);
    expect(read.out).toContain('copy.zip');
  });

  it('the standalone sandbox serves the same saved mailbox', async () => {
    const cache = cacheDir();
    await callJson(cache, 'ol_email_create_draft', { to: ['dana@example.com'], subject: 'Seen by the standalone sandbox', body: 'Hi' }, DRAFTS);
    const out: string[] = [];
    let stop: () => void = () => {};
    const stopped = new Promise<void>((r) => (stop = r));
    const done = run(['sandbox', '--port', '0'], {
      stdout: (s) => void out.push(s),
      stderr: () => {},
      env: { OUTLOOK_CACHE_DIR: cache, OUTLOOK_LOG_LEVEL: 'silent' },
      untilStopped: () => stopped,
    });
    for (let i = 0; i < 200 && !out.join('').includes('Stop with'); i++) await new Promise((r) => setTimeout(r, 25));
    const url = /listening: (\S+)/.exec(out.join(''))?.[1] as string;
    const token = /Bearer token: (\S+)/.exec(out.join(''))?.[1] as string;
    const res = await fetch(`${url}/me/mailFolders/drafts/messages?$select=subject`, { headers: { authorization: `Bearer ${token}` } });
    const subjects = ((await res.json()) as { value: Array<{ subject: string }> }).value.map((m) => m.subject);
    stop();
    expect(await done).toBe(EXIT_OK);
    expect(subjects).toContain('Seen by the standalone sandbox');
  });

  it('two processes writing at once keep every write', async () => {
    const dir = path.join(cacheDir(), '@sandbox', 'default');
    const a = await startSandbox({ store: new SandboxMailboxFile(dir, 'default') });
    const b = await startSandbox({ store: new SandboxMailboxFile(dir, 'default') });
    try {
      expect(b.token).toBe(a.token);
      const post = (sb: typeof a, i: number) =>
        fetch(`${sb.url}/me/messages`, { method: 'POST', headers: { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ subject: `concurrent ${i}` }) });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post(i % 2 ? a : b, i)));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      for (const sb of [a, b]) {
        const res = await fetch(`${sb.url}/me/mailFolders/drafts/messages?$select=subject&$top=100`, { headers: { authorization: `Bearer ${sb.token}` } });
        const subjects = ((await res.json()) as { value: Array<{ subject: string }> }).value.map((m) => m.subject).filter((s) => s.startsWith('concurrent'));
        expect(subjects.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `concurrent ${i}`).sort());
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a damaged saved mailbox is reported with the way out', async () => {
    const cache = cacheDir();
    await callJson(cache, 'ol_status', {});
    writeFileSync(path.join(cache, '@sandbox', 'default', MAILBOX_FILE_NAME), '{"half":', { mode: 0o600 });
    const broken = await cli(cache, ['--sandbox', 'call', 'ol_status']);
    expect(broken.code).toBe(EXIT_TOOL_ERROR);
    expect(broken.err).toMatch(/sandbox-mailbox\.json is not valid JSON.*mcp-server-outlook sandbox reset/);
    expect((await cli(cache, ['sandbox', 'reset'])).code).toBe(EXIT_OK);
    expect((await cli(cache, ['--sandbox', 'call', 'ol_status'])).code).toBe(EXIT_OK);
    expect((await cli(cache, ['sandbox', 'rest'])).code).toBe(EXIT_USAGE);
  });
});
