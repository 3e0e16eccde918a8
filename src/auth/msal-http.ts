/**
 * MSAL's HTTP transport, on `fetch`. MSAL's own transport drops Entra's
 * `error_description` and `error_codes` when a device-code poll fails (it
 * keeps only the OAuth error), so this one remembers the last error answer
 * per correlation id: a declined, expired or consent-required sign-in can
 * then be explained by its AADSTS code. Nothing else is kept, and no token.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { EntraFailure } from './entra-errors.js';

/** The last failure seen per correlation id (bounded; old entries are dropped). */
export interface FailureLog {
  get(correlationId: string): EntraFailure | undefined;
}

/** A network module for MSAL plus the failures it saw. */
export interface MsalHttp {
  readonly network: INetworkModule;
  readonly failures: FailureLog;
}

const KEEP = 50;

/** Builds MSAL's transport over `fetchImpl`. */
export function msalHttp(fetchImpl: typeof fetch = fetch): MsalHttp {
  const seen = new Map<string, EntraFailure & { network?: string }>();
  const remember = (id: string | undefined, f: EntraFailure) => {
    if (!id) return;
    seen.delete(id);
    seen.set(id, f);
    if (seen.size > KEEP) seen.delete(seen.keys().next().value as string);
  };

  async function send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeoutMs?: number): Promise<NetworkResponse<T>> {
    const signal = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
    let res: Response;
    try {
      res = await fetchImpl(url, { method, headers: options?.headers, body: method === 'POST' ? (options?.body ?? '') : undefined, signal, redirect: 'error' });
    } catch (cause) {
      const host = safeHost(url);
      remember(options?.correlationId, { error: 'network_error', description: `Could not reach the sign-in service at ${host}: ${cause instanceof Error ? cause.message : String(cause)}` });
      throw new Error(`Could not reach the sign-in service at ${host}.`, { cause });
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: `The sign-in service answered ${res.status} with a body that is not JSON.` };
    }
    const b = body as { error?: unknown; error_description?: unknown; error_codes?: unknown; suberror?: unknown };
    if (typeof b.error === 'string' && b.error !== 'authorization_pending') {
      remember(options?.correlationId, {
        error: b.error,
        description: typeof b.error_description === 'string' ? b.error_description : undefined,
        errorCodes: Array.isArray(b.error_codes) ? b.error_codes.filter((c): c is number => typeof c === 'number') : undefined,
        suberror: typeof b.suberror === 'string' ? b.suberror : undefined,
      });
    }
    return { headers, body: body as T, status: res.status };
  }

  return {
    network: {
      sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
      sendPostRequestAsync: (url, options) => send('POST', url, options),
    },
    failures: { get: (id) => seen.get(id) },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured authority';
  }
}
