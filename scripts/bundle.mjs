#!/usr/bin/env node
/**
 * Build step: bundles our own code into dist/bin/ (the package's binary),
 * keeping npm dependencies external and every on-demand import (sandbox,
 * drafts, sign-in, HTML parser) as its own chunk. Node loads one file per
 * module; ~70 small modules cost ~35 ms of start-up that a handful of chunks
 * does not (see docs/BENCHMARKS.md). tsc still type-checks and emits dist/
 * module by module for the tests and the benchmark scripts; only dist/bin/
 * is packaged. The folder is emptied first: chunk names carry content hashes,
 * so chunks of earlier builds would otherwise pile up in the package. No
 * source maps: the bundle is not minified, so stack traces stay readable, and
 * maps would double the package size.
 */
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bin');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
});
// The server reads the precomputed tool schemas next to its own code.
mkdirSync(path.join(outdir, 'tools'), { recursive: true });
copyFileSync(path.join(root, 'dist', 'tools', 'schemas.generated.json'), path.join(outdir, 'tools', 'schemas.generated.json'));
// The Redis adapter's Lua scripts are read at run time from `./lua/` beside the module that loads them
// (src/state/redis/scripts.ts): beside tsc's output for the tests, beside the bundle's chunks for the binary.
const luaSource = path.join(root, 'src', 'state', 'redis', 'lua');
cpSync(luaSource, path.join(root, 'dist', 'state', 'redis', 'lua'), { recursive: true });
cpSync(luaSource, path.join(outdir, 'lua'), { recursive: true });
