/**
 * The draft tools, for `allTools` (all gated on OUTLOOK_ALLOW_DRAFTS), loaded as one on-demand chunk.
 * Each file lives with its toolset (the event drafts in calendar/); this list only groups them by gate.
 */
import type { ToolDef } from '../define.js';
import { emailCreateDraft } from './create-draft.js';
import { emailUpdateDraft } from './update-draft.js';
import { emailListDrafts } from './list-drafts.js';
import { emailDiscardDraft } from './discard-draft.js';
import { calendarCreateEventDraft } from '../calendar/create-event-draft.js';
import { calendarDiscardEventDraft } from '../calendar/discard-event-draft.js';
import { emailSendDraft } from './send-draft.js';
import { emailReviewDraft } from './review-draft.js';
import { emailCardView } from './card-view.js';
import { emailCardSend } from './card-send.js';

export const DRAFT_TOOLS: readonly ToolDef[] = [
  emailCreateDraft,
  emailUpdateDraft,
  emailReviewDraft,
  emailListDrafts,
  emailDiscardDraft,
  // App-only (the review card's): listed and callable only for clients that declare MCP Apps.
  emailCardView,
  calendarCreateEventDraft,
  calendarDiscardEventDraft,
] as unknown as readonly ToolDef[];

/** The send tools, kept apart from the draft tools: they alone reach other people (gate 'send'); the card's is app-only. */
export const SEND_TOOLS: readonly ToolDef[] = [emailSendDraft, emailCardSend] as unknown as readonly ToolDef[];
