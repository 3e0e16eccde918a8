/**
 * A whole conversation in one read: `$filter=conversationId eq '…'` with
 * each message's `uniqueBody` (the part not quoted from earlier messages),
 * paged to the end. No `$orderby`: Graph refuses a sort on a property the
 * filter does not start with (InefficientFilter), so the thread is ordered
 * here, oldest first.
 */
import { UserFacingError } from '../errors.js';
import type { GraphClient } from '../graph/client.js';
import { GraphError } from '../graph/errors.js';
import type { HandleStore } from '../handles/handle-store.js';
import { odataString } from '../graph/query/odata.js';
import { truncateText } from '../text/truncate.js';
import { cleanOptional, cleanUntrusted } from '../text/untrusted.js';
import { rendererFields, visibleBody } from './body.js';
import { compact, graphInstant, identified, objectsOf, stringOr } from './shape.js';

const THREAD_SELECT = 'id,conversationId,subject,from,toRecipients,ccRecipients,receivedDateTime,sentDateTime,isDraft,isRead,hasAttachments,uniqueBody';
/** Messages shown per thread: the newest ones when a thread is longer. */
export const THREAD_MAX_MESSAGES = 50;
/** Least body text a message keeps when the thread's budget is shared out. */
const MIN_SHARE = 300;

type Address = { emailAddress?: { name?: string; address?: string } };

interface GraphThreadMessage {
  id: string;
  conversationId?: string;
  subject?: string;
  from?: Address;
  toRecipients?: Address[];
  ccRecipients?: Address[];
  receivedDateTime?: string;
  sentDateTime?: string;
  isDraft?: boolean;
  isRead?: boolean;
  hasAttachments?: boolean;
  uniqueBody?: { contentType?: string; content?: string };
  attachments?: Array<{ name?: string; isInline?: boolean }>;
  'attachments@odata.nextLink'?: string;
}

export interface ThreadMessage {
  id: string;
  from?: string;
  to?: string[];
  cc?: string[];
  date: string;
  flags?: string[];
  attachments?: string[];
  body: { untrusted: true; text: string; total_chars: number; truncated?: boolean; quote_dropped?: boolean; hidden_removed?: number; invisible_removed?: number; withheld_words?: number; renderer?: 'builtin' | 'browser'; renderer_note?: string };
}

export interface Thread {
  subject: string;
  conversation_id: string;
  message_count: number;
  /** Older messages left out (past THREAD_MAX_MESSAGES). */
  earlier_omitted?: number;
  messages: ThreadMessage[];
  /** Some bodies were cut to fit max_chars. */
  truncated?: boolean;
}

/** `Name <address>`, cleaned, or just one of them. */
function person(r: Address | undefined): string | undefined {
  const name = cleanOptional(r?.emailAddress?.name, 'name');
  const address = cleanOptional(r?.emailAddress?.address, 'address');
  if (!address) return name;
  return name && name.toLowerCase() !== address.toLowerCase() ? `${name} <${address}>` : address;
}

function people(list: Address[] | undefined): string[] {
  return (list ?? []).map(person).filter((p): p is string => !!p);
}

/** Shares `budget` characters among texts: short ones keep everything, long ones split what is left evenly. */
export function shareBudget(lengths: readonly number[], budget: number): number[] {
  const caps = lengths.map(() => 0);
  let left = budget;
  let open = lengths.map((_, i) => i);
  while (open.length) {
    const share = Math.max(MIN_SHARE, Math.floor(left / open.length));
    const fits = open.filter((i) => (lengths[i] as number) <= share);
    if (fits.length === 0) {
      for (const i of open) caps[i] = share;
      break;
    }
    for (const i of fits) {
      caps[i] = lengths[i] as number;
      left -= lengths[i] as number;
    }
    open = open.filter((i) => !fits.includes(i));
  }
  return caps;
}

/**
 * The visible text of each body in a thread, without what it quotes of earlier ones, cut so that all of them
 * together fit `maxChars` (short ones whole, long ones sharing the rest): mail messages and group posts alike.
 */
export async function sharedBodies(raw: ReadonlyArray<{ contentType?: string; content?: string } | undefined>, maxChars: number): Promise<{ bodies: Array<ThreadMessage['body']>; truncated: boolean }> {
  const visible = await Promise.all(
    raw.map(async (b) => {
      const v = await visibleBody(b);
      const quoted = v.quotedFrom !== undefined;
      return { v, text: (quoted ? v.text.slice(0, v.quotedFrom) : v.text).trim(), quoted };
    }),
  );
  const caps = shareBudget(visible.map((x) => x.text.length), maxChars);
  let truncated = false;
  const bodies = visible.map(({ v, text, quoted }, i) => {
    const cut = truncateText(text, caps[i] as number);
    truncated ||= cut.truncated;
    // An empty body still says so: the schema wants text, and compact() would drop ''.
    return compact({ untrusted: true as const, text: cut.text || '(no text)', total_chars: text.length, truncated: cut.truncated, quote_dropped: quoted, hidden_removed: v.hiddenRemoved, invisible_removed: v.invisibleRemoved, ...rendererFields(v) });
  });
  return { bodies, truncated };
}

/** The id names neither a message nor a conversation with messages. */
export class ThreadNotFoundError extends UserFacingError {
  override name = 'ThreadNotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('thread_not_found', message, options);
  }
}

/** Conversation reads for one mailbox. */
export class ThreadService {
  constructor(
    private readonly graph: GraphClient,
    private readonly handles: HandleStore,
    private readonly timeZone: () => string,
  ) {}

  /** The conversation of a message (or a conversation id), oldest first, bodies within `maxChars` in total. */
  async readThread(idArg: string, maxChars: number, signal?: AbortSignal): Promise<Thread> {
    const id = await this.handles.resolve(idArg, 'id', 'message');
    const conversationId = await this.conversationOf(id, signal);
    const { items: all } = await this.graph.getAll<GraphThreadMessage>(
      this.graph.mailbox`/messages`,
      {
        query: [
          ['$filter', `conversationId eq ${odataString(conversationId)}`],
          ['$select', THREAD_SELECT],
          ['$expand', 'attachments($select=name,isInline)'],
          ['$top', '50'],
        ],
        signal,
      },
      { maxPages: 20 },
    );
    // A message without an id cannot be referred to: shown are those that have one.
    const items = identified(all).items;
    if (items.length === 0) throw new ThreadNotFoundError(`id: no messages in this conversation. Pass a message id from a list or search result (or the conversation id ol_email_read shows).`);
    const when = (m: GraphThreadMessage) => Date.parse(stringOr(m.sentDateTime) ?? stringOr(m.receivedDateTime) ?? '') || 0;
    const sorted = items.sort((a, b) => when(a) - when(b));
    const shown = sorted.slice(-THREAD_MAX_MESSAGES);
    // uniqueBody leaves out the quoted earlier messages; some clients still quote inline, and that goes too.
    const { bodies, truncated } = await sharedBodies(shown.map((m) => m.uniqueBody), maxChars);
    const handles = await this.handles.handlesFor([...shown.map((m) => m.id), conversationId]);
    const zone = this.timeZone();
    const messages = shown.map((m, i): ThreadMessage => {
      const at = m.isDraft ? m.sentDateTime ?? m.receivedDateTime : m.receivedDateTime ?? m.sentDateTime;
      const files = objectsOf<NonNullable<GraphThreadMessage['attachments']>[number]>(m.attachments).filter((a) => !a.isInline).map((a) => cleanUntrusted(a.name, 'filename') || '(unnamed)');
      if (m['attachments@odata.nextLink']) files.push('(more attachments: open the message)');
      return compact({
        id: handles[i] ?? m.id,
        from: person(m.from),
        to: people(m.toRecipients),
        cc: people(m.ccRecipients),
        date: graphInstant(at, zone) ?? '(no date)',
        flags: [m.isDraft && 'draft', m.isRead === false && 'unread'].filter((f): f is string => !!f),
        attachments: files,
        body: bodies[i] as ThreadMessage['body'],
      }) as ThreadMessage;
    });
    const root = sorted[0];
    return compact({
      subject: cleanUntrusted(root?.subject, 'subject') || '(no subject)',
      conversation_id: handles[shown.length] ?? conversationId,
      message_count: sorted.length,
      earlier_omitted: sorted.length > shown.length ? sorted.length - shown.length : undefined,
      messages,
      truncated,
    }) as Thread;
  }

  /** The conversation a message belongs to; an id that is no message is taken as a conversation id (ol_email_read shows those). */
  private async conversationOf(id: string, signal?: AbortSignal): Promise<string> {
    try {
      const m = await this.graph.get<{ conversationId?: string }>(this.graph.mailbox`/messages/${id}`, { query: [['$select', 'conversationId']], signal });
      return m.conversationId ?? id;
    } catch (err) {
      if (err instanceof GraphError && (err.code === 'ErrorItemNotFound' || err.code === 'ErrorInvalidIdMalformed')) return id;
      throw err;
    }
  }
}
