/**
 * The npm tarball, installed into an empty folder, runs: --version and a
 * sandbox tool call. Catches missing files in "files", wrong bin paths and
 * dependencies that only exist as devDependencies.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack', () => {
  it('installs into an empty folder and runs', { timeout: 240_000 }, () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'outlook-pack-'));
    // dist/ is already built by the test command; skip the prepare script.
    const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { encoding: 'utf8' });
    const [packed] = JSON.parse(out) as Array<{ filename: string; unpackedSize: number; files: Array<{ path: string }> }>;
    if (!packed) throw new Error(`npm pack printed no result: ${out}`);
    const { filename, files } = packed;
    const paths = files.map((f) => f.path);
    expect(paths).toContain('dist/bin/main.js');
    expect(paths).toContain('dist/bin/tools/schemas.generated.json');
    // The MCP Apps review card, served as a ui:// resource.
    expect(paths).toContain('dist/bin/apps/review-card.html');
    expect(paths).toContain('README.md');
    // Only what runs: the bundle (main + its chunks) and the schemas it reads; no tsc tree, no maps, no sources.
    const unexpected = paths.filter(
      (p) =>
        !['README.md', 'LICENSE', 'package.json', 'dist/bin/tools/schemas.generated.json', 'dist/bin/apps/review-card.html'].includes(p) &&
        !/^dist\/bin\/[A-Za-z0-9_-]+\.js$/.test(p) &&
        // The Redis adapter's Lua scripts, loaded by name at run time (src/state/redis/lua/).
        !/^dist\/bin\/lua\/(include\/)?[a-z0-9-]+\.lua$/.test(p),
    );
    expect(unexpected).toEqual([]);
    // Every chunk is reachable from main.js: a stale chunk of an earlier build would show up here.
    const reachable = new Set<string>();
    const visit = (file: string) => {
      if (reachable.has(file)) return;
      reachable.add(file);
      const code = readFileSync(path.join('dist/bin', file), 'utf8');
      for (const m of code.matchAll(/["']\.\/([A-Za-z0-9_-]+\.js)["']/g)) visit(m[1] as string);
    };
    visit('main.js');
    expect(paths.filter((p) => p.endsWith('.js')).map((p) => p.slice('dist/bin/'.length)).sort()).toEqual([...reachable].sort());
    // About 1.1 MB of code (remote mode and the document readers are chunks loaded only when used), 0.4 MB of the
    // self-contained review card (its App SDK is bundled into the page) and the Lua scripts.
    expect(packed.unpackedSize).toBeLessThan(2_000_000);

    const app = path.join(work, 'app');
    mkdirSync(app);
    execFileSync(npm, ['init', '-y'], { cwd: app, stdio: 'ignore' });
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, filename)], { cwd: app, stdio: 'pipe' });
    const bin = path.join(app, 'node_modules', '.bin', 'mcp-server-outlook');
    const env = { PATH: process.env.PATH ?? '', HOME: work, OUTLOOK_CACHE_DIR: path.join(work, 'cache') };
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    const v = spawnSync(bin, ['--version'], { env, encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(version);
    const call = spawnSync(bin, ['--sandbox', 'call', 'ol_status'], { env, encoding: 'utf8' });
    expect(call.status, call.stderr).toBe(0);
    expect(call.stdout).toContain('SANDBOX');
    expect(call.stdout).toContain('Avery Quinn');

    // The README's tarball path: a global install puts the command on PATH (here under a private prefix).
    const prefix = path.join(work, 'global');
    execFileSync(npm, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', path.join(work, filename)], { stdio: 'pipe' });
    const globalBin = process.platform === 'win32' ? path.join(prefix, 'mcp-server-outlook.cmd') : path.join(prefix, 'bin', 'mcp-server-outlook');
    const g = spawnSync(globalBin, ['--sandbox', 'call', 'ol_email_list_unread', '{"limit":1}'], { env, encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    expect(g.stdout).toMatch(/1 message\(s\):/);
  });
});
