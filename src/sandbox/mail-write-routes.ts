/**
 * Message writes. Drafts (`POST /messages`, `createReply`…, `PATCH`, `DELETE`)
 * notify nobody; `send`, `reply`, `replyAll`, `forward` and `sendMail` do, and
 * each records a Notification so tests can prove they were never reached.
 */
import { randomBytes } from 'node:crypto';
import { newChangeKey, newGraphId, type HandlerResult, type RequestContext } from './context.js';
import { GraphErrorResponse, itemNotFound } from './errors.js';
import { findFolder, findMessage, requireWellFormedId } from './lookup.js';
import { bodyPreference } from './mail-routes.js';
import { shapeAttachment, shapeMessage } from './message-view.js';
import type { ItemBody, Recipient, SandboxAttachment, SandboxFolder, SandboxMessage } from './model.js';
import type { Route } from './router.js';
import { messageType } from './schema.js';
import { toGraphInstant } from './time.js';
import { checkProperties, extendedProperties, itemBody, notify, objectBody, optionalObjectBody, recipient, recipients } from './write-support.js';

/** Properties Graph lets a client change only while `isDraft` is true. */
const DRAFT_ONLY: ReadonlySet<string> = new Set(['subject', 'body', 'torecipients', 'ccrecipients', 'bccrecipients', 'replyto', 'from', 'sender', 'internetmessageid']);

const EMPTY_BODY: ItemBody = { contentType: 'text', content: '' };

function me(ctx: RequestContext): Recipient {
  const u = ctx.state.mailbox.user;
  return { emailAddress: { name: u.displayName, address: u.mail } };
}

function wellKnown(ctx: RequestContext, name: string): SandboxFolder | undefined {
  return ctx.state.mailbox.folders.find((f) => f.wellKnownName?.toLowerCase() === name);
}

function nowStamp(ctx: RequestContext): string {
  return toGraphInstant(ctx.state.clock().getTime());
}

function fileAttachments(ctx: RequestContext, value: unknown): SandboxAttachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GraphErrorResponse(400, 'RequestBodyRead', "The property 'attachments' must be a collection.");
  return value.map((a: unknown) => toAttachment(ctx, (a ?? {}) as Record<string, unknown>));
}

function toAttachment(ctx: RequestContext, a: Record<string, unknown>): SandboxAttachment {
  const type = a['@odata.type'];
  if (type !== '#microsoft.graph.fileAttachment' && type !== 'microsoft.graph.fileAttachment') {
    throw new GraphErrorResponse(400, 'ErrorInvalidRequest', "The sandbox accepts only '#microsoft.graph.fileAttachment' attachments.");
  }
  if (typeof a.name !== 'string' || typeof a.contentBytes !== 'string') throw new GraphErrorResponse(400, 'ErrorInvalidProperty', 'A file attachment needs a name and contentBytes.');
  const bytes = Buffer.from(a.contentBytes, 'base64');
  return {
    id: newGraphId(),
    '@odata.type': '#microsoft.graph.fileAttachment',
    name: a.name,
    contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream',
    size: bytes.length,
    isInline: a.isInline === true,
    lastModifiedDateTime: nowStamp(ctx),
    bytes,
  };
}

function newMessage(ctx: RequestContext, folder: SandboxFolder | undefined, fields: Partial<SandboxMessage>): SandboxMessage {
  const now = nowStamp(ctx);
  const id = newGraphId();
  const body = fields.body ?? EMPTY_BODY;
  const attachments = fields.attachments ?? [];
  const m: SandboxMessage = {
    id,
    parentFolderId: folder?.id ?? '',
    conversationId: fields.conversationId ?? newGraphId(),
    internetMessageId: `<${randomBytes(12).toString('hex').toUpperCase()}@sandbox.invalid>`,
    subject: fields.subject ?? '',
    from: fields.from ?? me(ctx),
    sender: fields.from ?? me(ctx),
    toRecipients: fields.toRecipients ?? [],
    ccRecipients: fields.ccRecipients ?? [],
    bccRecipients: fields.bccRecipients ?? [],
    replyTo: fields.replyTo ?? [],
    receivedDateTime: now,
    sentDateTime: now,
    createdDateTime: now,
    lastModifiedDateTime: now,
    changeKey: newChangeKey(),
    isRead: true,
    isDraft: fields.isDraft ?? true,
    hasAttachments: attachments.some((a) => !a.isInline),
    importance: fields.importance ?? 'normal',
    flag: fields.flag ?? { flagStatus: 'notFlagged' },
    categories: fields.categories ?? [],
    body,
    uniqueBody: fields.uniqueBody ?? body,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    attachments,
    singleValueExtendedProperties: fields.singleValueExtendedProperties ?? [],
  };
  if (fields.conversationIndex !== undefined) m.conversationIndex = fields.conversationIndex;
  ctx.state.mailbox.messages.push(m);
  return m;
}

function created(ctx: RequestContext, m: SandboxMessage, status = 201): HandlerResult {
  const body = { '@odata.context': `${ctx.state.url}/$metadata#${ctx.entityRoot}/messages/$entity`, ...shapeMessage(m, { state: ctx.state, bodyType: bodyPreference(ctx), expand: [] }, undefined) };
  return { status, json: body };
}

function importance(v: unknown): SandboxMessage['importance'] | undefined {
  if (v === undefined) return undefined;
  if (v === 'low' || v === 'normal' || v === 'high') return v;
  throw new GraphErrorResponse(400, 'RequestBodyRead', `The value '${String(v)}' is not valid for the enum 'microsoft.graph.importance'.`);
}

function fieldsFromBody(ctx: RequestContext, b: Record<string, unknown>): Partial<SandboxMessage> {
  checkProperties(b, messageType);
  const f: Partial<SandboxMessage> = {};
  const get = (name: string) => b[Object.keys(b).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name];
  if (get('subject') !== undefined) f.subject = String(get('subject'));
  if (get('body') !== undefined) f.body = itemBody(get('body'), EMPTY_BODY);
  if (get('toRecipients') !== undefined) f.toRecipients = recipients(get('toRecipients'));
  if (get('ccRecipients') !== undefined) f.ccRecipients = recipients(get('ccRecipients'));
  if (get('bccRecipients') !== undefined) f.bccRecipients = recipients(get('bccRecipients'));
  if (get('replyTo') !== undefined) f.replyTo = recipients(get('replyTo'));
  const from = recipient(get('from'));
  if (from) f.from = from;
  const imp = importance(get('importance'));
  if (imp) f.importance = imp;
  if (get('categories') !== undefined) f.categories = (get('categories') as unknown[]).map(String);
  if (get('isRead') !== undefined) f.isRead = get('isRead') === true;
  if (get('flag') !== undefined) f.flag = get('flag') as SandboxMessage['flag'];
  if (get('singleValueExtendedProperties') !== undefined) f.singleValueExtendedProperties = extendedProperties(get('singleValueExtendedProperties'));
  if (get('attachments') !== undefined) f.attachments = fileAttachments(ctx, get('attachments'));
  return f;
}

function createDraft(ctx: RequestContext): HandlerResult {
  const b = objectBody(ctx);
  const folder = ctx.params.folderId !== undefined ? findFolder(ctx.state.mailbox, ctx.params.folderId) : wellKnown(ctx, 'drafts');
  const fields = fieldsFromBody(ctx, b);
  const m = newMessage(ctx, folder, { ...fields, isDraft: true });
  if (fields.isRead !== undefined) m.isRead = fields.isRead;
  return created(ctx, m);
}

function patchMessage(ctx: RequestContext): HandlerResult {
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const b = objectBody(ctx);
  if (!m.isDraft) {
    const locked = Object.keys(b).find((k) => DRAFT_ONLY.has(k.toLowerCase()));
    if (locked) throw new GraphErrorResponse(400, 'ErrorInvalidRequest', `The property '${locked}' can be updated only while the message is a draft (isDraft = true).`);
  }
  const f = fieldsFromBody(ctx, b);
  const { singleValueExtendedProperties: props, attachments, ...rest } = f;
  Object.assign(m, rest);
  if (rest.from) m.sender = rest.from;
  if (rest.body) m.uniqueBody = rest.body;
  if (attachments) {
    m.attachments.push(...attachments);
    m.hasAttachments = m.attachments.some((a) => !a.isInline);
  }
  for (const p of props ?? []) {
    // Extended properties are upserted by id, as Graph does on PATCH.
    const existing = m.singleValueExtendedProperties.find((x) => x.id.toLowerCase() === p.id.toLowerCase());
    if (existing) existing.value = p.value;
    else m.singleValueExtendedProperties.push(p);
  }
  m.lastModifiedDateTime = nowStamp(ctx);
  m.changeKey = newChangeKey();
  return created(ctx, m, 200);
}

function deleteMessage(ctx: RequestContext): HandlerResult {
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const list = ctx.state.mailbox.messages;
  list.splice(list.indexOf(m), 1);
  return { status: 204, empty: true };
}

function allRecipients(m: Pick<SandboxMessage, 'toRecipients' | 'ccRecipients' | 'bccRecipients'>): Recipient[] {
  return [...m.toRecipients, ...m.ccRecipients, ...m.bccRecipients];
}

function markSent(ctx: RequestContext, m: SandboxMessage): void {
  const sent = wellKnown(ctx, 'sentitems');
  const now = nowStamp(ctx);
  m.isDraft = false;
  m.sentDateTime = now;
  m.receivedDateTime = now;
  m.lastModifiedDateTime = now;
  m.changeKey = newChangeKey();
  if (sent) m.parentFolderId = sent.id;
}

function sendDraft(ctx: RequestContext): HandlerResult {
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  if (!m.isDraft) throw new GraphErrorResponse(400, 'ErrorInvalidRequest', 'Only draft messages can be sent.');
  const to = allRecipients(m);
  if (to.length === 0) throw new GraphErrorResponse(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
  markSent(ctx, m);
  notify(ctx, 'mail-sent', to, m.subject);
  return { status: 202, empty: true };
}

type ResponseKind = 'reply' | 'replyAll' | 'forward';

function isMe(ctx: RequestContext, r: Recipient): boolean {
  return r.emailAddress.address.toLowerCase() === ctx.state.mailbox.user.mail.toLowerCase();
}

/** Who a reply, reply-all or forward goes to, before any recipients the body adds. */
function responseRecipients(ctx: RequestContext, original: SandboxMessage, kind: ResponseKind): Recipient[] {
  if (kind === 'forward') return [];
  const primary = original.replyTo.length > 0 ? original.replyTo : [original.from];
  if (kind === 'reply') return primary;
  return [...primary, ...original.toRecipients, ...original.ccRecipients].filter((r) => !isMe(ctx, r));
}

function responseSubject(original: SandboxMessage, kind: ResponseKind): string {
  return `${kind === 'forward' ? 'FW' : 'RE'}: ${original.subject}`;
}

/** The message a reply/forward produces, from the original and the action's body. */
function responseMessage(ctx: RequestContext, kind: ResponseKind, isDraft: boolean): { message: SandboxMessage; to: Recipient[] } {
  const original = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const b = optionalObjectBody(ctx);
  const extra = b.message !== undefined ? fieldsFromBody(ctx, (b.message ?? {}) as Record<string, unknown>) : {};
  const to = [...responseRecipients(ctx, original, kind), ...recipients(b.toRecipients), ...(extra.toRecipients ?? [])];
  const everyone = [...to, ...(extra.ccRecipients ?? []), ...(extra.bccRecipients ?? [])];
  if (!isDraft && everyone.length === 0) throw new GraphErrorResponse(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
  const comment = typeof b.comment === 'string' ? b.comment : '';
  const body: ItemBody = { contentType: 'html', content: `<html><body><div>${comment}</div><hr><div>${original.body.contentType === 'html' ? original.body.content : original.body.content.replace(/\n/g, '<br>')}</div></body></html>` };
  const folder = wellKnown(ctx, isDraft ? 'drafts' : 'sentitems');
  const message = newMessage(ctx, folder, {
    ...extra,
    subject: extra.subject ?? responseSubject(original, kind),
    toRecipients: to,
    conversationId: original.conversationId,
    body: extra.body ?? body,
    uniqueBody: extra.body ?? { contentType: 'html', content: `<html><body><div>${comment}</div></body></html>` },
    isDraft,
  });
  return { message, to: everyone };
}

function respond(kind: ResponseKind) {
  return (ctx: RequestContext): HandlerResult => {
    const { message, to } = responseMessage(ctx, kind, false);
    notify(ctx, kind === 'forward' ? 'forward' : 'mail-sent', to, message.subject);
    return { status: 202, empty: true };
  };
}

function createResponse(kind: ResponseKind) {
  return (ctx: RequestContext): HandlerResult => created(ctx, responseMessage(ctx, kind, true).message);
}

function sendMail(ctx: RequestContext): HandlerResult {
  const b = objectBody(ctx);
  if (b.message === undefined || b.message === null || typeof b.message !== 'object') {
    throw new GraphErrorResponse(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty.");
  }
  const fields = fieldsFromBody(ctx, b.message as Record<string, unknown>);
  const to = [...(fields.toRecipients ?? []), ...(fields.ccRecipients ?? []), ...(fields.bccRecipients ?? [])];
  if (to.length === 0) throw new GraphErrorResponse(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
  if (b.saveToSentItems !== false) newMessage(ctx, wellKnown(ctx, 'sentitems'), { ...fields, isDraft: false });
  notify(ctx, 'mail-sent', to, fields.subject);
  return { status: 202, empty: true };
}

function addAttachment(ctx: RequestContext): HandlerResult {
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const a = toAttachment(ctx, objectBody(ctx));
  m.attachments.push(a);
  m.hasAttachments = m.attachments.some((x) => !x.isInline);
  m.changeKey = newChangeKey();
  const context = `${ctx.state.url}/$metadata#${ctx.entityRoot}/messages('${ctx.params.messageId}')/attachments/$entity`;
  return { status: 201, json: { '@odata.context': context, ...shapeAttachment(a) } };
}

/** `move`: the message keeps its (immutable) id and lands in the destination folder; nobody is notified. */
function moveMessage(ctx: RequestContext): HandlerResult {
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const b = objectBody(ctx);
  if (typeof b.destinationId !== 'string' || b.destinationId === '') throw new GraphErrorResponse(400, 'ErrorInvalidRequest', "The parameter 'DestinationId' is required.");
  const folder = findFolder(ctx.state.mailbox, b.destinationId);
  m.parentFolderId = folder.id;
  m.lastModifiedDateTime = nowStamp(ctx);
  m.changeKey = newChangeKey();
  return created(ctx, m);
}

function deleteAttachment(ctx: RequestContext): HandlerResult {
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const i = m.attachments.findIndex((a) => a.id === ctx.params.attachmentId);
  if (i < 0) {
    requireWellFormedId(ctx.params.attachmentId as string);
    throw itemNotFound();
  }
  m.attachments.splice(i, 1);
  m.hasAttachments = m.attachments.some((x) => !x.isInline);
  m.changeKey = newChangeKey();
  return { status: 204, empty: true };
}

/** Routes for message writes (drafts, sends and responses). */
export const mailWriteRoutes: readonly Route[] = [
  { method: 'POST', pattern: 'messages', handler: createDraft },
  { method: 'POST', pattern: 'mailFolders/{folderId}/messages', handler: createDraft },
  { method: 'PATCH', pattern: 'messages/{messageId}', handler: patchMessage },
  { method: 'DELETE', pattern: 'messages/{messageId}', handler: deleteMessage },
  { method: 'POST', pattern: 'messages/{messageId}/attachments', handler: addAttachment },
  { method: 'DELETE', pattern: 'messages/{messageId}/attachments/{attachmentId}', handler: deleteAttachment },
  { method: 'POST', pattern: 'messages/{messageId}/move', handler: moveMessage },
  { method: 'POST', pattern: 'messages/{messageId}/createReply', handler: createResponse('reply') },
  { method: 'POST', pattern: 'messages/{messageId}/createReplyAll', handler: createResponse('replyAll') },
  { method: 'POST', pattern: 'messages/{messageId}/createForward', handler: createResponse('forward') },
  { method: 'POST', pattern: 'messages/{messageId}/send', handler: sendDraft },
  { method: 'POST', pattern: 'messages/{messageId}/reply', handler: respond('reply') },
  { method: 'POST', pattern: 'messages/{messageId}/replyAll', handler: respond('replyAll') },
  { method: 'POST', pattern: 'messages/{messageId}/forward', handler: respond('forward') },
  { method: 'POST', pattern: 'sendMail', handler: sendMail },
];
