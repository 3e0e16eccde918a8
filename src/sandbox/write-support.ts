/** Request-body checks and notification recording shared by the write routes. */
import type { RequestContext } from './context.js';
import { GraphErrorResponse, badPayload } from './errors.js';
import type { ItemBody, Recipient } from './model.js';
import type { StructuredType } from './odata/edm.js';
import type { Notification } from './types.js';

/** The JSON object a write needs; Graph's 400s for an empty or non-object payload. */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body === undefined) throw badPayload(true);
  if (ctx.body === null || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) throw badPayload(false);
  return ctx.body as Record<string, unknown>;
}

/** The optional JSON object some actions take (`/send` has none, `/reply` may have a comment). */
export function optionalObjectBody(ctx: RequestContext): Record<string, unknown> {
  return ctx.body === undefined ? {} : objectBody(ctx);
}

/** Refuses properties the type does not declare, as OData's reader does. */
export function checkProperties(body: Record<string, unknown>, type: StructuredType): void {
  for (const key of Object.keys(body)) {
    if (key.startsWith('@odata.')) continue;
    if (!type.properties[key.toLowerCase()]) {
      throw new GraphErrorResponse(400, 'RequestBodyRead', `The property '${key}' does not exist on type '${type.typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
  }
}

function invalidRecipients(): GraphErrorResponse {
  return new GraphErrorResponse(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
}

/** A recipient list from a request body (absent = empty). */
export function recipients(value: unknown): Recipient[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidRecipients();
  return value.map((r: unknown) => {
    const ea = (r as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
    if (!ea || typeof ea.address !== 'string' || ea.address.trim() === '') throw invalidRecipients();
    return { emailAddress: { name: typeof ea.name === 'string' ? ea.name : ea.address, address: ea.address } };
  });
}

/** A single recipient (`from`), if given. */
export function recipient(value: unknown): Recipient | undefined {
  return value === undefined || value === null ? undefined : recipients([value])[0];
}

/** An itemBody from a request (content type names are case-insensitive). */
export function itemBody(value: unknown, fallback: ItemBody): ItemBody {
  if (value === undefined || value === null) return fallback;
  const v = value as { contentType?: unknown; content?: unknown };
  const type = typeof v.contentType === 'string' ? v.contentType.toLowerCase() : 'text';
  if (type !== 'text' && type !== 'html') throw new GraphErrorResponse(400, 'RequestBodyRead', `The value '${String(v.contentType)}' is not valid for the enum 'microsoft.graph.bodyType'.`);
  return { contentType: type, content: typeof v.content === 'string' ? v.content : '' };
}

/** `{id, value}` pairs from a request body. */
export function extendedProperties(value: unknown): Array<{ id: string; value: string }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GraphErrorResponse(400, 'RequestBodyRead', "The property 'singleValueExtendedProperties' must be a collection.");
  return value.map((p: unknown) => {
    const { id, value: v } = (p ?? {}) as { id?: unknown; value?: unknown };
    if (typeof id !== 'string' || typeof v !== 'string') throw new GraphErrorResponse(400, 'ErrorInvalidProperty', 'Extended property id and value must be strings.');
    return { id, value: v };
  });
}

/** Records that Graph would now have emailed people; nothing is recorded for an empty recipient list. */
export function notify(ctx: RequestContext, kind: Notification['kind'], to: readonly Recipient[], subject?: string): void {
  const addresses = [...new Set(to.map((r) => r.emailAddress.address))];
  if (addresses.length === 0) return;
  const n: Notification = { kind, at: ctx.state.clock().toISOString(), request: { method: ctx.method, path: ctx.path }, recipients: addresses };
  if (subject !== undefined) n.subject = subject;
  ctx.state.notifications.push(n);
}
