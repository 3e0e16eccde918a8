/** ol_email_whats_new through a real MCP client against the sandbox: baseline, changes, restarts and expired sync states. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHarness, textOf, type Harness } from '../helpers/harness.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';

interface Row {
  id: string;
  received: string;
  from?: string;
  subject: string;
  flags?: string[];
  change?: 'new' | 'updated';
}
interface WhatsNew {
  folder: string;
  mode: 'baseline' | 'changes';
  since?: string;
  messages: Row[];
  more?: number;
  removed?: number;
  note?: string;
}

let sandbox: Sandbox;
let cacheDir: string;
let h: Harness;
const open = () => startHarness({ sandboxInstance: sandbox, env: { OUTLOOK_CACHE_DIR: cacheDir } });

beforeAll(async () => {
  sandbox = await startSandbox();
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-whats-new-'));
  h = await open();
});
afterAll(async () => {
  await h.close();
  await sandbox.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

function deltaFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^mail-[0-9a-f]{24}\.json$/.test(e.name)) out.push(p);
    }
  };
  walk(cacheDir);
  return out;
}

/** A copy of a seed message arriving in the inbox now. */
function arrive(subject: string): string {
  const template = sandbox.mailbox.messages.find((m) => m.id === SEED_IDS.proposalMessage);
  if (!template) throw new Error('seed message missing');
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const id = `AAMkAGVmMDEzNewArrival${subject.replace(/\W/g, '')}${'x'.repeat(40)}`;
  sandbox.mailbox.messages.push({ ...structuredClone(template), id, subject, receivedDateTime: now, sentDateTime: now, lastModifiedDateTime: now, changeKey: `ck-${id}`, isRead: false });
  return id;
}

describe('ol_email_whats_new', () => {
  it('takes a baseline of the last 7 days on the first call, and says so', async () => {
    sandbox.clearLog();
    const r = await h.ok<WhatsNew>('ol_email_whats_new', { limit: 5 });
    expect(r.mode).toBe('baseline');
    expect(r.messages).toHaveLength(5);
    expect(r.messages.map((m) => m.subject)).toContain('RE: Customer Y renewal – prep session');
    expect(r.more).toBeGreaterThan(0);
    expect(r.note).toContain('First call for this folder');
    const calls = sandbox.requests.filter((q) => q.path.endsWith('/messages/delta'));
    expect(calls[0]?.query.$filter).toMatch(/^receivedDateTime ge \d{4}-\d{2}-\d{2}T/);
    expect(calls[0]?.query.$select).toBe('id,subject,from,receivedDateTime,isRead,isDraft,hasAttachments,importance,flag');
    expect(calls.slice(1).every((q) => q.query.$skiptoken !== undefined)).toBe(true);
    const files = deltaFiles();
    expect(files).toHaveLength(1);
    if (process.platform !== 'win32') expect(statSync(files[0] as string).mode & 0o777).toBe(0o600);
  });

  it('then returns only what arrived or changed, in one request when little did', async () => {
    sandbox.clearLog();
    const none = await h.ok<WhatsNew>('ol_email_whats_new', {});
    expect(none).toMatchObject({ mode: 'changes', messages: [] });
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]?.query.$deltatoken).toBeTruthy();
    expect(textOf(await h.call('ol_email_whats_new', {}))).toMatch(/^inbox: nothing new since \d{4}-\d{2}-\d{2} \d{2}:\d{2}\.$/);

    arrive('Signed SOW attached');
    const read = sandbox.mailbox.messages.find((m) => m.id === SEED_IDS.newestMessage);
    if (!read) throw new Error('seed message missing');
    read.isRead = true;
    read.changeKey = 'ck-read';
    const r = await h.ok<WhatsNew>('ol_email_whats_new', {});
    expect(r.mode).toBe('changes');
    expect(r.messages.map((m) => [m.subject, m.change])).toEqual(
      expect.arrayContaining([
        ['Signed SOW attached', 'new'],
        [expect.any(String), 'updated'],
      ]),
    );
    expect(r.messages).toHaveLength(2);
  });

  it('counts messages that left the folder', async () => {
    const moved = sandbox.mailbox.messages.find((m) => m.id === SEED_IDS.proposalMessage);
    if (!moved) throw new Error('seed message missing');
    moved.parentFolderId = SEED_IDS.archiveFolder;
    const r = await h.ok<WhatsNew>('ol_email_whats_new', {});
    expect(r).toMatchObject({ mode: 'changes', messages: [], removed: 1 });
    moved.parentFolderId = SEED_IDS.inboxFolder;
    await h.ok('ol_email_whats_new', {});
  });

  it('survives a restart: a new server for the profile carries on from the stored deltaLink', async () => {
    await h.close();
    h = await open();
    arrive('After the restart');
    sandbox.clearLog();
    const r = await h.ok<WhatsNew>('ol_email_whats_new', {});
    expect(r.mode).toBe('changes');
    expect(r.messages.map((m) => m.subject)).toEqual(['After the restart']);
    expect(sandbox.requests.filter((q) => q.path.endsWith('/messages/delta')).every((q) => q.query.$deltatoken)).toBe(true);
  });

  it('starts a clean new baseline when Graph has dropped the sync state, and says so', async () => {
    sandbox.expireDeltaTokens();
    sandbox.clearLog();
    const r = await h.ok<WhatsNew>('ol_email_whats_new', { limit: 3 });
    expect(r.mode).toBe('baseline');
    expect(r.note).toContain('SyncStateNotFound');
    expect(sandbox.requests[0]?.status).toBe(410);
    expect((await h.ok<WhatsNew>('ol_email_whats_new', {})).mode).toBe('changes');
  });

  it('keeps one sync point per folder', async () => {
    const r = await h.ok<WhatsNew>('ol_email_whats_new', { folder: 'sentitems', limit: 2 });
    expect(r.mode).toBe('baseline');
    expect(deltaFiles()).toHaveLength(2);
    expect((await h.ok<WhatsNew>('ol_email_whats_new', {})).mode).toBe('changes');
  });
});
