/**
 * The built binary through the official MCP Python SDK (`pip install mcp`),
 * pinned to 2026-07-28 and in its default auto mode. `.ci/run` installs the
 * SDK into .tmp/pyvenv; without it the test fails in CI unless `.ci/run`
 * reported that the package could not be installed (MCP_PYTHON_UNAVAILABLE).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PYTHON = process.env.MCP_PYTHON ?? path.resolve('.tmp/pyvenv/bin/python');
const available = existsSync(PYTHON);
const mustRun = process.env.CI === 'true' && process.env.MCP_PYTHON_UNAVAILABLE !== '1';
const BIN = path.resolve('dist/bin/main.js');
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-e2e-python-'));

describe('built binary through the MCP Python SDK', () => {
  it('has the Python SDK where CI promised it', () => {
    if (!available && !mustRun) console.warn(`Python MCP SDK not found at ${PYTHON}: skipping (run .ci/run, or set MCP_PYTHON).`);
    expect(available || !mustRun).toBe(true);
  });

  for (const mode of ['2026-07-28', 'legacy']) {
    it.runIf(available)(`lists tools and calls ol_status (mode ${mode})`, () => {
      const r = spawnSync(PYTHON, [path.resolve('test/e2e/python/list_tools.py'), process.execPath, BIN, mode], {
        env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { protocol_version: string; tools: string[]; status: { protocol_era: string }; is_error: boolean };
      const expected = mode === 'legacy' ? '2025-11-25' : '2026-07-28';
      expect(out.protocol_version).toBe(expected);
      expect(out.status.protocol_era).toBe(expected);
      expect(out.tools).toContain('ol_email_search');
      expect(out.is_error).toBe(false);
    });
  }
});
