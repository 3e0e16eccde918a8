import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DraftRegistry, DraftRegistryError, type DraftRecord } from '../../src/drafts/registry.js';
import { parseTagValue, tagFilter, tagValue, profileFilter } from '../../src/drafts/tag.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'drafts-registry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rec = (id: string, kind: DraftRecord['kind'] = 'mail', createdAt = '2026-11-27T10:00:00.000Z'): DraftRecord => ({ id, kind, creationId: `c-${id}`, subject: `s ${id}`, createdAt });

describe('DraftRegistry', () => {
  it('starts empty, persists records with private permissions, and removes them', async () => {
    const profileDir = path.join(dir, 'profile');
    const r = new DraftRegistry(profileDir);
    expect(await r.list()).toEqual([]);
    await r.add(rec('a'));
    await r.add(rec('b', 'event', '2026-11-27T11:00:00.000Z'));
    expect((await new DraftRegistry(profileDir).list()).map((x) => x.id)).toEqual(['b', 'a']);
    expect(await r.list('event')).toHaveLength(1);
    expect(statSync(r.file).mode & 0o777).toBe(0o600);
    expect(statSync(profileDir).mode & 0o777).toBe(0o700);
    await r.touch('a', { subject: 'new' });
    expect((await r.get('a'))?.subject).toBe('new');
    await r.remove('a');
    expect(await r.get('a')).toBeUndefined();
    // No temp files or lock left behind.
    expect(readdirSync(profileDir)).toEqual(['drafts.json']);
  });

  it('loses no record when many writers (separate instances, as separate processes would) add at once', async () => {
    const writers = Array.from({ length: 12 }, (_, i) => new DraftRegistry(dir).add(rec(`id${i}`)));
    await Promise.all(writers);
    expect(await new DraftRegistry(dir).list()).toHaveLength(12);
    expect(JSON.parse(readFileSync(path.join(dir, 'drafts.json'), 'utf8')).version).toBe(1);
  });

  it('says what to do with a corrupt file, and ignores malformed entries', async () => {
    writeFileSync(path.join(dir, 'drafts.json'), '{not json');
    await expect(new DraftRegistry(dir).list()).rejects.toThrow(DraftRegistryError);
    await expect(new DraftRegistry(dir).list()).rejects.toThrow(/Move it aside/);
    writeFileSync(path.join(dir, 'drafts.json'), JSON.stringify({ version: 1, drafts: [rec('ok'), { id: 1 }, { ...rec('x'), kind: 'other' }] }));
    expect((await new DraftRegistry(dir).list()).map((r) => r.id)).toEqual(['ok']);
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
