/** ol_email_whats_new through a real MCP client against the sandbox: baseline, changes, restarts and expired sync states. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
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

/** The saved delta state of a folder, read from the profile's state store as the server sees it. */
async function savedDelta(folder = 'inbox') {
  const deps = h.runtime.deps;
  return deps.state!.deltas.get(deps.graph.root, await deps.folders.resolve(folder));
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
    expect((await savedDelta())?.deltaLink).toMatch(/\/messages\/delta\?.*deltatoken/);
    expect(await savedDelta('sentitems')).toBeUndefined();
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
    expect(await savedDelta('sentitems')).toBeDefined();
    expect((await savedDelta('sentitems'))?.deltaLink).not.toBe((await savedDelta())?.deltaLink);
    expect((await h.ok<WhatsNew>('ol_email_whats_new', {})).mode).toBe('changes');
  });

  it('drops a saved link of another host or mailbox, or one far too long, for a new baseline with a note (never stuck)', async () => {
    const deps = h.runtime.deps;
    const inbox = await deps.folders.resolve('inbox');
    const good = (await savedDelta())!;
    for (const bad of ['https://evil.example/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=x', good.deltaLink.replace('/me/', '/users/ceo%40contoso.com/'), `${good.deltaLink}&pad=${'a'.repeat(1_000_000)}`]) {
      const current = (await savedDelta())!;
      expect((await deps.state!.deltas.save(deps.graph.root, inbox, current.revision, { deltaLink: bad, savedAt: current.savedAt })).ok).toBe(true);
      sandbox.clearLog();
      const r = await h.ok<WhatsNew>('ol_email_whats_new', { limit: 1 });
      expect(r.mode).toBe('baseline');
      expect(r.note).toMatch(/saved sync link of this folder is not usable.*new baseline/);
      expect(sandbox.requests.every((q) => !q.query.$deltatoken)).toBe(true);
      expect((await savedDelta())?.deltaLink).not.toBe(bad);
      expect((await h.ok<WhatsNew>('ol_email_whats_new', {})).mode).toBe('changes');
    }
  });

  it('starts a new baseline when Graph refuses a saved link (400), and carries on from the new one', async () => {
    sandbox.inject({ status: 400, times: 1, match: { pathIncludes: '/messages/delta' } });
    const r = await h.ok<WhatsNew>('ol_email_whats_new', { limit: 1 });
    expect(r.mode).toBe('baseline');
    expect(r.note).toMatch(/was refused \(400/);
    expect((await h.ok<WhatsNew>('ol_email_whats_new', {})).mode).toBe('changes');
  });
});
