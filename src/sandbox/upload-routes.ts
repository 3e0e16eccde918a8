/**
 * Attachment upload sessions, as Graph runs them (docs/GRAPH-NOTES.md §2):
 * `POST …/attachments/createUploadSession` returns a pre-authenticated
 * `uploadUrl`; the client PUTs the bytes to it in ordered ranges. The URL
 * carries its own credential, so a request that sends an Authorization header
 * is refused (401): that is how a test proves the bearer token never went there.
 */
import { randomBytes } from 'node:crypto';
import { newChangeKey, newGraphId, type HandlerResult, type RequestContext, type SandboxState, type UploadSession } from './context.js';
import { GraphErrorResponse } from './errors.js';
import { findMessage } from './lookup.js';
import type { Route } from './router.js';
import { toGraphInstant } from './time.js';
import { objectBody } from './write-support.js';

/** Graph's upload-session maximum. */
const MAX_UPLOAD = 150 * 1024 * 1024;
/** Graph refuses ranges above 4 MB. */
const MAX_RANGE = 4 * 1024 * 1024;
/** Path prefix of upload URLs (outside `/v1.0`, like Outlook's own upload host). */
export const UPLOAD_PREFIX = '/upload/';

/** One open upload session. */
function sessions(state: SandboxState): Map<string, UploadSession> {
  return state.uploads;
}

function createUploadSession(ctx: RequestContext): HandlerResult {
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const b = objectBody(ctx);
  const item = (b.AttachmentItem ?? b.attachmentItem) as { attachmentType?: unknown; name?: unknown; size?: unknown; contentType?: unknown } | undefined;
  if (!item || typeof item.name !== 'string' || typeof item.size !== 'number') throw new GraphErrorResponse(400, 'ErrorInvalidRequest', 'AttachmentItem with name and size is required.');
  if (item.attachmentType !== undefined && item.attachmentType !== 'file') throw new GraphErrorResponse(400, 'ErrorInvalidRequest', "Only attachmentType 'file' can be uploaded.");
  if (item.size <= 0 || item.size > MAX_UPLOAD) throw new GraphErrorResponse(400, 'ErrorAttachmentSizeLimitExceeded', 'The attachment size must be between 1 byte and 150 MB.');
  const token = randomBytes(24).toString('base64url');
  const expires = ctx.state.clock().getTime() + 15 * 60_000;
  sessions(ctx.state).set(token, { messageId: m.id, name: item.name, contentType: typeof item.contentType === 'string' ? item.contentType : 'application/octet-stream', size: item.size, received: [], next: 0, expires });
  return {
    status: 201,
    json: {
      '@odata.context': `${ctx.state.url}/$metadata#microsoft.graph.uploadSession`,
      uploadUrl: `${ctx.state.uploadOrigin}${UPLOAD_PREFIX}${token}`,
      expirationDateTime: toGraphInstant(expires),
      nextExpectedRanges: ['0-'],
    },
  };
}

/** The outcome of a PUT/DELETE to an upload URL. */
export interface UploadOutcome {
  status: number;
  json?: unknown;
}

function error(status: number, code: string, message: string): UploadOutcome {
  return { status, json: { error: { code, message } } };
}

/** Serves the pre-authenticated upload URL (called by the server before its bearer check). */
export function handleUpload(state: SandboxState, method: string, path: string, authorization: string | undefined, contentRange: string | undefined, body: Buffer): UploadOutcome {
  const token = path.slice(UPLOAD_PREFIX.length);
  const s = sessions(state).get(token);
  // The URL is the credential; a bearer token here means a client leaked it to the upload host.
  if (authorization !== undefined) return error(401, 'InvalidAuthenticationToken', 'Upload URLs are pre-authenticated: do not send an Authorization header.');
  if (!s || s.expires < state.clock().getTime()) return error(404, 'ErrorItemNotFound', 'The upload session does not exist or has expired.');
  if (method === 'DELETE') {
    sessions(state).delete(token);
    return { status: 204 };
  }
  if (method !== 'PUT') return error(405, 'ErrorInvalidRequest', `The HTTP method '${method}' is not supported for an upload URL.`);
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange ?? '');
  if (!m) return error(400, 'InvalidContentRange', 'Content-Range must be "bytes start-end/total".');
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (total !== s.size) return error(400, 'InvalidContentRange', `The total size ${total} differs from the session's ${s.size}.`);
  if (start !== s.next) return error(416, 'InvalidRange', `Expected the range starting at ${s.next}; ranges must be sent in order.`);
  if (end < start || end >= total || end - start + 1 !== body.length) return error(400, 'InvalidContentRange', 'The range does not match the body length.');
  if (body.length > MAX_RANGE) return error(413, 'RequestEntityTooLarge', 'A range may be at most 4 MB.');
  s.received.push(body);
  s.next = end + 1;
  if (s.next < s.size) return { status: 200, json: { expirationDateTime: toGraphInstant(s.expires), nextExpectedRanges: [`${s.next}-`] } };
  sessions(state).delete(token);
  const message = state.mailbox.messages.find((x) => x.id === s.messageId);
  if (!message) return error(404, 'ErrorItemNotFound', 'The message of this upload session no longer exists.');
  const bytes = Buffer.concat(s.received);
  message.attachments.push({
    id: newGraphId(),
    '@odata.type': '#microsoft.graph.fileAttachment',
    name: s.name,
    contentType: s.contentType,
    size: bytes.length,
    isInline: false,
    lastModifiedDateTime: toGraphInstant(state.clock().getTime()),
    bytes,
  });
  message.hasAttachments = true;
  message.changeKey = newChangeKey();
  return { status: 201 };
}

/** Routes for creating upload sessions. */
export const uploadRoutes: readonly Route[] = [{ method: 'POST', pattern: 'messages/{messageId}/attachments/createUploadSession', handler: createUploadSession }];
