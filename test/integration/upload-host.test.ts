/**
 * Graph's attachment upload URLs are on another https host than Graph
 * (outlook.office.com, with an `authtoken` of their own: docs/GRAPH-NOTES.md §2).
 * The sandbox serves them the same way, on a listener of its own, so these
 * tests can tell from its request log where each PUT went and that the bearer
 * token never did.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { Logger } from '../../src/log.js';
import { SANDBOX_UPLOAD_ORIGIN, startRuntime, stateDir } from '../../src/runtime.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const UPLOAD_HOST = 'https://upload.sandbox.localhost';

describe('upload URLs on their own host', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sandbox: { uploadOrigin: SANDBOX_UPLOAD_ORIGIN }, env: { OUTLOOK_ALLOW_DRAFTS: 'true' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('the sandbox was started with the https upload host', () => {
    expect(SANDBOX_UPLOAD_ORIGIN).toBe(UPLOAD_HOST);
    expect(h.sandbox.uploadHost?.publicOrigin).toBe(UPLOAD_HOST);
  });

  it('a 5 MB attachment is PUT to the upload host, in ranges, with no Authorization header; Graph gets the token', async () => {
    const downloads = path.join(stateDir(h.runtime.deps.config), 'downloads');
    mkdirSync(downloads, { recursive: true });
    const big = Buffer.alloc(5 * 1024 * 1024 + 3, 9);
    writeFileSync(path.join(downloads, 'big.bin'), big);
    h.sandbox.clearLog();
    const d = await h.ok<{ attachments: unknown[] }>('ol_email_create_draft', { to: ['a@b.example'], subject: 'big', body: 'b', attachments: [{ path: path.join(downloads, 'big.bin') }] });
    expect(d.attachments).toHaveLength(1);

    const session = h.sandbox.requests.find((r) => r.path.endsWith('/attachments/createUploadSession'));
    expect(session).toMatchObject({ method: 'POST', hadAuthorization: true, status: 201 });
    expect(session?.host).toBeUndefined();
    const puts = h.sandbox.requests.filter((r) => r.method === 'PUT');
    // 5 MB in ≤ 4 MB ranges: two PUTs, both on the upload host, neither with a bearer token.
    expect(puts).toHaveLength(2);
    for (const put of puts) expect(put).toMatchObject({ host: UPLOAD_HOST, hadAuthorization: false, status: expect.any(Number) });
    expect(puts.every((r) => r.status < 300 && r.path.startsWith('/upload/'))).toBe(true);
    // Nothing reached the upload host but the PUTs; every Graph call carried the token.
    expect(h.sandbox.requests.filter((r) => r.host !== undefined)).toEqual(puts);
    expect(h.sandbox.requests.filter((r) => r.host === undefined).every((r) => r.hadAuthorization)).toBe(true);
    const m = h.sandbox.mailbox.messages.find((x) => x.subject === 'big');
    expect(m?.attachments[0]?.bytes.equals(big)).toBe(true);
  });
});

describe('the sandbox upload host', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ uploadOrigin: UPLOAD_HOST });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('names the upload host in uploadUrl; only its listener serves it, without a bearer token, and it serves nothing else', async () => {
    const auth = { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json' };
    const draft = (await (await fetch(`${sb.url}/me/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ subject: 'u' }) })).json()) as { id: string };
    const res = await fetch(`${sb.url}/me/messages/${encodeURIComponent(draft.id)}/attachments/createUploadSession`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ AttachmentItem: { attachmentType: 'file', name: 'x.bin', size: 4 } }),
    });
    const url = ((await res.json()) as { uploadUrl: string }).uploadUrl;
    expect(url.startsWith(`${UPLOAD_HOST}/upload/`)).toBe(true);
    const upload = sb.uploadHost?.origin ?? '';
    const tail = url.slice(UPLOAD_HOST.length);
    const put = (origin: string, headers: Record<string, string> = {}) =>
      fetch(origin + tail, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-3/4', ...headers }, body: Buffer.from('abcd') });
    // The Graph host does not serve upload URLs (with or without the token).
    expect((await put(sb.origin)).status).toBe(401);
    expect((await put(sb.origin, { Authorization: `Bearer ${sb.token}` })).status).toBeGreaterThanOrEqual(400);
    expect(sb.mailbox.messages.find((x) => x.id === draft.id)?.attachments).toEqual([]);
    // The upload host refuses a bearer token, and serves no Graph path.
    expect((await put(upload, { Authorization: `Bearer ${sb.token}` })).status).toBe(401);
    expect((await fetch(`${upload}/v1.0/me/messages`, { headers: auth })).status).toBe(404);
    expect((await put(upload)).status).toBe(201);
    const m = sb.mailbox.messages.find((x) => x.id === draft.id);
    expect(m?.attachments[0]?.bytes.toString()).toBe('abcd');
    expect(sb.requests.filter((r) => r.host === UPLOAD_HOST).map((r) => [r.method, r.hadAuthorization, r.status])).toEqual([
      ['PUT', true, 401],
      ['GET', true, 404],
      ['PUT', false, 201],
    ]);
  });
});

describe('a runtime that starts its own sandbox', () => {
  it('serves upload URLs on the https upload host and maps it to the loopback listener', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-upload-host-'));
    const config = loadConfig({ OUTLOOK_TIMEZONE: 'Europe/Berlin', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_SANDBOX: 'true', OUTLOOK_ALLOW_DRAFTS: 'true' });
    const runtime = await startRuntime(config, { ephemeralSandbox: true, logger: new Logger('silent'), sleep: async () => {} });
    try {
      expect(runtime.sandbox?.uploadHost?.publicOrigin).toBe(SANDBOX_UPLOAD_ORIGIN);
    } finally {
      await runtime.close();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
