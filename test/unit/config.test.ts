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
