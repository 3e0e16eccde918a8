#!/usr/bin/env node
// Writes the browser-judged corpus: hiding tricks (from sources/tricks.mjs) and realistic mails
// built with the real tools (sources/mails.mjs: MJML, Foundation for Emails' Inky + Juice, React
// Email, and hand-made client shapes). Run by hand after changing a source, then re-judge:
//
//   node test/visible/generate.mjs
//   UPDATE_VISIBLE_VERDICTS=1 npx vitest run test/visible/browser.test.ts
//
// The generated HTML is committed, so verdicts stay stable and CI never runs the generators.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRICKS } from './sources/tricks.mjs';
import { buildMails } from './sources/mails.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, 'corpus');

function wrap(name, entry) {
  const spec = typeof entry === 'string' ? { body: entry } : entry;
  if (spec.doc) return spec.doc;
  const doctype = spec.quirks ? '' : '<!DOCTYPE html>\n';
  return `${doctype}<html><head><meta charset="utf-8"><title>${name}</title>${spec.head ?? ''}</head>
<body><p>This opening sentence is plainly visible.</p>
${spec.body ?? ''}
<p>The closing sentence is visible too.</p></body></html>
`;
}

/** Replaces {H}/{V} with unique markers: HIDx<file number><letter>. */
function mark(html, n) {
  let k = 0;
  return html.replace(/\{([HV])\}/g, (_, kind) => {
    const letter = String.fromCharCode(97 + k++);
    if (k > 26) throw new Error(`trick ${n} has more than 26 markers`);
    return `${kind === 'H' ? 'HID' : 'VIS'}x${String(n).padStart(3, '0')}${letter}`;
  });
}

function writeClean(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [rel, html] of files) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, html);
  }
}

const trickFiles = [];
let n = 0;
for (const [family, entries] of Object.entries(TRICKS)) {
  for (const [name, entry] of entries) {
    n++;
    trickFiles.push([`${family}/${name}.html`, mark(wrap(name, entry), n)]);
  }
}
if (n > 999) throw new Error('marker numbers have three digits');
writeClean(join(corpus, 'tricks'), trickFiles);

const mails = await buildMails();
writeClean(join(corpus, 'mails'), mails);

const count = (dir) => readdirSync(join(corpus, dir), { recursive: true }).filter((f) => String(f).endsWith('.html')).length;
console.log(`wrote ${count('tricks')} tricks and ${count('mails')} mails under ${corpus}`);
