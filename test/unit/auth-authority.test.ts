import { describe, expect, it } from 'vitest';
import { authorityEndpoints, isPersonalAccount, LOOPBACK_AUTHORITY_HOST, PERSONAL_ACCOUNTS_TENANT_ID, renewalTenant, signInTenant } from '../../src/auth/authority.js';
import { scopesFor } from '../../src/auth/scopes.js';
import { loadConfig } from '../../src/config/config.js';
import { SANDBOX_AUTHORITY_HOST } from '../../src/sandbox/identity/endpoint.js';

const base = { OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_CACHE_DIR: '/tmp/outlook-auth-unit' };

describe('each cloud selects sign-in host, Graph host and scope prefix together (docs/GRAPH-NOTES.md §8)', () => {
  it.each([
    ['global', 'login.microsoftonline.com', 'graph.microsoft.com', 'Mail.Read'],
    ['usgov', 'login.microsoftonline.us', 'graph.microsoft.us', 'https://graph.microsoft.us/Mail.Read'],
    ['usgov-dod', 'login.microsoftonline.us', 'dod-graph.microsoft.us', 'https://dod-graph.microsoft.us/Mail.Read'],
    ['china', 'login.chinacloudapi.cn', 'microsoftgraph.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn/Mail.Read'],
  ])('%s', (cloud, login, graph, firstScope) => {
    const config = loadConfig({ ...base, OUTLOOK_CLOUD: cloud });
    expect(config.graphUrl).toBe(`https://${graph}/v1.0`);
    const e = authorityEndpoints(config.authorityUrl);
    expect(e.host).toBe(login);
    // A host MSAL knows needs no knownAuthorities and no metadata: MSAL discovers it.
    expect(e.forTenant('organizations')).toEqual({ authority: `https://${login}/organizations` });
    expect(e.tokenEndpoint('contoso.com')).toBe(`https://${login}/contoso.com/oauth2/v2.0/token`);
    expect(scopesFor(config)[0]).toBe(firstScope);
    expect(scopesFor({ ...config, authMode: 'service-principal' })).toEqual([`https://${graph}/.default`]);
  });

  it('an unknown https authority (a proxy) is trusted explicitly', () => {
    const e = authorityEndpoints('https://login.proxy.example');
    expect(e.forTenant('common')).toEqual({ authority: 'https://login.proxy.example/common', knownAuthorities: ['login.proxy.example'] });
  });

  it('a loopback authority follows the docs/GRAPH-NOTES.md §9 recipe', () => {
    const e = authorityEndpoints('http://127.0.0.1:4010');
    const a = e.forTenant('common');
    expect(a.authority).toBe(`https://${LOOPBACK_AUTHORITY_HOST}/common`);
    expect(a.knownAuthorities).toEqual([LOOPBACK_AUTHORITY_HOST]);
    const meta = JSON.parse(a.authorityMetadata ?? '{}') as Record<string, string>;
    expect(meta.token_endpoint).toBe('http://127.0.0.1:4010/{tenant}/oauth2/v2.0/token');
    expect(meta.issuer).toBe(`https://${LOOPBACK_AUTHORITY_HOST}/{tenant}/v2.0`);
    for (const k of ['authorization_endpoint', 'end_session_endpoint', 'jwks_uri']) expect(meta[k]).toMatch(/^http:\/\/127\.0\.0\.1:4010\/\{tenant\}\//);
    expect(LOOPBACK_AUTHORITY_HOST).toBe(SANDBOX_AUTHORITY_HOST);
  });
});

describe('which tenant signs in and renews', () => {
  it('signs in through common unless a tenant is configured', () => {
    expect(signInTenant(undefined)).toBe('common');
    expect(signInTenant(' ')).toBe('common');
    expect(signInTenant('contoso.onmicrosoft.com')).toBe('contoso.onmicrosoft.com');
  });

  it('renews personal accounts through consumers and work accounts through their tenant (docs/GRAPH-NOTES.md §9)', () => {
    expect(renewalTenant(PERSONAL_ACCOUNTS_TENANT_ID, undefined)).toBe('consumers');
    expect(renewalTenant(PERSONAL_ACCOUNTS_TENANT_ID, 'common')).toBe('consumers');
    expect(renewalTenant('a1b2c3d4-0000-4000-8000-000000000001', undefined)).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect(renewalTenant('a1b2c3d4-0000-4000-8000-000000000001', 'organizations')).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    // A pinned tenant wins (a guest account renews in the tenant it works in).
    expect(renewalTenant('a1b2c3d4-0000-4000-8000-000000000001', 'fabrikam.com')).toBe('fabrikam.com');
    expect(isPersonalAccount(PERSONAL_ACCOUNTS_TENANT_ID.toUpperCase())).toBe(true);
  });
});
