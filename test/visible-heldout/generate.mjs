#!/usr/bin/env node
/**
 * Writes the held-out corpus (cases/<family>/<nnnn>-<slug>.html) from sources/families-*.mjs.
 * Each `{H}` (meant hidden) and `{V}` (meant visible) becomes a marker word HIDq<nnnn><letter> or
 * VISq<nnnn><letter>, lettered in order of appearance. The browser's verdict, not this intent, is
 * the truth (verdicts.json); the intent only lets the verdicts list where the two disagree.
 *
 * Usage: node test/visible-heldout/generate.mjs   (then re-judge: see README.md)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as a from './sources/families-a.mjs';
import * as b from './sources/families-b.mjs';
import * as c from './sources/families-c.mjs';

const families = { ...a, ...b, ...c };
const out = fileURLToPath(new URL('./cases/', import.meta.url));
rmSync(out, { recursive: true, force: true });

const kebab = (s) => s.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
let n = 0;
for (const [name, cases] of Object.entries(families)) {
  const dir = join(out, kebab(name));
  mkdirSync(dir, { recursive: true });
  for (const [slug, css, body] of cases) {
    const id = String(++n).padStart(4, '0');
    let letter = 0;
    const mark = (kind) => `${kind === 'H' ? 'HID' : 'VIS'}q${id}${String.fromCharCode(97 + letter++)}`;
    const html =
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${slug}</title>` +
      (css ? `<style>${css}</style>` : '') +
      `</head>\n<body>\n${body.replace(/\{([HV])\}/g, (_m, kind) => mark(kind))}\n</body></html>\n`;
    writeFileSync(join(dir, `${id}-${slug}.html`), html);
  }
}
console.log(`wrote ${n} cases in ${Object.keys(families).length} families to ${out}`);
