/**
 * Stored messages and attachments as Graph returns them: derived properties
 * (`bodyPreview`, size), body conversion for `Prefer: outlook.body-content-type`,
 * `$select` projection and `$expand`.
 */
import type { SandboxState } from './context.js';
import { htmlToText, previewOf, textToHtml } from './html-text.js';
import { prepareDocument, type PreparedDocument } from './kql.js';
import type { ItemBody, Recipient, SandboxAttachment, SandboxMessage } from './model.js';
import { getPath } from './odata/edm.js';
import type { ExpandItem } from './odata/expand.js';
import type { PathReader } from './odata/filter.js';
import { inDeclarationOrder, shape, type Getters } from './odata/select.js';

function converted(state: SandboxState, body: ItemBody): { text: string; preview: string } {
  const hit = state.texts.get(body);
  if (hit && hit.content === body.content) return hit;
  const text = body.contentType === 'text' ? body.content : htmlToText(body.content);
  const entry = { content: body.content, text, preview: previewOf(text) };
  state.texts.set(body, entry);
  return entry;
}

/** The plain text of a body, cached per body object. */
export function textOf(state: SandboxState, body: ItemBody): string {
  return body.contentType === 'text' ? body.content : converted(state, body).text;
}

/** Graph's `bodyPreview` of a body, cached with its text. */
export function previewOfBody(state: SandboxState, body: ItemBody): string {
  return converted(state, body).preview;
}

/** A body in the requested content type (Graph converts server-side). */
export function convertBody(state: SandboxState, body: ItemBody, want: 'text' | 'html' | undefined): ItemBody {
  if (!want || want === body.contentType) return { contentType: body.contentType, content: body.content };
  if (want === 'text') return { contentType: 'text', content: textOf(state, body) };
  return { contentType: 'html', content: textToHtml(body.content) };
}

/** Graph's `@odata.etag` for an item. */
export function etagOf(changeKey: string): string {
  return `W/"${changeKey}"`;
}

/** An approximation of Exchange's message size: headers, body and attachments. */
export function messageSize(m: SandboxMessage): number {
  return 512 + Buffer.byteLength(m.body.content) + m.attachments.reduce((n, a) => n + a.size, 0);
}

const people = (rs: readonly Recipient[]): string[] => rs.flatMap((r) => [r.emailAddress.name, r.emailAddress.address]);

/** The fields `$search` looks at, prepared once per message revision. */
export function searchDocument(state: SandboxState, m: SandboxMessage): PreparedDocument {
  // Tests may edit the mailbox directly, so more than the changeKey marks a revision.
  const signature = `${m.changeKey}|${m.subject}|${m.body.content.length}|${m.attachments.length}|${m.toRecipients.length}|${m.ccRecipients.length}`;
  const hit = state.searchDocs.get(m);
  if (hit && hit.signature === signature) return hit.doc;
  const doc = prepareDocument({
    subject: m.subject,
    body: textOf(state, m.body),
    from: people([m.from]),
    to: people(m.toRecipients),
    cc: people(m.ccRecipients),
    bcc: people(m.bccRecipients),
    attachments: m.attachments.map((a) => a.name),
    hasAttachments: m.hasAttachments,
    received: Date.parse(m.receivedDateTime),
    sent: Date.parse(m.sentDateTime),
    size: messageSize(m),
  });
  state.searchDocs.set(m, { signature, doc });
  return doc;
}

export interface MessageShapeContext {
  state: SandboxState;
  bodyType: 'text' | 'html' | undefined;
  expand: readonly ExpandItem[];
  /** `http://host/v1.0/me` (or `/users/{id}`) of the request: where an expanded collection's nextLink points. */
  rootUrl?: string;
}

/** Message properties in Graph's order; `uniqueBody` is only returned when selected. */
export const messageGetters: Getters<SandboxMessage, MessageShapeContext> = {
  '@odata.etag': (m) => etagOf(m.changeKey),
  id: (m) => m.id,
  createdDateTime: (m) => m.createdDateTime,
  lastModifiedDateTime: (m) => m.lastModifiedDateTime,
  changeKey: (m) => m.changeKey,
  categories: (m) => m.categories,
  receivedDateTime: (m) => m.receivedDateTime,
  sentDateTime: (m) => m.sentDateTime,
  hasAttachments: (m) => m.hasAttachments,
  internetMessageId: (m) => m.internetMessageId,
  subject: (m) => m.subject,
  bodyPreview: (m, c) => previewOfBody(c.state, m.body),
  importance: (m) => m.importance,
  parentFolderId: (m) => m.parentFolderId,
  conversationId: (m) => m.conversationId,
  conversationIndex: (m) => m.conversationIndex ?? null,
  isDeliveryReceiptRequested: () => false,
  isReadReceiptRequested: () => false,
  isRead: (m) => m.isRead,
  isDraft: (m) => m.isDraft,
  webLink: (m) => m.webLink,
  inferenceClassification: () => 'focused',
  body: (m, c) => convertBody(c.state, m.body, c.bodyType),
  uniqueBody: (m, c) => convertBody(c.state, m.uniqueBody, c.bodyType),
  sender: (m) => m.sender,
  from: (m) => m.from,
  toRecipients: (m) => m.toRecipients,
  ccRecipients: (m) => m.ccRecipients,
  bccRecipients: (m) => m.bccRecipients,
  replyTo: (m) => m.replyTo,
  flag: (m) => m.flag,
  internetMessageHeaders: () => undefined,
};

const DEFAULT_MESSAGE_PROPERTIES = Object.keys(messageGetters).filter((k) => k !== 'uniqueBody' && k !== 'internetMessageHeaders');
const ALWAYS = ['@odata.etag', 'id'] as const;

/** Reads filter/orderby paths from a stored message, deriving what is not stored. */
export function messageReader(state: SandboxState): PathReader {
  return (item, path) => {
    const m = item as SandboxMessage;
    if (path.length === 1) {
      const g = messageGetters[path[0] as string];
      if (path[0] === 'bodyPreview' && g) return g(m, { state, bodyType: undefined, expand: [] });
      if (path[0] === 'inferenceClassification') return 'focused';
      if (path[0] === 'isDeliveryReceiptRequested' || path[0] === 'isReadReceiptRequested') return false;
    }
    return getPath(m, path);
  };
}

const attachmentGetters: Getters<SandboxAttachment, undefined> = {
  '@odata.type': (a) => a['@odata.type'],
  '@odata.mediaContentType': (a) => a.contentType,
  id: (a) => a.id,
  lastModifiedDateTime: (a) => a.lastModifiedDateTime,
  name: (a) => a.name,
  contentType: (a) => a.contentType,
  size: (a) => a.size,
  isInline: (a) => a.isInline,
  contentId: () => null,
  contentLocation: () => null,
  contentBytes: (a) => a.bytes.toString('base64'),
};
const DEFAULT_ATTACHMENT_PROPERTIES = Object.keys(attachmentGetters);

/** An attachment as Graph returns it; `contentBytes` (base64) unless `$select` leaves it out. */
export function shapeAttachment(a: SandboxAttachment, selected?: readonly string[]): Record<string, unknown> {
  const names = selected ? inDeclarationOrder(attachmentGetters, selected) : DEFAULT_ATTACHMENT_PROPERTIES;
  return shape(a, undefined, attachmentGetters, ['@odata.type', '@odata.mediaContentType', 'id'], names);
}

/** A message with `$select` and `$expand` applied. */
export function shapeMessage(m: SandboxMessage, ctx: MessageShapeContext, selected: readonly string[] | undefined): Record<string, unknown> {
  const names = selected ? inDeclarationOrder(messageGetters, selected) : DEFAULT_MESSAGE_PROPERTIES;
  const out = shape(m, ctx, messageGetters, ALWAYS, names);
  for (const ex of ctx.expand) {
    if (ex.name === 'attachments') {
      const list = ex.filter ? m.attachments.filter((a) => ex.filter?.test(shapeAttachment(a))) : m.attachments;
      const cap = ctx.state.pageSizeCap;
      // Graph caps expanded collections and gives the rest through `attachments@odata.nextLink`; so does the sandbox when paging is forced.
      const shown = cap !== undefined && ctx.rootUrl && !ex.filter && list.length > cap ? list.slice(0, cap) : list;
      out.attachments = shown.map((a) => shapeAttachment(a, ex.select));
      if (shown.length < list.length) {
        const select = ex.select ? `&$select=${encodeURIComponent(ex.select.join(','))}` : '';
        out['attachments@odata.nextLink'] = `${ctx.rootUrl}/messages/${encodeURIComponent(m.id)}/attachments?$skip=${shown.length}${select}`;
      }
    } else if (ex.name === 'singleValueExtendedProperties') {
      const list = m.singleValueExtendedProperties.filter((p) => !ex.filter || ex.filter.test(p));
      // Graph leaves the property out when no extended property matches.
      if (list.length > 0) out.singleValueExtendedProperties = list.map((p) => ({ id: p.id, value: p.value }));
    }
  }
  return out;
}
