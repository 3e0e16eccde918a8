import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { CursorError, CursorStore } from '../../src/services/cursor.js';
import { EMBEDDED_STATE_FILE } from '../../src/state/embedded/engine.js';
import { tempState } from '../helpers/state.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmpDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'cursor-test-'));
  dirs.push(d);
  return path.join(d, 'profile');
}
/** A cursor store on a fresh state store (or the profile folder `dir`, as another process would open it). */
const cursors = (dir?: string, opts: { ttlMs?: number; now?: () => number } = {}) => new CursorStore(tempState({ dir, now: opts.now }).cursors, opts);

const LINK = 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=a%2Fb%3D&$top=25';

describe('cursor store', () => {
  it('round-trips the nextLink whole, with local state, behind a short handle', async () => {
    const store = cursors();
    const c = await store.issue('ol_email_search', '/me', LINK, { f: { u: true } });
    expect(c).toMatch(/^c[a-z2-9]{12}$/);
    expect(c).not.toContain('graph');
    expect(await store.redeem('ol_email_search', '/me', c)).toEqual({ nextLink: LINK, extra: { f: { u: true } } });
  });

  it('handles are at most 16 o200k tokens (measured over 2,000 handles)', async () => {
    const store = cursors();
    let max = 0;
    for (let i = 0; i < 2000; i++) max = Math.max(max, encode(await store.issue('t', '/me', LINK)).length);
    expect(max).toBeLessThanOrEqual(16);
  });

  it('refuses a cursor of another tool, naming it, and of another mailbox root', async () => {
    const store = cursors();
    const c = await store.issue('ol_email_search', '/me', LINK);
    await expect(store.redeem('ol_calendar_list_events', '/me', c)).rejects.toThrowError(/belongs to ol_email_search/);
    await expect(store.redeem('ol_email_search', '/users/ceo%40contoso.com', c)).rejects.toThrowError(/another mailbox/);
  });

  it('refuses an expired cursor with the way out', async () => {
    let now = 1_000_000;
    const store = cursors(undefined, { ttlMs: 60_000, now: () => now });
    const c = await store.issue('ol_email_search', '/me', LINK);
    now += 60_001;
    await expect(store.redeem('ol_email_search', '/me', c)).rejects.toThrowError(/expired.*without cursor/);
  });

  // The old format: base64 JSON around a nextLink an agent can write itself.
  const forged = Buffer.from(JSON.stringify({ t: 'ol_email_search', n: 'https://graph.microsoft.com/v1.0/users/ceo@contoso.com/mailFolders/inbox/messages' })).toString('base64url');
  it.each(['garbage', '', 'eyJ9', forged, 'cabcdefghjkmn'])('refuses forged or unknown %j with a next step', async (c) => {
    const store = cursors();
    const err = await store.redeem('ol_email_search', '/me', c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CursorError);
    expect((err as CursorError).code).toBe('cursor_refused');
    expect((err as Error).message).toMatch(/without cursor/);
  });

  it('persists 0600, survives a restart and is seen by a second process of the profile; another profile does not know it', async () => {
    const dir = tmpDir();
    const a = cursors(dir);
    const c = await a.issue('ol_email_search', '/me', LINK);
    expect(statSync(path.join(dir, EMBEDDED_STATE_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const b = cursors(dir);
    expect((await b.redeem('ol_email_search', '/me', c)).nextLink).toBe(LINK);
    const c2 = await b.issue('ol_email_search', '/me', `${LINK}&x=2`);
    expect((await a.redeem('ol_email_search', '/me', c2)).nextLink).toBe(`${LINK}&x=2`);
    const other = cursors(tmpDir());
    await expect(other.redeem('ol_email_search', '/me', c)).rejects.toThrowError(/not a cursor this profile issued/);
  });

  it('concurrent issuers of one profile lose nothing', async () => {
    const dir = tmpDir();
    const stores = [cursors(dir), cursors(dir), cursors(dir)];
    const issued = await Promise.all(Array.from({ length: 30 }, (_, i) => (stores[i % 3] as CursorStore).issue('t', '/me', `${LINK}&n=${i}`)));
    const fresh = cursors(dir);
    for (const [i, c] of issued.entries()) expect((await fresh.redeem('t', '/me', c)).nextLink).toBe(`${LINK}&n=${i}`);
  });
});
