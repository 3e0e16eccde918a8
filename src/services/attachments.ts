/**
 * Saving attachments to disk safely: a sanitised file name, always inside the
 * profile's download folder, never overwriting (a new name instead), files
 * 0600 in a 0700 folder. Text-like attachments also yield a bounded,
 * sanitised text preview so an agent can read a CSV without base64. The
 * download folder's index (the {@link DownloadIndex} port) lets the same
 * bytes asked for under the same name reuse the earlier file instead of a
 * new copy per call, and keeps the folder under a size cap.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DownloadIndex } from '../state/ports.js';
import { visibleBody } from './body.js';
import { truncateText } from '../text/truncate.js';

export interface SavedAttachment {
  path: string;
  name: string;
  size: number;
  content_type?: string;
}

/** Largest attachment whose text is returned inline (bytes). */
export const TEXT_PREVIEW_MAX_BYTES = 256 * 1024;
/** Longest text preview (characters). */
export const TEXT_PREVIEW_MAX_CHARS = 8_000;

const TEXT_TYPES = /^(text\/|application\/(json|xml|csv|x-csv|yaml|x-yaml|ld\+json|rtf)|message\/rfc822)/i;
const TEXT_EXTENSIONS = new Set(['.txt', '.csv', '.tsv', '.md', '.json', '.xml', '.log', '.ics', '.vcf', '.yaml', '.yml', '.html', '.htm', '.eml', '.ini', '.cfg']);
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** A file name that is safe on every OS and cannot name another directory. */
export function sanitizeFileName(name: string): string {
  let n = name
    .normalize('NFC')
    // Path separators, control, bidi and zero-width characters: nothing that moves the file or disguises its extension.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!n || n === '_') n = 'attachment';
  if (WINDOWS_RESERVED.test(n)) n = `_${n}`;
  if (Buffer.byteLength(n, 'utf8') > MAX_NAME_BYTES) {
    // File systems limit names in bytes (255 on most), not characters: 200 CJK characters are 600 bytes.
    const ext = truncateUtf8(path.extname(n).slice(0, 16), 32);
    n = truncateUtf8(n.slice(0, n.length - path.extname(n).length), MAX_NAME_BYTES - Buffer.byteLength(ext, 'utf8')).trimEnd() + ext;
  }
  return n;
}

/** Longest saved name in UTF-8 bytes, leaving room for a " (999)" suffix under the usual 255-byte limit. */
export const MAX_NAME_BYTES = 200;

/** The longest prefix of `s` (whole code points) that fits in `max` UTF-8 bytes. */
function truncateUtf8(s: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/** Writes `bytes` under `dir` with a sanitised name, adding ` (2)`, ` (3)` … instead of overwriting. */
export async function saveAttachment(dir: string, name: string, bytes: Buffer, contentType?: string): Promise<SavedAttachment> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const root = await fs.realpath(dir);
  const safe = sanitizeFileName(name);
  const ext = path.extname(safe);
  const stem = safe.slice(0, safe.length - ext.length) || 'attachment';
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? safe : `${stem} (${n})${ext}`;
    const full = path.join(root, candidate);
    if (path.dirname(full) !== root) throw new Error(`Refusing to write outside the download folder: ${candidate}`);
    try {
      // 'wx' fails if anything (including a planted symlink) already has the name.
      await fs.writeFile(full, bytes, { flag: 'wx', mode: 0o600 });
      return { path: full, name: candidate, size: bytes.length, content_type: contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`Too many files named like "${safe}" in ${root}; clean up the download folder.`);
}

/** Most bytes the download folder keeps; past it the least recently used downloads are deleted (docs/STATE.md). */
export const DOWNLOADS_MAX_BYTES = 1024 * 1024 * 1024;

/** The profile's download folder with its index: identical downloads reuse one file. */
export class DownloadFolder {
  constructor(
    readonly dir: string,
    private readonly index: DownloadIndex,
    private readonly maxBytes: number = DOWNLOADS_MAX_BYTES,
  ) {}

  /** Saves `bytes` as `name`, or returns the earlier file holding exactly these bytes under this name. */
  async save(name: string, bytes: Buffer, contentType?: string): Promise<SavedAttachment & { reused?: true }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const requestedName = sanitizeFileName(name);
    const earlier = await this.index.find(sha256, requestedName);
    if (earlier) {
      if (await this.stillHolds(earlier.path, sha256)) return { path: earlier.path, name: earlier.name, size: earlier.size, content_type: contentType, reused: true };
      // Deleted or changed by someone since: save afresh.
      await this.index.forget(sha256, requestedName);
    }
    const saved = await saveAttachment(this.dir, name, bytes, contentType);
    await this.index.record({ sha256, name: saved.name, requestedName, path: saved.path, size: saved.size });
    await this.evict(saved.size);
    return saved;
  }

  /** Deletes least recently used downloads beyond the cap (never the one just saved: it is the most recent). */
  private async evict(justSaved: number): Promise<void> {
    const root = await fs.realpath(this.dir);
    for (const rec of await this.index.evictOver(Math.max(this.maxBytes, justSaved))) {
      // Only files directly inside the download folder are ever deleted, whatever the index says.
      if (path.dirname(rec.path) === root) await fs.rm(rec.path, { force: true });
    }
  }

  private async stillHolds(file: string, sha256: string): Promise<boolean> {
    try {
      const st = await fs.lstat(file);
      if (!st.isFile()) return false;
      return createHash('sha256').update(await fs.readFile(file)).digest('hex') === sha256;
    } catch {
      return false;
    }
  }
}

/** The attachment as sanitised text when it is text-like and small; otherwise undefined. */
export async function textPreviewOf(bytes: Buffer, contentType: string | undefined, name: string): Promise<{ text: string; truncated: boolean } | undefined> {
  const ext = path.extname(name).toLowerCase();
  if (!(contentType && TEXT_TYPES.test(contentType)) && !TEXT_EXTENSIONS.has(ext)) return undefined;
  if (bytes.length > TEXT_PREVIEW_MAX_BYTES || bytes.includes(0)) return undefined;
  const raw = bytes.toString('utf8').replace(/^\ufeff/, '');
  const isHtml = /html/i.test(contentType ?? '') || ext === '.html' || ext === '.htm';
  const visible = (await visibleBody({ contentType: isHtml ? 'html' : 'text', content: raw }, { markQuotes: false })).text;
  const cut = truncateText(visible, TEXT_PREVIEW_MAX_CHARS);
  return { text: cut.text, truncated: cut.truncated };
}
