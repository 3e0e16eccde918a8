#!/usr/bin/env node
/**
 * Held-out visible-text corpus (test/visible-heldout): leaked and dropped markers per family, for
 * each renderer side by side in one run, against the verdicts Chromium's pixel referee committed.
 *  - builtin: htmlToVisibleText (src/text/html-to-text.ts), bundled with esbuild into a temp dir;
 *  - html-to-text: the npm converter, the naive baseline;
 *  - browser: only with --browser <module>, a module whose export `render` (or default export) is
 *    `(html) => Promise<{ text, withheld? }>`; it may export `close()`, called at the end.
 * The gate (HELDOUT_GATE in test/visible-heldout/measure.ts) is printed next to each total.
 *
 * Usage: node bench/visible-heldout.mjs [--browser path/to/module.mjs] [--details] [--json] [--append docs/BENCHMARKS.md]
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { benchFlags } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { append: APPEND, browser: BROWSER, json: JSON_OUT, details: DETAILS } = benchFlags('node bench/visible-heldout.mjs [--browser path/to/module.mjs] [--details] [--json] [--append docs/BENCHMARKS.md]', {
  browser: {},
  details: { boolean: true },
  json: { boolean: true },
  append: {},
});

// Inside node_modules/.cache so the bundle's external imports resolve to this tree's packages.
const cacheDir = path.join(root, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const tmp = mkdtempSync(path.join(cacheDir, 'heldout-bench-'));
try {
  const entry = path.join(tmp, 'entry.ts');
  const rel = (p) => JSON.stringify(path.relative(tmp, path.join(root, p)).split(path.sep).join('/'));
  writeFileSync(
    entry,
      `export { measureHeldout, formatHeldoutTable, gateFailures, HELDOUT_GATE } from ${rel('test/visible-heldout/measure.ts')};\n` +
      `export { builtinRenderer, htmlToTextRenderer } from ${rel('test/visible-heldout/renderers.ts')};\n`,
  );
  const outfile = path.join(tmp, 'bundle.mjs');
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
  const lib = await import(pathToFileURL(outfile).href);
  // Cases and verdicts are read from the tree (heldout.ts finds them through import.meta.url, which in a bundle is tmp).
  const casesDir = path.join(root, 'test', 'visible-heldout', 'cases');
  const verdicts = JSON.parse(readFileSync(path.join(root, 'test', 'visible-heldout', 'verdicts.json'), 'utf8'));
  const read = (file) => readFileSync(path.join(casesDir, file), 'utf8');

  const renderers = [
    ['builtin', lib.builtinRenderer, lib.HELDOUT_GATE.builtin],
    ['html-to-text', lib.htmlToTextRenderer, lib.HELDOUT_GATE.builtin],
  ];
  let browserModule;
  if (BROWSER) {
    browserModule = await import(pathToFileURL(path.resolve(BROWSER)).href);
    const render = browserModule.render ?? browserModule.default;
    if (typeof render !== 'function') throw new Error(`${BROWSER} exports no render(html) function (named "render" or default).`);
    renderers.push(['browser', render, lib.HELDOUT_GATE.browser]);
  }

  const results = [];
  for (const [name, render, gate] of renderers) {
    const started = performance.now();
    const m = await lib.measureHeldout(verdicts, read, render);
    results.push({ name, m, gate, failures: lib.gateFailures(m, gate), ms: performance.now() - started });
  }
  await browserModule?.close?.();

  if (JSON_OUT) {
    console.log(JSON.stringify(results.map(({ name, m, gate, failures }) => ({ name, leakRate: m.leakRate, dropRate: m.dropRate, gate, failures, families: m.families, total: m.total })), null, 1));
  } else {
    for (const { name, m, failures, ms } of results) {
      console.log(`${lib.formatHeldoutTable(name, m)}\ngate: ${failures.length === 0 ? 'met' : failures.join('; ')} (${(ms / 1000).toFixed(1)} s)\n`);
      if (DETAILS) console.log(`leaked:\n  ${m.leaked.join('\n  ')}\ndropped:\n  ${m.dropped.join('\n  ')}\n`);
    }
  }

  if (APPEND) {
    // One markdown table: per family, leaked/hidden and dropped/visible for every renderer.
    const pct = (a, b) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
    const families = [...results[0].m.families.map((f) => f.family), 'total'];
    const row = (m, family) => (family === 'total' ? m.total : m.families.find((f) => f.family === family));
    const lines = [
      `Cases: ${Object.keys(verdicts.cases).length} (test/visible-heldout, judged by ${verdicts.referee}, ${verdicts.rule}).`,
      `Gate: builtin leak <= ${lib.HELDOUT_GATE.builtin.maxLeakRate * 100}% and drop <= ${lib.HELDOUT_GATE.builtin.maxDropRate * 100}%, browser leak <= ${lib.HELDOUT_GATE.browser.maxLeakRate * 100}% and drop <= ${lib.HELDOUT_GATE.browser.maxDropRate * 100}%.`,
      '',
      `| family | ${results.map(({ name }) => `${name} leaked | ${name} dropped`).join(' | ')} |`,
      `| --- | ${results.map(() => '---: | ---:').join(' | ')} |`,
      ...families.map((family) => {
        const cells = results.map(({ m }) => {
          const r = row(m, family);
          return `${pct(r.leaked, r.hiddenMarkers)} (${r.leaked}/${r.hiddenMarkers}) | ${pct(r.dropped, r.visibleMarkers)} (${r.dropped}/${r.visibleMarkers})`;
        });
        return `| ${family === 'total' ? '**total**' : family} | ${cells.join(' | ')} |`;
      }),
      '',
      ...results.map(({ name, failures, m }) => `- ${name}: ${failures.length === 0 ? 'meets the gate' : failures.join('; ')}; ${m.total.withheldWords} words withheld.`),
    ];
    appendFileSync(path.resolve(APPEND), `\n## Visible text: held-out hiding tricks (bench/visible-heldout.mjs)\n\n${lines.join('\n')}\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
