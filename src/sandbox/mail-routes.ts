/** Message reads: lists (with `$filter`/`$orderby` or `$search`), single messages and attachments. */
import { contextWithSelect, listResponse } from './collection.js';
import type { HandlerResult, RequestContext } from './context.js';
import { GraphErrorResponse, itemNotFound } from './errors.js';
import { matchesKql, parseKql, unquoteSearch } from './kql.js';
import { findFolder, findMessage, requireWellFormedId } from './lookup.js';
import { messageReader, searchDocument, shapeAttachment, shapeMessage, type MessageShapeContext } from './message-view.js';
import type { SandboxFolder, SandboxMessage } from './model.js';
import { parseExpand } from './odata/expand.js';
import { compileFilter } from './odata/filter.js';
import { checkSortableFilter, parseOrderBy, sortItems, type OrderKey } from './odata/orderby.js';
import { parseSelect } from './odata/select.js';
import type { Route } from './router.js';
import { attachmentType, messageType } from './schema.js';

const DEFAULT_ORDER: readonly OrderKey[] = [{ path: ['receivedDateTime'], key: 'receivedDateTime', desc: true, time: true }];
const SEARCH_ORDER: readonly OrderKey[] = [{ path: ['sentDateTime'], key: 'sentDateTime', desc: true, time: true }];
/** Outlook returns at most this many search results, however many match. */
const SEARCH_LIMIT = 1000;

/** Body conversion requested by `Prefer`, recorded as applied. */
export function bodyPreference(ctx: RequestContext): 'text' | 'html' | undefined {
  const want = ctx.prefer.bodyContentType;
  if (want) ctx.applied.bodyContentType = want;
  return want;
}

function shapeContext(ctx: RequestContext): MessageShapeContext {
  const segs = ctx.rawPathname.split('/');
  const root = segs[2] === 'users' ? segs.slice(0, 4).join('/') : segs.slice(0, 3).join('/');
  return { state: ctx.state, bodyType: bodyPreference(ctx), expand: parseExpand(ctx.query.$expand, messageType), rootUrl: `${ctx.state.origin}${root}` };
}

function searchConflicts(query: Readonly<Record<string, string>>): void {
  if (query.$filter !== undefined) throw new GraphErrorResponse(400, 'SearchWithFilter', "The query parameter '$filter' is not supported with '$search'.");
  if (query.$orderby !== undefined) throw new GraphErrorResponse(400, 'SearchWithOrderBy', "The query parameter '$orderBy' is not supported with '$search'.");
  if (query.$skip !== undefined) throw new GraphErrorResponse(400, 'BadRequest', "The query parameter '$skip' is not supported with '$search'.");
}

function selectMessages(ctx: RequestContext, scope: readonly SandboxMessage[]): SandboxMessage[] {
  const q = ctx.query;
  const read = messageReader(ctx.state);
  if (q.$search !== undefined) {
    searchConflicts(q);
    const node = parseKql(unquoteSearch(q.$search));
    const hits = scope.filter((m) => matchesKql(node, searchDocument(ctx.state, m)));
    return sortItems(hits, SEARCH_ORDER, read).slice(0, SEARCH_LIMIT);
  }
  const filter = q.$filter !== undefined ? compileFilter(q.$filter, messageType, read) : undefined;
  const order = q.$orderby !== undefined ? parseOrderBy(q.$orderby, messageType) : undefined;
  if (filter && order) checkSortableFilter(order, filter.properties);
  const items = filter ? scope.filter((m) => filter.test(m)) : scope;
  return sortItems(items, order ?? DEFAULT_ORDER, read);
}

function listMessages(ctx: RequestContext, scope: readonly SandboxMessage[], context: string): HandlerResult {
  const selected = parseSelect(ctx.query.$select, messageType);
  const shapeCtx = shapeContext(ctx);
  const items = selectMessages(ctx, scope);
  // Graph's message lists page with $skip (…/messages?$top=10&$skip=10); $search answers page with a $skiptoken.
  return listResponse(ctx, { items, defaultPageSize: 10, context: contextWithSelect(context, selected), shape: (m) => shapeMessage(m, shapeCtx, selected), skipLinks: ctx.query.$search === undefined });
}

function listAll(ctx: RequestContext): HandlerResult {
  return listMessages(ctx, ctx.state.mailbox.messages, `${ctx.entityRoot}/messages`);
}

function listInFolder(ctx: RequestContext): HandlerResult {
  const folder: SandboxFolder = findFolder(ctx.state.mailbox, ctx.params.folderId as string);
  const scope = ctx.state.mailbox.messages.filter((m) => m.parentFolderId === folder.id);
  return listMessages(ctx, scope, `${ctx.entityRoot}/mailFolders('${ctx.params.folderId}')/messages`);
}

function messageEntity(ctx: RequestContext, m: SandboxMessage): HandlerResult {
  const selected = parseSelect(ctx.query.$select, messageType);
  const context = `${ctx.state.url}/$metadata#${contextWithSelect(`${ctx.entityRoot}/messages`, selected)}/$entity`;
  return { status: 200, json: { '@odata.context': context, ...shapeMessage(m, shapeContext(ctx), selected) } };
}

function getMessage(ctx: RequestContext): HandlerResult {
  return messageEntity(ctx, findMessage(ctx.state.mailbox, ctx.params.messageId as string));
}

function getMessageInFolder(ctx: RequestContext): HandlerResult {
  const folder = findFolder(ctx.state.mailbox, ctx.params.folderId as string);
  const m = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  if (m.parentFolderId !== folder.id) throw itemNotFound();
  return messageEntity(ctx, m);
}

function findAttachment(ctx: RequestContext): { message: SandboxMessage; attachment: SandboxMessage['attachments'][number] } {
  const message = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const id = ctx.params.attachmentId as string;
  const attachment = message.attachments.find((a) => a.id === id);
  if (!attachment) {
    requireWellFormedId(id);
    throw itemNotFound();
  }
  return { message, attachment };
}

function listAttachments(ctx: RequestContext): HandlerResult {
  const message = findMessage(ctx.state.mailbox, ctx.params.messageId as string);
  const selected = parseSelect(ctx.query.$select, attachmentType);
  let items = message.attachments;
  if (ctx.query.$filter !== undefined) {
    const filter = compileFilter(ctx.query.$filter, attachmentType);
    items = items.filter((a) => filter.test(shapeAttachment(a)));
  }
  const context = contextWithSelect(`${ctx.entityRoot}/messages('${ctx.params.messageId}')/attachments`, selected);
  return listResponse(ctx, { items, defaultPageSize: 1000, context, shape: (a) => shapeAttachment(a, selected) });
}

function getAttachment(ctx: RequestContext): HandlerResult {
  const { attachment } = findAttachment(ctx);
  const selected = parseSelect(ctx.query.$select, attachmentType);
  const context = `${ctx.state.url}/$metadata#${ctx.entityRoot}/messages('${ctx.params.messageId}')/attachments/$entity`;
  return { status: 200, json: { '@odata.context': context, ...shapeAttachment(attachment, selected) } };
}

function getAttachmentValue(ctx: RequestContext): HandlerResult {
  const { attachment } = findAttachment(ctx);
  return { status: 200, bytes: attachment.bytes, contentType: attachment.contentType || 'application/octet-stream' };
}

/** Routes for reading messages. */
export const mailReadRoutes: readonly Route[] = [
  { method: 'GET', pattern: 'messages', handler: listAll },
  { method: 'GET', pattern: 'mailFolders/{folderId}/messages', handler: listInFolder },
  { method: 'GET', pattern: 'messages/{messageId}', handler: getMessage },
  { method: 'GET', pattern: 'mailFolders/{folderId}/messages/{messageId}', handler: getMessageInFolder },
  { method: 'GET', pattern: 'messages/{messageId}/attachments', handler: listAttachments },
  { method: 'GET', pattern: 'messages/{messageId}/attachments/{attachmentId}', handler: getAttachment },
  { method: 'GET', pattern: 'messages/{messageId}/attachments/{attachmentId}/$value', handler: getAttachmentValue },
];
