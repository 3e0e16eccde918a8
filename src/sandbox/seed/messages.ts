/** Turns the message tables into Graph-shaped messages: ids, threading, quoted bodies, attachments. */
import type { SandboxAttachment, SandboxMessage } from '../model.js';
import { authoredBody, htmlDocument, plainBlocks, replyBody, uniqueHtml, type BodyParts } from './bodies.js';
import { isoUtc, type SeedClock } from './clock.js';
import { folderCounter, folderIdOf } from './folders.js';
import { generatedMessages } from './generated.js';
import { attachmentId, changeKey, conversationId, conversationIndex, internetMessageId, itemId, messageWebLink } from './ids.js';
import type { MessageSpec } from './message-spec.js';
import { PEOPLE, recipient } from './people.js';
import { hashBytes } from './random.js';
import { SINGLE_MESSAGES } from './singles.js';
import { THREAD_MESSAGES } from './threads.js';

const STATIC_SPECS = new Map<string, MessageSpec>([...THREAD_MESSAGES, ...SINGLE_MESSAGES].map((spec) => [spec.key, spec]));

function idOf(spec: MessageSpec): string {
  return itemId(folderCounter(spec.folder), spec.key, spec.idStyle);
}

/** The id of a hand-written seed message (threads and singles), by key; throws for unknown keys. */
export function seedMessageId(key: string): string {
  const spec = STATIC_SPECS.get(key);
  if (spec === undefined) throw new Error(`No seed message with key "${key}"`);
  return idOf(spec);
}

/** The id of the index-th attachment of a hand-written seed message. */
export function seedAttachmentId(messageKey: string, index: number): string {
  const spec = STATIC_SPECS.get(messageKey);
  if (spec === undefined) throw new Error(`No seed message with key "${messageKey}"`);
  return attachmentId(folderCounter(spec.folder), spec.key, `${spec.key}:${index}`);
}

/** The conversation id of a hand-written thread. */
export function seedConversationId(threadKey: string): string {
  return conversationId(threadKey);
}

interface Built {
  spec: MessageSpec;
  thread: string;
  depth: number;
  threadStart: Date;
  rootSubject: string;
  sent: Date;
  full: BodyParts;
}

const stripPrefixes = (subject: string): string => subject.replace(/^((RE|FW|AW|WG):\s*)+/i, '');

function freshParts(spec: MessageSpec): BodyParts {
  if (spec.body !== undefined) return spec.body;
  const blocks = spec.blocks ?? [];
  const sender = PEOPLE[spec.from];
  switch (spec.client) {
    case 'outlook':
    case 'text':
      return authoredBody(blocks, sender, 'outlook');
    case 'gmail':
      return authoredBody(blocks, sender, 'gmail');
    case 'automated':
      return plainBlocks(blocks);
  }
}

/** Whole seconds derived from a key, to spread times that a table gives to the minute. */
function jitterSeconds(key: string, max: number): number {
  return (hashBytes(`jitter:${key}`, 2).readUInt16BE(0) % max) + 1;
}

// Building megabytes of content for every sandbox (each test makes one)
// would dominate the seed's cost, so big files are built on first read.
const LAZY_BYTES_THRESHOLD = 1_000_000;

/**
 * Makes `bytes` an ordinary enumerable property that is computed on first
 * read; reading or assigning it turns it into a plain data property.
 */
function defineLazyBytes(attachment: SandboxAttachment, build: () => Buffer): void {
  const settle = (value: Buffer): Buffer => {
    Object.defineProperty(attachment, 'bytes', { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(attachment, 'bytes', {
    get: () => settle(build()),
    set: (value: Buffer) => settle(value),
    enumerable: true,
    configurable: true,
  });
}

/** All seed messages, newest first. */
export function buildMessages(clock: SeedClock): SandboxMessage[] {
  const specs = [...THREAD_MESSAGES, ...SINGLE_MESSAGES, ...generatedMessages(clock)];
  const built = new Map<string, Built>();
  const messages: SandboxMessage[] = [];
  const now = clock.now.getTime();

  for (const spec of specs) {
    if (built.has(spec.key)) throw new Error(`Duplicate seed message key "${spec.key}"`);
    const at = clock.at(spec.at);
    const fromUser = spec.from === 'avery';
    const previous = spec.replyTo === undefined ? undefined : built.get(spec.replyTo);
    if (spec.replyTo !== undefined && previous === undefined) throw new Error(`Seed message "${spec.key}" replies to unknown or later "${spec.replyTo}"`);

    const fresh = freshParts(spec);
    let full = fresh;
    let subject = spec.subject ?? '';
    if (previous !== undefined) {
      subject = spec.subject ?? `RE: ${previous.rootSubject}`;
      if (spec.quote !== undefined && spec.quote !== 'none') {
        const p = previous.spec;
        full = replyBody(fresh, previous.full, {
          from: PEOPLE[p.from],
          to: p.to.map((k) => PEOPLE[k]),
          cc: (p.cc ?? []).map((k) => PEOPLE[k]),
          subject: p.subject ?? `RE: ${previous.rootSubject}`,
          longDate: clock.longDate(previous.sent),
          shortDate: clock.shortDate(previous.sent),
        }, spec.quote);
      }
    }
    const thread = spec.thread ?? previous?.thread ?? spec.key;
    const depth = previous === undefined ? 0 : previous.depth + 1;
    const threadStart = previous?.threadStart ?? at;
    // Mail from others was sent a little before it arrived.
    const sent = fromUser ? at : new Date(at.getTime() - jitterSeconds(spec.key, 90) * 1000);
    built.set(spec.key, { spec, thread, depth, threadStart, rootSubject: previous?.rootSubject ?? stripPrefixes(subject), sent, full });

    const id = idOf(spec);
    const isText = spec.client === 'text';
    const files = spec.attachments?.() ?? [];
    const attachments: SandboxAttachment[] = files.map((file, index) => {
      const attachment = {
        id: attachmentId(folderCounter(spec.folder), spec.key, `${spec.key}:${index}`),
        '@odata.type': '#microsoft.graph.fileAttachment',
        name: file.name,
        contentType: file.contentType,
        size: file.size,
        isInline: file.isInline ?? false,
        lastModifiedDateTime: isoUtc(sent),
      } as SandboxAttachment;
      if (file.size > LAZY_BYTES_THRESHOLD) defineLazyBytes(attachment, file.bytes);
      else attachment.bytes = file.bytes();
      if (file.contentId !== undefined) attachment.contentId = file.contentId;
      return attachment;
    });
    const isRead = fromUser || spec.draft === true || spec.unread !== true;
    const modified = Math.min(now, at.getTime() + (isRead && !fromUser ? jitterSeconds(spec.key, 3600) * 1000 : 0));
    const senderDomain = PEOPLE[spec.from].address.split('@')[1] ?? 'contoso.example';

    messages.push({
      id,
      parentFolderId: folderIdOf(spec.folder),
      conversationId: conversationId(thread),
      conversationIndex: conversationIndex(thread, threadStart, depth),
      internetMessageId: internetMessageId(spec.key, senderDomain),
      subject,
      from: recipient(spec.from),
      sender: recipient(spec.from),
      toRecipients: spec.to.map(recipient),
      ccRecipients: (spec.cc ?? []).map(recipient),
      bccRecipients: [],
      replyTo: [],
      receivedDateTime: isoUtc(at),
      sentDateTime: isoUtc(sent),
      createdDateTime: isoUtc(at),
      lastModifiedDateTime: isoUtc(new Date(modified)),
      changeKey: changeKey(spec.key),
      isRead,
      isDraft: spec.draft === true,
      // As in Graph, inline images alone do not count as attachments.
      hasAttachments: attachments.some((a) => !a.isInline),
      importance: spec.importance ?? 'normal',
      flag: { flagStatus: spec.flag ?? 'notFlagged' },
      categories: [...(spec.categories ?? [])],
      body: isText ? { contentType: 'text', content: full.text } : { contentType: 'html', content: htmlDocument(full.html) },
      uniqueBody: isText ? { contentType: 'text', content: fresh.text } : { contentType: 'html', content: uniqueHtml(fresh.html) },
      webLink: messageWebLink(id),
      attachments,
      singleValueExtendedProperties: [],
    });
  }
  return messages.sort((a, b) => (a.receivedDateTime < b.receivedDateTime ? 1 : a.receivedDateTime > b.receivedDateTime ? -1 : 0));
}
