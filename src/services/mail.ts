/**
 * Mail reads: search, unread listing, reading one message as sanitised text,
 * and saving an attachment to the profile's download folder.
 */
import { UserFacingError } from '../errors.js';
import type { GraphClient } from '../graph/client.js';
import type { HandleStore } from '../handles/handle-store.js';
import { compileMessageQuery, matchesClientFilter, type ClientFilter, type MessageQuery } from '../graph/query/message-query.js';
import type { CursorStore } from './cursor.js';
import { readUpTo } from './paging.js';
import { cleanList, compact, formatRecipient, formatRecipients, graphInstant, identified, stringOr } from './shape.js';
import { cleanOptional, cleanUntrusted } from '../text/untrusted.js';
import { rendererFields, visibleBody } from './body.js';
import { truncateText } from '../text/truncate.js';
import type { FolderService } from './folders.js';
import { textPreviewOf, type DownloadFolder, type SavedAttachment } from './attachments.js';
import { MAX_ATTACHMENT_BYTES } from './draft-attachments.js';

/** A message's attachment list is read whole, within this many pages (Graph allows a few hundred attachments). */
const MAX_ATTACHMENT_PAGES = 250;

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
  /** Entries Graph sent that could not be shown (no id, or not an item). */
  skipped?: number;
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
    withheld_words?: number;
    renderer?: 'builtin' | 'browser';
    renderer_note?: string;
  };
}

/** A message query as tools pass it: the compiler's fields plus paging. */
export type SearchArgs = Omit<MessageQuery, 'top' | 'select'> & { limit: number; cursor?: string };

interface CursorExtra {
  /** Client-side constraints as ISO strings (dates) and flags. */
  f?: { ra?: string; rb?: string; ma?: string; u?: boolean };
  /** The listing holds unread mail only (so items carry no "unread" flag). */
  u?: true;
  /** Items of the cursor's page already returned. */
  s?: number;
  /** The page size asked for. */
  l?: number;
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
    private readonly downloads: DownloadFolder,
    private readonly cursors: CursorStore,
  ) {}

  /** Searches or filters messages (see the query compiler for which Graph mode is used). */
  async search(tool: string, args: SearchArgs, signal?: AbortSignal): Promise<MessageList> {
    if (args.cursor) {
      const { nextLink, extra } = await this.cursors.redeem<CursorExtra>(tool, this.graph.root, args.cursor);
      return this.page(tool, nextLink, undefined, filterFromJson(extra?.f), extra?.u === true, extra?.l ?? args.limit, extra?.s ?? 0, signal);
    }
    const folder = args.folder ? await this.folders.resolve(args.folder, signal) : undefined;
    const { limit, cursor: _none, ...query } = args;
    const compiled = compileMessageQuery({ ...query, folder, top: limit, select: LIST_SELECT });
    return this.page(tool, `${this.graph.root}/${compiled.path}`, compiled.params, compiled.clientFilter, args.unreadOnly === true, limit, 0, signal);
  }

  private async page(
    tool: string,
    path: string,
    query: Array<[string, string]> | undefined,
    filter: ClientFilter | undefined,
    unreadOnly: boolean,
    limit: number,
    skip: number,
    signal?: AbortSignal,
  ): Promise<MessageList> {
    const read = await readUpTo<GraphMessage>(this.graph, path, { query, signal }, limit, { skip, keep: (m) => matchesClientFilter(m, filter) });
    const usable = identified(read.items);
    const resume = read.resume;
    const extra: CursorExtra | undefined = resume && compact({ f: filterToJson(filter), u: unreadOnly ? (true as const) : undefined, s: resume.skip || undefined, l: limit });
    // Handles and the next page's cursor do not depend on each other: asked together, a networked store gets both in one write.
    const [handles, nextCursor] = await Promise.all([
      this.handles.handlesFor(usable.items.map((m) => m.id)),
      resume ? this.cursors.issue(tool, this.graph.root, resume.link, extra) : undefined,
    ]);
    // Every item of an unread listing is unread: saying so 50 times costs tokens and tells nothing.
    const messages = usable.items.map((m, i) => this.summary(m, handles[i] ?? m.id, unreadOnly));
    const skipped = (read.skipped ?? 0) + usable.skipped;
    const shown: MessageList = skipped ? { messages, skipped } : { messages };
    return nextCursor === undefined ? shown : { ...shown, next_cursor: nextCursor };
  }

  private summary(m: GraphMessage, handle: string, allUnread: boolean): MessageSummary {
    return summarizeMessage(m, handle, this.timeZone(), allUnread);
  }

  /** A Graph instant in the user's zone; a value that is no instant (a hostile Graph) is shown cleaned, never thrown on. */
  private when(v: unknown): string | undefined {
    return graphInstant(v, this.timeZone());
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
    const detail = compact({
      id: handle ?? m.id,
      subject: cleanUntrusted(stringOr(m.subject), 'subject') || '(no subject)',
      from,
      // "Sent on behalf of" is worth seeing: it is how delegated and spoofed mail differ from the usual.
      sender: sender && sender !== from ? sender : undefined,
      to: formatRecipients(m.toRecipients),
      cc: formatRecipients(m.ccRecipients),
      bcc: formatRecipients(m.bccRecipients),
      reply_to: sameAddresses(m.replyTo, m.from) ? undefined : formatRecipients(m.replyTo),
      received: this.when(m.receivedDateTime),
      // For received mail the send time is noise (minutes apart); it matters only where there is no receipt.
      sent: m.receivedDateTime ? undefined : this.when(m.sentDateTime),
      conversation_id: conversation,
      web_link: cleanOptional(stringOr(m.webLink), 'url'),
      flags: messageFlags(m, false),
      categories: cleanList(m.categories, 'category'),
      attachments: atts,
    }) as Omit<MessageDetail, 'body'>;
    // Outside compact(): an empty visible body (empty, or all of it hidden) is a normal result with text "".
    const body = { untrusted: true as const, text: cut.text, total_chars: cut.totalChars, ...compact({ truncated: cut.truncated, hidden_removed: visible.hiddenRemoved, invisible_removed: visible.invisibleRemoved, ...rendererFields(visible) }) };
    return { ...detail, body };
  }

  private async listAttachments(messageId: string, signal?: AbortSignal): Promise<AttachmentSummary[]> {
    const { items: out } = await this.graph.getAll<GraphAttachmentMeta>(
      this.graph.mailbox`/messages/${messageId}/attachments`,
      { query: [['$select', 'id,name,contentType,size,isInline']], signal },
      { maxPages: MAX_ATTACHMENT_PAGES },
    );
    const handles = await this.handles.handlesFor(out.map((a) => a.id));
    return out.map((a, i) =>
      compact({
        id: handles[i] ?? a.id,
        name: cleanUntrusted(stringOr(a.name), 'filename') || '(unnamed)',
        content_type: cleanOptional(stringOr(a.contentType), 'contentType'),
        size: typeof a.size === 'number' && Number.isFinite(a.size) ? a.size : 0,
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
      throw new AttachmentUnavailableError(`"${cleanUntrusted(stringOr(meta.name), 'filename')}" is a link to a cloud file, not a file in the message; open the message in Outlook to follow it.`);
    }
    // Attachments may be up to 150 MB, beyond the cap on JSON answers.
    const { bytes } = await this.graph.getBytes(`${base}/$value`, { signal, maxBytes: MAX_ATTACHMENT_BYTES });
    const name = cleanUntrusted(stringOr(meta.name), 'filename') || 'attachment';
    const fallbackExt = kind === 'item' ? '.eml' : '';
    const contentType = cleanOptional(stringOr(meta.contentType), 'contentType');
    const { reused: _reused, ...saved } = await this.downloads.save(name + (fallbackExt && !name.toLowerCase().endsWith(fallbackExt) ? fallbackExt : ''), bytes, contentType);
    const preview = await textPreviewOf(bytes, contentType, name);
    return compact({ ...saved, text: preview?.text, text_truncated: preview?.truncated }) as SavedAttachment & { text?: string; text_truncated?: boolean };
  }
  /**
   * An attachment's metadata and, for file and item attachments no larger
   * than `maxBytes`, its bytes (an item attachment's are its MIME). The size
   * Graph states is checked before the download, and the download itself is
   * capped, so a lying size costs no more than the cap. A link to a cloud file
   * comes back with its location and no bytes.
   */
  async fetchAttachment(messageIdArg: string, attachmentIdArg: string, maxBytes: number, signal?: AbortSignal): Promise<FetchedAttachment> {
    const messageId = await this.handles.resolve(messageIdArg, 'message_id', 'message');
    const attachmentId = await this.handles.resolve(attachmentIdArg, 'attachment_id', 'attachment');
    const base = this.graph.mailbox`/messages/${messageId}/attachments/${attachmentId}`;
    const meta = await this.graph.get<GraphAttachmentMeta>(base, { query: [['$select', 'id,name,contentType,size,isInline']], signal });
    const kind = attachmentKind(meta) ?? 'file';
    const name = cleanUntrusted(stringOr(meta.name), 'filename') || 'attachment';
    const contentType = cleanOptional(stringOr(meta.contentType), 'contentType');
    const size = typeof meta.size === 'number' && Number.isFinite(meta.size) ? meta.size : 0;
    if (kind === 'link') {
      // sourceUrl is a property of the subtype: only a full GET returns it (a link has no content bytes).
      const full = await this.graph.get<{ sourceUrl?: unknown; providerType?: unknown }>(base, { signal });
      return compact({ kind, name, content_type: contentType, size, location: cleanOptional(stringOr(full.sourceUrl), 'url'), provider: cleanOptional(stringOr(full.providerType), 'label') }) as FetchedAttachment;
    }
    if (size > maxBytes) {
      throw new AttachmentUnavailableError(`"${name}" is ${Math.round(size / 1024 / 1024)} MB; attachments larger than ${Math.round(maxBytes / 1024 / 1024)} MB are not read. Save it with ol_email_get_attachment and open it yourself.`);
    }
    const { bytes } = await this.graph.getBytes(`${base}/$value`, { signal, maxBytes });
    return compact({ kind, name: kind === 'item' && !/\.eml$/i.test(name) ? `${name}.eml` : name, content_type: kind === 'item' ? 'message/rfc822' : contentType, size, bytes }) as FetchedAttachment;
  }
}

/** An attachment fetched for reading: bytes for files and attached items, a location for cloud links. */
export interface FetchedAttachment {
  kind: 'file' | 'item' | 'link';
  name: string;
  content_type?: string;
  size: number;
  bytes?: Buffer;
  location?: string;
  provider?: string;
}

/** The attachment is not a file we can save (e.g. a link to a cloud file). */
export class AttachmentUnavailableError extends UserFacingError {
  override name = 'AttachmentUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('attachment_unavailable', message, options);
  }
}

/** Fields a one-line message row needs (`$select` them). */
export const MESSAGE_ROW_SELECT = LIST_SELECT;

/** One compact message row, as every list shows it: `id | received | from | subject [flags]`. */
export function summarizeMessage(m: GraphMessage, handle: string, zone: string, omitUnread: boolean): MessageSummary {
  return compact({
    id: handle,
    received: graphInstant(m.receivedDateTime, zone) ?? '(no date)',
    from: formatRecipient(m.from),
    subject: cleanUntrusted(stringOr(m.subject), 'subject') || '(no subject)',
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
  const importance = cleanUntrusted(stringOr(m.importance), 'label');
  if (importance && importance !== 'normal') flags.push(`${importance} importance`);
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
