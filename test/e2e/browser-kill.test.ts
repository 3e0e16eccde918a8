/**
 * A server killed outright (SIGKILL: no handler runs, nothing is closed) while the browser renderer
 * reads a mail must not leave Chromium running: the browser talks to us over its own pipes
 * (puppeteer `pipe: true`), so it sees them close and exits. Built binary over stdio, sandbox mode;
 * needs `npm run build` and Chromium (a failure under CI=true without it). Linux only (/proc).
 * ~15 s on the loaded 2-core machine: one server start, one Chromium start, then the wait for its
 * process tree to be gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { findBrowser } from '../../src/text/browser/find-browser.js';

const BIN = path.resolve('dist/bin/main.js');
const browser = findBrowser(process.env.OUTLOOK_BROWSER_PATH);
if (!browser && ['true', '1'].includes(process.env.CI ?? '')) throw new Error('CI=true but no Chromium-family browser was found (install Debian chromium or set OUTLOOK_BROWSER_PATH)');
const linux = existsSync('/proc/self/task');
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-kill-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** The process and all its descendants (Linux /proc). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/).map(Number) : []) {
          out.push(k);
          stack.push(k);
        }
      }
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Whether a process runs (a zombie has exited). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!browser || !linux)('a server killed mid-read', () => {
  it('leaves no Chromium process behind', { timeout: 90_000 }, async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin', OUTLOOK_RENDERER: 'browser', OUTLOOK_BROWSER_PATH: browser as string, OUTLOOK_RENDERER_TIMEOUT_MS: '60000' };
    const child = spawn(process.execPath, [BIN, '--sandbox'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise((r) => child.once('exit', r));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.resume();
    const send = (msg: unknown): boolean => child.stdin.write(JSON.stringify(msg) + '\n');
    let browsers: number[] = [];
    try {
      send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'kill', version: '1' } } });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ol_email_read', arguments: { id: SEED_IDS.injectionMessage } } });
      // The browser starts with the first read: kill the server as soon as it is there.
      for (let i = 0; i < 1200 && browsers.length === 0; i++) {
        await sleep(25);
        browsers = descendants(child.pid!);
      }
      expect(browsers.length).toBeGreaterThan(0);
      // The whole tree at the moment of the kill (the launcher script, Chromium and its helpers).
      await sleep(200);
      browsers = [...new Set([...browsers, ...descendants(child.pid!)])];
      const answered = out.includes('"id":2');
      child.kill('SIGKILL');
      await exited;
      expect(answered).toBe(false);
      // Chromium's own children included: collected once more now that the tree has grown.
      let left = browsers.filter(alive);
      for (let i = 0; i < 400 && left.length > 0; i++) {
        await sleep(50);
        left = left.filter(alive);
      }
      expect(left).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      // Never leave a browser behind, even when the test fails.
      for (const pid of browsers.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  });
});
