import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig, mailboxRoot, validateProfileName } from '../../src/config/config.js';

const base = { OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_CACHE_DIR: '/tmp/outlook-test-cache' };

describe('loadConfig', () => {
  it('defaults to a read-only, delegated, global configuration', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ profile: 'default', allowDrafts: false, allowSend: false, authMode: 'delegated', cloud: 'global', sandbox: false });
    expect(c.graphUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(c.authorityUrl).toBe('https://login.microsoftonline.com');
    expect(c.profileDir).toBe(path.join('/tmp/outlook-test-cache', 'default'));
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each(['true', 'TRUE', 'True', ' true '])('accepts %j as true', (v) => {
    expect(loadConfig({ ...base, OUTLOOK_ALLOW_DRAFTS: v }).allowDrafts).toBe(true);
  });

  it.each(['yes', '1', 'on', 'enabled', 'tru'])('refuses %j for OUTLOOK_ALLOW_DRAFTS, naming the variable and the allowed values', (v) => {
    expect(() => loadConfig({ ...base, OUTLOOK_ALLOW_DRAFTS: v })).toThrowError(/OUTLOOK_ALLOW_DRAFTS=.*"true" or "false"/);
  });

  it('refuses a bad OUTLOOK_ALLOW_SEND the same way', () => {
    const err = (() => {
      try {
        loadConfig({ ...base, OUTLOOK_ALLOW_SEND: 'maybe' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('OUTLOOK_ALLOW_SEND');
  });

  it('OUTLOOK_SEND_CONFIRMATION defaults to elicit, accepts client, refuses anything else by name', () => {
    expect(loadConfig(base).sendConfirmation).toBe('elicit');
    expect(loadConfig({ ...base, OUTLOOK_SEND_CONFIRMATION: 'Client' }).sendConfirmation).toBe('client');
    expect(() => loadConfig({ ...base, OUTLOOK_SEND_CONFIRMATION: 'none' })).toThrowError(/OUTLOOK_SEND_CONFIRMATION="none" is not allowed. Use one of: elicit, client/);
  });

  it('refuses send without drafts', () => {
    expect(() => loadConfig({ ...base, OUTLOOK_ALLOW_SEND: 'true' })).toThrowError(/needs OUTLOOK_ALLOW_DRAFTS=true/);
  });

  it.each([
    ['usgov', 'graph.microsoft.us', 'login.microsoftonline.us'],
    ['usgov-dod', 'dod-graph.microsoft.us', 'login.microsoftonline.us'],
    ['china', 'microsoftgraph.chinacloudapi.cn', 'login.chinacloudapi.cn'],
  ])('OUTLOOK_CLOUD=%s picks its hosts', (cloud, graph, login) => {
    const c = loadConfig({ ...base, OUTLOOK_CLOUD: cloud });
    expect(c.graphUrl).toBe(`https://${graph}/v1.0`);
    expect(c.authorityUrl).toBe(`https://${login}`);
  });

  it('refuses an unknown cloud', () => {
    expect(() => loadConfig({ ...base, OUTLOOK_CLOUD: 'mars' })).toThrowError(/OUTLOOK_CLOUD.*global, usgov, usgov-dod, china/);
  });

  it('OUTLOOK_GRAPH_URL overrides the Graph base; plain http only on loopback', () => {
    expect(loadConfig({ ...base, OUTLOOK_GRAPH_URL: 'http://127.0.0.1:4010/v1.0/' }).graphUrl).toBe('http://127.0.0.1:4010/v1.0');
    expect(() => loadConfig({ ...base, OUTLOOK_GRAPH_URL: 'http://proxy.example.com/v1.0' })).toThrowError(/must use https/);
    expect(() => loadConfig({ ...base, OUTLOOK_GRAPH_URL: 'not a url' })).toThrowError(/not a URL/);
  });

  it('a client secret implies service-principal mode, which needs client, tenant and mailbox', () => {
    expect(() => loadConfig({ ...base, OUTLOOK_CLIENT_SECRET: 's' })).toThrowError(/OUTLOOK_CLIENT_ID/);
    const c = loadConfig({ ...base, OUTLOOK_CLIENT_SECRET: 's', OUTLOOK_CLIENT_ID: 'c', OUTLOOK_TENANT_ID: 't', OUTLOOK_MAILBOX: 'ops@contoso.com' });
    expect(c.authMode).toBe('service-principal');
    expect(mailboxRoot(c)).toBe('/users/ops%40contoso.com');
    expect(mailboxRoot(loadConfig(base))).toBe('/me');
  });

  it('refuses a mailbox that is not an address', () => {
    expect(() => loadConfig({ ...base, OUTLOOK_MAILBOX: '../me/send' })).toThrowError(/OUTLOOK_MAILBOX/);
  });

  it('refuses an unknown time zone', () => {
    expect(() => loadConfig({ ...base, OUTLOOK_TIMEZONE: 'Mars/Olympus' })).toThrowError(/OUTLOOK_TIMEZONE.*IANA/);
  });

  it('the --profile flag wins over OUTLOOK_PROFILE, and both are validated', () => {
    expect(loadConfig({ ...base, OUTLOOK_PROFILE: 'a' }, { profile: 'b' }).profile).toBe('b');
    expect(() => loadConfig(base, { profile: '../x' })).toThrowError(/--profile/);
  });

  it('OUTLOOK_ATTACHMENT_DIRS lists absolute directories only', () => {
    expect(loadConfig(base).attachmentDirs).toEqual([]);
    expect(loadConfig({ ...base, OUTLOOK_ATTACHMENT_DIRS: `/tmp/a${path.delimiter} /tmp/b/../c ` }).attachmentDirs).toEqual(['/tmp/a', '/tmp/c']);
    expect(() => loadConfig({ ...base, OUTLOOK_ATTACHMENT_DIRS: 'relative/dir' })).toThrowError(/OUTLOOK_ATTACHMENT_DIRS: "relative\/dir" is not an absolute path/);
  });

  it('OUTLOOK_SANDBOX=true or the flag turns the sandbox on', () => {
    expect(loadConfig({ ...base, OUTLOOK_SANDBOX: 'true' }).sandbox).toBe(true);
    expect(loadConfig(base, { sandbox: true }).sandbox).toBe(true);
  });
});

describe('validateProfileName', () => {
  it.each(['default', 'acme', 'client-a.prod', 'A_1', 'x'.repeat(64)])('accepts %j', (n) => {
    expect(validateProfileName(n)).toBe(n);
  });
  it.each(['', '.', '..', '../etc', 'a/b', 'a\\b', 'x'.repeat(65), 'héllo', 'a b', 'a:b', '@sandbox'])('refuses %j', (n) => {
    expect(() => validateProfileName(n)).toThrowError(ConfigError);
  });
});

describe('other mailboxes (OUTLOOK_ALLOW_SHARED_MAILBOXES)', () => {
  it('is off by default, and OUTLOOK_MAILBOX in delegated mode then names the setting instead of being ignored', () => {
    expect(loadConfig(base)).toMatchObject({ allowSharedMailboxes: false, sharedMailboxes: [] });
    expect(() => loadConfig({ ...base, OUTLOOK_MAILBOX: 'support@contoso.com' })).toThrowError(/OUTLOOK_ALLOW_SHARED_MAILBOXES=true/);
  });

  it('makes OUTLOOK_MAILBOX the delegated default mailbox with the opt-in', () => {
    const c = loadConfig({ ...base, OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_MAILBOX: 'support@contoso.com' });
    expect(mailboxRoot(c)).toBe('/users/support%40contoso.com');
    expect(mailboxRoot(loadConfig({ ...base, OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' }))).toBe('/me');
  });

  it('checks and lower-cases OUTLOOK_SHARED_MAILBOXES, and wants the opt-in with it', () => {
    expect(loadConfig({ ...base, OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_SHARED_MAILBOXES: ' Support@Contoso.com , invoices@contoso.com' }).sharedMailboxes).toEqual(['support@contoso.com', 'invoices@contoso.com']);
    expect(() => loadConfig({ ...base, OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_SHARED_MAILBOXES: 'support@contoso.com,../me' })).toThrowError(/OUTLOOK_SHARED_MAILBOXES: "..\/me"/);
    expect(() => loadConfig({ ...base, OUTLOOK_SHARED_MAILBOXES: 'support@contoso.com' })).toThrowError(/OUTLOOK_ALLOW_SHARED_MAILBOXES/);
    expect(() => loadConfig({ ...base, OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_SHARED_MAILBOXES: 'a@contoso.com', OUTLOOK_MAILBOX: 'b@contoso.com' })).toThrowError(/not in OUTLOOK_SHARED_MAILBOXES/);
  });

  it('refuses personal Microsoft accounts with a reason', () => {
    for (const tenant of ['consumers', '9188040d-6c67-4c5b-b112-36a304b66dad']) {
      expect(() => loadConfig({ ...base, OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_TENANT_ID: tenant })).toThrowError(/personal Microsoft accounts/);
    }
  });
});

describe('group conversations (OUTLOOK_ALLOW_GROUP_MAILBOXES)', () => {
  it('is off by default and on with the setting', () => {
    expect(loadConfig(base).allowGroupMailboxes).toBe(false);
    expect(loadConfig({ ...base, OUTLOOK_ALLOW_GROUP_MAILBOXES: 'true' }).allowGroupMailboxes).toBe(true);
    expect(() => loadConfig({ ...base, OUTLOOK_ALLOW_GROUP_MAILBOXES: 'maybe' })).toThrowError(/OUTLOOK_ALLOW_GROUP_MAILBOXES/);
  });

  it('refuses personal Microsoft accounts with a reason', () => {
    expect(() => loadConfig({ ...base, OUTLOOK_ALLOW_GROUP_MAILBOXES: 'true', OUTLOOK_TENANT_ID: 'consumers' })).toThrowError(/OUTLOOK_ALLOW_GROUP_MAILBOXES=true cannot work .* no Microsoft 365 groups/);
  });
});
