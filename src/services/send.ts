/**
 * Sending one of this profile's drafts: the only code path in the product
 * that reaches other people. This service knows nothing of MCP; the gate that
 * asks the human (elicitation on either protocol era, or the review card)
 * lives with the tools and calls, in this order:
 *
 * 1. `prepare`: ownership (registry, then the Graph tag, kind mail) through
 *    `DraftService.owned` (a foreign id is refused before any Graph request),
 *    then a fresh read of everything that would go out, every attachment
 *    included (paged), its digest, and the summary the human is shown;
 * 2. the human approves that digest (src/approval/: signed, single-use,
 *    expiring, and the draft is locked against our own update/discard);
 * 3. `sendApproved`: a re-read just before the send; if the digest differs
 *    from the approved one, nothing is sent; then one
 *    `POST /messages/{id}/send`, never retried, and the record is removed.
 *
 * Graph has no conditional send (no If-Match on /send), so a person editing
 * the draft in Outlook between the re-read and the POST is the one residual
 * race (docs/SEND.md). A second call after a lost answer finds the message no
 * longer a draft and refuses, so a retry never sends twice.
 */
import type { GraphClient } from '../graph/client.js';
import { GraphError } from '../graph/errors.js';
import type { HandleStore } from '../handles/handle-store.js';
import type { DraftRegistry } from '../drafts/registry.js';
import { DraftStateError } from '../drafts/errors.js';
import { stripInvisible } from '../text/invisible.js';
import { outgoingDigest, type OutgoingDraft, type OutgoingRecipient } from '../approval/digest.js';
import type { ApprovalChannel } from '../approval/approvals.js';
import { cleanUntrusted } from '../text/untrusted.js';
import { visibleBody } from './body.js';
import type { DraftService } from './drafts.js';
import { domainOf, formatRecipient, type GraphRecipient } from './shape.js';
import { mailboxProblem } from '../drafts/validate.js';
import { mailboxKindLabel, type MailboxKind, type MailboxKindReader } from './mailbox-kind.js';

export type SendStatus = 'sent' | 'declined' | 'cancelled' | 'changed';

/** The outcome of a send attempt, naming exactly the version that was approved. */
export interface SendDraftResult {
  draft_id: string;
  status: SendStatus;
  sent: boolean;
  subject: string;
  to: string[];
  cc: string[];
  bcc: string[];
  attachments: string[];
  web_url?: string;
  /** How the human approved: `elicit`, `card`, or `client` (the client's own tool-approval prompt). */
  approved_by?: string;
  note: string;
}

export interface SendServiceOptions {
  graph: GraphClient;
  handles: HandleStore;
  registry: DraftRegistry;
  drafts: DraftService;
  /** Set when the drafts are in another mailbox than the signed-in person's (OUTLOOK_ALLOW_SHARED_MAILBOXES): the prompt says so. */
  mailboxAddress?: string;
  /** Whether that mailbox is shared or another person's (read once from Graph): the prompt and the card say which. */
  mailboxKind?: MailboxKindReader;
}

/** A draft read for sending: what would go out, its digest, and what the human is shown. */
export interface PreparedSend {
  /** The Graph id. */
  readonly id: string;
  readonly handle: string;
  readonly outgoing: OutgoingDraft;
  readonly digest: string;
  readonly summary: SendSummary;
}

interface DraftSnapshot {
  id: string;
  changeKey?: string;
  isDraft?: boolean;
  subject?: string;
  webLink?: string;
  from?: GraphRecipient;
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  bccRecipients?: GraphRecipient[];
  body?: { contentType?: string; content?: string };
}

interface GraphAttachmentMeta {
  id?: string;
  name?: string;
  size?: number;
  contentType?: string;
  isInline?: boolean;
}

/** What the user is asked to approve; built from one read of the draft. */
export interface SendSummary {
  readonly changeKey?: string;
  readonly from: string;
  readonly to: readonly OutgoingRecipient[];
  readonly cc: readonly OutgoingRecipient[];
  readonly bcc: readonly OutgoingRecipient[];
  readonly subject: string;
  readonly attachments: ReadonlyArray<{ name: string; size?: number }>;
  readonly bodyLines: string[];
  /** Lines and characters of the visible body not shown in `bodyLines` (0 when all of it is shown). */
  readonly bodyMoreLines: number;
  readonly bodyMoreChars: number;
  readonly webLink?: string;
  /** The signed-in user's domain; recipients elsewhere are marked external. */
  readonly ownDomain?: string;
  /** The other mailbox the mail goes out from (shared or delegated), when it is not the signed-in person's own. */
  readonly otherMailbox?: string;
  /** What that mailbox is, from Graph (`unknown` when Graph would not say). */
  readonly otherMailboxKind?: MailboxKind;
}

const BODY_LINES = 6;
const BODY_CHARS = 600;

/**
 * `Name <address>` as a person approving a send sees it: only the display name is capped, the address is
 * shown whole (prepare refuses addresses that are not mailboxes of at most 254 characters, so the cleaner's
 * 320 cap never cuts one), and the EXTERNAL mark takes its domain from the raw address, never from a line
 * that could have been cut.
 */
export function recipientLabel(r: OutgoingRecipient, ownDomain: string | undefined): string {
  const line = recipientLine(r);
  const d = domainOf(r.address);
  return ownDomain && d && d !== ownDomain ? `${line} [EXTERNAL: ${cleanUntrusted(d, 'address')}]` : line;
}

/** Human-readable size (B, KB, MB). */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return 'size unknown';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Body lines are untrusted: the prompt shows them without control or invisible characters (tabs kept); one-line fields go through cleanUntrusted. */
function clean(text: string): string {
  return stripInvisible(text).text.replace(/\p{Cc}/gu, (c) => (c === '\t' ? c : ' '));
}

/** `Name <address>`, cleaned: the name capped, the address whole. */
export const recipientLine = (r: OutgoingRecipient): string => formatRecipient({ emailAddress: { name: r.name, address: r.address } }) ?? cleanUntrusted(r.address, 'address');

/** The elicitation message: exactly what will be sent. */
export function renderSendSummary(s: SendSummary): string {
  const list = (xs: readonly OutgoingRecipient[]) => (xs.length ? xs.map((r) => recipientLabel(r, s.ownDomain)).join(', ') : '—');
  const lines = [
    s.otherMailbox
      ? `Send this email now? It goes out immediately from the mailbox ${cleanUntrusted(s.otherMailbox, 'address')}, not your own.`
      : 'Send this email now? It goes out immediately under your name.',
    `From: ${cleanUntrusted(s.from, 'address')}${s.otherMailbox ? ` (${mailboxKindLabel(s.otherMailboxKind ?? 'unknown')})` : ''}`,
    `To: ${list(s.to)}`,
    `Cc: ${list(s.cc)}`,
    `Bcc: ${list(s.bcc)}`,
    `Subject: ${cleanUntrusted(s.subject, 'subject') || '(no subject)'}`,
    `Attachments: ${s.attachments.length ? `${s.attachments.length}: ` + s.attachments.map((a) => `${cleanUntrusted(a.name, 'filename')} (${formatSize(a.size)})`).join(', ') : 'none'}`,
    s.bodyMoreChars > 0 ? 'Body (first lines):' : 'Body:',
    ...(s.bodyLines.length ? s.bodyLines.map((l) => `  ${l}`) : ['  (empty)']),
  ];
  if (s.bodyMoreChars > 0) lines.push(`  (+${s.bodyMoreLines} more line${s.bodyMoreLines === 1 ? '' : 's'}, ${s.bodyMoreChars} character${s.bodyMoreChars === 1 ? '' : 's'} not shown: read the whole draft in Outlook before you approve)`);
  if (s.webLink) lines.push(`Review it in Outlook: ${s.webLink}`);
  return lines.join('\n');
}

/** Sends this profile's drafts once a human approved exactly what goes out. */
export class SendService {
  constructor(private readonly o: SendServiceOptions) {}

  /** Checks ownership and reads what a send of the draft would deliver, with its digest and the human's summary. */
  async prepare(draftIdArg: string, signal?: AbortSignal): Promise<PreparedSend> {
    // Registry first (no request at all for a foreign id), then tag and kind.
    const { id } = await this.o.drafts.owned(draftIdArg, 'mail', signal);
    const handle = await this.o.handles.handleFor(id);
    const outgoing = await this.readOutgoing(id, signal);
    assertMailboxes(outgoing, handle);
    return { id, handle, outgoing, digest: outgoingDigest(outgoing), summary: await this.summary(outgoing, signal) };
  }

  /** One of this profile's mail drafts (registry and tag checked): its Graph id, handle and Outlook link. */
  async ownedId(draftIdArg: string, signal?: AbortSignal): Promise<{ id: string; handle: string; webLink?: string }> {
    const { id, record, item } = await this.o.drafts.owned(draftIdArg, 'mail', signal);
    return { id, handle: await this.o.handles.handleFor(id), webLink: item.webLink ?? record.webLink };
  }

  /**
   * Sends the draft if, read again now, it is exactly the approved version
   * (same digest); otherwise sends nothing and says what changed. Never retried.
   */
  async sendApproved(input: { id: string; handle: string; digest: string; channel: ApprovalChannel | 'client' }, signal?: AbortSignal): Promise<SendDraftResult> {
    const { graph } = this.o;
    const now = await this.readOutgoing(input.id, signal);
    const base = resultBase(input.handle, now, input.channel);
    if (outgoingDigest(now) !== input.digest) {
      return {
        ...base,
        status: 'changed',
        sent: false,
        note: 'Not sent: the draft changed after the user approved it, so the approval does not cover what would go out now. Call ol_email_send_draft again to ask about the current version.',
      };
    }
    await graph.request('POST', graph.mailbox`/messages/${input.id}/send`, { signal, idempotent: false });
    // Sent is sent: a registry hiccup must not report failure (the agent would try again). A later call
    // finds the message no longer a draft and refuses, so the stale record cannot cause a second send.
    await this.o.registry.remove(input.id).catch(() => undefined);
    return { ...base, status: 'sent', sent: true, note: 'Sent, exactly as approved. A copy is in Sent Items.' };
  }

  /** The result of a prompt the user declined or cancelled, naming the version they were shown. */
  declined(prepared: Pick<PreparedSend, 'handle' | 'outgoing'>, action: 'decline' | 'cancel', channel: ApprovalChannel): SendDraftResult {
    const status: SendStatus = action === 'cancel' ? 'cancelled' : 'declined';
    return {
      ...resultBase(prepared.handle, prepared.outgoing, channel),
      status,
      sent: false,
      note: `Not sent: the user ${status === 'cancelled' ? 'cancelled the confirmation' : 'declined'}. The draft is unchanged in Outlook; do not retry unless the user asks.`,
    };
  }

  /** Everything a send would deliver, read fresh; refuses when the message is gone or no longer a draft. */
  async readOutgoing(id: string, signal?: AbortSignal): Promise<OutgoingDraft> {
    const { graph } = this.o;
    let m: DraftSnapshot;
    let items: GraphAttachmentMeta[];
    try {
      // Attachments first, the message (and its changeKey) last: the read just before POST /send then ends
      // with the request that any edit, attachments included, changes, which keeps the residual window to
      // one round trip.
      // Every attachment, however Graph pages them: the human approves all of them, not the first page.
      ({ items } = await graph.getAll<GraphAttachmentMeta>(graph.mailbox`/messages/${id}/attachments`, { query: [['$select', 'id,name,size,contentType,isInline']], signal }));
      m = await graph.get<DraftSnapshot>(graph.mailbox`/messages/${id}`, {
        query: [['$select', 'id,isDraft,changeKey,subject,webLink,from,toRecipients,ccRecipients,bccRecipients,body']],
        signal,
      });
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) {
        await this.o.registry.remove(id);
        throw new DraftStateError('Not sent: that draft no longer exists in the mailbox (deleted or already sent).');
      }
      throw err;
    }
    if (m.isDraft === false) {
      await this.o.registry.remove(id);
      throw new DraftStateError('Not sent by this call: that message is no longer a draft (it was already sent). Check Sent Items in Outlook.');
    }
    const recipients = (list: GraphRecipient[] | undefined): OutgoingRecipient[] =>
      (list ?? []).flatMap((r) => (r.emailAddress?.address ? [{ name: r.emailAddress.name ?? undefined, address: r.emailAddress.address }] : []));
    return {
      id,
      changeKey: m.changeKey,
      from: m.from?.emailAddress?.address ? { name: m.from.emailAddress.name ?? undefined, address: m.from.emailAddress.address } : undefined,
      to: recipients(m.toRecipients),
      cc: recipients(m.ccRecipients),
      bcc: recipients(m.bccRecipients),
      subject: m.subject ?? '',
      body: { contentType: m.body?.contentType ?? 'text', content: m.body?.content ?? '' },
      attachments: items.map((a, i) => ({ id: a.id ?? `#${i}`, name: a.name ?? '(unnamed)', size: a.size, contentType: a.contentType, isInline: a.isInline })),
      webLink: m.webLink,
    };
  }

  private async summary(d: OutgoingDraft, signal?: AbortSignal): Promise<SendSummary> {
    const { graph } = this.o;
    const me = await graph.get<{ mail?: string; userPrincipalName?: string }>(graph.root, { query: [['$select', 'mail,userPrincipalName,displayName']], signal });
    const ownAddress = me.mail ?? me.userPrincipalName;
    const text = (await visibleBody(d.body, { markQuotes: true, builtin: true })).text.replace(/\n{3,}/g, '\n\n').trim();
    const all = text === '' ? [] : text.split('\n').map((l) => clean(l.trimEnd()));
    const shown: string[] = [];
    let chars = 0;
    for (const line of all) {
      if (shown.length >= BODY_LINES || chars + line.length > BODY_CHARS) break;
      shown.push(line);
      chars += line.length + 1;
    }
    const shownChars = shown.reduce((n, l) => n + l.length + 1, 0);
    const totalChars = all.reduce((n, l) => n + l.length + 1, 0);
    return {
      changeKey: d.changeKey,
      from: d.from ? recipientLine(d.from) : (ownAddress ?? '(your mailbox)'),
      to: d.to,
      cc: d.cc,
      bcc: d.bcc,
      subject: d.subject,
      attachments: d.attachments.map((a) => ({ name: a.name, size: a.size })),
      bodyLines: shown,
      bodyMoreLines: all.length - shown.length,
      bodyMoreChars: Math.max(0, totalChars - shownChars),
      webLink: d.webLink,
      ownDomain: ownAddress ? domainOf(ownAddress) : undefined,
      ...(this.o.mailboxAddress ? { otherMailbox: this.o.mailboxAddress, otherMailboxKind: (await this.o.mailboxKind?.kind(signal)) ?? 'unknown' } : {}),
    };
  }
}

/**
 * Refuses to ask about a draft that holds an address mail cannot be sent to as shown (edited in Outlook or
 * written before create/update checked addresses): too long to show whole, or with invisible characters.
 */
function assertMailboxes(d: OutgoingDraft, handle: string): void {
  for (const [field, list] of [['To', d.to], ['Cc', d.cc], ['Bcc', d.bcc]] as const) {
    for (const r of list) {
      const problem = mailboxProblem(r.address);
      if (!problem) continue;
      const shown = cleanUntrusted(r.address, 'address');
      throw new DraftStateError(
        `Not sent: the ${field} address ${JSON.stringify(shown.length > 100 ? `${shown.slice(0, 60)}…${shown.slice(-40)}` : shown)} of draft ${handle} is not a valid email address (${problem}), so it cannot be shown whole for approval. Correct it with ol_email_update_draft or in Outlook, then send again.`,
      );
    }
  }
}

function resultBase(handle: string, d: OutgoingDraft, channel: string): Omit<SendDraftResult, 'status' | 'sent' | 'note'> {
  return {
    draft_id: handle,
    subject: cleanUntrusted(d.subject, 'subject'),
    to: d.to.map(recipientLine),
    cc: d.cc.map(recipientLine),
    bcc: d.bcc.map(recipientLine),
    attachments: d.attachments.map((a) => `${cleanUntrusted(a.name, 'filename')} (${formatSize(a.size)})`),
    web_url: d.webLink,
    approved_by: channel,
  };
}
