/** Query-string reading and the paging options shared by every collection. */
import { GraphErrorResponse } from '../errors.js';

const SYSTEM_OPTIONS: ReadonlySet<string> = new Set([
  '$select', '$filter', '$orderby', '$top', '$skip', '$count', '$search', '$expand', '$skiptoken', '$format', '$deltatoken',
]);

/**
 * Reads a query string. System options (`$top`…) are matched without regard
 * to case; repeating one, or inventing one, is a 400 as in OData.
 */
export function readQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, value] of new URLSearchParams(search)) {
    const name = rawName.startsWith('$') ? rawName.toLowerCase() : rawName;
    if (name.startsWith('$')) {
      if (!SYSTEM_OPTIONS.has(name)) throw new GraphErrorResponse(400, 'BadRequest', `The query specified in the URI is not valid. The system query option '${rawName}' is not supported.`);
      if (name in out) throw new GraphErrorResponse(400, 'BadRequest', `Query option '${name}' was specified more than once, but it must be specified at most once.`);
    }
    out[name] = value;
  }
  return out;
}

/** Case-insensitive lookup of a non-system parameter such as `startDateTime`. */
export function param(query: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(query)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function nonNegativeInt(query: Readonly<Record<string, string>>, name: '$top' | '$skip'): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) {
    throw new GraphErrorResponse(400, 'BadRequest', `Invalid value '${raw}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`);
  }
  return Number(raw.trim());
}

/** `$top`, checked against Outlook's 1..max range. */
export function readTop(query: Readonly<Record<string, string>>, max = 1000): number | undefined {
  const top = nonNegativeInt(query, '$top');
  if (top !== undefined && (top < 1 || top > max)) {
    throw new GraphErrorResponse(400, 'ErrorInvalidArgument', `The value '${top}' of the query option '$top' is out of range. It must be between 1 and ${max}.`);
  }
  return top;
}

/** `$skip` (0 when absent). */
export function readSkip(query: Readonly<Record<string, string>>): number {
  return nonNegativeInt(query, '$skip') ?? 0;
}

/** `$count=true|false`. */
export function readCount(query: Readonly<Record<string, string>>): boolean {
  const raw = query['$count'];
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new GraphErrorResponse(400, 'BadRequest', `'${raw}' is not a valid count option.`);
}
