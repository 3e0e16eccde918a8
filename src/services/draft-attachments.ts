/**
 * Attachments for drafts: local files (only from folders the user allowed,
 * checked with realpath before any Graph call, so no symlink or `..` escapes)
 * and attachments of existing messages (copied server-side through us, never
 * through the agent). Below 3 MB a file goes inline as a fileAttachment; from
 * 3 to 150 MB through an upload session whose pre-authenticated URL is called
 * with plain fetch: the bearer token never goes there (docs/GRAPH-NOTES.md §2).
 */
import { promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { GraphClient } from '../graph/client.js';
import { AttachmentPathError, UploadError } from '../drafts/errors.js';

/** Below this a file is posted inline (Graph's limit for a simple attachment POST). */
export const INLINE_LIMIT = 3 * 1024 * 1024;
/** Graph's upload-session maximum. */
export const MAX_ATTACHMENT_BYTES = 150 * 1024 * 1024;
/** Largest PUT to an upload URL (Graph: ranges ≤ 4 MB, multiples of 320 KiB recommended). */
export const UPLOAD_CHUNK = 12 * 320 * 1024;

/** A checked local file, ready to upload: the inode that was checked, so a later swap is caught. */
export interface LocalFile {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly dev: number;
  readonly ino: number;
}

/** What the tool accepts for one attachment. */
export interface AttachmentSpec {
  path?: string;
  message_id?: string;
  attachment_id?: string;
  name?: string;
}

/** True when `file` lies strictly below `dir`, compared by path segments (so `..hidden.txt` is inside). */
export function within(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel);
}

// Never follow a symlink in the last component, never block on a FIFO swapped in (reads of regular files ignore O_NONBLOCK).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

async function openNoFollow(file: string, input: string): Promise<FileHandle> {
  try {
    return await fs.open(file, OPEN_FLAGS);
  } catch {
    throw new AttachmentPathError(`attachments: "${input}" does not exist, is a symbolic link, or cannot be read.`);
  }
}

/** The path the descriptor really names, where the OS tells (Linux); undefined elsewhere. */
async function descriptorPath(handle: FileHandle): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  return fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
}

/**
 * Resolves a local path and checks it lies (after resolving symlinks) in one of
 * `allowedDirs`. The file is opened without following a symlink and the
 * descriptor itself is checked (its inode against the checked path's, and on
 * Linux its real path), so a swap between check and open is refused.
 */
export async function checkLocalFile(input: string, allowedDirs: readonly string[]): Promise<LocalFile> {
  if (!path.isAbsolute(input)) throw new AttachmentPathError(`attachments: "${input}" is not an absolute path. Give the full path of a file inside: ${allowedDirs.join(', ')}.`);
  let real: string;
  let before: Stats;
  try {
    real = await fs.realpath(input);
    before = await fs.stat(real);
  } catch {
    throw new AttachmentPathError(`attachments: "${input}" does not exist or cannot be read.`);
  }
  const dirs = (await Promise.all(allowedDirs.map((d) => fs.realpath(d).catch(() => undefined)))).filter((d): d is string => d !== undefined);
  const outside = () =>
    new AttachmentPathError(`attachments: "${input}" is outside the folders files may be attached from (${allowedDirs.join(', ')}). Copy it there, or add its folder to OUTLOOK_ATTACHMENT_DIRS.`);
  if (!dirs.some((d) => within(d, real))) throw outside();
  const handle = await openNoFollow(real, input);
  try {
    const st = await handle.stat();
    if (st.dev !== before.dev || st.ino !== before.ino) throw new AttachmentPathError(`attachments: "${input}" changed while it was being checked; try again.`);
    const actual = await descriptorPath(handle);
    if (actual !== undefined && !dirs.some((d) => within(d, actual))) throw outside();
    if (!st.isFile()) throw new AttachmentPathError(`attachments: "${input}" is not a regular file.`);
    if (st.size > MAX_ATTACHMENT_BYTES) throw new AttachmentPathError(`attachments: "${input}" is ${st.size} bytes; Outlook accepts attachments up to 150 MB.`);
    return { path: real, name: path.basename(input), size: st.size, dev: st.dev, ino: st.ino };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a checked file: opened again without following symlinks, refused unless
 * it is still the checked inode with the checked size, and read from that
 * descriptor, never more than the checked size (a swap to /dev/zero or a
 * growing file cannot make us read more).
 */
export async function readCheckedFile(file: LocalFile): Promise<Buffer> {
  const handle = await openNoFollow(file.path, file.path);
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.dev !== file.dev || st.ino !== file.ino || st.size !== file.size) {
      throw new AttachmentPathError(`attachments: "${file.path}" was replaced or changed after it was checked; nothing was read from it. Check the file and try again.`);
    }
    const buf = Buffer.alloc(file.size);
    let off = 0;
    while (off < file.size) {
      const { bytesRead } = await handle.read(buf, off, file.size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    if (off !== file.size) throw new AttachmentPathError(`attachments: "${file.path}" shrank while it was read; try again.`);
    return buf;
  } finally {
    await handle.close();
  }
}

/** True when `url` may receive upload bytes: https, or the loopback sandbox. */
export function acceptableUploadUrl(url: string, graphBase: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'https:') return true;
  const base = new URL(graphBase);
  // `*.localhost` is loopback by definition (RFC 6761): the saved sandbox is served as sandbox.localhost.
  const loopback = (h: string) => h === '127.0.0.1' || h === 'localhost' || h.endsWith('.localhost') || h === '[::1]';
  return u.protocol === 'http:' && loopback(u.hostname) && u.origin === base.origin;
}

/** Uploads attachment bytes to a draft: inline below INLINE_LIMIT, else through an upload session. */
export class AttachmentUploader {
  constructor(
    private readonly graph: GraphClient,
    private readonly graphBase: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Adds `bytes` as a file attachment of `messageId`. */
  async add(messageId: string, name: string, bytes: Buffer, contentType = 'application/octet-stream', signal?: AbortSignal): Promise<void> {
    if (bytes.length > MAX_ATTACHMENT_BYTES) throw new AttachmentPathError(`Attachment "${name}" is ${bytes.length} bytes; Outlook accepts attachments up to 150 MB.`);
    if (bytes.length < INLINE_LIMIT) {
      await this.graph.request('POST', this.graph.mailbox`/messages/${messageId}/attachments`, {
        body: { '@odata.type': '#microsoft.graph.fileAttachment', name, contentType, contentBytes: bytes.toString('base64') },
        signal,
      });
      return;
    }
    const { data } = await this.graph.request<{ uploadUrl?: string }>('POST', this.graph.mailbox`/messages/${messageId}/attachments/createUploadSession`, {
      body: { AttachmentItem: { attachmentType: 'file', name, size: bytes.length, contentType } },
      signal,
    });
    const url = data.uploadUrl;
    if (!url || !acceptableUploadUrl(url, this.graphBase)) throw new UploadError(`Graph returned an upload URL that is not https (${url ?? 'none'}); refusing to upload "${name}" to it.`);
    for (let start = 0; start < bytes.length; start += UPLOAD_CHUNK) {
      const end = Math.min(start + UPLOAD_CHUNK, bytes.length);
      // Plain fetch, no Authorization header: the URL itself carries the credential.
      const res = await this.fetchImpl(url, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${start}-${end - 1}/${bytes.length}` },
        body: bytes.subarray(start, end),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(120_000)]) : AbortSignal.timeout(120_000),
        redirect: 'error',
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new UploadError(`Uploading "${name}" failed at bytes ${start}-${end - 1} (HTTP ${res.status}). Try again; the draft was kept without this attachment.`);
    }
  }

  /** Reads a checked local file and adds it. */
  async addLocal(messageId: string, file: LocalFile, signal?: AbortSignal): Promise<void> {
    const bytes = await readCheckedFile(file);
    await this.add(messageId, file.name, bytes, contentTypeOf(file.name), signal);
  }

  /** Copies attachment `attachmentId` of message `sourceId` to `messageId` (bytes pass through this process only). */
  async copyFrom(messageId: string, sourceId: string, attachmentId: string, rename: string | undefined, signal?: AbortSignal): Promise<string> {
    const meta = await this.graph.get<{ name?: string; contentType?: string; size?: number; '@odata.type'?: string }>(
      this.graph.mailbox`/messages/${sourceId}/attachments/${attachmentId}`,
      { query: [['$select', 'name,contentType,size']], signal },
    );
    if (meta['@odata.type'] && meta['@odata.type'] !== '#microsoft.graph.fileAttachment') {
      throw new AttachmentPathError(`Attachment ${attachmentId} is not a file (it is ${meta['@odata.type']}); only file attachments can be copied.`);
    }
    const { bytes } = await this.graph.getBytes(this.graph.mailbox`/messages/${sourceId}/attachments/${attachmentId}/$value`, { signal, maxBytes: MAX_ATTACHMENT_BYTES });
    const name = rename ?? meta.name ?? 'attachment';
    await this.add(messageId, name, bytes, meta.contentType || 'application/octet-stream', signal);
    return name;
  }
}

const TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf', '.txt': 'text/plain', '.csv': 'text/csv', '.md': 'text/markdown', '.html': 'text/html', '.json': 'application/json',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** A MIME type from a file name (Outlook uses it only for the icon and preview). */
export function contentTypeOf(name: string): string {
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}
