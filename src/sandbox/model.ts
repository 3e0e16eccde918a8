/**
 * The sandbox's in-memory mailbox. Resources are stored in Microsoft Graph's
 * own wire shape (v1.0 property names and nesting), so the fake server can
 * apply `$select`, `$filter` and `$orderby` to them exactly as Graph does and
 * the real Graph client cannot tell the difference.
 */

export interface EmailAddress {
  name: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

export interface ItemBody {
  contentType: 'html' | 'text';
  content: string;
}

/** A Graph `singleValueLegacyExtendedProperty`. */
export interface ExtendedProperty {
  id: string;
  value: string;
}

export interface SandboxFolder {
  id: string;
  displayName: string;
  /** Well-known name (`inbox`, `archive`, …) when the folder has one. */
  wellKnownName?: string;
  /** Hidden folders are listed only with `includeHiddenFolders=true`. */
  isHidden?: boolean;
  parentFolderId: string;
  childFolderCount: number;
  /** Derived from the messages on read; stored values are ignored. */
  unreadItemCount: number;
  totalItemCount: number;
}

export interface SandboxAttachment {
  id: string;
  '@odata.type': '#microsoft.graph.fileAttachment';
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  /** MIME Content-ID of an inline attachment, referenced from the HTML body as `cid:<contentId>`. */
  contentId?: string;
  lastModifiedDateTime: string;
  /** Raw bytes; served base64-encoded as `contentBytes`, or raw from `/$value`. */
  bytes: Buffer;
}

export interface SandboxMessage {
  id: string;
  /** Folder id (not the well-known name). */
  parentFolderId: string;
  conversationId: string;
  conversationIndex?: string;
  internetMessageId: string;
  subject: string;
  from: Recipient;
  sender: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  receivedDateTime: string;
  sentDateTime: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  isRead: boolean;
  isDraft: boolean;
  hasAttachments: boolean;
  importance: 'low' | 'normal' | 'high';
  flag: { flagStatus: 'notFlagged' | 'flagged' | 'complete' };
  categories: string[];
  /** The full body as stored (usually HTML). */
  body: ItemBody;
  /** The part not quoted from earlier messages of the thread (same content type as body). */
  uniqueBody: ItemBody;
  webLink: string;
  attachments: SandboxAttachment[];
  singleValueExtendedProperties: ExtendedProperty[];
}

export interface DateTimeTimeZone {
  /** Local wall-clock time, `YYYY-MM-DDTHH:mm:ss.0000000`, no offset. */
  dateTime: string;
  /** Windows or IANA zone name, e.g. `Pacific Standard Time`, `Europe/Berlin`, `UTC`. */
  timeZone: string;
}

export interface Attendee {
  type: 'required' | 'optional' | 'resource';
  status: { response: 'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded'; time: string };
  emailAddress: EmailAddress;
}

export interface PatternedRecurrence {
  pattern: {
    type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
    interval: number;
    month?: number;
    dayOfMonth?: number;
    daysOfWeek?: Array<'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday'>;
    firstDayOfWeek?: string;
    index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
  };
  range: {
    type: 'endDate' | 'noEnd' | 'numbered';
    startDate: string;
    endDate?: string;
    numberOfOccurrences?: number;
    recurrenceTimeZone?: string;
  };
}

export interface SandboxEvent {
  id: string;
  calendarId: string;
  iCalUId: string;
  subject: string;
  bodyPreview: string;
  body: ItemBody;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  originalStartTimeZone: string;
  originalEndTimeZone: string;
  isAllDay: boolean;
  isCancelled: boolean;
  isOrganizer: boolean;
  isOnlineMeeting: boolean;
  onlineMeeting?: { joinUrl: string };
  onlineMeetingProvider: 'unknown' | 'teamsForBusiness' | 'skypeForBusiness' | 'skypeForConsumer';
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  responseStatus: { response: Attendee['status']['response']; time: string };
  location: { displayName: string; locationType?: string };
  locations: Array<{ displayName: string }>;
  organizer: Recipient;
  attendees: Attendee[];
  categories: string[];
  type: 'singleInstance' | 'seriesMaster' | 'occurrence' | 'exception';
  seriesMasterId?: string;
  /** UTC start (`YYYY-MM-DDTHH:mm:ssZ`) an occurrence or exception had in its series' pattern (Graph v1.0 `originalStart`). Exceptions must set it. */
  originalStart?: string;
  recurrence?: PatternedRecurrence;
  /**
   * Sandbox-internal, on series masters only: ids of occurrences deleted from
   * the series (v1.0 does not serve this; strip it from responses).
   */
  cancelledOccurrences?: string[];
  webLink: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  singleValueExtendedProperties: ExtendedProperty[];
}

export interface SandboxCalendar {
  id: string;
  name: string;
  color: string;
  isDefaultCalendar: boolean;
  canEdit: boolean;
  owner: EmailAddress;
}

/** Graph `workingHours`; `timeZone` is a `timeZoneBase` (`{name}`) or a `customTimeZone` (bias and transitions). */
export interface WorkingHours {
  daysOfWeek: Array<'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday'>;
  /** `HH:mm:ss.fffffff`. */
  startTime: string;
  endTime: string;
  timeZone: { name: string; [key: string]: unknown };
}

export interface SandboxUser {
  id: string;
  displayName: string;
  mail: string;
  userPrincipalName: string;
  /** `timeZone` as the admin set it: a Windows name by default. Working hours default to Mon–Fri 09:00–17:00 in that zone. */
  mailboxSettings: { timeZone: string; workingHours?: WorkingHours };
  /** `mailboxSettings.userPurpose`: `user` when unset; another mailbox of the sandbox may be `shared`. */
  userPurpose?: 'user' | 'shared' | 'room' | 'equipment';
}

/** Another person's calendar as free/busy sees it (getSchedule): their working hours and what their calendar holds. */
export interface SandboxSchedule {
  address: string;
  workingHours: WorkingHours;
  /** `free/busy` shows status only; `limited` adds subject and location (the person's sharing setting). */
  detail: 'freeBusy' | 'limited';
  items: Array<{ start: string; end: string; status: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere'; subject?: string; location?: string }>;
}

/** A person as `/me/people` ranks them. */
export interface SandboxPerson {
  id: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  companyName?: string;
  department?: string;
  /** Email addresses with their relevance score (higher = more often in touch). */
  scoredEmailAddresses: Array<{ address: string; relevanceScore: number }>;
  personType: { class: 'Person' | 'Group'; subclass: 'OrganizationUser' | 'PersonalContact' | 'ImplicitContact' | 'UnifiedGroup' };
}

/** Everything the sandbox serves. Seeds build one; the server mutates it. */
export interface SandboxMailbox {
  user: SandboxUser;
  folders: SandboxFolder[];
  messages: SandboxMessage[];
  calendars: SandboxCalendar[];
  events: SandboxEvent[];
  /** Other people's free/busy, by address (getSchedule). */
  schedules?: SandboxSchedule[];
  /** The people the user works with, most relevant first (`/me/people`). */
  people?: SandboxPerson[];
}
