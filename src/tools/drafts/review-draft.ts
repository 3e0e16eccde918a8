/**
 * ol_email_review_draft: shows the user one of this profile's drafts as it
 * would go out. In a host that renders MCP Apps the result opens the review
 * card (recipients, body, attachments; Send when send is enabled); anywhere
 * else the text is the same summary the send prompt shows. Read-only: it
 * never carries an approval (the card gets its own through an app-only tool).
 */
import { idArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { draftDepsOf } from '../../services/draft-services.js';
import { draftReview } from '../../services/review-card.js';
import { SHOWS_REVIEW_CARD } from '../../apps/tool-meta.js';
import { mailDraftOutput } from './common.js';

export const emailReviewDraft = defineTool({
  name: 'ol_email_review_draft',
  title: 'Show a mail draft for review',
  description: "Shows one of this profile's drafts to the user exactly as it would go out (a review card where the client supports it). Sends nothing.",
  toolset: 'mail',
  gate: 'drafts',
  mailbox: true,
  input: strictInput({ draft_id: idArg('draft') }),
  // The same shape as a created or updated draft: what the model already knows how to read.
  output: mailDraftOutput,
  annotations: READ_ONLY,
  meta: SHOWS_REVIEW_CARD,
  async handler(args, { deps, signal, appsClient }) {
    const p = await draftDepsOf(deps).send.prepare(args.draft_id, signal);
    const note = !appsClient
      ? 'Not sent. The user can review and send it in Outlook.'
      : deps.config.allowSend
        ? "Shown to the user in a review card; only the user can send it, with the card's Send button."
        : 'Shown to the user in a review card. Sending is off here, so the user sends it from Outlook.';
    const r = draftReview(p, note);
    // Headers only: the body is the agent's own text (or quoted mail), not worth its tokens again.
    const lines = [`Draft ${r.draft_id} (not sent): ${r.subject || '(no subject)'}`, `To: ${r.to.join(', ') || '—'}`];
    if (r.cc.length) lines.push(`Cc: ${r.cc.join(', ')}`);
    if (r.bcc.length) lines.push(`Bcc: ${r.bcc.join(', ')}`);
    lines.push(`Attachments: ${r.attachments.length ? r.attachments.join(', ') : 'none'}`);
    if (r.web_url) lines.push(`Open in Outlook: ${r.web_url}`);
    lines.push(note);
    return { structured: r, text: lines.join('\n') };
  },
});
