/** Argument checks shared by the mail and event draft services (pure, unit-tested). */
import { DraftInputError } from './errors.js';

/** Exchange Online's default per-message recipient limit. */
export const MAX_RECIPIENTS = 500;
export const MAX_SUBJECT_CHARS = 255;
/** Generous for a human-written mail, small enough to keep a request well under Graph's 4 MB JSON limit. */
export const MAX_BODY_CHARS = 1_000_000;

export interface Address {
  name?: string;
  address: string;
}

// Deliberately plain: the server is the authority, this catches typos and injection (`,;<>"` and spaces).
const ADDRESS_RE = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+\.[^\s@<>()[\],;:"\\]+$/;

/** Parses `a@b.c` or `Name <a@b.c>`; throws with the field and the accepted forms. */
export function parseAddress(input: string, field: string): Address {
  const raw = input.trim();
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(raw);
  const address = (m ? (m[2] as string) : raw).trim();
  const name = m ? (m[1] as string).trim().replace(/^"(.*)"$/, '$1') : undefined;
  if (!ADDRESS_RE.test(address) || address.length > 320) {
    throw new DraftInputError(`${field}: ${JSON.stringify(raw.slice(0, 80))} is not an email address. Use name@example.com or "Name <name@example.com>", one address per list entry.`);
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
