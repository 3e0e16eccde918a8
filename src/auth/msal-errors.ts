/**
 * MSAL's exceptions as `EntraFailure`s, so they can be explained by
 * `explainEntraError`. MSAL's own client-side errors (cancelled, timed out,
 * no tokens) are mapped to the OAuth errors they correspond to.
 */
import type { EntraFailure } from './entra-errors.js';
import type { FailureLog } from './msal-http.js';

interface AuthErrorShape {
  errorCode?: unknown;
  errorMessage?: unknown;
  subError?: unknown;
  correlationId?: unknown;
  errorNo?: unknown;
}

const CLIENT_CODES: Readonly<Record<string, string>> = {
  device_code_expired: 'expired_token',
  user_timeout_reached: 'expired_token',
  no_tokens_found: 'not_signed_in',
  refresh_token_expired: 'invalid_grant',
  network_error: 'network_error',
};

/** What Entra (or MSAL) said, preferring the full answer the transport recorded for the request. */
export function failureOf(err: unknown, failures?: FailureLog): EntraFailure {
  const e = (err ?? {}) as AuthErrorShape;
  const correlationId = typeof e.correlationId === 'string' ? e.correlationId : undefined;
  const recorded = correlationId ? failures?.get(correlationId) : undefined;
  const code = typeof e.errorCode === 'string' ? e.errorCode : undefined;
  const message = typeof e.errorMessage === 'string' ? e.errorMessage : err instanceof Error ? err.message : String(err);
  if (recorded && (code === undefined || code === 'post_request_failed' || recorded.error === code || code === 'network_error' || code === 'invalid_grant' || code === 'interaction_required')) {
    return recorded;
  }
  // A failed device-code poll carries only the OAuth error, as its message.
  if (code === 'post_request_failed') return { error: message.split(/\s/)[0] };
  if (code && CLIENT_CODES[code]) return { error: CLIENT_CODES[code], description: message };
  const errorNo = typeof e.errorNo === 'string' || typeof e.errorNo === 'number' ? Number(e.errorNo) : undefined;
  return {
    error: code,
    description: message,
    ...(errorNo !== undefined && Number.isFinite(errorNo) ? { errorCodes: [errorNo] } : {}),
    ...(typeof e.subError === 'string' && e.subError ? { suberror: e.subError } : {}),
  };
}
