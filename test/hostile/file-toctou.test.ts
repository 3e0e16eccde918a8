/** Attack groups 5 and 9a: swapping the checked file (symlink, /proc, /dev/zero, a moved folder, a FIFO) and segment-wise containment. */
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLocalFile, readCheckedFile } from '../../src/services/draft-attachments.js';
import { AttachmentPathError } from '../../src/drafts/errors.js';

let root: string;
let allowed: string;
let secret: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'toctou-'));
  allowed = path.join(root, 'allowed');
  mkdirSync(path.join(allowed, 'sub'), { recursive: true });
  secret = path.join(root, 'other-profile', 'tokens.json');
  mkdirSync(path.dirname(secret));
  writeFileSync(secret, '{"refresh_token":"SECRET"}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const posix = process.platform !== 'win32';

describe('file time-of-check/time-of-use', () => {
  it('reads the checked bytes when nothing changed', async () => {
    const f = path.join(allowed, 'sub', 'report.txt');
    writeFileSync(f, 'hello');
    const checked = await checkLocalFile(f, [allowed]);
    expect((await readCheckedFile(checked)).toString()).toBe('hello');
  });

  it.runIf(posix)('a file swapped for a symlink to another profile\'s tokens.json after the check is not read', async () => {
    const f = path.join(allowed, 'report.txt');
    writeFileSync(f, 'hello');
    const checked = await checkLocalFile(f, [allowed]);
    unlinkSync(f);
    symlinkSync(secret, f);
    await expect(readCheckedFile(checked)).rejects.toThrowError(AttachmentPathError);
  });

  it.runIf(process.platform === 'linux')('a swap to /proc/self/environ or /dev/zero is not read (and cannot grow the process)', async () => {
    for (const target of ['/proc/self/environ', '/dev/zero']) {
      const f = path.join(allowed, `x-${path.basename(target)}.txt`);
      writeFileSync(f, 'hello');
      const checked = await checkLocalFile(f, [allowed]);
      unlinkSync(f);
      symlinkSync(target, f);
      await expect(readCheckedFile(checked)).rejects.toThrowError(/replaced or changed|symbolic link/);
    }
  });

  it.runIf(posix)('a folder moved away and replaced by a symlink to elsewhere is caught by the inode check', async () => {
    const f = path.join(allowed, 'sub', 'tokens.json');
    writeFileSync(f, 'harmless');
    const checked = await checkLocalFile(f, [allowed]);
    renameSync(path.join(allowed, 'sub'), path.join(root, 'moved'));
    symlinkSync(path.dirname(secret), path.join(allowed, 'sub'));
    await expect(readCheckedFile(checked)).rejects.toThrowError(/replaced or changed/);
  });

  it('a file that grew after the check is refused, never read past the checked size', async () => {
    const f = path.join(allowed, 'grow.txt');
    writeFileSync(f, 'abc');
    const checked = await checkLocalFile(f, [allowed]);
    appendFileSync(f, 'x'.repeat(1000));
    await expect(readCheckedFile(checked)).rejects.toThrowError(/changed after it was checked/);
  });

  it.runIf(posix)('a symlink in the last component at check time that points outside is refused', async () => {
    symlinkSync(secret, path.join(allowed, 'link.json'));
    await expect(checkLocalFile(path.join(allowed, 'link.json'), [allowed])).rejects.toThrowError(/outside the folders/);
  });

  it.runIf(posix)('a FIFO in the allowed folder is refused without hanging', async () => {
    const fifo = path.join(allowed, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    await expect(checkLocalFile(fifo, [allowed])).rejects.toThrowError(/not a regular file/);
  });

  it('a file named ..hidden.txt inside the allowed folder is inside (segments, not prefixes); ../ still is not', async () => {
    const f = path.join(allowed, '..hidden.txt');
    writeFileSync(f, 'dots');
    expect((await checkLocalFile(f, [allowed])).name).toBe('..hidden.txt');
    writeFileSync(path.join(root, 'outside.txt'), 'x');
    await expect(checkLocalFile(path.join(allowed, '..', 'outside.txt'), [allowed])).rejects.toThrowError(/outside the folders/);
  });
});
