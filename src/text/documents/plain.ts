/**
 * Text-like attachments: plain text, Markdown, CSV, HTML, calendar (.ics)
 * and messages (.eml, and Outlook items attached to a message, which Graph
 * hands over as MIME). HTML is not converted here: it goes back as an `html`
 * part to the one visible-text engine. Markdown is shown as its source, less
 * HTML comments, which no Markdown viewer shows.
 */
import ICAL from 'ical.js';
import PostalMime from 'postal-mime';
import { DocumentReadError } from './errors.js';
import { tally, type DocumentPart, type DocumentText } from './types.js';

/** Events read from one calendar file. */
const MAX_EVENTS = 500;

/** Decodes text bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, '');
}

/** Plain text or CSV, shown as it is. */
export function readText(bytes: Uint8Array, format: string): DocumentText {
  return { format, parts: [{ label: format, text: decodeText(bytes) }], hidden: {}, notes: [] };
}

/** Markdown source without its HTML comments. */
export function readMarkdown(bytes: Uint8Array): DocumentText {
  const hidden: DocumentText['hidden'] = {};
  const text = decodeText(bytes).replace(/<!--[\s\S]*?(?:-->|$)/g, (c) => {
    tally(hidden, 'hidden text', c.slice(4, -3));
    return '';
  });
  return { format: 'Markdown', parts: [{ label: 'Markdown', text }], hidden, notes: [] };
}

/** HTML, left to the visible-text engine. */
export function readHtml(bytes: Uint8Array): DocumentText {
  return { format: 'HTML page', parts: [{ label: 'HTML page', text: decodeText(bytes), format: 'html' }], hidden: {}, notes: [] };
}

function icalTime(t: ICAL.Time | null | undefined): string {
  if (!t) return '?';
  const s = t.toString();
  return t.isDate ? s : `${s.replace('T', ' ').slice(0, 16)}${t.zone?.tzid && t.zone.tzid !== 'floating' ? ` ${t.zone.tzid}` : ''}`;
}

/** A calendar file as its events. */
export function readCalendar(bytes: Uint8Array): DocumentText {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(decodeText(bytes)));
  } catch (err) {
    throw new DocumentReadError('document_malformed', `The calendar file cannot be read (${(err as Error).message.slice(0, 200)}); ask the sender to export it again.`);
  }
  const events = root.getAllSubcomponents('vevent');
  const parts: DocumentPart[] = events.slice(0, MAX_EVENTS).map((c, i) => {
    const e = new ICAL.Event(c);
    const lines = [
      `Title: ${e.summary ?? '(none)'}`,
      `When: ${icalTime(e.startDate)} - ${icalTime(e.endDate)}`,
      e.location ? `Where: ${e.location}` : '',
      e.organizer ? `Organizer: ${String(e.organizer).replace(/^mailto:/i, '')}` : '',
      e.attendees.length ? `Attendees: ${e.attendees.map((a) => String(a.getFirstValue()).replace(/^mailto:/i, '')).join('; ')}` : '',
      e.isRecurring() ? 'Repeats' : '',
      e.description ? `Description:\n${e.description}` : '',
    ].filter(Boolean);
    return { label: `Event ${i + 1}`, text: lines.join('\n') };
  });
  const notes = events.length > MAX_EVENTS ? [`${events.length - MAX_EVENTS} more events not read`] : [];
  if (!events.length) notes.push('the calendar file has no events');
  return { format: 'Calendar', parts, hidden: {}, notes };
}

function who(a: { name?: string; address?: string } | undefined): string {
  if (!a) return '';
  return a.name && a.address ? `${a.name} <${a.address}>` : (a.address ?? a.name ?? '');
}

/** A message (RFC 822 / MIME) as headers and its body. */
export async function readMessage(bytes: Uint8Array): Promise<DocumentText> {
  let mail: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    mail = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 32, maxHeadersSize: 1024 * 1024 });
  } catch (err) {
    throw new DocumentReadError('document_malformed', `The attached message cannot be read (${(err as Error).message.slice(0, 200)}); open it in Outlook.`);
  }
  const head = [
    `From: ${who(mail.from)}`,
    mail.to?.length ? `To: ${mail.to.map(who).join('; ')}` : '',
    mail.cc?.length ? `Cc: ${mail.cc.map(who).join('; ')}` : '',
    mail.date ? `Date: ${mail.date}` : '',
    `Subject: ${mail.subject ?? '(no subject)'}`,
    mail.attachments.length ? `Attachments: ${mail.attachments.map((a) => a.filename ?? '(unnamed)').join('; ')}` : '',
  ].filter(Boolean);
  const parts: DocumentPart[] = [{ label: 'Attached message', text: head.join('\n') }];
  if (mail.html) parts.push({ label: 'Message body', text: mail.html, format: 'html' });
  else parts.push({ label: 'Message body', text: mail.text ?? '' });
  return { format: 'Email message', parts, hidden: {}, notes: [] };
}
