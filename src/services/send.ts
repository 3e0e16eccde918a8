/**
 * Sending one of this profile's drafts: the only code path in the product
 * that reaches other people. Order matters and is the design:
 *
 * 1. ownership (registry, then the Graph tag, kind mail) through
 *    `DraftService.owned`: a foreign id is refused before any Graph request;
 * 2. a fresh read of exactly what would be sent (changeKey included);
 * 3. the human gate: an elicitation showing that summary (mode `elicit`), or
 *    the client's own tool-approval prompt (mode `client`);
 * 4. after approval, a re-read: a changed changeKey means the user approved
 *    something else, so nothing is sent;
 * 5. one `POST /messages/{id}/send`, never retried, then the record is removed.
 *
 * A second call after a lost answer finds the message no longer a draft and
 * refuses, so a retry never sends twice.
 */
import type { GraphClient } from '../graph/client.js';
import { GraphError } from '../graph/errors.js';
import type { HandleStore } from '../handles/handle-store.js';
import type { DraftRegistry } from '../drafts/registry.js';
import type { SendConfirmation } from '../config/config.js';
import { DraftStateError, SendConfirmationUnavailableError } from '../drafts/errors.js';
import { stripInvisible } from '../text/invisible.js';
import type { AuditOutcome } from '../audit/audit-log.js';
import type { ElicitAnswer, ElicitRequest } from '../tools/define.js';
import { visibleBody } from './body.js';
import type { DraftService } from './drafts.js';
import { domainOf, formatRecipient, formatRecipients, type GraphRecipient } from './shape.js';

export type SendStatus = 'sent' | 'declined' | 'cancelled' | 'changed';

export interface SendDraftResult {
  draft_id: string;
  status: SendStatus;
  sent: boolean;
  subject: string;
  to: string[];
  cc: string[];
  bcc: string[];
  web_url?: string;
  note: string;
}

/** How the tool reaches the user and the audit log for this call. */
export interface SendGate {
  readonly elicit?: (request: ElicitRequest) => Promise<ElicitAnswer>;
  readonly audit?: (outcome: AuditOutcome, fields: { itemId?: string; subject?: string; recipients?: readonly string[] }) => Promise<void>;
}

export interface SendServiceOptions {
  graph: GraphClient;
  handles: HandleStore;
  registry: DraftRegistry;
  drafts: DraftService;
  confirmation: SendConfirmation;
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

/** What the user is asked to approve; built from one read of the draft. */
export interface SendSummary {
  readonly changeKey?: string;
  readonly from: string;
  readonly to: string[];
  readonly cc: string[];
  readonly bcc: string[];
  readonly subject: string;
  readonly attachments: ReadonlyArray<{ name: string; size?: number }>;
  readonly bodyLines: string[];
  readonly webLink?: string;
  /** The signed-in user's domain; recipients elsewhere are marked external. */
  readonly ownDomain?: string;
}

const BODY_LINES = 6;
const BODY_CHARS = 600;

/** `Name <a@b>` plus an EXTERNAL mark when the domain differs from the user's. */
export function markExternal(address: string, ownDomain: string | undefined): string {
  const d = domainOf(address);
  return ownDomain && d && d !== ownDomain ? `${address} [EXTERNAL: ${d}]` : address;
}

/** Human-readable size (B, KB, MB). */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return 'size unknown';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Mail content is untrusted: the prompt shows it without control or invisible characters. */
function clean(text: string): string {
  return stripInvisible(text).text.replace(/\p{Cc}/gu, (c) => (c === '\t' ? c : ' '));
}

/** The elicitation message: exactly what will be sent. */
export function renderSendSummary(s: SendSummary): string {
  const list = (xs: readonly string[]) => (xs.length ? xs.map((x) => markExternal(clean(x), s.ownDomain)).join(', ') : '—');
  const lines = [
    'Send this email now? It goes out immediately under your name.',
    `From: ${clean(s.from)}`,
    `To: ${list(s.to)}`,
    `Cc: ${list(s.cc)}`,
    `Bcc: ${list(s.bcc)}`,
    `Subject: ${clean(s.subject) || '(no subject)'}`,
    `Attachments: ${s.attachments.length ? s.attachments.map((a) => `${clean(a.name)} (${formatSize(a.size)})`).join(', ') : 'none'}`,
    'Body (first lines):',
    ...(s.bodyLines.length ? s.bodyLines.map((l) => `  ${l}`) : ['  (empty)']),
  ];
  if (s.webLink) lines.push(`Review it in Outlook: ${s.webLink}`);
  return lines.join('\n');
}

/** Sends this profile's drafts behind a human gate. */
export class SendService {
  constructor(private readonly o: SendServiceOptions) {}

  /** Sends an own draft after approval; see the module comment for the order of checks. */
  async send(draftIdArg: string, gate: SendGate, signal?: AbortSignal): Promise<SendDraftResult> {
    const { graph } = this.o;
    // 1. Ownership: registry first (no request at all for a foreign id), then tag and kind.
    const { id } = await this.o.drafts.owned(draftIdArg, 'mail', signal);
    const handle = await this.o.handles.handleFor(id);
    // 2. What would be sent, now.
    const summary = await this.summary(id, signal);
    const recipients = [...summary.to, ...summary.cc, ...summary.bcc];
    const base = { draft_id: handle, subject: summary.subject, to: summary.to, cc: summary.cc, bcc: summary.bcc, web_url: summary.webLink };

    // 3. The human gate.
    if (this.o.confirmation === 'elicit') {
      if (!gate.elicit) {
        throw new SendConfirmationUnavailableError(
          `Not sent: this MCP client cannot ask you to confirm a send (it does not support elicitation), and OUTLOOK_SEND_CONFIRMATION=elicit requires that. ` +
            `Send the draft yourself from Outlook${summary.webLink ? `: ${summary.webLink}` : ''}, or set OUTLOOK_SEND_CONFIRMATION=client to rely on your client's own approval prompt for each tool call.`,
        );
      }
      const answer = await this.ask(gate.elicit, summary);
      if (answer.action !== 'accept' || answer.content?.confirm !== true) {
        // The server's audit line of this call records the decline/cancel.
        const status: SendStatus = answer.action === 'cancel' ? 'cancelled' : 'declined';
        return { ...base, status, sent: false, note: `Not sent: the user ${status === 'cancelled' ? 'cancelled the confirmation' : 'declined'}. The draft is unchanged in Outlook; do not retry unless the user asks.` };
      }
      await gate.audit?.('approved', { itemId: id, subject: summary.subject, recipients });
      // 4. The approval covers the version shown, nothing else.
      const now = await this.current(id, signal);
      if (now.changeKey !== summary.changeKey) {
        return { ...base, status: 'changed', sent: false, note: 'Not sent: the draft changed after the user was asked, so the approval no longer applies. Call ol_email_send_draft again to ask about the current version.' };
      }
    } else {
      // The client's own per-call approval prompt was the gate; still never send what is no longer a draft.
      await this.current(id, signal);
    }

    // 5. One send, no retry: a repeated POST could deliver the message twice.
    await graph.request('POST', graph.mailbox`/messages/${id}/send`, { signal, idempotent: false });
    // Sent is sent: a registry hiccup must not report failure (the agent would try again). A later call
    // finds the message no longer a draft and refuses, so the stale record cannot cause a second send.
    await this.o.registry.remove(id).catch(() => undefined);
    return { ...base, status: 'sent', sent: true, note: 'Sent. A copy is in Sent Items.' };
  }

  /** Shows the summary to the user; any failure of the prompt (timeout, client error) means "not approved". */
  private async ask(elicit: NonNullable<SendGate['elicit']>, summary: SendSummary): Promise<ElicitAnswer> {
    try {
      return await elicit({
        message: renderSendSummary(summary),
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Send this email', description: 'Tick to send it now exactly as shown.', default: false } },
          required: ['confirm'],
        },
      });
    } catch (err) {
      throw new SendConfirmationUnavailableError(
        `Not sent: the confirmation prompt did not get an answer (${err instanceof Error ? err.message.slice(0, 120) : 'client error'}). ` +
          `Send the draft yourself from Outlook${summary.webLink ? `: ${summary.webLink}` : ''}, or call ol_email_send_draft again when the user is ready to confirm.`,
        { cause: err },
      );
    }
  }

  /** The draft's current changeKey, refusing when it is gone or no longer a draft. */
  private async current(id: string, signal?: AbortSignal): Promise<DraftSnapshot> {
    const { graph } = this.o;
    let m: DraftSnapshot;
    try {
      m = await graph.get<DraftSnapshot>(graph.mailbox`/messages/${id}`, { query: [['$select', 'id,isDraft,changeKey']], signal });
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
    return m;
  }

  private async summary(id: string, signal?: AbortSignal): Promise<SendSummary> {
    const { graph } = this.o;
    const m = await graph.get<DraftSnapshot>(graph.mailbox`/messages/${id}`, {
      query: [['$select', 'id,isDraft,changeKey,subject,webLink,from,toRecipients,ccRecipients,bccRecipients,body']],
      signal,
    });
    if (m.isDraft === false) {
      await this.o.registry.remove(id);
      throw new DraftStateError('Not sent by this call: that message is no longer a draft (it was already sent). Check Sent Items in Outlook.');
    }
    const atts = await graph.getPage<{ name?: string; size?: number }>(graph.mailbox`/messages/${id}/attachments`, { query: [['$select', 'id,name,size']], signal });
    const me = await graph.get<{ mail?: string; userPrincipalName?: string }>(graph.root, { query: [['$select', 'mail,userPrincipalName,displayName']], signal });
    const ownAddress = me.mail ?? me.userPrincipalName;
    const text = (await visibleBody(m.body, { markQuotes: true })).text;
    const bodyLines = text
      .slice(0, BODY_CHARS)
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
      .slice(0, BODY_LINES);
    return {
      changeKey: m.changeKey,
      from: formatRecipient(m.from) ?? ownAddress ?? '(your mailbox)',
      to: formatRecipients(m.toRecipients),
      cc: formatRecipients(m.ccRecipients),
      bcc: formatRecipients(m.bccRecipients),
      subject: m.subject ?? '',
      attachments: atts.items.map((a) => ({ name: a.name ?? '(unnamed)', size: a.size })),
      bodyLines: bodyLines.map(clean),
      webLink: m.webLink,
      ownDomain: ownAddress ? domainOf(ownAddress) : undefined,
    };
  }
}
