/**
 * Quoted reply/forward history: where it starts, and the final assembly of
 * lines with the marker inserted.
 *
 * Invariants: the marker is inserted once, before the earliest of the
 * structural start (a known quote container: Gmail, Outlook, Yahoo, Apple
 * Mail, Thunderbird, Proton) and the textual start (a separator line, an "On
 * ... wrote:" line, a From:/Sent: header block, two lines starting with ">").
 * Every pattern runs on lines capped at MAX_PATTERN_LINE characters.
 *
 * Known limits: header blocks in languages not listed are not recognised;
 * a quote inside a hidden element is not marked (it is not shown at all).
 */
import type { Element } from 'domhandler';
import { stripInvisible } from '../invisible.js';

/** The line inserted before the first line of quoted reply/forward history. */
export const QUOTED_HISTORY_MARKER = '[quoted history]';

const QUOTE_IDS = /^(?:x_)*(?:divrplyfwdmsg|appendonsend|mail-editor-reference-message-container)$/;
const QUOTE_CLASSES = new Set([
  'gmail_quote', 'gmail_quote_container', 'yahoo_quoted', 'moz-cite-prefix', 'protonmail_quote',
  'outlookmessageheader',
]);

/** Whether an element starts quoted history in a known mail client's markup. */
export function isQuoteStart(el: Element): boolean {
  if (el.attribs.id === undefined && el.attribs.class === undefined && el.name !== 'blockquote') return false;
  const id = (el.attribs.id ?? '').trim().toLowerCase();
  if (id && QUOTE_IDS.test(id)) return true;
  const classes = (el.attribs.class ?? '').toLowerCase().split(/[\t\n\f\r ]+/);
  if (classes.some((c) => QUOTE_CLASSES.has(c))) return true;
  if (el.name === 'blockquote' && (el.attribs.type ?? '').trim().toLowerCase() === 'cite') return true;
  return el.name === 'hr' && id === 'stopspelling';
}

const SEPARATOR_TITLES = [
  'original message', 'forwarded message', 'ursprüngliche nachricht', 'weitergeleitete nachricht',
  "message d'origine", 'message transféré', 'mensaje original', 'mensaje reenviado', 'messaggio originale',
  'messaggio inoltrato', 'oorspronkelijk bericht', 'doorgestuurd bericht', 'mensagem original',
];
const SEPARATOR_LINE = new RegExp(`^-{2,}\\s*(?:${SEPARATOR_TITLES.join('|')})\\s*-{2,}$`, 'i');
const BEGIN_FORWARDED = /^begin forwarded message:$/i;
const ON_START = /^(?:on|am|le|el|il|op|em)\s/i;
const WROTE_END = /(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu)\s*:$/i;
const FROM_LINE = /^\*?(?:from|von|de|van|da|från|fra)\s*:\*?\s*\S/i;
const SENT_LINE = /^\*?(?:sent|date|gesendet|datum|envoyé|enviado|verzonden|inviato|data|fecha|skickat|sendt)\s*:/i;
const SENT_INLINE = /\s\*?(?:sent|date)\s*:/i;
const RULE_LINE = /^[_-]{10,}$/;
const MAX_PATTERN_LINE = 500;

/** The index of the line where quoted history starts in plain text, if any. */
export function findTextualQuoteStart(lines: readonly string[]): number | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line || line.length > MAX_PATTERN_LINE) continue;
    if (SEPARATOR_LINE.test(line) || BEGIN_FORWARDED.test(line)) return i;
    if (ON_START.test(line)) {
      const next = (lines[i + 1] ?? '').trim();
      if (WROTE_END.test(line) || (next.length < MAX_PATTERN_LINE && WROTE_END.test(next))) return i;
    }
    if (FROM_LINE.test(line)) {
      let header = SENT_INLINE.test(line);
      for (let j = i + 1; !header && j <= i + 4 && j < lines.length; j++) {
        header = SENT_LINE.test((lines[j] ?? '').trim());
      }
      if (header) {
        const previous = (lines[i - 1] ?? '').trim();
        return i > 0 && RULE_LINE.test(previous) ? i - 1 : i;
      }
    }
    if (line.startsWith('>') && (lines[i + 1] ?? '').trim().startsWith('>')) return i;
  }
  return undefined;
}

/** Joins lines into the final text, inserting the quote marker and collapsing blank runs. */
export function assembleLines(
  lines: readonly string[],
  quoteLine: number | undefined,
): { text: string; quotedFrom: number | undefined; invisibleRemoved: number } {
  const out: string[] = [];
  let length = 0;
  let quotedFrom: number | undefined;
  let invisibleRemoved = 0;
  let blankPending = false;
  const push = (line: string): void => {
    length += (out.length > 0 ? 1 : 0) + line.length;
    out.push(line);
  };
  for (let i = 0; i < lines.length; i++) {
    if (i === quoteLine) {
      if (out.length > 0) push('');
      quotedFrom = out.length > 0 ? length + 1 : 0;
      push(QUOTED_HISTORY_MARKER);
      blankPending = false;
    }
    // Defence in depth: everything written was already cleaned, so this removes nothing in practice.
    const cleaned = stripInvisible(lines[i] ?? '');
    invisibleRemoved += cleaned.removed;
    let line = cleaned.text.trimEnd();
    if (line.length === 0) {
      blankPending = out.length > 0;
      continue;
    }
    if (out.length === 0) line = line.trimStart();
    if (blankPending) push('');
    blankPending = false;
    push(line);
  }
  return { text: out.join('\n'), quotedFrom, invisibleRemoved };
}
