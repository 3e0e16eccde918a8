/** Date parsing shared by `$filter`, KQL and calendar windows. */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date or date-time to epoch milliseconds. No offset means
 * UTC, as Graph reads `startDateTime`/`endDateTime` and `dateTimeTimeZone`
 * values; JavaScript's `Date.parse` would read such strings as local time.
 */
export function parseInstant(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(t);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return t;
}

/** Graph's `dateTimeTimeZone.dateTime` spelling of an instant in UTC: `2025-01-31T09:00:00.0000000`. */
export function toGraphLocalDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + '.0000000';
}

/** Graph's `DateTimeOffset` spelling: `2025-01-31T09:00:00Z`. */
export function toGraphInstant(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}
