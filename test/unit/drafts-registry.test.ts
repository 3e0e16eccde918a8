import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftRecord } from '../../src/drafts/registry.js';
import { parseTagValue, tagFilter, tagValue, profileFilter } from '../../src/drafts/tag.js';
import { tempState } from '../helpers/state.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'drafts-registry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rec = (id: string, kind: DraftRecord['kind'] = 'mail', createdAt = '2026-11-27T10:00:00.000Z'): DraftRecord => ({ id, kind, creationId: `c-${id}`, subject: `s ${id}`, createdAt });

// The registry's behaviour is the DraftRegistryPort contract (test/state/contract/drafts.contract.ts); this is the profile-folder view.
describe('DraftRegistry', () => {
  it('keeps records in the profile folder, seen by a second process and after a restart', async () => {
    const profileDir = path.join(dir, 'profile');
    const r = tempState({ dir: profileDir }).drafts;
    await r.add(rec('a'));
    await r.add(rec('b', 'event', '2026-11-27T11:00:00.000Z'));
    expect((await tempState({ dir: profileDir }).drafts.list()).map((x) => x.id)).toEqual(['b', 'a']);
  });

  it('loses no record when many writers (separate stores, as separate processes would) add at once', async () => {
    const writers = Array.from({ length: 12 }, (_, i) => tempState({ dir }).drafts.add(rec(`id${i}`)));
    await Promise.all(writers);
    expect(await tempState({ dir }).drafts.list()).toHaveLength(12);
  });
});

describe('draft tag', () => {
  it('round-trips profile and creation id and quotes filter literals', () => {
    expect(parseTagValue(tagValue('acme', 'c1'))).toEqual({ profile: 'acme', creationId: 'c1' });
    expect(parseTagValue('nocolon')).toBeUndefined();
    expect(tagFilter("a'b")).toContain("ep/value eq 'a''b'");
    expect(profileFilter('acme')).toMatch(/^singleValueExtendedProperties\/Any\(ep: ep\/id eq 'String \{[0-9a-f-]{36}\} Name draftProfile' and ep\/value eq 'acme'\)$/);
  });
});

describe('pendingDrafts (for ol_status)', () => {
  it('lists newest first with a readable age and the web link', async () => {
    const { pendingDrafts, formatAge } = await import('../../src/drafts/status.js');
    const now = new Date('2026-11-27T12:00:00Z');
    const list = pendingDrafts([{ ...rec('a'), webLink: 'https://x' }, rec('b', 'event', '2026-11-27T11:55:00.000Z'), rec('c', 'mail', '2026-11-24T12:00:00.000Z')], now);
    expect(list).toEqual([
      { kind: 'event', subject: 's b', age: '5 min' },
      { kind: 'mail', subject: 's a', age: '2 h', web_link: 'https://x' },
      { kind: 'mail', subject: 's c', age: '3 d' },
    ]);
    expect(formatAge(-5)).toBe('0 min');
  });
});
