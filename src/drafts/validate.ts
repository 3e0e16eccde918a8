/** Argument checks shared by the mail and event draft services (pure, unit-tested). */
import { parse as parseSmtpAddress } from 'smtp-address-parser';
import { DraftInputError } from './errors.js';
import { stripInvisible } from '../text/invisible.js';

/** Exchange Online's default per-message recipient limit. */
export const MAX_RECIPIENTS = 500;
export const MAX_SUBJECT_CHARS = 255;
/** Generous for a human-written mail, small enough to keep a request well under Graph's 4 MB JSON limit. */
export const MAX_BODY_CHARS = 1_000_000;

export interface Address {
  name?: string;
  address: string;
}

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets, so a mailbox is at most 254. */
export const MAX_ADDRESS_OCTETS = 254;
/** RFC 5321 §4.5.3.1.1. */
export const MAX_LOCAL_PART_OCTETS = 64;

/**
 * Why `address` is not a mailbox mail may be sent to, or undefined when it is one: RFC 5321 `Mailbox`
 * syntax (smtp-address-parser, which also wants a fully qualified domain and DNS label lengths), at most
 * 254 octets, and nothing a person cannot see (an invisible or bidi character would make the address in
 * the send prompt differ from the one the mail goes to).
 */
export function mailboxProblem(address: string): string | undefined {
  if (address === '') return 'it is empty';
  if (stripInvisible(address).text !== address || /\s/u.test(address)) return 'it contains spaces, control or invisible characters';
  const octets = Buffer.byteLength(address, 'utf8');
  if (octets > MAX_ADDRESS_OCTETS) return `it is ${octets} characters long; an email address has at most ${MAX_ADDRESS_OCTETS}`;
  const at = address.lastIndexOf('@');
  if (at > 0 && Buffer.byteLength(address.slice(0, at), 'utf8') > MAX_LOCAL_PART_OCTETS) return `the part before @ is longer than ${MAX_LOCAL_PART_OCTETS} characters`;
  try {
    parseSmtpAddress(address);
  } catch (err) {
    // The parser's messages are multi-line grammar dumps; its one-line ones (domain checks) are worth passing on.
    const first = err instanceof Error ? (err.message.split('\n')[0] ?? '') : '';
    return /^Syntax error/.test(first) || first === '' ? 'it is not of the form name@example.com' : first;
  }
  return undefined;
}

/** Parses `a@b.c` or `Name <a@b.c>`; throws with the field, the reason and the accepted forms. */
export function parseAddress(input: string, field: string): Address {
  const raw = input.trim();
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(raw);
  const address = (m ? (m[2] as string) : raw).trim();
  const name = m ? (m[1] as string).trim().replace(/^"(.*)"$/, '$1') : undefined;
  const problem = mailboxProblem(address);
  if (problem) {
    throw new DraftInputError(
      `${field}: ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 60)}…${raw.slice(-20)}` : raw)} is not a valid email address (${problem}). Use name@example.com or "Name <name@example.com>", one address per list entry.`,
    );
  }
  return name ? { name, address } : { address };
}

/** Parses a list of addresses, refusing duplicates-insensitive overflow of the recipient limit later. */
export function parseAddresses(list: readonly string[] | undefined, field: string): Address[] | undefined {
  return list?.map((a, i) => parseAddress(a, `${field}[${i}]`));
}

/** Throws when the recipients together exceed MAX_RECIPIENTS. */
export function checkRecipientCount(...lists: ReadonlyArray<readonly Address[] | undefined>): void {
  const n = lists.reduce((sum, l) => sum + (l?.length ?? 0), 0);
  if (n > MAX_RECIPIENTS) throw new DraftInputError(`Too many recipients (${n}); Exchange accepts at most ${MAX_RECIPIENTS} per message. Use a distribution list.`);
}

/** Throws for an over-long subject or body. */
export function checkSizes(subject: string | undefined, body: string | undefined): void {
  if (subject !== undefined && subject.length > MAX_SUBJECT_CHARS) throw new DraftInputError(`subject is ${subject.length} characters; keep it to ${MAX_SUBJECT_CHARS}.`);
  if (subject !== undefined && /[\r\n]/.test(subject)) throw new DraftInputError('subject must be one line (no line breaks).');
  if (body !== undefined && body.length > MAX_BODY_CHARS) throw new DraftInputError(`body is ${body.length} characters; keep it under ${MAX_BODY_CHARS}, or attach the text as a file.`);
}

/** Graph's recipient shape. */
export function toGraphRecipients(list: readonly Address[]): Array<{ emailAddress: { address: string; name?: string } }> {
  return list.map((a) => ({ emailAddress: a.name ? { address: a.address, name: a.name } : { address: a.address } }));
}

/** `Name <addr>` or `addr`. */
export function formatAddress(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}
