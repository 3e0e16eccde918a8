/**
 * The built binary through MCP Inspector 2.x's CLI in the 2026-07-28 era
 * (`--protocol-era modern`), the way the README tells users to try it:
 * tools/list with `--strict` (Inspector's schema-portability check exits 6 on
 * an error-severity problem) and a tool call with `-e` settings. Inspector
 * 2.x needs Node >= 22.19, so `.ci/run` installs it under the Node 24 binary
 * into .tmp/inspector and names both in INSPECTOR_BIN / INSPECTOR_NODE.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INSPECTOR_BIN as INSPECTOR, INSPECTOR_NODE as NODE, inspectorAvailable as available, inspectorInstalledAsPromised } from '../helpers/inspector.js';

const BIN = path.resolve('dist/bin/main.js');
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-e2e-inspector-'));

function inspector(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(NODE, [INSPECTOR, '--cli', '--protocol-era', 'modern', '-q', '--format', 'json', ...args, process.execPath, BIN, '--sandbox'], {
    env: { PATH: `${path.dirname(NODE)}:${process.env.PATH ?? ''}`, HOME: cacheDir, OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin' },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('MCP Inspector 2.x CLI, 2026-07-28 era', () => {
  it('is installed where CI promised it', () => {
    expect(inspectorInstalledAsPromised()).toBe(true);
  });

  it.runIf(available)('lists every tool of the drafts-and-send surface with no schema-portability error', () => {
    const r = inspector(['--strict', '--method', 'tools/list', '-e', 'OUTLOOK_ALLOW_DRAFTS=true', '-e', 'OUTLOOK_ALLOW_SEND=true']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { result: { tools: Array<{ name: string }> } };
    const names = out.result.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['ol_email_search', 'ol_email_create_draft', 'ol_email_send_draft']));
  });

  it.runIf(available)('calls a tool with settings passed through -e', () => {
    const r = inspector(['--method', 'tools/call', '--tool-name', 'ol_status', '-e', 'OUTLOOK_ALLOW_DRAFTS=true']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { result: { structuredContent: { protocol_era: string; drafts_enabled: boolean } } };
    expect(out.result.structuredContent).toMatchObject({ protocol_era: '2026-07-28', drafts_enabled: true });
  });
});
