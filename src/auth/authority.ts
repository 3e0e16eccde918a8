/**
 * Where MSAL signs in: the authority URL per tenant, for each cloud, for an
 * `OUTLOOK_AUTHORITY_URL` override, and for a loopback identity server (the
 * sandbox) using the recipe of docs/GRAPH-NOTES.md §9: an https authority on a host
 * MSAL is told to trust, whose metadata points at plain-http loopback
 * endpoints, so MSAL makes no discovery request.
 */
import { isLoopback } from '../config/config.js';
import { CLOUDS } from '../config/clouds.js';

/**
 * The public client used when `OUTLOOK_CLIENT_ID` is not set: Microsoft's own
 * "Microsoft Graph Command Line Tools" app (the one Microsoft Graph PowerShell
 * and the Graph CLI sign in with). It is a multi-tenant public client that
 * allows device-code sign-in and requests Graph permissions dynamically. See
 * docs/AUTH.md for what that means for consent.
 */
export const DEFAULT_PUBLIC_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

/** The tenant id of personal Microsoft accounts (outlook.com, hotmail.com, live.com). */
export const PERSONAL_ACCOUNTS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** The name MSAL is given for a loopback identity server; it never resolves and never needs to. */
export const LOOPBACK_AUTHORITY_HOST = 'login.sandbox.invalid';

/** Tenant segments that name a group of accounts rather than one directory. */
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);

export interface MsalAuthority {
  /** `https://host/<tenant>`. */
  readonly authority: string;
  readonly knownAuthorities?: string[];
  /** OpenID metadata as a JSON string, when MSAL must not discover it over the network. */
  readonly authorityMetadata?: string;
}

/** How to reach the identity provider of one configuration, for any tenant. */
export interface AuthorityEndpoints {
  /** Host of the authority URLs MSAL sees (also the `environment` of its cache entries). */
  readonly host: string;
  /** MSAL authority options for `tenant`. */
  forTenant(tenant: string): MsalAuthority;
  /** The token endpoint for `tenant` (for messages; MSAL derives its own). */
  tokenEndpoint(tenant: string): string;
}

/**
 * Authority endpoints for `authorityUrl` (`https://login.microsoftonline.us`,
 * or `http://127.0.0.1:PORT` for a loopback identity server).
 */
export function authorityEndpoints(authorityUrl: string): AuthorityEndpoints {
  const url = new URL(authorityUrl);
  const base = authorityUrl.replace(/\/+$/, '');
  if (url.protocol === 'http:' && isLoopback(url.hostname)) {
    // The tenant must stay the first path segment: MSAL rewrites that segment when it resolves a tenant-specific endpoint.
    const metadata = JSON.stringify({
      token_endpoint: `${base}/{tenant}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/{tenant}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/{tenant}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/{tenant}/discovery/v2.0/keys`,
      issuer: `https://${LOOPBACK_AUTHORITY_HOST}/{tenant}/v2.0`,
    });
    return {
      host: LOOPBACK_AUTHORITY_HOST,
      forTenant: (tenant) => ({ authority: `https://${LOOPBACK_AUTHORITY_HOST}/${tenant}`, knownAuthorities: [LOOPBACK_AUTHORITY_HOST], authorityMetadata: metadata }),
      tokenEndpoint: (tenant) => `${base}/${tenant}/oauth2/v2.0/token`,
    };
  }
  const host = url.host.toLowerCase();
  const known = Object.values(CLOUDS).some((c) => c.authorityHost === host);
  return {
    host,
    // A host MSAL does not know (a proxy) must be trusted explicitly, or MSAL refuses it as an untrusted authority.
    forTenant: (tenant) => (known ? { authority: `${base}/${tenant}` } : { authority: `${base}/${tenant}`, knownAuthorities: [host] }),
    tokenEndpoint: (tenant) => `${base}/${tenant}/oauth2/v2.0/token`,
  };
}

/** The tenant segment to sign in with: the configured tenant, else `common` (work, school and personal accounts). */
export function signInTenant(configuredTenant: string | undefined): string {
  return configuredTenant?.trim() || 'common';
}

/**
 * The tenant segment to renew an account's tokens with: its own authority.
 * Personal accounts go through `consumers` (renewing them through `common`
 * fails with AADSTS70000); work and school accounts through the tenant they
 * signed in to, or the configured tenant when one is pinned.
 */
export function renewalTenant(accountTenantId: string, configuredTenant: string | undefined): string {
  const configured = configuredTenant?.trim();
  if (configured && !MULTI_TENANT.has(configured.toLowerCase())) return configured;
  if (accountTenantId.toLowerCase() === PERSONAL_ACCOUNTS_TENANT_ID || configured?.toLowerCase() === 'consumers') return 'consumers';
  return accountTenantId || configured || 'organizations';
}

/** True when the account is a personal Microsoft account. */
export function isPersonalAccount(tenantId: string | undefined): boolean {
  return tenantId?.toLowerCase() === PERSONAL_ACCOUNTS_TENANT_ID;
}

/** True when the configured tenant names one directory (a GUID or a domain), not a group such as `common`. */
export function isSpecificTenant(tenant: string | undefined): tenant is string {
  return !!tenant && !MULTI_TENANT.has(tenant.trim().toLowerCase());
}
