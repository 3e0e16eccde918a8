import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptableUploadUrl, checkLocalFile, contentTypeOf } from '../../src/services/draft-attachments.js';
import { AttachmentPathError } from '../../src/drafts/errors.js';

let root: string;
let allowed: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'drafts-att-'));
  allowed = path.join(root, 'allowed');
  mkdirSync(path.join(allowed, 'sub'), { recursive: true });
  writeFileSync(path.join(allowed, 'sub', 'ok.pdf'), 'pdf');
  writeFileSync(path.join(root, 'secret'), 's');
  symlinkSync(path.join(root, 'secret'), path.join(allowed, 'escape'));
  symlinkSync(root, path.join(allowed, 'dirlink'));
  mkdirSync(path.join(root, 'allowed-sibling'));
  writeFileSync(path.join(root, 'allowed-sibling', 'x'), 'x');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('checkLocalFile', () => {
  it('accepts files inside an allowed folder', async () => {
    expect(await checkLocalFile(path.join(allowed, 'sub', 'ok.pdf'), [allowed])).toMatchObject({ name: 'ok.pdf', size: 3 });
  });

  it('refuses relative paths, .. escapes, symlink escapes, sibling prefixes, folders and missing files', async () => {
    const bad = ['ok.pdf', path.join(allowed, '..', 'secret'), path.join(allowed, 'escape'), path.join(allowed, 'dirlink', 'secret'), path.join(root, 'allowed-sibling', 'x'), path.join(allowed, 'sub'), path.join(allowed, 'missing')];
    for (const p of bad) await expect(checkLocalFile(p, [allowed])).rejects.toThrow(AttachmentPathError);
    await expect(checkLocalFile(path.join(allowed, 'escape'), [allowed])).rejects.toThrow(/OUTLOOK_ATTACHMENT_DIRS/);
  });
});

describe('acceptableUploadUrl', () => {
  it('allows https anywhere and http only to the loopback sandbox itself', () => {
    expect(acceptableUploadUrl('https://outlook.office.com/api/v2.0/upload?x', 'https://graph.microsoft.com/v1.0')).toBe(true);
    expect(acceptableUploadUrl('http://evil.example/upload', 'https://graph.microsoft.com/v1.0')).toBe(false);
    expect(acceptableUploadUrl('http://127.0.0.1:5000/upload/x', 'http://127.0.0.1:5000/v1.0')).toBe(true);
    expect(acceptableUploadUrl('http://127.0.0.1:6000/upload/x', 'http://127.0.0.1:5000/v1.0')).toBe(false);
    // The saved sandbox's upload host is https; the same name over http is refused even though it is loopback.
    expect(acceptableUploadUrl('https://upload.sandbox.localhost/upload/x', 'http://sandbox.localhost/v1.0')).toBe(true);
    expect(acceptableUploadUrl('http://upload.sandbox.localhost/upload/x', 'http://sandbox.localhost/v1.0')).toBe(false);
    expect(acceptableUploadUrl('file:///etc/passwd', 'http://127.0.0.1:5000/v1.0')).toBe(false);
    expect(acceptableUploadUrl('not a url', 'http://127.0.0.1:5000/v1.0')).toBe(false);
  });

  it('guesses content types from extensions', () => {
    expect(contentTypeOf('a.PDF')).toBe('application/pdf');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
