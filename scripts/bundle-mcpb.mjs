#!/usr/bin/env node
/**
 * `npm run bundle:mcpb`: builds the MCP Bundle (`.mcpb`) that Claude Desktop
 * and other clients install with one click. The bundle holds the manifest
 * (packaging/mcpb/manifest.json, version taken from package.json), the built
 * binary (dist/bin as server/) and the production dependencies copied from
 * this checkout's node_modules, so building needs no network. Native parts
 * are those installed here: the OS keyring binding (@napi-rs/keyring) is for
 * this platform only; elsewhere the server falls back to its private token file.
 *
 * Usage: node scripts/bundle-mcpb.mjs [--out <file.mcpb>] [--stage <dir>]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExtension } from '@anthropic-ai/mcpb';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? path.resolve(args[i + 1]) : def;
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = opt('--out', path.join(root, `${pkg.name}-${pkg.version}.mcpb`));
const stage = opt('--stage', path.join(root, '.tmp', 'mcpb'));

if (!existsSync(path.join(root, 'dist', 'bin', 'main.js'))) {
  console.error('dist/bin/main.js is missing: run `npm run build` first (npm run bundle:mcpb does).');
  process.exit(2);
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

const manifest = JSON.parse(readFileSync(path.join(root, 'packaging', 'mcpb', 'manifest.json'), 'utf8'));
manifest.version = pkg.version;
writeFileSync(path.join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
// The bundle is ESM: Node needs "type":"module" next to it. Dependencies are listed for readers; they are already in node_modules/.
writeFileSync(
  path.join(stage, 'package.json'),
  JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module', license: pkg.license, dependencies: pkg.dependencies }, null, 2) + '\n',
);
cpSync(path.join(root, 'dist', 'bin'), path.join(stage, 'server'), { recursive: true });
for (const f of ['README.md', 'LICENSE']) cpSync(path.join(root, f), path.join(stage, f));

// Every installed production package (npm resolves the tree from node_modules; no network).
const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' })
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l && path.resolve(l) !== root);

/**
 * The package folders the server can load: our dependencies and theirs, following `dependencies`,
 * `optionalDependencies` and required peers, but not optional peers. npm lists an installed optional
 * peer as a production package (react, react-dom and scheduler come in as optional peers of
 * @modelcontextprotocol/ext-apps, whose server half the server uses and whose React half it never loads).
 */
function loadable() {
  const seen = new Set();
  const find = (name, from) => {
    for (let dir = from; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (dir === root || path.dirname(dir) === dir) return undefined;
    }
  };
  const visit = (dir) => {
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const optionalPeer = (n) => meta.peerDependenciesMeta?.[n]?.optional === true;
    const names = [...Object.keys(meta.dependencies ?? {}), ...Object.keys(meta.optionalDependencies ?? {}), ...Object.keys(meta.peerDependencies ?? {}).filter((n) => !optionalPeer(n))];
    for (const n of names) {
      const at = find(n, dir);
      if (!at || seen.has(at)) continue;
      seen.add(at);
      visit(at);
    }
  };
  visit(root);
  return seen;
}
const needed = loadable();
const shipped = listed.filter((dir) => needed.has(path.resolve(dir)));
// Never loaded by Node at run time: source maps (the server runs without --enable-source-maps), type
// declarations and TypeScript sources. Half of the dependencies' bytes.
const NOT_RUNTIME = /\.(?:map|d\.[cm]?ts|[cm]?ts)$/;
// Dependencies' own tests are never loaded; folders named so are left out.
const TEST_DIR = /[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+[\\/](?:.+[\\/])?(?:test|tests|__tests__)(?:[\\/]|$)/;
for (const dir of shipped) {
  const rel = path.relative(root, dir);
  if (!rel.startsWith('node_modules')) throw new Error(`Unexpected dependency location: ${dir}`);
  cpSync(dir, path.join(stage, rel), { recursive: true, dereference: true, filter: (src) => !/[\\/]node_modules[\\/]\.bin([\\/]|$)/.test(src) && !TEST_DIR.test(src) && !NOT_RUNTIME.test(src) });
}

rmSync(out, { force: true });
const ok = await packExtension({ extensionPath: stage, outputPath: out, silent: true });
if (!ok) {
  console.error(`mcpb pack failed for ${stage}.`);
  process.exit(1);
}
console.log(`MCP Bundle: ${path.relative(process.cwd(), out)} (${shipped.length} packages, ${listed.length - shipped.length} never loaded left out). Install it in Claude Desktop: Settings > Extensions > Install Extension.`);
