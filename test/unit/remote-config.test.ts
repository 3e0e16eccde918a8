/** Remote mode's settings: explicit auth modes, and every bad value a start-up error naming its variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { userKeyOf, approvalKeyOf } from '../../src/remote/user-key.js';

const TENANT = 'c0de5a4d-b0c5-4e11-9a7e-5a4db0c5c0de';
const base = {
  OUTLOOK_CACHE_DIR: '/tmp/outlook-remote-config',
  OUTLOOK_TRANSPORT: 'http',
  OUTLOOK_AUTH_MODE: 'obo',
  OUTLOOK_CLIENT_ID: '5e1f0a11-0b0e-4a1f-9c0d-5a4db0c5a11e',
  OUTLOOK_CLIENT_SECRET: 'secret',
  OUTLOOK_PUBLIC_URL: 'https://mcp.contoso.example',
  OUTLOOK_ALLOWED_TENANTS: TENANT,
  OUTLOOK_API_SCOPE: 'api://5e1f0a11-0b0e-4a1f-9c0d-5a4db0c5a11e/access_as_user',
  OUTLOOK_STATE_SECRET: 'x'.repeat(32),
};

function variableOf(env: Record<string, string | undefined>, opts = {}): string {
  try {
    loadConfig(env, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).variable;
  }
  throw new Error('expected a ConfigError');
}

describe('remote mode configuration', () => {
  it('reads a complete remote configuration with its defaults', () => {
    const c = loadConfig(base);
    expect(c.transport).toBe('http');
    expect(c.authMode).toBe('obo');
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 8080, publicUrl: 'https://mcp.contoso.example', allowedTenants: [TENANT], allowedOriginHosts: [] });
    expect(c.http?.audiences).toEqual([base.OUTLOOK_CLIENT_ID, `api://${base.OUTLOOK_CLIENT_ID}`]);
  });

  it('flags win over the environment', () => {
    const c = loadConfig({ ...base, OUTLOOK_TRANSPORT: undefined, OUTLOOK_HTTP_PORT: '9000' }, { http: true, host: '0.0.0.0', port: '9100' });
    expect(c.transport).toBe('http');
    expect(c.http).toMatchObject({ host: '0.0.0.0', port: 9100 });
  });

  it('keeps stdio the default, and a secret alone still means service principal', () => {
    const c = loadConfig({ OUTLOOK_CACHE_DIR: '/tmp/x', OUTLOOK_CLIENT_SECRET: 's', OUTLOOK_CLIENT_ID: 'c', OUTLOOK_TENANT_ID: 't', OUTLOOK_MAILBOX: 'ops@contoso.example' });
    expect(c.transport).toBe('stdio');
    expect(c.http).toBeUndefined();
    expect(c.authMode).toBe('service-principal');
  });

  it.each([
    [{ OUTLOOK_AUTH_MODE: 'delegated' }, 'OUTLOOK_AUTH_MODE'],
    [{ OUTLOOK_AUTH_MODE: undefined, OUTLOOK_CLIENT_SECRET: 'implied-service-principal' }, 'OUTLOOK_AUTH_MODE'],
    [{ OUTLOOK_TRANSPORT: 'stdio' }, 'OUTLOOK_TRANSPORT'],
    [{ OUTLOOK_TRANSPORT: 'websocket' }, 'OUTLOOK_TRANSPORT'],
    [{ OUTLOOK_CLIENT_ID: undefined, OUTLOOK_API_AUDIENCE: 'x' }, 'OUTLOOK_CLIENT_ID'],
    [{ OUTLOOK_CLIENT_SECRET: undefined }, 'OUTLOOK_CLIENT_SECRET'],
    [{ OUTLOOK_PUBLIC_URL: undefined }, 'OUTLOOK_PUBLIC_URL'],
    [{ OUTLOOK_PUBLIC_URL: 'http://mcp.contoso.example' }, 'OUTLOOK_PUBLIC_URL'],
    [{ OUTLOOK_PUBLIC_URL: 'https://mcp.contoso.example/?a=1' }, 'OUTLOOK_PUBLIC_URL'],
    [{ OUTLOOK_ALLOWED_TENANTS: '' }, 'OUTLOOK_ALLOWED_TENANTS'],
    [{ OUTLOOK_ALLOWED_TENANTS: 'common' }, 'OUTLOOK_ALLOWED_TENANTS'],
    [{ OUTLOOK_API_SCOPE: 'access_as_user' }, 'OUTLOOK_API_SCOPE'],
    [{ OUTLOOK_STATE_SECRET: 'short' }, 'OUTLOOK_STATE_SECRET'],
    [{ OUTLOOK_STATE_SECRET: undefined }, 'OUTLOOK_STATE_SECRET'],
    [{ OUTLOOK_RATE_LIMIT_PER_MINUTE: 'lots' }, 'OUTLOOK_RATE_LIMIT_PER_MINUTE'],
    [{ OUTLOOK_RATE_LIMIT_PER_MINUTE: '-1' }, 'OUTLOOK_RATE_LIMIT_PER_MINUTE'],
    [{ OUTLOOK_HTTP_PORT: '70000' }, 'OUTLOOK_HTTP_PORT'],
    [{ OUTLOOK_HTTP_PORT: 'eighty' }, 'OUTLOOK_HTTP_PORT'],
    [{ OUTLOOK_ALLOWED_ORIGINS: 'https://app.contoso.example/path' }, 'OUTLOOK_ALLOWED_ORIGINS'],
    [{ OUTLOOK_ACCESS_TOKEN: 'eyJ...' }, 'OUTLOOK_ACCESS_TOKEN'],
    [{ OUTLOOK_SANDBOX: 'true' }, 'OUTLOOK_SANDBOX'],
  ])('%o is refused, naming %s', (change, variable) => {
    expect(variableOf({ ...base, ...change })).toBe(variable);
  });

  it('obo with stdio is refused, naming OUTLOOK_TRANSPORT', () => {
    expect(variableOf({ ...base, OUTLOOK_TRANSPORT: undefined })).toBe('OUTLOOK_TRANSPORT');
  });

  it('reads OUTLOOK_STATE_SECRET once: remote mode and the Redis store see the same value', () => {
    const c = loadConfig({ ...base, OUTLOOK_STATE_STORE: 'redis', OUTLOOK_REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(c.http?.stateSecret).toBe('x'.repeat(32));
    expect(c.stateSecret).toBe(c.http?.stateSecret);
    // The one length rule applies to both (the too-short message is the state store's).
    expect(() => loadConfig({ ...base, OUTLOOK_STATE_SECRET: 'y'.repeat(31) })).toThrow(/too short \(31 characters\)/);
  });

  it('the per-person rate limit defaults to 600 a minute; 0 turns it off', () => {
    expect(loadConfig(base).http?.rateLimitPerMinute).toBe(600);
    expect(loadConfig({ ...base, OUTLOOK_RATE_LIMIT_PER_MINUTE: '0' }).http?.rateLimitPerMinute).toBe(0);
  });

  it('a certificate path stands in for the secret', () => {
    const c = loadConfig({ ...base, OUTLOOK_CLIENT_SECRET: undefined, OUTLOOK_CLIENT_CERTIFICATE_PATH: 'certs/app.pem' });
    expect(c.clientCertificatePath).toMatch(/certs\/app\.pem$/);
  });
});

describe('user keys', () => {
  it('are keyed hashes of tid/oid: stable, distinct per person and per secret, case-insensitive', () => {
    const p = { tenantId: TENANT, objectId: '3b1a7e00-b1a4-4e00-8b1a-7e00b1a4e001' };
    const k = userKeyOf('s'.repeat(32), p);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(userKeyOf('s'.repeat(32), { tenantId: TENANT.toUpperCase(), objectId: p.objectId.toUpperCase() })).toBe(k);
    expect(userKeyOf('t'.repeat(32), p)).not.toBe(k);
    expect(userKeyOf('s'.repeat(32), { ...p, objectId: '3b1a7e00-ca5e-4e00-8ca5-e00ca5e4e002' })).not.toBe(k);
    expect(k).not.toContain(p.objectId.replaceAll('-', ''));
    expect(Buffer.from(approvalKeyOf('s'.repeat(32), k))).toHaveLength(32);
  });
});
