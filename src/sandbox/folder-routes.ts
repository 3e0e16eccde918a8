/** Mail folders: top level, by id or well-known name, and child folders. Counts come from the messages. */
import { contextWithSelect, listResponse } from './collection.js';
import type { HandlerResult, RequestContext } from './context.js';
import { itemNotFound } from './errors.js';
import { findFolder, rootFolder } from './lookup.js';
import type { SandboxFolder, SandboxMailbox } from './model.js';
import { getPath } from './odata/edm.js';
import { compileFilter } from './odata/filter.js';
import { parseOrderBy, sortItems } from './odata/orderby.js';
import { param } from './odata/query.js';
import { inDeclarationOrder, parseSelect, shape, type Getters } from './odata/select.js';
import type { Route } from './router.js';
import { mailFolderType } from './schema.js';

interface FolderStats {
  total: number;
  unread: number;
  children: number;
}

function folderStats(mailbox: SandboxMailbox): Map<string, FolderStats> {
  const stats = new Map<string, FolderStats>(mailbox.folders.map((f) => [f.id, { total: 0, unread: 0, children: 0 }]));
  for (const m of mailbox.messages) {
    const s = stats.get(m.parentFolderId);
    if (!s) continue;
    s.total++;
    if (!m.isRead) s.unread++;
  }
  for (const f of mailbox.folders) {
    const parent = stats.get(f.parentFolderId);
    if (parent) parent.children++;
  }
  return stats;
}

const EMPTY: FolderStats = { total: 0, unread: 0, children: 0 };

const folderGetters: Getters<SandboxFolder, Map<string, FolderStats>> = {
  id: (f) => f.id,
  displayName: (f) => f.displayName,
  parentFolderId: (f) => f.parentFolderId,
  childFolderCount: (f, s) => (s.get(f.id) ?? EMPTY).children,
  unreadItemCount: (f, s) => (s.get(f.id) ?? EMPTY).unread,
  totalItemCount: (f, s) => (s.get(f.id) ?? EMPTY).total,
  // No sizeInBytes: v1.0's mailFolder has none (beta only), so the sandbox must not teach clients to expect it.
  isHidden: (f) => f.isHidden ?? false,
};
const ALL_FOLDER_PROPERTIES = Object.keys(folderGetters);

function shaper(ctx: RequestContext, stats = folderStats(ctx.state.mailbox)): { selected: string[] | undefined; shapeOne: (f: SandboxFolder) => Record<string, unknown> } {
  const selected = parseSelect(ctx.query.$select, mailFolderType);
  const names = selected ? inDeclarationOrder(folderGetters, selected) : ALL_FOLDER_PROPERTIES;
  return { selected, shapeOne: (f) => shape(f, stats, folderGetters, ['id'], names) };
}

function listFolders(ctx: RequestContext, folders: SandboxFolder[], context: string): HandlerResult {
  const stats = folderStats(ctx.state.mailbox);
  const { selected, shapeOne } = shaper(ctx, stats);
  const full = (f: SandboxFolder) => shape(f, stats, folderGetters, [], ALL_FOLDER_PROPERTIES);
  let items = folders;
  if (param(ctx.query, 'includeHiddenFolders')?.toLowerCase() !== 'true') items = items.filter((f) => !f.isHidden);
  if (ctx.query.$filter !== undefined) {
    const filter = compileFilter(ctx.query.$filter, mailFolderType);
    items = items.filter((f) => filter.test(full(f)));
  }
  if (ctx.query.$orderby !== undefined) {
    items = sortItems(items, parseOrderBy(ctx.query.$orderby, mailFolderType), (f, path) => getPath(full(f as SandboxFolder), path));
  }
  return listResponse(ctx, { items, defaultPageSize: 10, context: contextWithSelect(context, selected), shape: shapeOne });
}

function topLevelFolders(mailbox: SandboxMailbox): SandboxFolder[] {
  const root = rootFolder(mailbox);
  if (root) return mailbox.folders.filter((f) => f.parentFolderId === root.id);
  const ids = new Set(mailbox.folders.map((f) => f.id));
  return mailbox.folders.filter((f) => !ids.has(f.parentFolderId));
}

function listTopLevel(ctx: RequestContext): HandlerResult {
  return listFolders(ctx, topLevelFolders(ctx.state.mailbox), `${ctx.entityRoot}/mailFolders`);
}

function listChildren(ctx: RequestContext): HandlerResult {
  const parent = findFolder(ctx.state.mailbox, ctx.params.folderId as string);
  const children = ctx.state.mailbox.folders.filter((f) => f.parentFolderId === parent.id);
  return listFolders(ctx, children, `${ctx.entityRoot}/mailFolders('${ctx.params.folderId}')/childFolders`);
}

function getFolder(ctx: RequestContext): HandlerResult {
  const folder = findFolder(ctx.state.mailbox, ctx.params.folderId as string);
  return folderEntity(ctx, folder, `${ctx.entityRoot}/mailFolders`);
}

function getChild(ctx: RequestContext): HandlerResult {
  const parent = findFolder(ctx.state.mailbox, ctx.params.folderId as string);
  const child = findFolder(ctx.state.mailbox, ctx.params.childId as string);
  // A folder that exists but not under this parent is as unknown as a bad id.
  if (child.parentFolderId !== parent.id) throw itemNotFound();
  return folderEntity(ctx, child, `${ctx.entityRoot}/mailFolders('${ctx.params.folderId}')/childFolders`);
}

function folderEntity(ctx: RequestContext, folder: SandboxFolder, context: string): HandlerResult {
  const { selected, shapeOne } = shaper(ctx);
  return { status: 200, json: { '@odata.context': `${ctx.state.url}/$metadata#${contextWithSelect(context, selected)}/$entity`, ...shapeOne(folder) } };
}

/** Routes for mail folders. */
export const folderRoutes: readonly Route[] = [
  { method: 'GET', pattern: 'mailFolders', handler: listTopLevel },
  { method: 'GET', pattern: 'mailFolders/{folderId}', handler: getFolder },
  { method: 'GET', pattern: 'mailFolders/{folderId}/childFolders', handler: listChildren },
  { method: 'GET', pattern: 'mailFolders/{folderId}/childFolders/{childId}', handler: getChild },
];
