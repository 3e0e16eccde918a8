/**
 * On-behalf-of with a certificate instead of a secret: MSAL signs a client
 * assertion with the key from OUTLOOK_CLIENT_CERTIFICATE_PATH; an unusable
 * file stops the start naming the variable. The certificate is made by
 * openssl for the test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { startRemote } from '../helpers/remote-harness.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-remote-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeCertificate(): string {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=outlook-mcp-test'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const both = path.join(dir, 'app.pem');
  writeFileSync(both, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'));
  return both;
}

describe('remote mode: certificate credential', () => {
  it('exchanges on behalf of the caller with a client assertion signed by the certificate key', async () => {
    const h = await startRemote({ env: { OUTLOOK_CLIENT_SECRET: '', OUTLOOK_CLIENT_CERTIFICATE_PATH: makeCertificate() } });
    try {
      const c = await h.connectAs('blake');
      const r = await c.ok<{ messages: Array<{ subject: string }> }>('ol_email_list_unread', { limit: 2 });
      expect(r.messages.map((m) => m.subject)).toContain('Only for Blake Okafor: mailbox blake');
      const obo = h.sandbox.identity!.requests.filter((q) => q.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer');
      expect(obo.map((q) => q.status)).toEqual([200]);
    } finally {
      await h.close();
    }
  });

  it('a file without a private key stops the start, naming OUTLOOK_CLIENT_CERTIFICATE_PATH', async () => {
    const certOnly = path.join(dir, 'cert-only.pem');
    writeFileSync(certOnly, readFileSync(path.join(dir, 'cert.pem'), 'utf8'));
    const err = await startRemote({ env: { OUTLOOK_CLIENT_SECRET: '', OUTLOOK_CLIENT_CERTIFICATE_PATH: certOnly } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('OUTLOOK_CLIENT_CERTIFICATE_PATH');
  });
});
