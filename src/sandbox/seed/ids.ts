/**
 * Identifiers shaped like Exchange Online's: the binary layout of a Graph
 * id (mailbox GUID, store entry id, folder and item keys) base64-encoded.
 * Like real ids they share a long prefix and differ near the end. REST-style
 * ids use the url-safe alphabet (`-`, `_`) but keep `=` padding; a few items
 * carry EWS-style ids in the standard alphabet (`+`, `/`), which is what
 * tests need to prove every id is percent-encoded before it enters a URL.
 */
import { hashBytes } from './random.js';

/** `rest`: url-safe alphabet (`-` `_` `=`), as Graph serves. `ews`: standard base64 (`+` `/` `=`). */
export type IdStyle = 'rest' | 'ews';

const MAILBOX_GUID = '5b3e7c1a-92d4-4f0e-a8b6-3c71d9e2f405';
// Chosen so that both special characters of the alphabet occur in the
// shared part of every folder and item id.
const STORE_ENTRY = Buffer.from('ad328846aa18b32a335816374511cac1', 'hex');
const DATABASE_GUID = Buffer.from('e788103ee15318fcd2af9b73b4ebbb33', 'hex');
const HEADER = Buffer.concat([Buffer.from([0x00, 0x03, 0x24, 0x00]), Buffer.from(MAILBOX_GUID, 'ascii'), Buffer.from([0x00])]);

function encode(bytes: Buffer, style: IdStyle): string {
  const standard = bytes.toString('base64');
  return style === 'ews' ? standard : standard.replace(/[/+]/g, (c) => (c === '/' ? '-' : '_'));
}

function counter(value: number): Buffer {
  const buf = Buffer.alloc(6);
  buf.writeUIntBE(value, 0, 6);
  return buf;
}

function itemCounter(key: string): Buffer {
  return Buffer.concat([Buffer.from([0, 0]), hashBytes(`item:${key}`, 4)]);
}

function folderBytes(folderCounter: number): Buffer {
  return Buffer.concat([HEADER, Buffer.from([0x2e, 0, 0, 0, 0, 0]), STORE_ENTRY, Buffer.from([0x01, 0x00]), DATABASE_GUID, counter(folderCounter), Buffer.from([0, 0])]);
}

function itemBytes(folderCounter: number, key: string): Buffer {
  return Buffer.concat([
    HEADER,
    Buffer.from([0x46, 0, 0, 0, 0, 0]),
    STORE_ENTRY,
    Buffer.from([0x07, 0x00]),
    DATABASE_GUID,
    counter(folderCounter),
    Buffer.from([0, 0]),
    DATABASE_GUID,
    itemCounter(key),
    Buffer.from([0, 0]),
  ]);
}

/** Id of a mail folder or calendar (calendars are folders in Exchange). */
export function folderId(folderCounter: number, style: IdStyle = 'rest'): string {
  return encode(folderBytes(folderCounter), style);
}

/** Id of a message or event first stored in the folder with `folderCounter`. */
export function itemId(folderCounter: number, key: string, style: IdStyle = 'rest'): string {
  return encode(itemBytes(folderCounter, key), style);
}

/** Id of an attachment: its message's key material plus an attachment key. */
export function attachmentId(folderCounter: number, messageKey: string, attachmentKey: string): string {
  const bytes = Buffer.concat([itemBytes(folderCounter, messageKey), Buffer.from([0x01, 0x12, 0x00, 0x10, 0x00]), hashBytes(`attachment:${attachmentKey}`, 16)]);
  return encode(bytes, 'rest');
}

/** Conversation id shared by the messages of one thread. */
export function conversationId(threadKey: string): string {
  return encode(Buffer.concat([Buffer.from([0x00, 0x04, 0x24, 0x00]), Buffer.from(MAILBOX_GUID, 'ascii'), Buffer.from([0x00, 0x10, 0x00]), hashBytes(`conversation:${threadKey}`, 16)]), 'rest');
}

// FILETIME: 100 ns ticks since 1601-01-01.
function fileTime(at: Date): bigint {
  return (BigInt(at.getTime()) + 11_644_473_600_000n) * 10_000n;
}

/**
 * conversationIndex as Outlook builds it: a 22-byte header (reserved byte,
 * the thread start's FILETIME high bytes, a GUID) plus 5 bytes per reply.
 */
export function conversationIndex(threadKey: string, threadStart: Date, depth: number): string {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(fileTime(threadStart));
  const parts = [Buffer.from([0x01]), time.subarray(0, 5), hashBytes(`conversation-index:${threadKey}`, 16)];
  for (let i = 1; i <= depth; i++) parts.push(hashBytes(`conversation-index:${threadKey}:${i}`, 5));
  return Buffer.concat(parts).toString('base64');
}

/** A change key (opaque version stamp) for an item revision. */
export function changeKey(key: string): string {
  return `CQAAABYAAAD${hashBytes(`change:${key}`, 12).toString('base64').replace(/[/+=]/g, 'A')}`;
}

/** RFC 5322 Message-ID as Exchange writes them. */
export function internetMessageId(key: string, domain: string): string {
  const token = hashBytes(`message-id:${key}`, 18).toString('hex').toUpperCase();
  return `<${token.slice(0, 4)}PR03MB${token.slice(4)}@${domain}>`;
}

/** An Outlook GlobalObjectId in hex, as Graph serves `iCalUId`. */
export function iCalUId(key: string, created: Date): string {
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(fileTime(created));
  return `040000008200E00074C5B7101A82E00800000000${time.toString('hex')}000000000000000010000000${hashBytes(`ical:${key}`, 16).toString('hex')}`.toUpperCase();
}

/** A GUID string derived from a key. */
export function guid(key: string): string {
  const hex = hashBytes(`guid:${key}`, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** OWA deep link to a message. */
export function messageWebLink(id: string): string {
  return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`;
}

/** OWA deep link to an event. */
export function eventWebLink(id: string): string {
  return `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}
