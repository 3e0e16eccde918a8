/**
 * What the draft-review card shows, built from one read of everything a send
 * would deliver (`SendService.prepare`: every recipient, every attachment
 * page, the digest). The body is our visible-text rendering of the draft,
 * never its HTML; every one-line string goes through the untrusted-text
 * cleaner. The approval itself is minted by the app-only tool that returns
 * this view (src/tools/drafts/card-view.ts).
 */
import { visibleBody } from './body.js';
import { domainOf } from './shape.js';
import { formatSize, recipientLabel, recipientLine, type PreparedSend, type SendDraftResult } from './send.js';
import type { OutgoingRecipient } from '../approval/digest.js';
import { cleanUntrusted } from '../text/untrusted.js';
import { stripInvisible } from '../text/invisible.js';
import type { CardRecipient, CardView } from '../apps/card-contract.js';
import { mailboxKindLabel } from './mailbox-kind.js';

/** The card shows this much body text; more is cut with a note saying how much. */
export const CARD_BODY_CHARS = 100_000;

/** What the model sees of a draft under review: names and sizes, never an approval. */
export type DraftReview = Pick<SendDraftResult, 'draft_id' | 'subject' | 'to' | 'cc' | 'bcc' | 'attachments' | 'web_url' | 'note'>;

function recipient(r: OutgoingRecipient, ownDomain: string | undefined): CardRecipient {
  // As in the send prompt: name capped, address whole, domain from the raw address.
  const display = recipientLine(r);
  const address = cleanUntrusted(r.address, 'address');
  const raw = domainOf(r.address);
  const domain = raw === undefined ? undefined : cleanUntrusted(raw, 'address');
  return { display, address, domain, external: !!(ownDomain && domain && domain !== ownDomain) };
}

/** The model-visible review of a prepared draft; external recipients are marked as in the send prompt. */
export function draftReview(p: PreparedSend, note: string): DraftReview {
  const s = p.summary;
  const line = (xs: readonly OutgoingRecipient[]) => xs.map((r) => recipientLabel(r, s.ownDomain));
  return {
    draft_id: p.handle,
    subject: cleanUntrusted(s.subject, 'subject'),
    to: line(s.to),
    cc: line(s.cc),
    bcc: line(s.bcc),
    attachments: s.attachments.map((a) => `${cleanUntrusted(a.name, 'filename')} (${formatSize(a.size)})`),
    web_url: s.webLink,
    note,
  };
}

/** The card's view of a prepared draft. `canSend` says whether this card holds an approval for it. */
export async function cardView(p: PreparedSend, canSend: boolean, sendOffReason: string): Promise<CardView> {
  const { outgoing, summary } = p;
  const own = summary.ownDomain;
  // Mail content is untrusted: no invisible or control characters reach the card (tabs and newlines stay).
  const visible = (await visibleBody(outgoing.body, { markQuotes: true, builtin: true })).text;
  const text = stripInvisible(visible).text.replace(/[^\P{Cc}\t\n]/gu, ' ').replace(/\n{3,}/g, '\n\n').trim();
  const cut = text.length > CARD_BODY_CHARS;
  // The same words as the send prompt's From line: which other mailbox, and what kind (from Graph).
  const other = summary.otherMailbox;
  const mailbox = other ? { address: cleanUntrusted(other, 'address'), label: mailboxKindLabel(summary.otherMailboxKind ?? 'unknown') } : undefined;
  return {
    draft_id: p.handle,
    subject: cleanUntrusted(outgoing.subject, 'subject'),
    from: outgoing.from ? recipient(outgoing.from, own) : undefined,
    mailbox,
    to: outgoing.to.map((r) => recipient(r, own)),
    cc: outgoing.cc.map((r) => recipient(r, own)),
    bcc: outgoing.bcc.map((r) => recipient(r, own)),
    body: cut ? text.slice(0, CARD_BODY_CHARS) : text,
    body_note: cut ? `(+${text.length - CARD_BODY_CHARS} characters not shown here: open the draft in Outlook to read all of it before you send.)` : undefined,
    attachments: outgoing.attachments.map((a) => ({ name: cleanUntrusted(a.name, 'filename'), size: a.size, size_label: formatSize(a.size) })),
    web_url: outgoing.webLink,
    can_send: canSend,
    send_note: canSend
      ? `Send delivers exactly what is shown here, now, ${mailbox ? `from ${mailbox.address} (${mailbox.label}), not your own mailbox` : 'under your name'}. If the draft changes first, nothing is sent and this card shows the new version.`
      : sendOffReason,
    sent: false,
  };
}
