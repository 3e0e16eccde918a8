/** `Prefer` request headers and the matching `Preference-Applied` response header. */

export interface Preferences {
  bodyContentType?: 'text' | 'html';
  /** The zone name exactly as the client sent it. */
  timeZone?: string;
  immutableId: boolean;
  /** OData `odata.maxpagesize`. */
  maxPageSize?: number;
}

/** Splits on commas outside double quotes. */
function splitPreferences(value: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Parses one or more `Prefer` header values (repeated headers and comma-separated lists alike). */
export function parsePrefer(values: string | readonly string[] | undefined): Preferences {
  const prefs: Preferences = { immutableId: false };
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  for (const header of list) {
    for (const item of splitPreferences(header)) {
      // Parameters after ';' are not used by any preference Graph reads.
      const [pair = ''] = item.split(';');
      const eq = pair.indexOf('=');
      const name = (eq < 0 ? pair : pair.slice(0, eq)).trim().toLowerCase();
      const raw = eq < 0 ? '' : pair.slice(eq + 1).trim();
      const value = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
      if (name === 'outlook.body-content-type') {
        const v = value.toLowerCase();
        if (v === 'text' || v === 'html') prefs.bodyContentType = v;
      } else if (name === 'outlook.timezone') {
        if (value !== '') prefs.timeZone = value;
      } else if (name === 'idtype') {
        if (value.toLowerCase() === 'immutableid') prefs.immutableId = true;
      } else if (name === 'odata.maxpagesize') {
        const n = Number(value);
        if (Number.isInteger(n) && n > 0) prefs.maxPageSize = n;
      }
    }
  }
  return prefs;
}

/** What a handler actually honoured, to be echoed in `Preference-Applied`. */
export interface AppliedPreferences {
  bodyContentType?: 'text' | 'html';
  timeZone?: string;
  immutableId?: boolean;
  maxPageSize?: number;
}

/** Formats `Preference-Applied` as Graph does, or undefined when nothing was applied. */
export function formatPreferenceApplied(applied: AppliedPreferences): string | undefined {
  const parts: string[] = [];
  if (applied.bodyContentType) parts.push(`outlook.body-content-type="${applied.bodyContentType}"`);
  if (applied.timeZone) parts.push(`outlook.timezone="${applied.timeZone}"`);
  if (applied.immutableId) parts.push('IdType="ImmutableId"');
  if (applied.maxPageSize) parts.push(`odata.maxpagesize=${applied.maxPageSize}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
