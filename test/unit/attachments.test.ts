import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sanitizeFileName, saveAttachment, textPreviewOf } from '../../src/services/attachments.js';

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['..\\..\\windows\\system.ini', '_.._windows_system.ini'],
    ['invoice\u202Efdp.exe', 'invoice_fdp.exe'],
    ['a\u200Bb.txt', 'a_b.txt'],
    ['   ', 'attachment'],
    ['.hidden', 'hidden'],
    ['CON.txt', '_CON.txt'],
    ['x:y*z?.csv', 'x_y_z_.csv'],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('caps the length but keeps the extension', () => {
    const n = sanitizeFileName('a'.repeat(300) + '.pdf');
    expect(Buffer.byteLength(n)).toBeLessThanOrEqual(200);
    expect(n.endsWith('.pdf')).toBe(true);
  });
});

describe('saveAttachment', () => {
  it('writes inside the folder, 0600, and never overwrites', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'att-')), 'downloads');
    const a = await saveAttachment(dir, 'notes.txt', Buffer.from('one'));
    const b = await saveAttachment(dir, 'notes.txt', Buffer.from('two'));
    expect(path.basename(a.path)).toBe('notes.txt');
    expect(path.basename(b.path)).toBe('notes (2).txt');
    expect(readFileSync(a.path, 'utf8')).toBe('one');
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const c = await saveAttachment(dir, '../../escape.txt', Buffer.from('x'));
    expect(path.dirname(c.path)).toBe(await import('node:fs/promises').then((f) => f.realpath(dir)));
  });

  it('does not follow a planted symlink', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'att-'));
    const dir = path.join(base, 'downloads');
    await saveAttachment(dir, 'seed.txt', Buffer.from('s'));
    symlinkSync(path.join(base, 'target.txt'), path.join(dir, 'evil.txt'));
    const r = await saveAttachment(dir, 'evil.txt', Buffer.from('x'));
    expect(path.basename(r.path)).toBe('evil (2).txt');
    expect(readdirSync(base)).not.toContain('target.txt');
  });
});

describe('textPreviewOf', () => {
  it('returns sanitised text for text-like attachments', async () => {
    const r = await textPreviewOf(Buffer.from('a,b\u200B\n1,2\n'), 'text/csv', 'x.csv');
    expect(r?.text).toBe('a,b\n1,2');
  });
  it('returns nothing for binary or large files', async () => {
    expect(await textPreviewOf(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00]), 'application/pdf', 'x.pdf')).toBeUndefined();
    expect(await textPreviewOf(Buffer.alloc(300_000, 0x61), 'text/plain', 'x.txt')).toBeUndefined();
    expect(await textPreviewOf(Buffer.from('a\u0000b'), 'text/plain', 'x.txt')).toBeUndefined();
  });
});
