/**
 * The demo mailbox of Avery Quinn, a consultant at Contoso: ~180 messages
 * over the last ~90 days and ~45 stored events around the current week,
 * all relative to `now` and identical for the same `now`.
 */
import type { SandboxMailbox, SandboxUser } from '../model.js';
import { createSeedClock } from './clock.js';
import { buildPeople, buildSchedules } from './schedules.js';
import { buildEvents, seedEventId } from './events.js';
import { buildCalendars, buildFolders, calendarIdOf, folderIdOf } from './folders.js';
import { guid } from './ids.js';
import { buildMessages, seedAttachmentId, seedConversationId, seedMessageId } from './messages.js';
import { PEOPLE } from './people.js';

export { INJECTION_INVISIBLE_CHARACTERS, INJECTION_PAYLOADS, LARGE_ATTACHMENT_ENTRY_BYTES } from './singles.js';
export { deletedStandupDate, movedStandupDate } from './events.js';
export { createSeedClock } from './clock.js';
export { PEOPLE } from './people.js';

/** The mailbox owner. */
export const SEED_USER: SandboxUser = {
  id: guid('user:avery'),
  displayName: PEOPLE.avery.name,
  mail: PEOPLE.avery.address,
  userPrincipalName: PEOPLE.avery.address,
  // Exchange stores the mailbox zone under its Windows name by default.
  mailboxSettings: { timeZone: 'W. Europe Standard Time' },
};

/**
 * Ids of notable seed items. They depend only on the seed's keys, never on
 * `now`, so tests can use them directly.
 */
export const SEED_IDS = {
  user: SEED_USER.id,

  rootFolder: folderIdOf('msgfolderroot'),
  inboxFolder: folderIdOf('inbox'),
  archiveFolder: folderIdOf('archive'),
  sentItemsFolder: folderIdOf('sentitems'),
  draftsFolder: folderIdOf('drafts'),
  deletedItemsFolder: folderIdOf('deleteditems'),
  junkFolder: folderIdOf('junkemail'),
  outboxFolder: folderIdOf('outbox'),
  /** Inbox/Clients. */
  clientsFolder: folderIdOf('clients'),
  /** Inbox/Clients/Fabrikam. */
  fabrikamFolder: folderIdOf('fabrikam'),
  /** Top-level "Receipts"; its id is EWS-style and contains `/`, `+` and `=`. */
  receiptsFolder: folderIdOf('receipts'),

  /** "Updated invoice details": hidden prompt injection (see INJECTION_PAYLOADS). */
  injectionMessage: seedMessageId('injection'),
  /** Latest received message of the Phase 2 scope thread: three levels of divRplyFwdMsg history. */
  threadWithHistory: seedMessageId('fab-scope-4'),
  /** First message of that thread. */
  threadRoot: seedMessageId('fab-scope-1'),
  /** Conversation id shared by the five messages of that thread. */
  threadConversation: seedConversationId('fab-scope'),
  /** The user's unsent reply in that thread. */
  threadDraft: seedMessageId('fab-scope-draft'),
  /** Reply quoting in Gmail's blockquote style. */
  gmailQuotedMessage: seedMessageId('rfp-4'),
  /** Plain-text reply with an "-----Original Message-----" quote. */
  originalMessageQuoted: seedMessageId('rfp-3'),
  /** Plain-text body; EWS-style id containing `/`, `+` and `=`. */
  plainTextMessage: seedMessageId('plain-text'),
  messageWithUnsafeId: seedMessageId('plain-text'),
  /** A draft to an external recipient. */
  draftMessage: seedMessageId('draft-proposal'),
  /** A draft with no recipients. */
  draftWithoutRecipients: seedMessageId('draft-notes'),
  /** A sent invoice with a PDF. */
  messageWithPdf: seedMessageId('invoice-1'),
  pdfAttachment: seedAttachmentId('invoice-1', 0),
  /** ZIP of ~3.4 MB: above the simple-upload and inline-read limits. */
  messageWithLargeAttachment: seedMessageId('large-attachment'),
  largeAttachment: seedAttachmentId('large-attachment', 0),
  /** HTML body with `<img src="cid:…">`; hasAttachments is false (inline only). */
  messageWithInlineImage: seedMessageId('design-1'),
  inlineImageAttachment: seedAttachmentId('design-1', 0),
  /** One attachment of each readable format (PDF, DOCX, XLSX, PPTX, ICS, EML, MD, HTML), in that order. */
  messageWithDocuments: seedMessageId('board-pack'),
  pdfDocument: seedAttachmentId('board-pack', 0),
  docxDocument: seedAttachmentId('board-pack', 1),
  xlsxDocument: seedAttachmentId('board-pack', 2),
  pptxDocument: seedAttachmentId('board-pack', 3),
  icsDocument: seedAttachmentId('board-pack', 4),
  emlDocument: seedAttachmentId('board-pack', 5),
  mdDocument: seedAttachmentId('board-pack', 6),
  htmlDocument: seedAttachmentId('board-pack', 7),
  /** A CSV and a TXT attachment. */
  messageWithTextAttachments: seedMessageId('pipeline-3'),
  csvAttachment: seedAttachmentId('pipeline-3', 0),
  txtAttachment: seedAttachmentId('pipeline-3', 1),
  /** Anna's proposal (Friday 14:00–15:00), 40 minutes before `now`, unread; replies to proposalRequest. */
  proposalMessage: seedMessageId('anna-2'),
  /** The user's question that Anna's proposal answers. */
  proposalRequest: seedMessageId('anna-1'),
  proposalConversation: seedConversationId('anna-prep'),
  /** The newest message (25 minutes before `now`), unread, high importance. */
  newestMessage: seedMessageId('call-now'),

  defaultCalendar: calendarIdOf('calendar'),
  projectCalendar: calendarIdOf('fabrikam'),
  holidaysCalendar: calendarIdOf('holidays'),

  /** Weekly Mon/Wed stand-up organised by the user, with attendees; one exception, one deleted occurrence. */
  standupSeries: seedEventId('standup'),
  /** This week's Wednesday stand-up, moved to 10:00. */
  standupException: seedEventId('standup-exception'),
  /** Weekdays series, numbered (10), organised by someone else. */
  weekdaySeries: seedEventId('hypercare'),
  dailySeries: seedEventId('plan-the-day'),
  /** relativeMonthly (first Tuesday), in "Project Fabrikam". */
  monthlySeries: seedEventId('steering'),
  absoluteMonthlySeries: seedEventId('invoicing'),
  biweeklySeries: seedEventId('one-on-one'),
  /** All-day, absoluteYearly, in "Team holidays". */
  yearlyAllDaySeries: seedEventId('anniversary'),
  relativeYearlySeries: seedEventId('budget-planning'),
  /** No attendees, organised by the user: safe to edit. */
  appointment: seedEventId('focus-time'),
  /** Organised by the user with attendees (editing would notify them). */
  organizedMeeting: seedEventId('scoping-workshop'),
  /** Overlaps organizedMeeting; not yet answered. */
  conflictingMeeting: seedEventId('budget-review'),
  cancelledMeeting: seedEventId('cancelled-demo'),
  allDayEvent: seedEventId('meilin-ooo'),
  multiDayAllDayEvent: seedEventId('offsite'),
  pacificEvent: seedEventId('rfp-call'),
  indiaEvent: seedEventId('india-sync'),
  tokyoEvent: seedEventId('tokyo-session-1'),
  utcEvent: seedEventId('maintenance'),
  /** An appointment (no attendees) whose EWS-style id contains `/`, `+` and `=`. */
  eventWithUnsafeId: seedEventId('lunch'),
  /** 14:30–15:30 on the Friday of Anna's proposal: the demo's hard conflict. */
  customerYReview: seedEventId('customer-y-review'),
  /** Starts in W. Europe Standard Time, ends in GMT Standard Time. */
  twoZoneEvent: seedEventId('flight-out'),
} as const;

/** Builds the seeded demo mailbox for a point in time; same `now`, same mailbox. */
export function createSeedMailbox(now: Date): SandboxMailbox {
  const clock = createSeedClock(now);
  const messages = buildMessages(clock);
  return {
    user: structuredClone(SEED_USER),
    folders: buildFolders(messages),
    messages,
    calendars: buildCalendars(),
    events: buildEvents(clock),
    schedules: buildSchedules(clock),
    people: buildPeople(),
  };
}
