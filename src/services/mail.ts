/**
 * Mail reads: search, unread listing, reading one message as sanitised text,
 * and saving an attachment to the profile's download folder.
 */
import type { GraphClient } from '../graph/client.js';
import type { HandleStore } from '../handles/handle-store.js';
import { compileMessageQuery, matchesClientFilter, type ClientFilter, type MessageQuery } from '../graph/query/message-query.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { compact, formatRecipient, formatRecipients, cleanLine } from './shape.js';
import { formatInZone } from '../text/dates.js';
import { visibleBody } from './body.js';
import { truncateText } from '../text/truncate.js';
import type { FolderService } from './folders.js';
import { saveAttachment, textPreviewOf, type SavedAttachment } from './attachments.js';

/** Fields a message list needs; nothing more crosses the wire. */
const LIST_SELECT = ['id', 'subject', 'from', 'receivedDateTime', 'isRead', 'isDraft', 'hasAttachments', 'importance', 'flag'] as const;
const READ_SELECT = [
  'id',
  'subject',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'receivedDateTime',
  'sentDateTime',
  'conversationId',
  'webLink',
  'importance',
  'isRead',
  'isDraft',
  'hasAttachments',
  'flag',
  'categories',
  'body',
].join(',');

export interface GraphMessage {
  id: string;
  subject?: string;
  from?: { emailAddress?: { name?: string; address?: string } };
  sender?: { emailAddress?: { name?: string; address?: string } };
  toRecipients?: Array<{ emailAddress?: { name?: string; address?: string } }>;
  ccRecipients?: Array<{ emailAddress?: { name?: string; address?: string } }>;
  bccRecipients?: Array<{ emailAddress?: { name?: string; address?: string } }>;
  replyTo?: Array<{ emailAddress?: { name?: string; address?: string } }>;
  receivedDateTime?: string;
  sentDateTime?: string;
  lastModifiedDateTime?: string;
  conversationId?: string;
  webLink?: string;
  importance?: string;
  isRead?: boolean;
  isDraft?: boolean;
  hasAttachments?: boolean;
  flag?: { flagStatus?: string };
  categories?: string[];
  body?: { contentType?: string; content?: string };
}

interface GraphAttachmentMeta {
  id: string;
  '@odata.type'?: string;
  name?: string;
  contentType?: string;
  size?: number;
  isInline?: boolean;
}

export interface MessageSummary {
  id: string;
  received: string;
  from?: string;
  subject: string;
  /** `unread`, `attachment`, `flagged`, `high importance`, `low importance`, `draft`. */
  flags?: string[];
}

export interface MessageList {
  messages: MessageSummary[];
  next_cursor?: string;
}

export interface AttachmentSummary {
  id: string;
  name: string;
  content_type?: string;
  size: number;
  inline?: boolean;
  kind?: 'item' | 'link';
}

export interface MessageDetail {
  id: string;
  subject: string;
  from?: string;
  sender?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  reply_to?: string[];
  received?: string;
  sent?: string;
  conversation_id?: string;
  web_link?: string;
  flags?: string[];
  categories?: string[];
  attachments?: AttachmentSummary[];
  body: {
    untrusted: true;
    text: string;
    total_chars: number;
    truncated?: boolean;
    hidden_removed?: number;
    invisible_removed?: number;
  };
}

/** A message query as tools pass it: the compiler's fields plus paging. */
export type SearchArgs = Omit<MessageQuery, 'top' | 'select'> & { limit: number; cursor?: string };

interface CursorExtra {
  /** Client-side constraints as ISO strings (dates) and flags. */
  f?: { ra?: string; rb?: string; ma?: string; u?: boolean };
  /** The listing holds unread mail only (so items carry no "unread" flag). */
  u?: true;
}

function filterToJson(f: ClientFilter | undefined): CursorExtra['f'] {
  if (!f) return undefined;
  const out = compact({ ra: f.receivedAfter?.toISOString(), rb: f.receivedBefore?.toISOString(), ma: f.modifiedAfter?.toISOString(), u: f.unreadOnly });
  return Object.keys(out).length ? out : undefined;
}

function filterFromJson(f: CursorExtra['f']): ClientFilter | undefined {
  if (!f) return undefined;
  const date = (s: string | undefined) => (s ? new Date(s) : undefined);
  return { receivedAfter: date(f.ra), receivedBefore: date(f.rb), modifiedAfter: date(f.ma), unreadOnly: f.u };
}

/** Mail reads for one mailbox. */
export class MailService {
  constructor(
    private readonly graph: GraphClient,
    private readonly handles: HandleStore,
    private readonly folders: FolderService,
    private readonly timeZone: () => string,
    private readonly downloadDir: string,
  ) {}

  /** Searches or filters messages (see the query compiler for which Graph mode is used). */
  async search(tool: string, args: SearchArgs, signal?: AbortSignal): Promise<MessageList> {
    if (args.cursor) {
      const { nextLink, extra } = decodeCursor<CursorExtra>(tool, args.cursor);
      return this.page(tool, nextLink, undefined, filterFromJson(extra?.f), extra?.u === true, signal);
    }
    const folder = args.folder ? await this.folders.resolve(args.folder, signal) : undefined;
    const { limit, cursor: _none, ...query } = args;
    const compiled = compileMessageQuery({ ...query, folder, top: limit, select: LIST_SELECT });
    return this.page(tool, `${this.graph.root}/${compiled.path}`, compiled.params, compiled.clientFilter, args.unreadOnly === true, signal);
  }

  private async page(
    tool: string,
    path: string,
    query: Array<[string, string]> | undefined,
    filter: ClientFilter | undefined,
    unreadOnly: boolean,
    signal?: AbortSignal,
  ): Promise<MessageList> {
    const page = await this.graph.getPage<GraphMessage>(path, { query, signal });
    const items = page.items.filter((m) => matchesClientFilter(m, filter));
    const handles = await this.handles.handlesFor(items.map((m) => m.id));
    // Every item of an unread listing is unread: saying so 50 times costs tokens and tells nothing.
    const messages = items.map((m, i) => this.summary(m, handles[i] ?? m.id, unreadOnly));
    if (!page.nextLink) return { messages };
    const f = filterToJson(filter);
    const extra: CursorExtra = compact({ f, u: unreadOnly ? (true as const) : undefined });
    return { messages, next_cursor: encodeCursor(tool, page.nextLink, Object.keys(extra).length ? extra : undefined) };
  }

  private summary(m: GraphMessage, handle: string, allUnread: boolean): MessageSummary {
    return summarizeMessage(m, handle, this.timeZone(), allUnread);
  }

  /** One message with headers and its body as sanitised visible text. */
  async read(idArg: string, opts: { includeAttachments: boolean; maxChars: number }, signal?: AbortSignal): Promise<MessageDetail> {
    const id = await this.handles.resolve(idArg, 'id', 'message');
    const [m, atts] = await Promise.all([
      this.graph.get<GraphMessage>(this.graph.mailbox`/messages/${id}`, { query: [['$select', READ_SELECT]], signal }),
      opts.includeAttachments ? this.listAttachments(id, signal) : Promise.resolve(undefined),
    ]);
    const visible = await visibleBody(m.body);
    const cut = truncateText(visible.text, opts.maxChars);
    const from = formatRecipient(m.from);
    const sender = formatRecipient(m.sender);
    const [handle, conversation] = await this.handles.handlesFor([m.id, ...(m.conversationId ? [m.conversationId] : [])]);
    return compact({
      id: handle ?? m.id,
      subject: cleanLine(m.subject) || '(no subject)',
      from,
      // "Sent on behalf of" is worth seeing: it is how delegated and spoofed mail differ from the usual.
      sender: sender && sender !== from ? sender : undefined,
      to: formatRecipients(m.toRecipients),
      cc: formatRecipients(m.ccRecipients),
      bcc: formatRecipients(m.bccRecipients),
      reply_to: sameAddresses(m.replyTo, m.from) ? undefined : formatRecipients(m.replyTo),
      received: m.receivedDateTime ? formatInZone(new Date(m.receivedDateTime), this.timeZone(), 'datetime') : undefined,
      // For received mail the send time is noise (minutes apart); it matters only where there is no receipt.
      sent: m.sentDateTime && !m.receivedDateTime ? formatInZone(new Date(m.sentDateTime), this.timeZone(), 'datetime') : undefined,
      conversation_id: conversation,
      web_link: m.webLink,
      flags: messageFlags(m, false),
      categories: m.categories,
      attachments: atts,
      body: compact({
        untrusted: true as const,
        text: cut.text,
        total_chars: cut.totalChars,
        truncated: cut.truncated,
        hidden_removed: visible.hiddenRemoved,
        invisible_removed: visible.invisibleRemoved,
      }),
    }) as MessageDetail;
  }

  private async listAttachments(messageId: string, signal?: AbortSignal): Promise<AttachmentSummary[]> {
    const out: GraphAttachmentMeta[] = [];
    let next: string | undefined = this.graph.mailbox`/messages/${messageId}/attachments`;
    let first = true;
    while (next) {
      const page: { items: GraphAttachmentMeta[]; nextLink?: string } = await this.graph.getPage<GraphAttachmentMeta>(
        next,
        first ? { query: [['$select', 'id,name,contentType,size,isInline']], signal } : { signal },
      );
      out.push(...page.items);
      next = page.nextLink;
      first = false;
    }
    const handles = await this.handles.handlesFor(out.map((a) => a.id));
    return out.map((a, i) =>
      compact({
        id: handles[i] ?? a.id,
        name: cleanLine(a.name) || '(unnamed)',
        content_type: a.contentType,
        size: a.size ?? 0,
        inline: a.isInline === true,
        kind: attachmentKind(a),
      }) as AttachmentSummary,
    );
  }

  /** Downloads an attachment into the profile's download folder and returns where it went. */
  async getAttachment(messageIdArg: string, attachmentIdArg: string, signal?: AbortSignal): Promise<SavedAttachment & { text?: string; text_truncated?: boolean }> {
    const messageId = await this.handles.resolve(messageIdArg, 'message_id', 'message');
    const attachmentId = await this.handles.resolve(attachmentIdArg, 'attachment_id', 'attachment');
    const base = this.graph.mailbox`/messages/${messageId}/attachments/${attachmentId}`;
    const meta = await this.graph.get<GraphAttachmentMeta & { sourceUrl?: string }>(base, { query: [['$select', 'id,name,contentType,size,isInline']], signal });
    const kind = attachmentKind(meta);
    if (kind === 'link') {
      throw new AttachmentUnavailableError(`"${cleanLine(meta.name)}" is a link to a cloud file, not a file in the message; open the message in Outlook to follow it.`);
    }
    const { bytes } = await this.graph.getBytes(`${base}/$value`, { signal });
    const name = cleanLine(meta.name) || 'attachment';
    const fallbackExt = kind === 'item' ? '.eml' : '';
    const saved = await saveAttachment(this.downloadDir, name + (fallbackExt && !name.toLowerCase().endsWith(fallbackExt) ? fallbackExt : ''), bytes, meta.contentType);
    const preview = await textPreviewOf(bytes, meta.contentType, name);
    return compact({ ...saved, text: preview?.text, text_truncated: preview?.truncated }) as SavedAttachment & { text?: string; text_truncated?: boolean };
  }
}

/** The attachment is not a file we can save (e.g. a link to a cloud file). */
export class AttachmentUnavailableError extends Error {
  override name = 'AttachmentUnavailableError';
}

/** Fields a one-line message row needs (`$select` them). */
export const MESSAGE_ROW_SELECT = LIST_SELECT;

/** One compact message row, as every list shows it: `id | received | from | subject [flags]`. */
export function summarizeMessage(m: GraphMessage, handle: string, zone: string, omitUnread: boolean): MessageSummary {
  return compact({
    id: handle,
    received: m.receivedDateTime ? formatInZone(new Date(m.receivedDateTime), zone, 'datetime') : '',
    from: formatRecipient(m.from),
    subject: cleanLine(m.subject) || '(no subject)',
    flags: messageFlags(m, omitUnread),
  }) as MessageSummary;
}

/** Only the exceptions are worth tokens: read, normal importance and unflagged say nothing. */
function messageFlags(m: GraphMessage, omitUnread: boolean): string[] {
  const flags: string[] = [];
  if (m.isRead === false && !omitUnread) flags.push('unread');
  if (m.isDraft === true) flags.push('draft');
  if (m.hasAttachments === true) flags.push('attachment');
  if (m.flag?.flagStatus === 'flagged') flags.push('flagged');
  if (m.importance && m.importance !== 'normal') flags.push(`${m.importance} importance`);
  return flags;
}

function attachmentKind(a: GraphAttachmentMeta): 'item' | 'link' | undefined {
  const t = a['@odata.type'] ?? '';
  if (t.endsWith('itemAttachment')) return 'item';
  if (t.endsWith('referenceAttachment')) return 'link';
  return undefined;
}


function sameAddresses(a: GraphMessage['replyTo'], from: GraphMessage['from']): boolean {
  if (!a || a.length === 0) return true;
  return a.length === 1 && a[0]?.emailAddress?.address?.toLowerCase() === from?.emailAddress?.address?.toLowerCase();
}
