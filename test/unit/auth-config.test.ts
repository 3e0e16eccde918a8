import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { loginCommandFor } from '../../src/auth/setup.js';

const base = { OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_CACHE_DIR: '/tmp/outlook-auth-config' };
const sp = { ...base, OUTLOOK_AUTH_MODE: 'service-principal', OUTLOOK_CLIENT_ID: 'c', OUTLOOK_TENANT_ID: 't', OUTLOOK_MAILBOX: 'ops@contoso.com' };

describe('sign-in configuration', () => {
  it('service-principal mode needs a client secret (live), not in the sandbox', () => {
    expect(() => loadConfig(sp)).toThrowError(/Service-principal mode needs OUTLOOK_CLIENT_SECRET/);
    expect(loadConfig({ ...sp, OUTLOOK_CLIENT_SECRET: 's' }).authMode).toBe('service-principal');
    expect(loadConfig({ ...base, OUTLOOK_AUTH_MODE: 'service-principal' }, { sandbox: true }).authMode).toBe('service-principal');
  });

  it('names the login command of the profile (and the sandbox)', () => {
    expect(loginCommandFor(loadConfig(base, { profile: 'acme' }))).toBe('mcp-server-outlook login --profile acme');
    expect(loginCommandFor(loadConfig(base, { sandbox: true }))).toBe('mcp-server-outlook --sandbox login --profile default');
  });
});
