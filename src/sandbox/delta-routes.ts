/**
 * `GET /mailFolders/{id}/messages/delta`: the first round pages through the
 * folder (optionally `$filter=receivedDateTime ge …`) and ends with an
 * `@odata.deltaLink`; calling that link returns only what was added or
 * changed since, plus `@removed` entries for messages that left the folder.
 * A token the sandbox does not hold (expired, or from before a restart)
 * gets Graph's 410 `SyncStateNotFound`.
 */
import { randomBytes } from 'node:crypto';
import { listResponse } from './collection.js';
import type { DeltaState, HandlerResult, RequestContext } from './context.js';
import { GraphError } from './errors.js';
import { findFolder } from './lookup.js';
import { messageReader, shapeMessage } from './message-view.js';
import type { SandboxMessage } from './model.js';
import { parseExpand } from './odata/expand.js';
import { compileFilter } from './odata/filter.js';
import { sortItems } from './odata/orderby.js';
import { parseSelect } from './odata/select.js';
import type { Route } from './router.js';
import { messageType } from './schema.js';
import { bodyPreference } from './mail-routes.js';

const version = (m: SandboxMessage) => `${m.changeKey}|${m.lastModifiedDateTime}|${m.isRead}`;

function deltaFilter(ctx: RequestContext, query: Record<string, string>): ((m: SandboxMessage) => boolean) | undefined {
  const text = query.$filter;
  if (text === undefined) return undefined;
  // Graph accepts only receivedDateTime ge/gt on message delta.
  if (!/^\s*receivedDateTime\s+(ge|gt)\s+\S+\s*$/i.test(text)) throw new GraphError(400, 'ErrorInvalidRequest', 'Only receivedDateTime ge/gt is supported in $filter for delta queries on messages.');
  const filter = compileFilter(text, messageType, messageReader(ctx.state));
  return (m) => filter.test(m);
}

function issueToken(ctx: RequestContext, folderId: string, query: Record<string, string>, scope: readonly SandboxMessage[]): string {
  const token = randomBytes(18).toString('base64url');
  ctx.state.deltas.set(token, { folderId, query, versions: new Map(scope.map((m) => [m.id, version(m)])) });
  return token;
}

function delta(ctx: RequestContext): HandlerResult {
  const folder = findFolder(ctx.state.mailbox, ctx.params.folderId as string);
  const token = ctx.query.$deltatoken;
  let previous: DeltaState | undefined;
  let query: Record<string, string>;
  if (token !== undefined) {
    previous = ctx.state.deltas.get(token);
    if (!previous || previous.folderId !== folder.id) throw new GraphError(410, 'SyncStateNotFound', 'The sync state could not be found. It may have expired; start a new sync without a delta token.');
    query = previous.query;
  } else {
    const { $skiptoken: _s, ...rest } = ctx.query;
    query = rest;
    if (query.$search !== undefined || query.$orderby !== undefined) throw new GraphError(400, 'ErrorInvalidRequest', '$search and $orderby are not supported on delta queries.');
  }
  const filter = deltaFilter(ctx, query);
  const scope = ctx.state.mailbox.messages.filter((m) => m.parentFolderId === folder.id && (!filter || filter(m)));
  const changed = previous ? scope.filter((m) => previous.versions.get(m.id) !== version(m)) : scope;
  const present = new Set(scope.map((m) => m.id));
  const removed = previous ? [...previous.versions.keys()].filter((id) => !present.has(id)) : [];
  const selected = parseSelect(query.$select, messageType);
  const shapeCtx = { state: ctx.state, bodyType: bodyPreference(ctx), expand: parseExpand(query.$expand, messageType) };
  const items: Array<SandboxMessage | { removedId: string }> = [...sortItems(changed, [{ path: ['receivedDateTime'], key: 'receivedDateTime', desc: true, time: true }], messageReader(ctx.state)), ...removed.map((id) => ({ removedId: id }))];
  const result = listResponse(ctx, {
    items,
    defaultPageSize: 10,
    context: `Collection(message)`,
    shape: (item) => ('removedId' in item ? { '@odata.type': '#microsoft.graph.message', id: item.removedId, '@removed': { reason: 'deleted' } } : shapeMessage(item, shapeCtx, selected)),
  });
  const body = (result as { json: Record<string, unknown> }).json;
  if (body['@odata.nextLink'] === undefined) {
    const next = issueToken(ctx, folder.id, query, scope);
    body['@odata.deltaLink'] = `${ctx.state.origin}${ctx.rawPathname}?$deltatoken=${encodeURIComponent(next)}`;
  }
  return result;
}

/** Routes for message delta. */
export const deltaRoutes: readonly Route[] = [{ method: 'GET', pattern: 'mailFolders/{folderId}/messages/delta', handler: delta }];
