import { mkdtempSync, statSync, readFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, recipientDomains, subjectHash, WriteTrace, type AuditEntry } from '../../src/audit/audit-log.js';
import { formatAuditEntry, parseSince, SinceError } from '../../src/cli/audit.js';
import { run, EXIT_OK, EXIT_USAGE } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/config.js';
import { stateDir } from '../../src/runtime.js';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  time: '2026-11-27T10:00:00.000Z',
  profile: 'acme',
  tool: 'ol_email_create_draft',
  action: 'draft.create',
  item_id: 'AAMkAGI2TG93AAA=',
  request_id: 'rid-1',
  recipient_domains: ['fabrikam.example'],
  subject_sha256: subjectHash('Hello'),
  outcome: 'ok',
  ...over,
});

describe('audit log file', () => {
  it('appends one JSON line per entry, file 0600 in a 0700 folder', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'audit-')), 'acme');
    const log = new AuditLog(dir);
    await log.append(entry());
    await log.append(entry({ outcome: 'refused', reason: 'DraftNotOwnedError' }));
    expect(readFileSync(log.file, 'utf8').trim().split('\n')).toHaveLength(2);
    if (process.platform !== 'win32') {
      expect(statSync(log.file).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
    expect((await log.read()).map((e) => e.outcome)).toEqual(['ok', 'refused']);
  });

  it('keeps every line under concurrent appends and skips a torn line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    const log = new AuditLog(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry({ request_id: `r${i}` }))));
    appendFileSync(log.file, '{"time":"2026-11-27T1');
    const all = await log.read();
    expect(all).toHaveLength(50);
    expect(new Set(all.map((e) => e.request_id)).size).toBe(50);
  });

  it('reads nothing from a missing file', async () => {
    expect(await new AuditLog(path.join(os.tmpdir(), 'audit-missing-' + Date.now())).read()).toEqual([]);
  });
});

describe('audit helpers', () => {
  it('keeps domains only, lower-cased, unique and sorted', () => {
    expect(recipientDomains(['Dana <dana@Fabrikam.example>', 'x@contoso.example', 'y@fabrikam.example', 'no address'])).toEqual(['contoso.example', 'fabrikam.example']);
  });

  it('hashes the subject (SHA-256 hex)', () => {
    expect(subjectHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('parses --since as a date or a duration', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    expect(parseSince('24h', now).toISOString()).toBe('2026-11-26T12:00:00.000Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect(parseSince('2026-11-01', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(() => parseSince('yesterday', now)).toThrow(SinceError);
  });

  it('formats an entry on one line with the request-id and no subject', () => {
    const line = formatAuditEntry(entry());
    expect(line).toContain('draft.create');
    expect(line).toContain('request-id=rid-1');
    expect(line).toContain('domains=fabrikam.example');
    expect(line).not.toContain('\n');
  });

  it('attributes writes to the call in whose async context they happen', async () => {
    const trace = new WriteTrace();
    const a: Array<{ method: string; status: number; requestId?: string }> = [];
    const b: typeof a = [];
    await Promise.all([
      trace.capture(async () => {
        await new Promise((r) => setTimeout(r, 5));
        trace.observe({ method: 'POST', status: 201, requestId: 'a' });
      }, a),
      trace.capture(async () => trace.observe({ method: 'PATCH', status: 200, requestId: 'b' }), b),
    ]);
    trace.observe({ method: 'POST', status: 201, requestId: 'outside' });
    expect(a.map((w) => w.requestId)).toEqual(['a']);
    expect(b.map((w) => w.requestId)).toEqual(['b']);
  });
});

describe('mcp-server-outlook audit', () => {
  function cli(env: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env: { OUTLOOK_LOG_LEVEL: 'silent', ...env } } };
  }

  it('prints the profile log readably, filters by --since, and --json prints the lines', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
    const dir = stateDir(loadConfig({ OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_PROFILE: 'acme' }));
    const log = new AuditLog(dir);
    await log.append(entry({ time: '2020-01-01T00:00:00.000Z', request_id: 'old' }));
    await log.append(entry({ time: new Date().toISOString(), action: 'send', outcome: 'sent', request_id: 'new' }));
    const a = cli({ OUTLOOK_CACHE_DIR: cacheDir });
    expect(await run(['audit', '--profile', 'acme'], a.io)).toBe(EXIT_OK);
    expect(a.out.join('')).toMatch(/request-id=old[\s\S]*send\s+sent/);
    const b = cli({ OUTLOOK_CACHE_DIR: cacheDir });
    expect(await run(['audit', '--profile', 'acme', '--since', '7d', '--json'], b.io)).toBe(EXIT_OK);
    const lines = b.out.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}').request_id).toBe('new');
    const c = cli({ OUTLOOK_CACHE_DIR: cacheDir });
    expect(await run(['audit', '--profile', 'other'], c.io)).toBe(EXIT_OK);
    expect(c.out.join('')).toMatch(/No audit entries for profile "other"/);
    const d = cli({ OUTLOOK_CACHE_DIR: cacheDir });
    expect(await run(['audit', '--profile', 'acme', '--since', 'soon'], d.io)).toBe(EXIT_USAGE);
    expect(d.err.join('')).toMatch(/--since "soon" is not understood/);
  });
});
