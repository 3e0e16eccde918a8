/**
 * What the benches share to measure our TypeScript sources without a build: an esbuild bundle of an entry (packages
 * left external, so they resolve to this tree's node_modules), and the src/ folder of another git revision, extracted
 * so that revision's code can be bundled and measured side by side with this tree's in one run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundles `entry` to `outfile` and imports it. */
export async function bundleAndImport(entry, outfile) {
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}

/** Extracts `src/` of git revision `rev` of the repository at `root` into `dir` (as `dir/src`). */
export function extractSrcAt(root, rev, dir) {
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', rev, 'src'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
}
