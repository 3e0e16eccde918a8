/**
 * Output schemas shared by several tools. They are part of what the model sees
 * in tools/list, so they carry no descriptions: field names say enough.
 */
import { z } from 'zod';

export const messageSummaryShape = {
  id: z.string(),
  received: z.string(),
  from: z.string().optional(),
  subject: z.string(),
  flags: z.array(z.string()).optional(),
};

export const messageSummary = z.object(messageSummaryShape);

export const messageList = z.object({
  messages: z.array(messageSummary),
  next_cursor: z.string().optional(),
  skipped: z.number().optional(),
});

export const eventSummaryShape = {
  id: z.string(),
  subject: z.string(),
  start: z.string(),
  end: z.string(),
  flags: z.array(z.string()).optional(),
  show_as: z.string().optional(),
  location: z.string().optional(),
  organizer: z.string().optional(),
  my_response: z.string().optional(),
  attendees: z.array(z.string()).optional(),
  attendee_count: z.number().optional(),
};

export const eventSummary = z.object(eventSummaryShape);

/** A body of external content: always flagged untrusted. */
export const untrustedBody = z.object({
  untrusted: z.literal(true),
  text: z.string(),
  total_chars: z.number(),
  truncated: z.boolean().optional(),
  hidden_removed: z.number().optional(),
  invisible_removed: z.number().optional(),
  /** Words withheld because the builtin renderer could not determine whether they are visible. */
  withheld_words: z.number().optional(),
  renderer: z.enum(['builtin', 'browser']).optional(),
  /** Why the configured renderer was not used (the browser failed or is missing). */
  renderer_note: z.string().optional(),
});
