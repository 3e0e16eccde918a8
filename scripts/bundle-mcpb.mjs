#!/usr/bin/env node
/**
 * `npm run bundle:mcpb`: builds the MCP Bundle (`.mcpb`) that Claude Desktop
 * and other clients install with one click. The bundle holds the manifest
 * (packaging/mcpb/manifest.json, version taken from package.json), the server
 * (src/ built by esbuild into server/, its pure-JS dependencies bundled and
 * minified in, their licences in server/THIRD-PARTY-LICENSES.txt) and the few
 * dependencies that must stay files (EXTERNAL), copied from this checkout's
 * node_modules, so building needs no network. Native parts
 * are those installed here, so the bundle is for this platform only (the
 * manifest's `compatibility.platforms` says so): build it once per platform.
 *
 * The bundle runs one command (serve over stdio) with the settings its manifest
 * pins, so it leaves out what that command never loads: whole packages
 * (LEFT_OUT, each with its reason) and, inside the big ones, the builds and
 * files the loaded entry points never open (TRIM). test/e2e/mcpb.test.ts runs
 * the unpacked bundle through every kind of work to prove the cut.
 *
 * Usage: node scripts/bundle-mcpb.mjs [--out <file.mcpb>] [--stage <dir>]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExtension } from '@anthropic-ai/mcpb';
import { build } from 'esbuild';

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
// The native binaries (LMDB, the OS keyring) are this machine's: the bundle runs on this OS only.
manifest.compatibility = { ...manifest.compatibility, platforms: [process.platform] };
writeFileSync(path.join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
// The bundle is ESM: Node needs "type":"module" next to it. Dependencies are listed for readers; they are already in node_modules/.
writeFileSync(
  path.join(stage, 'package.json'),
  JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module', license: pkg.license, dependencies: pkg.dependencies }, null, 2) + '\n',
);

// Every installed production package (npm resolves the tree from node_modules; no network).
const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' })
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l && path.resolve(l) !== root);

/**
 * Packages the bundled server never loads, and why. The manifest pins OUTLOOK_TRANSPORT=stdio and
 * OUTLOOK_STATE_STORE=embedded, and the bundle's command is `serve`; the rest is what puppeteer-core and
 * @puppeteer/browsers import only lazily, for work the renderer never asks of them (it drives an installed
 * Chromium-family browser over CDP: no download, no unpacking, no proxy, no WebDriver BiDi).
 */
const LEFT_OUT = {
  '@napi-rs/canvas':
    "pdf.js's page renderer, 33 MB of native code for one platform: the bundle's PDF reader withholds text whose visibility needs the rendered page (fail-closed, docs/ATTACHMENTS.md)",
  '@modelcontextprotocol/client': "the CLI's call, tools and demo commands (an in-process client); the bundle runs serve",
  '@modelcontextprotocol/node': 'remote mode (OUTLOOK_TRANSPORT=http); the manifest pins stdio',
  '@redis/client': 'the Redis state store; the manifest pins the embedded store',
  'chromium-bidi': "puppeteer's WebDriver BiDi mapper (Firefox, or protocol: 'webDriverBiDi'); the renderer speaks CDP",
  'extract-zip': '@puppeteer/browsers unpacking a downloaded browser (install); the renderer uses an installed one',
  'tar-fs': '@puppeteer/browsers unpacking a downloaded browser (install)',
  yargs: "@puppeteer/browsers' own command line",
  'pac-proxy-agent': 'proxy-agent, for a browser download through a proxy',
  'http-proxy-agent': 'proxy-agent, for a browser download through a proxy',
  'https-proxy-agent': 'proxy-agent, for a browser download through a proxy',
  'socks-proxy-agent': 'proxy-agent, for a browser download through a proxy',
  'devtools-protocol': 'type declarations of CDP (puppeteer-core imports none of it at run time)',
  'node-addon-api': "C++ headers for compiling msgpackr-extract (binding.gyp); at run time its prebuilt binary loads and no JS requires this",
};

/**
 * Dependencies the bundle ships as files, beside the server: native code, and what is found by path at run
 * time (which esbuild cannot follow). Every other dependency the server loads is pure JS and is bundled and
 * minified into the server's own chunks below (issue 16: ~3.9 MB of unminified dependency JS became ~1 MB).
 * - lmdb: loads its native binary by path (node-gyp-build style lookup from its own folder).
 * - @napi-rs/keyring: a native binary; the keyring probe also resolves it by path for its child process.
 * - pdfjs-dist: the PDF reader resolves its cmaps by path and pdf.js starts its worker from its own file.
 * - puppeteer-core: imports chromium-bidi, proxy agents and browser-download code lazily for work the renderer
 *   never asks of it (LEFT_OUT); bundled, those imports would either pull it all in or fail at build time.
 */
const EXTERNAL = ['lmdb', '@napi-rs/keyring', 'pdfjs-dist'];
// Never loaded by the bundle's command; the CLI's own extras (token counting) are dev-only.
const NOT_BUNDLED = [...EXTERNAL, ...Object.keys(LEFT_OUT), 'gpt-tokenizer'];
/**
 * css-tree's ESM build reads JSON through `createRequire(import.meta.url)` (its version, its data patch and
 * mdn-data's tables): esbuild cannot follow that, and bundled, the paths would be resolved from server/ at run
 * time and fail. Without the createRequire lines those are plain `require()` calls, which esbuild bundles.
 */
const requireFollowed = {
  name: 'require-followed',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]css-tree[\\/]lib[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('createRequire(import.meta.url)')) return undefined;
      const contents = source
        .replace(/^import \{ createRequire \} from 'module';$/m, '')
        .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '');
      if (contents.includes('createRequire')) throw new Error(`${args.path}: unexpected createRequire form; update scripts/bundle-mcpb.mjs.`);
      return { contents, loader: 'js' };
    });
  },
};
const built = await build({
  // The same entries as scripts/bundle.mjs (the document worker starts from a file of its own).
  entryPoints: [
    { in: path.join(root, 'src', 'cli', 'main.ts'), out: 'main' },
    { in: path.join(root, 'src', 'text', 'documents', 'worker.ts'), out: 'worker' },
  ],
  outdir: path.join(stage, 'server'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Subpaths too (pdfjs-dist/legacy/build/pdf.mjs, @napi-rs/keyring/...).
  external: NOT_BUNDLED.flatMap((n) => [n, `${n}/*`]),
  // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  plugins: [requireFollowed],
  // Licences are collected per package below, instead of comments scattered through minified chunks.
  legalComments: 'none',
  metafile: true,
  sourcemap: false,
  logLevel: 'warning',
});
// Bundled packages lose their folders, so their licence files travel in one file beside the server.
const bundledPackages = new Set();
for (const input of Object.keys(built.metafile.inputs)) {
  const at = input.lastIndexOf('node_modules/');
  const m = at >= 0 ? /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.slice(at)) : null;
  if (m) bundledPackages.add(path.join(root, input.slice(0, at), 'node_modules', m[1]));
}
const licences = [...bundledPackages].sort().map((dir) => {
  const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(dir).find((f) => /^(?:licen[cs]e|copying)(?:[.-].*)?$/i.test(f));
  const text = licenceFile ? readFileSync(path.join(dir, licenceFile), 'utf8').trim() : `(no licence file in the package; its package.json says: ${meta.license ?? 'nothing'})`;
  return `${meta.name}@${meta.version} (${meta.license ?? 'unknown'})\n\n${text}\n`;
});
// A bundled dependency that loads files through its own createRequire would resolve them from server/ at run time
// (our code imports it as 'node:module', and only to resolve external packages): keep it external or follow it as above.
for (const f of readdirSync(path.join(stage, 'server'))) {
  if (f.endsWith('.js') && readFileSync(path.join(stage, 'server', f), 'utf8').includes('from"module"')) {
    throw new Error(`server/${f}: a bundled dependency loads files with createRequire; keep it external or follow it (requireFollowed).`);
  }
}
writeFileSync(path.join(stage, 'server', 'THIRD-PARTY-LICENSES.txt'), `Packages bundled into this server, with their licences.\n\n${licences.join('\n' + '-'.repeat(72) + '\n\n')}`);
// The server reads the precomputed tool schemas next to its own code.
mkdirSync(path.join(stage, 'server', 'tools'), { recursive: true });
cpSync(path.join(root, 'dist', 'tools', 'schemas.generated.json'), path.join(stage, 'server', 'tools', 'schemas.generated.json'));
for (const f of ['README.md', 'LICENSE']) cpSync(path.join(root, f), path.join(stage, f));

/** Whether this machine's C library is glibc (else musl): LMDB's prebuilt binaries come one per libc. */
const glibc = Boolean(process.report?.getReport().header.glibcVersionRuntime);
/**
 * Inside the packages that ship several builds, the files the loaded entry points open (by path relative to
 * the package); everything else in them is never read. The trace of the e2e run (strace -e openat) showed
 * exactly these.
 */
const TRIM = {
  // The legacy build is what src/text/documents/pdf.ts imports (its worker runs in-process); cmaps map the
  // characters of CJK fonts while extracting text. Never opened here: the modern and minified builds, the scripting
  // sandbox, the viewer, image decoders, and what pdf.js needs only to paint a page (the bundle has no canvas):
  // the standard fonts' outlines, the wasm decoders and the ICC profiles.
  'pdfjs-dist': (rel) => /^(?:package\.json|LICENSE|legacy\/build\/pdf(?:\.worker)?\.mjs|cmaps\/.*)$/.test(rel),
  // Its C sources and build files; the binary comes from @lmdb/lmdb-<platform>.
  lmdb: (rel) => !/^(?:dependencies|src|bin)\/|^(?:binding\.gyp|rollup\.config\.js)$/.test(rel),
  // Node-API binary for this libc: loads on every Node line (the ABI-bound ones serve one Node major each).
  [`@lmdb/lmdb-${process.platform}-${process.arch}`]: (rel) => !rel.endsWith('.node') || rel === `node.napi.${glibc ? 'glibc' : 'musl'}.node`,
};

/**
 * The package folders the server can load: our dependencies and theirs, following `dependencies`,
 * `optionalDependencies` and required peers, but not optional peers and not LEFT_OUT. npm lists an
 * installed optional peer as a production package (react, react-dom and scheduler come in as optional
 * peers of @modelcontextprotocol/ext-apps, whose server half the server uses and whose React half it never loads).
 */
function loadable() {
  const seen = new Map();
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
      if (n in LEFT_OUT) continue;
      const at = find(n, dir);
      if (!at || seen.has(at)) continue;
      seen.set(at, n);
      visit(at);
    }
  };
  // The bundled server holds every other dependency itself: only EXTERNAL ones and what they load are shipped.
  for (const n of EXTERNAL) {
    const at = path.join(root, 'node_modules', n);
    seen.set(at, n);
    visit(at);
  }
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
  const trim = TRIM[needed.get(path.resolve(dir))];
  cpSync(dir, path.join(stage, rel), {
    recursive: true,
    dereference: true,
    filter: (src) => {
      if (/[\\/]node_modules[\\/]\.bin([\\/]|$)/.test(src) || TEST_DIR.test(src) || NOT_RUNTIME.test(src)) return false;
      if (!trim || src === dir) return true;
      const inside = path.relative(dir, src).split(path.sep).join('/');
      // Folders are walked (their files decide); the package's own nested node_modules are other packages.
      return inside.startsWith('node_modules/') || (statSync(src).isDirectory() ? true : trim(inside));
    },
  });
}
// TRIM walks every folder; those left with no file stay out of the archive.
const pruneEmpty = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) pruneEmpty(path.join(dir, e.name));
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
};
pruneEmpty(path.join(stage, 'node_modules'));
for (const name of Object.keys(TRIM)) if (![...needed.values()].includes(name)) throw new Error(`TRIM names ${name}, which the bundle does not ship: update scripts/bundle-mcpb.mjs.`);

rmSync(out, { force: true });
const ok = await packExtension({ extensionPath: stage, outputPath: out, silent: true });
if (!ok) {
  console.error(`mcpb pack failed for ${stage}.`);
  process.exit(1);
}
console.log(`MCP Bundle: ${path.relative(process.cwd(), out)} (${(statSync(out).size / 1e6).toFixed(1)} MB, ${process.platform} only; ${shipped.length} packages, ${listed.length - shipped.length} never loaded left out). Install it in Claude Desktop: Settings > Extensions > Install Extension.`);
