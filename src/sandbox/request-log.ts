/** Building `RecordedRequest`s without ever keeping a credential. */
import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedRequest } from './types.js';

/** Lower-cased headers with `authorization` replaced by a fixed marker. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    out[key] = key === 'authorization' ? 'Bearer <redacted>' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Query parameters for the log; any value equal to the token is redacted too. */
export function redactQuery(search: string, token: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) out[k] = v === token ? '<redacted>' : v;
  return out;
}

/** The body as the log keeps it: parsed JSON when it is JSON, text otherwise, absent when empty. */
export function loggedBody(raw: Buffer, parsed: { ok: boolean; value?: unknown }): unknown {
  if (raw.length === 0) return undefined;
  return parsed.ok ? parsed.value : raw.toString('utf8');
}

/** Fills in the fields of a log entry. */
export function recordedRequest(fields: RecordedRequest): RecordedRequest {
  const r: RecordedRequest = { ...fields };
  if (r.body === undefined) delete r.body;
  return r;
}
