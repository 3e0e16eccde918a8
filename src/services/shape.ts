/**
 * Small shaping helpers shared by the services: what the agent sees is
 * compact (no nulls, no empty arrays, no Graph noise).
 */
import { cleanOptional, cleanUntrusted, type UntrustedKind } from '../text/untrusted.js';
import { formatInZone } from '../text/dates.js';

export interface GraphRecipient {
  emailAddress?: { name?: string; address?: string };
}

/** `Name <address>`, or just the address when the name adds nothing; both go through the untrusted cleaner. */
export function formatRecipient(r: GraphRecipient | undefined): string | undefined {
  const rawName = stringOr(r?.emailAddress?.name)?.trim();
  const rawAddress = stringOr(r?.emailAddress?.address)?.trim();
  const name = cleanOptional(rawName, 'name');
  const address = cleanOptional(rawAddress, 'address');
  if (!address) return name || undefined;
  // Compared before cleaning: Graph names an unnamed recipient by its address, and a long address cut at
  // the name's cap would no longer equal itself and would be shown twice, the second copy pushed out of view.
  if (!name || rawName?.toLowerCase() === rawAddress?.toLowerCase()) return address;
  return `${name} <${address}>`;
}

/** Formats a recipient list, dropping empty entries. */
export function formatRecipients(list: readonly GraphRecipient[] | undefined): string[] {
  return objectsOf<GraphRecipient>(list).map(formatRecipient).filter((s): s is string => !!s);
}

/** Cleans a list of untrusted strings (categories…), dropping what is empty or not a string. */
export function cleanList(list: unknown, kind: UntrustedKind): string[] {
  return (Array.isArray(list) ? list : []).map((v) => cleanUntrusted(stringOr(v), kind)).filter((s) => s !== '');
}

/**
 * The items that carry a Graph id (a non-empty string), and how many did not.
 * An item without one cannot be opened or referred to, so it is left out and
 * counted: the agent is told, and the rest of the list is shown.
 */
export function identified<T extends { id?: unknown }>(items: readonly T[]): { items: Array<T & { id: string }>; skipped: number } {
  const kept = items.filter((i): i is T & { id: string } => typeof i.id === 'string' && i.id.trim() !== '');
  return { items: kept, skipped: items.length - kept.length };
}

/** Objects of a Graph array field; anything else (a string where a list belongs, nulls in it) is dropped. */
export function objectsOf<T extends object>(v: unknown): T[] {
  return Array.isArray(v) ? v.filter((x): x is T => x !== null && typeof x === 'object' && !Array.isArray(x)) : [];
}

/** `v` when it is a string; Graph fields a hostile server fills with other types become undefined. */
export function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Removes `undefined`, `null`, `false` flags, empty strings and empty arrays, recursively for plain objects. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === false || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype ? compact(v as Record<string, unknown>) : v;
  }
  return out as T;
}

/** Collapses whitespace and cuts a one-line snippet to `max` characters with an ellipsis. */
export function snippet(text: string | undefined, max: number): string | undefined {
  if (!text) return undefined;
  const one = text.replace(/\s+/g, ' ').trim();
  if (!one) return undefined;
  if (one.length <= max) return one;
  const cut = one.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return (sp > max * 0.6 ? cut.slice(0, sp) : cut) + '…';
}

/** The domain of `a@b.example` or `Name <a@b.example>` (lower case), if it has one. */
export function domainOf(address: string): string | undefined {
  const m = /@([^\s@>]+)>?\s*$/.exec(address.trim());
  return m?.[1]?.toLowerCase();
}

/** A Graph instant shown in `zone`; a value that is not a date (a hostile Graph) is shown cleaned, never thrown on. */
export function graphInstant(v: unknown, zone: string): string | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? cleanOptional(v, 'label') : formatInZone(d, zone, 'datetime');
}
