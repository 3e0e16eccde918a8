#!/usr/bin/env node
/**
 * Build step: the draft-review card (card/) as ONE self-contained HTML file,
 * dist/apps/review-card.html. The App SDK and our script are bundled and
 * inlined; the page's own CSP allows exactly that script and style (by hash)
 * and nothing else, so the card loads nothing remote even in a host that
 * applies no CSP of its own. Also importable: `buildCardHtml()` returns the
 * page without writing it (tests run from source use that).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cardDir = path.join(root, 'card');

/**
 * zod re-exports every locale (`export * as locales`), which no bundler can
 * drop; the card never shows a zod message, so it gets English only.
 */
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => (args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js') } : undefined));
  },
};

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The card page as a string. */
export async function buildCardHtml() {
  const result = await build({
    entryPoints: [path.join(cardDir, 'review-card.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    plugins: [englishOnlyZod],
    logLevel: 'warning',
  });
  // An inline script must not close its own element.
  const script = result.outputFiles[0].text.replaceAll('</script', '<\\/script').trim();
  const style = readFileSync(path.join(cardDir, 'review-card.css'), 'utf8').trim();
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const template = readFileSync(path.join(cardDir, 'review-card.html'), 'utf8');
  // Placeholders are replaced by function so that `$` in the bundle is taken literally.
  return template
    .replace('<!--CSP-->', () => `<meta http-equiv="Content-Security-Policy" content="${csp}" />`)
    .replace(/<style>\s*\/\*STYLE\*\/\s*<\/style>/, () => `<style>${style}</style>`)
    .replace(/<script type="module">\s*\/\*SCRIPT\*\/\s*<\/script>/, () => `<script type="module">${script}</script>`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(root, 'dist', 'apps');
  mkdirSync(out, { recursive: true });
  const html = await buildCardHtml();
  writeFileSync(path.join(out, 'review-card.html'), html);
  // The bundled binary reads it next to its own chunks.
  mkdirSync(path.join(root, 'dist', 'bin', 'apps'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'bin', 'apps', 'review-card.html'), html);
  process.stderr.write(`review card: ${(html.length / 1024).toFixed(1)} KiB\n`);
}
