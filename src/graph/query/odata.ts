/**
 * OData literal builders for Microsoft Graph `$filter` expressions. Every value
 * that reaches a `$filter` goes through one of these, so no caller-supplied
 * text can end a literal early and add clauses of its own.
 */

/** Quotes `value` as an OData string literal (`'…'`, with `'` doubled). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Formats `d` as an OData DateTimeOffset literal in UTC, truncated to whole seconds: `2025-01-01T00:00:00Z`. */
export function odataDateTime(d: Date): string {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('odataDateTime: invalid Date');
  const iso = d.toISOString();
  // toISOString switches to a signed six-digit year outside 0000–9999, which OData rejects.
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`odataDateTime: year out of range in ${iso}`);
  return `${iso.slice(0, 19)}Z`;
}

/** Formats a boolean as an OData literal (`true` / `false`). */
export function odataBool(value: boolean): string {
  return value ? 'true' : 'false';
}
