/**
 * The first start on a profile folder written by the previous version (JSON
 * files under a lock): everything moves into the embedded store, the files go
 * to a backup folder unchanged, and no draft handle or approval is lost.
 * The fixture was written by that version's own code (test/state/fixtures/
 * legacy-profile, see its expected.json for the ids, handles and tokens).
 */
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApprovalService } from '../../src/approval/approvals.js';
import { HandleStore } from '../../src/handles/handle-store.js';
import { CursorStore } from '../../src/services/cursor.js';
import type { MigrationReport } from '../../src/state/embedded/legacy-migration.js';
import { openProfileState, type ProfileState } from '../../src/state/profile-state.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'legacy-profile');
interface Expected {
  at: number;
  ids: string[];
  handles: string[];
  tokens: Record<'superseded' | 'open' | 'sending' | 'card', string>;
  cursor: string;
  folder: string;
}
const expected = JSON.parse(readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
const LEGACY = ['approvals.json', 'cursors.json', 'delta', 'drafts.json', 'handles.jsonl'];

// The tokens were minted at the fixture's time; the request-state codec reads Date itself. Only Date is faked:
// LMDB's commits run on real timers.
beforeAll(() => vi.useFakeTimers({ toFake: ['Date'], now: expected.at + 60_000 }));
afterAll(() => vi.useRealTimers());

const dirs: string[] = [];
const stores: ProfileState[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the fixture profile, private as the old code left it (git keeps no modes). */
function legacyProfile(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'legacy-')), 'profile');
  dirs.push(path.dirname(dir));
  cpSync(FIXTURE, dir, { recursive: true });
  rmSync(path.join(dir, 'expected.json'));
  chmodSync(dir, 0o700);
  chmodSync(path.join(dir, 'approval.key'), 0o600);
  return dir;
}

const now = () => expected.at + 60_000;
async function open(dir: string, onMigrated?: (r: MigrationReport) => void): Promise<ProfileState> {
  const s = await openProfileState({ dir, profile: 'default', mailboxRoot: '/me', now, onMigrated });
  stores.push(s);
  return s;
}
const approvalsOf = (dir: string, state: ProfileState) => new ApprovalService({ stateDir: dir, profile: 'default', now: () => new Date(now()), ledger: state.approvals, mailboxRoot: '/me' });

describe('migration of the previous version\'s profile files', () => {
  it('moves every draft, handle, approval, cursor, delta link and download into the store and keeps the files as a backup', async () => {
    const dir = legacyProfile();
    const before = Object.fromEntries(LEGACY.filter((f) => f !== 'delta').map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const reports: MigrationReport[] = [];
    const state = await open(dir, (r) => reports.push(r));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ drafts: 3, handles: 203, handlesChanged: 0, approvals: 3, cursors: 1, deltaLinks: 1, downloads: 2, unreadable: [] });

    // The backup holds the old files byte for byte; the profile folder no longer has them; the approval key stays.
    const backup = reports[0]!.backupDir!;
    expect(path.dirname(backup)).toBe(dir);
    expect(readdirSync(backup).sort()).toEqual(LEGACY);
    for (const [f, text] of Object.entries(before)) expect(readFileSync(path.join(backup, f), 'utf8')).toBe(text);
    for (const f of LEGACY) expect(existsSync(path.join(dir, f))).toBe(false);
    expect(existsSync(path.join(dir, 'approval.key'))).toBe(true);

    // Draft records, and every handle with its old letters.
    expect((await state.drafts.list()).map((r) => r.subject)).toEqual(['Card only', 'Send in progress', 'Open prompt']);
    expect(await state.drafts.get(expected.ids[0]!)).toMatchObject({ creationId: 'c1', webLink: 'https://outlook.office.com/d1' });
    const handles = new HandleStore(state.handles);
    for (const [i, h] of expected.handles.entries()) expect(await handles.resolve(h, 'id', 'message')).toBe(expected.ids[i]);

    // Approvals: the open prompt can still send and locks its draft; the superseded one cannot; the send in
    // progress stays locked and can never be sent twice; the card's approval is still good and locks nothing.
    const approvals = approvalsOf(dir, state);
    const [d1, d2, d3] = expected.ids as [string, string, string];
    await expect(approvals.verify(expected.tokens.open, { draftId: d1, channel: 'elicit' })).resolves.toMatchObject({ draftId: d1 });
    await expect(approvals.verify(expected.tokens.superseded, { draftId: d1, channel: 'elicit' })).rejects.toMatchObject({ name: 'ApprovalError' });
    await expect(approvals.verify(expected.tokens.sending, { draftId: d2, channel: 'elicit' })).rejects.toMatchObject({ reason: 'replayed' });
    await expect(approvals.assertNotPending(d1, 'update', 'h1')).rejects.toMatchObject({ name: 'ApprovalPendingError' });
    await expect(approvals.assertNotPending(d2, 'discard', 'h2')).rejects.toMatchObject({ name: 'ApprovalPendingError' });
    await expect(approvals.assertNotPending(d3, 'update', 'h3')).resolves.toBeUndefined();
    const card = await approvals.verify(expected.tokens.card, { draftId: d3, channel: 'card' });
    await approvals.consume(card);
    await expect(approvals.consume(card)).rejects.toMatchObject({ reason: 'replayed' });

    // The cursor, the folder's delta link, and the downloads (both copies, found by their bytes).
    const cursors = new CursorStore(state.cursors, { now });
    expect((await cursors.redeem('ol_email_search', '/me', expected.cursor)).nextLink).toContain('$skiptoken=abc');
    expect((await state.deltas.get('/me', expected.folder))?.deltaLink).toContain('$deltatoken=legacy1');
    const sha = createHash('sha256').update('pdf bytes').digest('hex');
    expect((await state.downloads.find(sha, 'report.pdf'))?.path).toMatch(/report( \(2\))?\.pdf$/);
    // The two identical copies are one entry (the next identical download reuses it); neither file is deleted.
    expect(await state.downloads.totalBytes()).toBe(9);
    expect(readdirSync(path.join(dir, 'downloads')).sort()).toEqual(['report (2).pdf', 'report.pdf']);
  });

  it('runs once: a restart finds the store and imports nothing again', async () => {
    const dir = legacyProfile();
    await (await open(dir)).close();
    stores.pop();
    const reports: MigrationReport[] = [];
    const again = await open(dir, (r) => reports.push(r));
    expect(reports).toEqual([]);
    expect(await again.drafts.list()).toHaveLength(3);
    expect(readdirSync(dir).filter((f) => f.startsWith('legacy-state-'))).toHaveLength(1);
  });

  it('two servers starting at once on the old files import them once (the open prompt is not superseded by a second import)', async () => {
    const dir = legacyProfile();
    const reports: MigrationReport[] = [];
    const [a, b] = await Promise.all([open(dir, (r) => reports.push(r)), open(dir, (r) => reports.push(r))]);
    expect(reports).toHaveLength(1);
    const d1 = expected.ids[0]!;
    for (const s of [a, b]) await expect(approvalsOf(dir, s).verify(expected.tokens.open, { draftId: d1, channel: 'elicit' })).resolves.toBeDefined();
  });

  it('a damaged file is kept in the backup and named; the rest is still imported', async () => {
    const dir = legacyProfile();
    writeFileSync(path.join(dir, 'drafts.json'), '{"drafts": [');
    const reports: MigrationReport[] = [];
    const state = await open(dir, (r) => reports.push(r));
    expect(reports[0]).toMatchObject({ drafts: 0, handles: 203, approvals: 3, unreadable: ['drafts.json'] });
    expect(readFileSync(path.join(reports[0]!.backupDir!, 'drafts.json'), 'utf8')).toBe('{"drafts": [');
    expect(await new HandleStore(state.handles).lookup(expected.handles[0]!)).toBe(expected.ids[0]);
  });
});
