/**
 * The Graph v1.0 entity types the sandbox serves, as far as `$select`,
 * `$filter`, `$orderby` and `$expand` need them. Property lists follow Graph's
 * metadata so that a client asking for a real property is never refused and
 * one asking for an invented property is refused exactly as Graph does.
 */
import { collectionOf, structured } from './odata/edm.js';

const emailAddress = structured('microsoft.graph.emailAddress', [
  ['name', 'string'],
  ['address', 'string'],
]);

const recipient = structured('microsoft.graph.recipient', [['emailAddress', emailAddress]]);

const itemBody = structured('microsoft.graph.itemBody', [
  ['contentType', 'enum'],
  ['content', 'string'],
]);

const followupFlag = structured('microsoft.graph.followupFlag', [
  ['flagStatus', 'enum'],
  ['completedDateTime', 'string'],
  ['dueDateTime', 'string'],
  ['startDateTime', 'string'],
]);

/** `singleValueLegacyExtendedProperty`. */
export const extendedPropertyType = structured('microsoft.graph.singleValueLegacyExtendedProperty', [
  ['id', 'string'],
  ['value', 'string'],
]);

/** `microsoft.graph.attachment`; `contentBytes` (a fileAttachment property) is accepted too. */
export const attachmentType = structured('microsoft.graph.attachment', [
  ['id', 'string'],
  ['lastModifiedDateTime', 'datetime'],
  ['name', 'string'],
  ['contentType', 'string'],
  ['size', 'int'],
  ['isInline', 'boolean'],
  ['contentBytes', 'string'],
  ['contentId', 'string'],
  ['contentLocation', 'string'],
]);

const internetMessageHeader = structured('microsoft.graph.internetMessageHeader', [
  ['name', 'string'],
  ['value', 'string'],
]);

/** `microsoft.graph.message`. */
export const messageType = structured('microsoft.graph.message', [
  ['id', 'string'],
  ['createdDateTime', 'datetime'],
  ['lastModifiedDateTime', 'datetime'],
  ['changeKey', 'string'],
  ['categories', collectionOf('string')],
  ['receivedDateTime', 'datetime'],
  ['sentDateTime', 'datetime'],
  ['hasAttachments', 'boolean'],
  ['internetMessageId', 'string'],
  ['subject', 'string'],
  ['bodyPreview', 'string'],
  ['importance', 'enum'],
  ['parentFolderId', 'string'],
  ['conversationId', 'string'],
  ['conversationIndex', 'string'],
  ['isDeliveryReceiptRequested', 'boolean'],
  ['isReadReceiptRequested', 'boolean'],
  ['isRead', 'boolean'],
  ['isDraft', 'boolean'],
  ['webLink', 'string'],
  ['inferenceClassification', 'enum'],
  ['body', itemBody],
  ['uniqueBody', itemBody],
  ['sender', recipient],
  ['from', recipient],
  ['toRecipients', collectionOf(recipient)],
  ['ccRecipients', collectionOf(recipient)],
  ['bccRecipients', collectionOf(recipient)],
  ['replyTo', collectionOf(recipient)],
  ['flag', followupFlag],
  ['internetMessageHeaders', collectionOf(internetMessageHeader)],
  ['attachments', collectionOf(attachmentType), 'nav'],
  ['singleValueExtendedProperties', collectionOf(extendedPropertyType), 'nav'],
  ['multiValueExtendedProperties', collectionOf(extendedPropertyType), 'nav'],
  ['extensions', collectionOf('string'), 'nav'],
]);

/** `microsoft.graph.mailFolder`. */
export const mailFolderType = structured('microsoft.graph.mailFolder', [
  ['id', 'string'],
  ['displayName', 'string'],
  ['parentFolderId', 'string'],
  ['childFolderCount', 'int'],
  ['unreadItemCount', 'int'],
  ['totalItemCount', 'int'],
  ['isHidden', 'boolean'],
  ['childFolders', collectionOf('string'), 'nav'],
  ['messages', collectionOf(messageType), 'nav'],
  ['singleValueExtendedProperties', collectionOf(extendedPropertyType), 'nav'],
]);

const dateTimeTimeZone = structured('microsoft.graph.dateTimeTimeZone', [
  ['dateTime', 'localDateTime'],
  ['timeZone', 'string'],
]);

const responseStatus = structured('microsoft.graph.responseStatus', [
  ['response', 'enum'],
  ['time', 'datetime'],
]);

const attendee = structured('microsoft.graph.attendee', [
  ['type', 'enum'],
  ['status', responseStatus],
  ['emailAddress', emailAddress],
]);

const location = structured('microsoft.graph.location', [
  ['displayName', 'string'],
  ['locationType', 'enum'],
  ['locationUri', 'string'],
  ['uniqueId', 'string'],
]);

const onlineMeetingInfo = structured('microsoft.graph.onlineMeetingInfo', [['joinUrl', 'string']]);

const recurrencePattern = structured('microsoft.graph.patternedRecurrence', [
  ['pattern', structured('microsoft.graph.recurrencePattern', [['type', 'enum'], ['interval', 'int']])],
  ['range', structured('microsoft.graph.recurrenceRange', [['type', 'enum'], ['startDate', 'string'], ['endDate', 'string']])],
]);

/** `microsoft.graph.event`. */
export const eventType = structured('microsoft.graph.event', [
  ['id', 'string'],
  ['createdDateTime', 'datetime'],
  ['lastModifiedDateTime', 'datetime'],
  ['changeKey', 'string'],
  ['categories', collectionOf('string')],
  ['transactionId', 'string'],
  ['originalStartTimeZone', 'string'],
  ['originalEndTimeZone', 'string'],
  ['iCalUId', 'string'],
  ['reminderMinutesBeforeStart', 'int'],
  ['isReminderOn', 'boolean'],
  ['hasAttachments', 'boolean'],
  ['subject', 'string'],
  ['bodyPreview', 'string'],
  ['importance', 'enum'],
  ['sensitivity', 'enum'],
  ['isAllDay', 'boolean'],
  ['isCancelled', 'boolean'],
  ['isOrganizer', 'boolean'],
  ['responseRequested', 'boolean'],
  ['seriesMasterId', 'string'],
  ['showAs', 'enum'],
  ['type', 'enum'],
  ['webLink', 'string'],
  ['onlineMeetingUrl', 'string'],
  ['isOnlineMeeting', 'boolean'],
  ['onlineMeetingProvider', 'enum'],
  ['allowNewTimeProposals', 'boolean'],
  ['isDraft', 'boolean'],
  ['hideAttendees', 'boolean'],
  ['originalStart', 'datetime'],
  ['responseStatus', responseStatus],
  ['body', itemBody],
  ['start', dateTimeTimeZone],
  ['end', dateTimeTimeZone],
  ['location', location],
  ['locations', collectionOf(location)],
  ['recurrence', recurrencePattern],
  ['attendees', collectionOf(attendee)],
  ['organizer', recipient],
  ['onlineMeeting', onlineMeetingInfo],
  ['attachments', collectionOf(attachmentType), 'nav'],
  ['calendar', 'string', 'nav'],
  ['instances', collectionOf('string'), 'nav'],
  ['singleValueExtendedProperties', collectionOf(extendedPropertyType), 'nav'],
  ['multiValueExtendedProperties', collectionOf(extendedPropertyType), 'nav'],
  ['extensions', collectionOf('string'), 'nav'],
]);

/** `microsoft.graph.calendar`. */
export const calendarType = structured('microsoft.graph.calendar', [
  ['id', 'string'],
  ['name', 'string'],
  ['color', 'enum'],
  ['hexColor', 'string'],
  ['isDefaultCalendar', 'boolean'],
  ['changeKey', 'string'],
  ['canShare', 'boolean'],
  ['canViewPrivateItems', 'boolean'],
  ['canEdit', 'boolean'],
  ['allowedOnlineMeetingProviders', collectionOf('enum')],
  ['defaultOnlineMeetingProvider', 'enum'],
  ['isTallyingResponses', 'boolean'],
  ['isRemovable', 'boolean'],
  ['owner', emailAddress],
  ['events', collectionOf(eventType), 'nav'],
  ['calendarView', collectionOf(eventType), 'nav'],
  ['singleValueExtendedProperties', collectionOf(extendedPropertyType), 'nav'],
]);

/** `microsoft.graph.user` (the properties a mailbox reader asks for). */
export const userType = structured('microsoft.graph.user', [
  ['id', 'string'],
  ['businessPhones', collectionOf('string')],
  ['displayName', 'string'],
  ['givenName', 'string'],
  ['jobTitle', 'string'],
  ['mail', 'string'],
  ['mobilePhone', 'string'],
  ['officeLocation', 'string'],
  ['preferredLanguage', 'string'],
  ['surname', 'string'],
  ['userPrincipalName', 'string'],
  ['mailboxSettings', 'string'],
  ['accountEnabled', 'boolean'],
  ['userType', 'string'],
  ['mailNickname', 'string'],
]);

/** `microsoft.graph.person` (`/me/people`). */
export const personType = structured('microsoft.graph.person', [
  ['id', 'string'],
  ['displayName', 'string'],
  ['givenName', 'string'],
  ['surname', 'string'],
  ['birthday', 'string'],
  ['personNotes', 'string'],
  ['isFavorite', 'boolean'],
  ['jobTitle', 'string'],
  ['companyName', 'string'],
  ['yomiCompany', 'string'],
  ['department', 'string'],
  ['officeLocation', 'string'],
  ['profession', 'string'],
  ['userPrincipalName', 'string'],
  ['imAddress', 'string'],
  ['scoredEmailAddresses', collectionOf('string')],
  ['phones', collectionOf('string')],
  ['postalAddresses', collectionOf('string')],
  ['websites', collectionOf('string')],
  ['personType', 'string'],
]);
