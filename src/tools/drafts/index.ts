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

export const DRAFT_TOOLS: readonly ToolDef[] = [emailCreateDraft, emailUpdateDraft, emailListDrafts, emailDiscardDraft, calendarCreateEventDraft, calendarDiscardEventDraft] as unknown as readonly ToolDef[];

/** The send tool, kept apart from the draft tools: it alone reaches other people (gate 'send'). */
export const SEND_TOOLS: readonly ToolDef[] = [emailSendDraft] as unknown as readonly ToolDef[];
