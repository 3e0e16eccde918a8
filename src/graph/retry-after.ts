/**
 * Retry timing for Graph throttling (docs/GRAPH-NOTES.md §7): `Retry-After` parsing
 * and exponential backoff. Pure functions; the HTTP client decides when to
 * retry and caps the delay.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// RFC 7231 §7.1.1.1: senders use IMF-fixdate; recipients must also accept the
// obsolete RFC 850 and asctime forms. The weekday is not cross-checked: a
// wrong weekday is a sender bug that does not make the date ambiguous.
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;
const SECONDS = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Delay in ms requested by a `Retry-After` header value (delay-seconds, possibly
 * fractional, or an HTTP-date relative to `nowMs`); undefined when absent or
 * invalid, 0 for a date in the past.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (SECONDS.test(text)) {
    const ms = Math.ceil(Number(text) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const at = parseHttpDate(text, nowMs);
  if (at === undefined) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with full jitter: a uniform whole-ms delay between 0 and
 * `min(capMs, baseMs * 2^attempt)`, attempt 0 being the first retry.
 */
export function backoffDelay(attempt: number, opts: { baseMs: number; capMs: number; random?: () => number }): number {
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.max(0, Math.min(opts.capMs, opts.baseMs * 2 ** n));
  const r = (opts.random ?? Math.random)();
  // A misbehaving random source must not push the delay past the cap.
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}

function parseHttpDate(text: string, nowMs: number): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC_850.exec(text);
  if (m) {
    // RFC 7231: a two-digit year more than 50 years in the future means the previous century.
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(m[3]);
    if (year > nowYear + 50) year -= 100;
    return utc(year, m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME.exec(text);
  if (m) return utc(Number(m[6]), m[1], Number((m[2] ?? '').trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

function utc(year: number, monthName: string | undefined, day: number, hour: number, minute: number, second: number): number | undefined {
  const month = MONTHS.indexOf(monthName ?? '');
  if (month < 0 || hour > 23 || minute > 59 || second > 59 || day < 1) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  // Date rolls 31 Feb over into March; an HTTP-date that does so is invalid.
  if (d.getUTCMonth() !== month || d.getUTCDate() !== day) return undefined;
  return d.getTime();
}
