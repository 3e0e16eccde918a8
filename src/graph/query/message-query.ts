/**
 * Compiles a mailbox query into a Microsoft Graph request (docs/GRAPH-NOTES.md §3).
 *
 * Graph offers two incompatible ways to narrow `…/messages`:
 *  - `$search` (KQL): free text plus `from:`/`to:`/`received`/`hasAttachments`;
 *    cannot be combined with `$filter` or `$orderby`; results come sorted by
 *    SENT date, at most 1,000 in total.
 *  - `$filter` + `$orderby=receivedDateTime desc`: exact, but the filter must
 *    start with the orderby property (else `InefficientFilter`), and it cannot
 *    match a sender by display name or any To recipient.
 *
 * With a free-text query, a sender given as a name, or a `to`, we use
 * `$search` and move whatever KQL cannot express exactly into
 * `clientFilter`, which the caller applies to each returned item
 * (`matchesClientFilter`). Otherwise we use `$filter`.
 *
 * Day rounding in search mode: KQL `received` compares whole days in a zone
 * Graph does not document, so the KQL bounds are widened by one day on each
 * side of the UTC day (`received>=` the day before, `received<=` the day
 * after), which includes every wanted message whatever zone the server uses
 * (UTC−12…UTC+14). The exact instants then go into `clientFilter`. A page may
 * therefore hold fewer than `top` matches after client filtering; follow
 * `@odata.nextLink` for more.
 *
 * Second rounding in filter mode: Graph timestamps are whole seconds, so
 * `receivedAfter` is rounded UP and `receivedBefore` DOWN to the second, which
 * is exact for them. Both bounds are inclusive (`ge` / `le`).
 */

import {
  kqlFrom,
  kqlHasAttachments,
  kqlJoin,
  kqlPhraseText,
  kqlReceivedOnOrAfter,
  kqlReceivedOnOrBefore,
  kqlTo,
  kqlUserTerms,
  searchParamValue,
} from './kql.js';
import { odataBool, odataDateTime, odataString } from './odata.js';

export interface MessageQuery {
  /** Free text; KQL allowed. Empty or whitespace = no query. */
  query?: string;
  /** Well-known folder name or folder id; undefined = whole mailbox. */
  folder?: string;
  /** An address (contains '@') or a display name / part of one. */
  from?: string;
  to?: string;
  /** Inclusive lower bound on receivedDateTime. */
  receivedAfter?: Date;
  /** Inclusive upper bound on receivedDateTime. */
  receivedBefore?: Date;
  /** Inclusive lower bound on lastModifiedDateTime. */
  modifiedAfter?: Date;
  hasAttachment?: boolean;
  unreadOnly?: boolean;
  /** 1..1000. */
  top: number;
  select: readonly string[];
}

export interface ClientFilter {
  receivedAfter?: Date;
  receivedBefore?: Date;
  modifiedAfter?: Date;
  unreadOnly?: boolean;
}

export interface CompiledMessageQuery {
  /** Relative to the mailbox root (`me/` or `users/{id}/`), e.g. `messages` or `mailFolders/inbox/messages`. */
  path: string;
  /** Ordered query parameters with unencoded values; encode with `buildQueryString`. */
  params: Array<[string, string]>;
  mode: 'search' | 'filter';
  /** Constraints Graph cannot express in this mode; apply to each item with `matchesClientFilter`. */
  clientFilter?: ClientFilter;
}

/** A query the caller (usually a person, through a tool) must change; the message says how. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  readonly code = 'INVALID_QUERY';
  constructor(
    /** The MessageQuery field at fault. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_QUERY_LENGTH = 1000;
export const MAX_ADDRESS_LENGTH = 320;
export const MAX_TOP = 1000;

const MIN_DATE_MS = Date.UTC(1900, 0, 1);
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
const DAY_MS = 86_400_000;
const SELECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Compiles `q` into a Graph path and ordered query parameters; throws `QueryError` on invalid input. */
export function compileMessageQuery(q: MessageQuery): CompiledMessageQuery {
  if (!Number.isInteger(q.top) || q.top < 1 || q.top > MAX_TOP) {
    throw new QueryError('top', `top must be a whole number from 1 to ${MAX_TOP} (got ${String(q.top)}).`);
  }
  const select = validateSelect(q.select);
  checkDate('receivedAfter', q.receivedAfter);
  checkDate('receivedBefore', q.receivedBefore);
  checkDate('modifiedAfter', q.modifiedAfter);
  if (q.receivedAfter && q.receivedBefore && q.receivedAfter.getTime() > q.receivedBefore.getTime()) {
    throw new QueryError(
      'receivedAfter',
      `The start date (${q.receivedAfter.toISOString()}) is after the end date (${q.receivedBefore.toISOString()}). Swap them or widen the range.`,
    );
  }

  const rawQuery = q.query?.trim() ?? '';
  if (rawQuery.length > MAX_QUERY_LENGTH) {
    throw new QueryError(
      'query',
      `The search text is ${rawQuery.length} characters long; the limit is ${MAX_QUERY_LENGTH}. Shorten it, or move sender and date constraints into their own fields.`,
    );
  }
  const userTerms = rawQuery === '' ? '' : kqlUserTerms(rawQuery);
  const from = cleanAddress('from', q.from);
  const to = cleanAddress('to', q.to);
  const path = folderPath(q.folder);

  const needsSearch = userTerms !== '' || to !== undefined || (from !== undefined && !from.includes('@'));
  if (needsSearch) {
    const restrictions: string[] = [];
    const clientFilter: ClientFilter = {};
    if (from !== undefined) restrictions.push(kqlFrom(searchable('from', from)));
    if (to !== undefined) restrictions.push(kqlTo(searchable('to', to)));
    if (q.receivedAfter) {
      restrictions.push(kqlReceivedOnOrAfter(new Date(q.receivedAfter.getTime() - DAY_MS)));
      clientFilter.receivedAfter = q.receivedAfter;
    }
    if (q.receivedBefore) {
      const dayAfter = q.receivedBefore.getTime() + DAY_MS;
      // Past 9999-12-31 the bound excludes nothing and cannot be written as a KQL date.
      if (dayAfter <= MAX_DATE_MS) restrictions.push(kqlReceivedOnOrBefore(new Date(dayAfter)));
      clientFilter.receivedBefore = q.receivedBefore;
    }
    if (q.hasAttachment !== undefined) restrictions.push(kqlHasAttachments(q.hasAttachment));
    if (q.unreadOnly) clientFilter.unreadOnly = true;
    if (q.modifiedAfter) clientFilter.modifiedAfter = q.modifiedAfter;

    const params: Array<[string, string]> = [
      ['$search', searchParamValue(kqlJoin(userTerms, restrictions))],
      ['$top', String(q.top)],
      ['$select', withClientFilterFields(select, clientFilter).join(',')],
    ];
    const compiled: CompiledMessageQuery = { path, params, mode: 'search' };
    if (Object.keys(clientFilter).length > 0) compiled.clientFilter = clientFilter;
    return compiled;
  }

  // The orderby property must open the filter, so a lower bound is always present.
  const clauses = [`receivedDateTime ge ${odataDateTime(ceilToSecond(q.receivedAfter ?? new Date(MIN_DATE_MS)))}`];
  if (q.receivedBefore) clauses.push(`receivedDateTime le ${odataDateTime(floorToSecond(q.receivedBefore))}`);
  if (q.unreadOnly) clauses.push('isRead eq false');
  if (from !== undefined) clauses.push(`from/emailAddress/address eq ${odataString(from)}`);
  if (q.hasAttachment !== undefined) clauses.push(`hasAttachments eq ${odataBool(q.hasAttachment)}`);
  if (q.modifiedAfter) clauses.push(`lastModifiedDateTime ge ${odataDateTime(ceilToSecond(q.modifiedAfter))}`);
  return {
    path,
    params: [
      ['$filter', clauses.join(' and ')],
      ['$orderby', 'receivedDateTime desc'],
      ['$top', String(q.top)],
      ['$select', select.join(',')],
    ],
    mode: 'filter',
  };
}

/** Encodes ordered parameters as `name=value&…` (no leading `?`), percent-encoding values and keeping `$` in names. */
export function buildQueryString(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([name, value]) => `${encodeURIComponent(wellFormed(name)).replace(/%24/g, '$')}=${encodeURIComponent(wellFormed(value))}`)
    .join('&');
}

/** The message fields `matchesClientFilter` reads (Graph wire names). */
export interface ClientFilterFields {
  receivedDateTime?: string;
  lastModifiedDateTime?: string;
  isRead?: boolean;
}

/**
 * Whether a returned message satisfies the compiled query's `clientFilter`.
 * A field the filter needs that is missing or unparseable fails the match.
 */
export function matchesClientFilter(item: ClientFilterFields, filter: ClientFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.unreadOnly && item.isRead !== false) return false;
  if (filter.receivedAfter || filter.receivedBefore) {
    const received = parseGraphTimestamp(item.receivedDateTime);
    if (received === undefined) return false;
    if (filter.receivedAfter && received < filter.receivedAfter.getTime()) return false;
    if (filter.receivedBefore && received > filter.receivedBefore.getTime()) return false;
  }
  if (filter.modifiedAfter) {
    const modified = parseGraphTimestamp(item.lastModifiedDateTime);
    if (modified === undefined || modified < filter.modifiedAfter.getTime()) return false;
  }
  return true;
}

function validateSelect(select: readonly string[]): string[] {
  if (select.length === 0) throw new QueryError('select', 'select must name at least one message property.');
  const out: string[] = [];
  for (const name of select) {
    if (!SELECT_NAME.test(name)) {
      throw new QueryError('select', `select: ${JSON.stringify(name)} is not a message property name.`);
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function withClientFilterFields(select: readonly string[], filter: ClientFilter): string[] {
  const out = [...select];
  const need = (name: string): void => {
    if (!out.includes(name)) out.push(name);
  };
  if (filter.receivedAfter || filter.receivedBefore) need('receivedDateTime');
  if (filter.modifiedAfter) need('lastModifiedDateTime');
  if (filter.unreadOnly) need('isRead');
  return out;
}

function checkDate(field: string, d: Date | undefined): void {
  if (d === undefined) return;
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new QueryError(field, `${field} is not a valid date.`);
  if (ms < MIN_DATE_MS || ms > MAX_DATE_MS) {
    throw new QueryError(field, `${field} (${d.toISOString()}) is out of range; use a date between 1900-01-01 and 9999-12-31.`);
  }
}

// Names and addresses are matched as phrases; control characters and runs of
// whitespace in them only come from copy-paste accidents.
function cleanAddress(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const cleaned = value.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  if (cleaned === '') return undefined;
  if (cleaned.length > MAX_ADDRESS_LENGTH) {
    throw new QueryError(field, `${field} is ${cleaned.length} characters long; give an address or a name of at most ${MAX_ADDRESS_LENGTH}.`);
  }
  return cleaned;
}

// Quotes and backslashes are dropped from KQL phrases (see kql.ts); a value
// made only of them would otherwise silently match every message.
function searchable(field: string, value: string): string {
  if (kqlPhraseText(value) === '') {
    throw new QueryError(field, `${field}: ${JSON.stringify(value)} has nothing to search for. Give an address or part of a name.`);
  }
  return value;
}

function folderPath(folder: string | undefined): string {
  if (folder === undefined || folder.trim() === '') return 'messages';
  return `mailFolders/${encodeURIComponent(wellFormed(folder))}/messages`;
}

function ceilToSecond(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / 1000) * 1000);
}

function floorToSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

// Graph sends UTC (`…Z`); a value without an offset is read as UTC rather than
// in this process's local zone.
function parseGraphTimestamp(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const hasZone = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(value);
  const ms = Date.parse(hasZone ? value : `${value}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

// encodeURIComponent throws on lone surrogates (possible in JSON input);
// U+FFFD keeps the request valid, as String.prototype.toWellFormed would.
function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
