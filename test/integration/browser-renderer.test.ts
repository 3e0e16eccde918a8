/**
 * The browser renderer through the real tools: the in-process server reads the sandbox's injection
 * mail with OUTLOOK_RENDERER=browser in headless Chromium (JavaScript off, every request refused),
 * falls back to the fail-closed builtin engine when the browser hangs or crashes, says so, and
 * closes an idle browser. Needs Chromium: skipped with a notice on a developer machine without it,
 * a failure under CI=true.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../helpers/harness.js';
import { INJECTION_PAYLOADS, SEED_IDS } from '../../src/sandbox/seed/index.js';
import { findBrowser } from '../../src/text/browser/find-browser.js';

const browser = findBrowser(process.env.CHROMIUM_PATH);
const required = ['true', '1'].includes(process.env.CI ?? '');
if (!browser && required) {
  throw new Error('The browser renderer tests need Chromium and CI=true forbids skipping them. Install it with: apt-get install -y --no-install-recommends chromium fonts-dejavu-core');
}
if (!browser) console.warn('[browser-renderer] no Chromium-family browser found: browser renderer tests skipped (CI fails instead).');

interface ReadBody {
  body: { text: string; hidden_removed?: number; withheld_words?: number; renderer?: string; renderer_note?: string };
}
interface Status {
  renderer: { in_use: string; setting: string; browser_path?: string; reason?: string; warm: boolean };
}

const fakes = mkdtempSync(path.join(os.tmpdir(), 'fake-browser-'));
function fakeBrowser(name: string, script: string): string {
  const file = path.join(fakes, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}
afterAll(() => rmSync(fakes, { recursive: true, force: true }));

/** Whether a process runs (a zombie waiting to be reaped has exited). */
function pidAlive(pid: number): boolean {
  if (existsSync('/proc/self/status')) {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A browser start costs seconds on a busy CI machine.
describe.skipIf(!browser)('OUTLOOK_RENDERER=browser', { timeout: 60_000 }, () => {
  it('reads the injection mail in Chromium: hidden payloads gone, visible text kept, nothing fetched', async () => {
    const h: Harness = await startHarness({ env: { OUTLOOK_RENDERER: 'browser', OUTLOOK_BROWSER_PATH: browser as string } });
    try {
      const status = await h.ok<Status>('ol_status');
      expect(status.renderer).toMatchObject({ in_use: 'browser', setting: 'browser', browser_path: browser, warm: false });
      const r = await h.call('ol_email_read', { id: SEED_IDS.injectionMessage });
      const s = r.structuredContent as unknown as ReadBody;
      expect(s.body.renderer).toBe('browser');
      expect(s.body.renderer_note).toBeUndefined();
      expect(s.body.text).toContain('IBAN');
      expect(s.body.text).toContain('Thank you for your cooperation.');
      for (const hidden of Object.values(INJECTION_PAYLOADS)) expect(s.body.text).not.toContain(hidden.slice(0, 30));
      expect(s.body.hidden_removed).toBeGreaterThanOrEqual(3);
      expect(textOf(r)).not.toMatch(/ignore previous instructions/i);
      // The browser is the only reader of the body; the sandbox saw only the server's Graph calls.
      for (const req of h.sandbox.requests) expect(req.rawPath).toMatch(/^\/v1\.0\//);
      expect((await h.ok<Status>('ol_status')).renderer.warm).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('falls back to the fail-closed builtin engine, with a note, when the browser hangs', async () => {
    const hang = fakeBrowser('hang', 'exec sleep 30');
    const h = await startHarness({ env: { OUTLOOK_RENDERER: 'browser', OUTLOOK_BROWSER_PATH: hang, OUTLOOK_RENDERER_TIMEOUT_MS: '1500' } });
    try {
      const started = Date.now();
      const s = await h.ok<ReadBody>('ol_email_read', { id: SEED_IDS.injectionMessage });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(s.body.renderer).toBeUndefined();
      expect(s.body.renderer_note).toMatch(/browser renderer failed .*read with the builtin engine/);
      expect(s.body.text).toContain('[browser renderer failed');
      expect(s.body.text).toContain('IBAN');
      for (const hidden of Object.values(INJECTION_PAYLOADS)) expect(s.body.text).not.toContain(hidden.slice(0, 30));
    } finally {
      await h.close();
    }
  });

  it('falls back with a note when the browser crashes at start', async () => {
    const crash = fakeBrowser('crash', 'echo "fatal: simulated crash" >&2; exit 3');
    const h = await startHarness({ env: { OUTLOOK_RENDERER: 'browser', OUTLOOK_BROWSER_PATH: crash } });
    try {
      const s = await h.ok<ReadBody>('ol_email_read', { id: SEED_IDS.injectionMessage });
      expect(s.body.renderer_note).toMatch(/browser renderer failed/);
      expect(s.body.text).toContain('IBAN');
      for (const hidden of Object.values(INJECTION_PAYLOADS)) expect(s.body.text).not.toContain(hidden.slice(0, 30));
    } finally {
      await h.close();
    }
  });

  it('closes the browser when idle and starts a new one on the next read', async () => {
    const { BrowserRenderer } = await import('../../src/text/browser/browser-renderer.js');
    const r = new BrowserRenderer({ executablePath: browser as string, idleMs: 400, timeoutMs: 20_000 });
    try {
      const first = await r.render('<p>Hello <span style="display:none">SECRET</span>world</p>');
      expect(first.html).not.toContain('SECRET');
      expect(first.hiddenWords).toBe(1);
      expect(r.warm).toBe(true);
      const pid = (r as unknown as { running: Promise<{ browser: { process(): { pid?: number } | null } }> }).running;
      const browserPid = (await pid).browser.process()?.pid as number;
      expect(pidAlive(browserPid)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(r.warm, 'renderer forgot its browser').toBe(false);
      // close() is under way: the process exits once Chromium has shut down.
      await expect.poll(() => pidAlive(browserPid), { timeout: 10_000, interval: 100 }).toBe(false);
      await r.render('<p>again</p>');
      expect(r.launches).toBe(2);
    } finally {
      await r.close();
    }
  });
});

describe('renderer selection without a browser', () => {
  it('auto with a missing browser path reads with builtin and ol_status says why', async () => {
    const missing = path.join(fakes, 'no-such-browser');
    expect(existsSync(missing)).toBe(false);
    const h = await startHarness({ env: { OUTLOOK_RENDERER: 'auto', OUTLOOK_BROWSER_PATH: missing } });
    try {
      const status = await h.ok<Status>('ol_status');
      expect(status.renderer).toMatchObject({ in_use: 'builtin', setting: 'auto' });
      expect(status.renderer.reason).toContain('not an executable file');
      const s = await h.ok<ReadBody>('ol_email_read', { id: SEED_IDS.injectionMessage });
      expect(s.body.renderer_note).toBeUndefined();
      expect(s.body.text).toContain('IBAN');
    } finally {
      await h.close();
    }
  });

  it('browser with a missing browser path reads with builtin and says so in the body', async () => {
    const h = await startHarness({ env: { OUTLOOK_RENDERER: 'browser', OUTLOOK_BROWSER_PATH: path.join(fakes, 'absent') } });
    try {
      const s = await h.ok<ReadBody>('ol_email_read', { id: SEED_IDS.injectionMessage });
      expect(s.body.renderer_note).toMatch(/browser renderer unavailable/);
      expect(s.body.text).toMatch(/\[browser renderer unavailable .*read with the builtin engine\]$/);
    } finally {
      await h.close();
    }
  });
});
