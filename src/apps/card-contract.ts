/**
 * What the review card and the server agree on: tool names, the result
 * shapes the card renders, and where the approval travels. Types and
 * constants only: the card bundles this file into the browser.
 */

/** The MCP Apps extension id a client declares to render cards. */
export const APPS_EXTENSION = 'io.modelcontextprotocol/ui';
/** The MIME type of an MCP App HTML resource. */
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** The card's resource URI, linked from the tools that show it. */
export const REVIEW_CARD_URI = 'ui://mcp-server-outlook/draft-review.html';

/** App-only: the draft as the card shows it, plus (with send on) a one-time approval in the result `_meta`. */
export const CARD_VIEW_TOOL = 'ol_email_card_view';
/** App-only: sends the draft the approval was issued for, if it is still exactly that version. */
export const CARD_SEND_TOOL = 'ol_email_card_send';
/** The card's Discard button calls the ordinary discard tool. */
export const DISCARD_TOOL = 'ol_email_discard_draft';
/**
 * The result `_meta` key of the approval. It rides in `_meta` of an app-only
 * tool's result, not in its content or structuredContent: hosts hand app-only
 * results to the card, and a host that wrongly showed one to the model would
 * still be showing content, not `_meta`.
 */
export const APPROVAL_META = 'io.github.mcp-server-outlook/approval';

export interface CardRecipient {
  /** `Name <address>`, cleaned of invisible and control characters. */
  display: string;
  address: string;
  domain?: string;
  /** The domain differs from the signed-in user's. */
  external: boolean;
}

export interface CardAttachment {
  name: string;
  size?: number;
  size_label: string;
}

/** Another mailbox than the signed-in person's own that the draft is in (and goes out from). */
export interface CardMailbox {
  /** Its address, as the server opened it. */
  address: string;
  /** What it is, from Graph: `shared mailbox`, `another person's own mailbox, as their delegate`, … */
  label: string;
}

export interface CardView {
  draft_id: string;
  subject: string;
  from?: CardRecipient;
  /** Set when the draft is in another mailbox (OUTLOOK_ALLOW_SHARED_MAILBOXES): the From line says which kind. */
  mailbox?: CardMailbox;
  to: CardRecipient[];
  cc: CardRecipient[];
  bcc: CardRecipient[];
  /** The body as visible text (our renderer, never the raw HTML). */
  body: string;
  /** Set when the body is cut for the card, saying how much is not shown. */
  body_note?: string;
  attachments: CardAttachment[];
  web_url?: string;
  /** Send is enabled for this profile and this card holds an approval for this version. */
  can_send: boolean;
  /** Why there is no Send button, or what Send does. */
  send_note: string;
  sent: boolean;
}

export type CardSendStatus = 'sent' | 'changed' | 'refused';

export interface CardSendResult {
  draft_id: string;
  status: CardSendStatus;
  sent: boolean;
  note: string;
}
