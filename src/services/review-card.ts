/**
 * The draft-review card's server side: what the card shows and the send it
 * may trigger.
 *
 * - `review` is the model-visible summary (ol_email_review_draft): it names
 *   the draft, never carries an approval.
 * - `view` (app-only) reads the draft to the end (every recipient, every
 *   attachment page), renders the body with our visible-text renderer and,
 *   when send is enabled, mints a one-time approval bound to this profile,
 *   this draft and the digest of exactly what is shown (channel `card`).
 * - `send` (app-only) verifies that approval and hands the send to the one
 *   send path (`SendService.sendApproved`), which re-reads the draft and
 *   compares the whole digest just before `POST /send`.
 */
import type { HandleStore } from '../handles/handle-store.js';
import { visibleBody } from './body.js';
import { domainOf } from './shape.js';
import { formatSize } from './send.js';
import type { SendService } from './send.js';
import type { DraftService } from './drafts.js';
import type { ApprovalService } from '../approval/approval.js';
import { ApprovalError } from '../approval/approval.js';
import type { OutgoingDraft } from '../approval/digest.js';
import { cleanUntrusted } from '../text/untrusted.js';
import type { CardRecipient, CardSendResult, CardView } from '../apps/card-contract.js';

/** The card shows this much body text; more is cut with a note saying how much. */
const CARD_BODY_CHARS = 100_000;

export interface ReviewCardServiceOptions {
  handles: HandleStore;
  drafts: DraftService;
  send: SendService;
  /** Undefined when send is off: the card then offers Discard and Open in Outlook only. */
  approvals?: ApprovalService;
}

/** What the model sees of a draft under review. */
export interface DraftReview {
  draft_id: string;
  subject: string;
  to: string[];
  cc: string[];
  bcc: string[];
  attachments: string[];
  web_url?: string;
  summary: string;
}

/** The card's view and, with send on, its approval (delivered in the app-only result's `_meta`). */
export interface CardViewResult {
  view: CardView;
  approval?: string;
}

function recipient(address: string, ownDomain: string | undefined): CardRecipient {
  const display = cleanUntrusted(address, 'name');
  const domain = domainOf(address);
  return { display, address: display, domain, external: !!(ownDomain && domain && domain !== ownDomain) };
}

/** Reads drafts for the review card and sends what the card's approval covers. */
export class ReviewCardService {
  constructor(private readonly o: ReviewCardServiceOptions) {}

  /** True when this profile can send (and so the card offers Send). */
  get canSend(): boolean {
    return this.o.approvals !== undefined;
  }

  /** The model-visible summary of an own draft. */
  async review(draftIdArg: string, signal?: AbortSignal): Promise<DraftReview> {
    const { id } = await this.o.drafts.owned(draftIdArg, 'mail', signal);
    const prepared = await this.o.send.prepare(id, signal);
    const s = prepared.summary;
    return {
      draft_id: await this.o.handles.handleFor(id),
      subject: s.subject,
      to: s.to,
      cc: s.cc,
      bcc: s.bcc,
      attachments: s.attachments.map((a) => `${a.name} (${formatSize(a.size)})`),
      web_url: s.webLink,
      summary: prepared.text,
    };
  }

  /** The card's view of an own draft, with a fresh approval of exactly that version when send is on. */
  async view(draftIdArg: string, signal?: AbortSignal): Promise<CardViewResult> {
    const { id } = await this.o.drafts.owned(draftIdArg, 'mail', signal);
    const prepared = await this.o.send.prepare(id, signal);
    const { outgoing, summary } = prepared;
    const own = summary.ownDomain;
    const text = (await visibleBody(outgoing.body, { markQuotes: true })).text;
    const cut = text.length > CARD_BODY_CHARS;
    const approval = this.o.approvals ? await this.o.approvals.mint({ draftId: id, digest: prepared.digest, channel: 'card' }) : undefined;
    const view: CardView = {
      draft_id: await this.o.handles.handleFor(id),
      subject: cleanUntrusted(summary.subject, 'subject'),
      from: summary.from ? recipient(summary.from, own) : undefined,
      to: summary.to.map((a) => recipient(a, own)),
      cc: summary.cc.map((a) => recipient(a, own)),
      bcc: summary.bcc.map((a) => recipient(a, own)),
      body: cut ? text.slice(0, CARD_BODY_CHARS) : text,
      body_note: cut ? `(+${text.length - CARD_BODY_CHARS} characters not shown here; open the draft in Outlook to read all of it.)` : undefined,
      attachments: attachmentsOf(outgoing),
      web_url: summary.webLink,
      can_send: approval !== undefined,
      send_note: approval
        ? 'Send delivers exactly what is shown here, now, under your name. If the draft changes first, nothing is sent and this card shows the new version.'
        : 'Sending from this card is off (OUTLOOK_ALLOW_SEND is not true). Send the draft from Outlook.',
      sent: false,
    };
    return { view, approval };
  }

  /** Sends the draft the approval was minted for, if it is still exactly that version. */
  async sendApproved(draftIdArg: string, token: string, signal?: AbortSignal): Promise<CardSendResult> {
    const approvals = this.o.approvals;
    if (!approvals) throw new ApprovalError('foreign-profile', 'Not sent: sending is off for this profile (OUTLOOK_ALLOW_SEND is not true).');
    const { id } = await this.o.drafts.owned(draftIdArg, 'mail', signal);
    const handle = await this.o.handles.handleFor(id);
    const claim = await approvals.verify(token);
    if (claim.channel !== 'card') throw new ApprovalError('tampered', 'Not sent: that approval was not issued to the review card.');
    if (claim.draftId !== id) throw new ApprovalError('wrong-draft', 'Not sent: that approval is for a different draft.');
    const r = await this.o.send.sendApproved({ draftId: id, digest: claim.digest, channel: 'card' }, signal);
    return r.sent
      ? { draft_id: handle, status: 'sent', sent: true, note: 'Sent. A copy is in Sent Items.' }
      : { draft_id: handle, status: 'changed', sent: false, note: 'Not sent: the draft changed after this card showed it. Here is the current version; press Send again if it is right.' };
  }
}

function attachmentsOf(outgoing: OutgoingDraft): CardView['attachments'] {
  return outgoing.attachments.map((a) => ({ name: cleanUntrusted(a.name, 'filename'), size: a.size, size_label: formatSize(a.size) }));
}
