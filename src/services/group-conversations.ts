/**
 * A Microsoft 365 group's conversations, read-only (OUTLOOK_ALLOW_GROUP_MAILBOXES,
 * `mailbox: "group:<id or address>"`). The group's threads are listed from
 * `GET /groups/{id}/threads` and a thread's posts read from
 * `GET /groups/{id}/threads/{id}/posts`, both through the client's one paging
 * primitive; the client's root is the group (`/groups/{id}`), so no request,
 * nextLink or cursor can leave it.
 *
 * Graph documents `$select`/`$expand` on posts and only generic OData support
 * on threads (no documented `$search`, `$orderby` or `$filter` semantics on a
 * thread's topic, senders or dates). So the listing asks for threads as Graph
 * orders them (newest delivery first) and applies the text, sender, date and
 * attachment constraints here, on the fields each thread carries, resuming
 * inside a page where a call stops (src/services/paging.ts).
 *
 * Every string is a stranger's: topics, sender names and attachment names go
 * through the one cleaner, post bodies through the visible-text renderer, as
 * mail bodies do.
 */
import type { GraphClient } from '../graph/client.js';
import type { HandleStore } from '../handles/handle-store.js';
import { cleanList, compact, formatRecipient, graphInstant, identified, objectsOf, stringOr, type GraphRecipient } from './shape.js';
import { cleanUntrusted } from '../text/untrusted.js';
import type { CursorStore } from './cursor.js';
import { readUpTo } from './paging.js';
import { sharedBodies, THREAD_MAX_MESSAGES, ThreadNotFoundError, type Thread, type ThreadMessage } from './thread.js';
import type { MessageList, MessageSummary } from './mail.js';

/** Threads asked for per page (Graph may answer fewer, down to one). */
const THREAD_PAGE = 50;
const THREAD_SELECT = 'id,topic,lastDeliveredDateTime,uniqueSenders,hasAttachments,preview';
const POST_SELECT = 'id,from,sender,receivedDateTime,createdDateTime,hasAttachments,body';
/** Pages of posts one thread read may follow (posts are not capped by `$top`, which the posts list does not document). */
const MAX_POST_PAGES = 50;

interface GraphThread {
  id: string;
  topic?: unknown;
  lastDeliveredDateTime?: unknown;
  uniqueSenders?: unknown;
  hasAttachments?: unknown;
  preview?: unknown;
}

interface GraphPost {
  id: string;
  from?: GraphRecipient;
  sender?: GraphRecipient;
  receivedDateTime?: unknown;
  createdDateTime?: unknown;
  hasAttachments?: unknown;
  body?: { contentType?: string; content?: string };
  attachments?: unknown;
  'attachments@odata.nextLink'?: unknown;
}

/** What a group listing may be narrowed by (the fields a thread carries). */
export interface GroupThreadQuery {
  /** Words that must all occur in the topic, the preview or a sender's name (case-insensitive). */
  query?: string;
  from?: string;
  deliveredAfter?: Date;
  deliveredBefore?: Date;
  hasAttachment?: boolean;
  limit: number;
  cursor?: string;
}

/** The narrowing kept with a cursor, so the next page applies the same. */
interface CursorExtra {
  q?: string;
  f?: string;
  a?: string;
  b?: string;
  h?: boolean;
  s?: number;
  l?: number;
}

const words = (s: string | undefined) => (s ?? '').toLowerCase().split(/\s+/).filter(Boolean);

/** True when the thread satisfies every constraint given (on the raw fields; nothing shown is derived from it). */
function matches(t: GraphThread, c: { q: string[]; f: string[]; after?: number; before?: number; h?: boolean }): boolean {
  const senders = (Array.isArray(t.uniqueSenders) ? t.uniqueSenders : []).filter((s): s is string => typeof s === 'string');
  const hay = [stringOr(t.topic) ?? '', stringOr(t.preview) ?? '', ...senders].join(' ').toLowerCase();
  if (!c.q.every((w) => hay.includes(w))) return false;
  const from = senders.join(' ').toLowerCase();
  if (!c.f.every((w) => from.includes(w))) return false;
  if (c.h !== undefined && (t.hasAttachments === true) !== c.h) return false;
  if (c.after !== undefined || c.before !== undefined) {
    const at = Date.parse(stringOr(t.lastDeliveredDateTime) ?? '');
    if (Number.isNaN(at)) return false;
    if (c.after !== undefined && at < c.after) return false;
    if (c.before !== undefined && at > c.before) return false;
  }
  return true;
}

/** One group's conversations; `label` names the group in results and messages (`group:<address or id>`). */
export class GroupConversationService {
  constructor(
    private readonly graph: GraphClient,
    private readonly handles: HandleStore,
    private readonly cursors: CursorStore,
    private readonly timeZone: () => string,
    readonly label: string,
  ) {}

  /** The group's threads, newest delivery first, narrowed as asked; a page at most `limit` long, with a cursor for more. */
  async listThreads(tool: string, args: GroupThreadQuery, signal?: AbortSignal): Promise<MessageList> {
    let extra: CursorExtra;
    let start: string;
    let query: Array<[string, string]> | undefined;
    if (args.cursor) {
      const redeemed = await this.cursors.redeem<CursorExtra>(tool, this.graph.root, args.cursor);
      extra = redeemed.extra ?? {};
      start = redeemed.nextLink;
    } else {
      extra = compact({ q: args.query?.trim(), f: args.from?.trim(), a: args.deliveredAfter?.toISOString(), b: args.deliveredBefore?.toISOString(), l: args.limit });
      if (args.hasAttachment !== undefined) extra.h = args.hasAttachment;
      start = this.graph.mailbox`/threads`;
      query = [
        ['$select', THREAD_SELECT],
        ['$top', String(THREAD_PAGE)],
      ];
    }
    const limit = extra.l ?? args.limit;
    const date = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
    const constraint = { q: words(extra.q), f: words(extra.f), after: date(extra.a), before: date(extra.b), ...(extra.h !== undefined ? { h: extra.h } : {}) };
    const read = await readUpTo<GraphThread>(this.graph, start, { query, signal }, limit, { skip: extra.s ?? 0, keep: (t) => matches(t, constraint) });
    const usable = identified(read.items);
    const handles = await this.handles.handlesFor(usable.items.map((t) => t.id));
    const zone = this.timeZone();
    const messages = usable.items.map((t, i): MessageSummary => {
      const senders = cleanList(t.uniqueSenders, 'name');
      return compact({
        id: handles[i] ?? t.id,
        received: graphInstant(t.lastDeliveredDateTime, zone) ?? '(no date)',
        from: senders.length ? senders.slice(0, 3).join(', ') + (senders.length > 3 ? ` +${senders.length - 3}` : '') : undefined,
        subject: cleanUntrusted(t.topic, 'subject') || '(no topic)',
        flags: ['group thread', t.hasAttachments === true && 'attachment'].filter((f): f is string => !!f),
      }) as MessageSummary;
    });
    const skipped = (read.skipped ?? 0) + usable.skipped;
    const shown: MessageList = skipped ? { messages, skipped } : { messages };
    if (!read.resume) return shown;
    const next: CursorExtra = { ...extra, s: read.resume.skip || undefined, l: limit };
    return { ...shown, next_cursor: await this.cursors.issue(tool, this.graph.root, read.resume.link, compact(next as Record<string, unknown>)) };
  }

  /** One thread's posts, oldest first, bodies within `maxChars` in total (shaped as a mail conversation). */
  async readThread(idArg: string, maxChars: number, signal?: AbortSignal): Promise<Thread> {
    const id = await this.handles.resolve(idArg, 'id', 'thread');
    const [thread, collected] = await Promise.all([
      this.graph.get<GraphThread>(this.graph.mailbox`/threads/${id}`, { query: [['$select', 'id,topic']], signal }),
      this.graph.getAll<GraphPost>(this.graph.mailbox`/threads/${id}/posts`, { query: [['$select', POST_SELECT], ['$expand', 'attachments($select=name,isInline)']], signal }, { maxPages: MAX_POST_PAGES }),
    ]);
    const posts = identified(collected.items).items;
    if (posts.length === 0) throw new ThreadNotFoundError(`id: this group thread has no posts. Pass a thread id from ol_email_search with mailbox ${this.label}.`);
    const when = (p: GraphPost) => Date.parse(stringOr(p.receivedDateTime) ?? stringOr(p.createdDateTime) ?? '') || 0;
    const sorted = posts.sort((a, b) => when(a) - when(b));
    const shown = sorted.slice(-THREAD_MAX_MESSAGES);
    // A reply posted by mail quotes the earlier posts; the thread shows each post once. A body that is no object reads as none.
    const { bodies, truncated } = await sharedBodies(shown.map((p) => (p.body !== null && typeof p.body === 'object' ? p.body : undefined)), maxChars);
    const handles = await this.handles.handlesFor([...shown.map((p) => p.id), id]);
    const zone = this.timeZone();
    const messages = shown.map((p, i): ThreadMessage => {
      const files = objectsOf<{ name?: unknown; isInline?: unknown }>(p.attachments)
        .filter((a) => a.isInline !== true)
        .map((a) => cleanUntrusted(a.name, 'filename') || '(unnamed)');
      if (p['attachments@odata.nextLink'] !== undefined) files.push('(more attachments)');
      return compact({
        id: handles[i] ?? p.id,
        from: formatRecipient(p.from) ?? formatRecipient(p.sender),
        date: graphInstant(p.receivedDateTime ?? p.createdDateTime, zone) ?? '(no date)',
        attachments: files,
        body: bodies[i] as ThreadMessage['body'],
      }) as ThreadMessage;
    });
    return compact({
      subject: cleanUntrusted(thread.topic, 'subject') || '(no topic)',
      conversation_id: handles[shown.length] ?? id,
      message_count: sorted.length,
      earlier_omitted: sorted.length > shown.length ? sorted.length - shown.length : undefined,
      messages,
      truncated,
    }) as Thread;
  }
}
