#!/usr/bin/env node
/**
 * Visible-text benchmark, side by side in one run (medians over --runs):
 *  (a) the converter before issue 10 (commit 7b8b8ba: the hand-written tree builder), taken from git
 *      at run time and bundled with esbuild into a temp dir (never committed);
 *  (b) parse5 parsing alone (the tree the new converter starts from);
 *  (c) the converter in this tree (src/text/html-to-text.ts), bundled the same way.
 * Inputs: the realistic mails of the browser-judged corpus (test/visible/corpus/mails), and four
 * pathological bodies. Repeated runs see warm caches (as a mailbox of messages from the same
 * templates does); the "first sight" line loads a fresh module per run, so every cache is empty. Times are wall-clock and CPU (user+system) of this process; on a shared
 * machine the CPU figure is the steadier one.
 *
 * With --base <rev>, (a) is the converter at that revision instead (all of src/ at that revision, via
 * git archive): e.g. `--base main` measures a branch's engine against main's in the same run.
 *
 * Usage: node bench/visible-text.mjs [--runs N] [--json] [--base <rev>]
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, extractSrcAt } from './bundle-src.mjs';
import { benchFlags, median } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { runs: RUNS, json: JSON_OUT, append: APPEND, base: BASE } = benchFlags('node bench/visible-text.mjs [--runs N] [--json] [--base <rev>] [--append FILE]', {
  runs: { default: 7, number: true },
  json: { boolean: true },
  append: {},
  base: {},
});
const BEFORE_COMMIT = BASE ?? '7b8b8ba';


// Inside node_modules/.cache so the bundles' external imports resolve to this tree's packages.
const cacheDir = path.join(root, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const tmp = mkdtempSync(path.join(cacheDir, 'visible-bench-'));
try {
  // (a) today's module as of the commit before the rewrite, from git.
  const beforeDir = path.join(tmp, 'before', 'src', 'text');
  mkdirSync(beforeDir, { recursive: true });
  if (BASE !== undefined) {
    extractSrcAt(root, BASE, path.join(tmp, 'before'));
  } else {
    for (const file of ['html-to-text.ts', 'invisible.ts']) {
      const source = execFileSync('git', ['show', `${BEFORE_COMMIT}:src/text/${file}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
      writeFileSync(path.join(beforeDir, file), source);
    }
  }
  const bundle = bundleAndImport;
  const beforeFile = path.join(tmp, 'before.mjs');
  const afterFile = path.join(tmp, 'after.mjs');
  const before = await bundle(path.join(beforeDir, 'html-to-text.ts'), beforeFile);
  const after = await bundle(path.join(root, 'src', 'text', 'html-to-text.ts'), afterFile);
  // A fresh module instance has empty caches: "first sight" of every template.
  let instance = 0;
  const fresh = async (file) => import(`${pathToFileURL(file).href}?fresh=${instance++}`);
  writeFileSync(
    path.join(tmp, 'parse-only.ts'),
    `import { parse } from 'parse5';\nimport { adapter } from 'parse5-htmlparser2-tree-adapter';\n` +
      `export const parseOnly = (html: string) => parse(html, { treeAdapter: adapter, scriptingEnabled: false });\n`,
  );
  const { parseOnly } = await bundle(path.join(tmp, 'parse-only.ts'), path.join(tmp, 'parse-only.mjs'));

  const mailsDir = path.join(root, 'test', 'visible', 'corpus', 'mails');
  const mails = [];
  for (const dir of readdirSync(mailsDir, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(path.join(mailsDir, dir.name))) {
      if (f.endsWith('.html')) mails.push(readFileSync(path.join(mailsDir, dir.name, f), 'utf8'));
    }
  }
  const mailBytes = mails.reduce((n, m) => n + m.length, 0);
  const largest = mails.reduce((a, b) => (b.length > a.length ? b : a), '');
  let tenMb = '';
  while (tenMb.length < 10 * 1024 * 1024) tenMb += largest;
  let sheet = '<style>';
  for (let i = 0; i < 50_000; i++) sheet += `.c${i} > span, #i${i}:not(.x){display:none;color:#${(i % 4096).toString(16).padStart(3, '0')}}\n`;
  sheet += '</style>';

  const inputs = [
    { name: `realistic mails (${mails.length}, ${(mailBytes / 1024).toFixed(0)} KB in all)`, bodies: mails, realistic: true },
    { name: '200,000 nested unclosed <div>', bodies: ['<div>'.repeat(200_000) + 'end'] },
    { name: '200,000 misnested <b><i>', bodies: ['<b><i>x</b></i>'.repeat(200_000)] },
    { name: '10 MB body', bodies: [tenMb] },
    { name: '<style> with 50,000 rules', bodies: [sheet + largest] },
  ];
  const converters = [
    { key: 'before', label: `before (${BEFORE_COMMIT})`, run: (h) => before.htmlToVisibleText(h) },
    { key: 'parse5', label: 'parse5 alone', run: (h) => parseOnly(h) },
    { key: 'after', label: 'this tree', run: (h) => after.htmlToVisibleText(h) },
  ];

  // First sight: each run loads a fresh copy of the module (JIT warm, caches cold) and converts every mail once.
  const cold = {};
  for (const [key, file] of [['before', beforeFile], ['after', afterFile]]) {
    const cpu = [];
    for (let r = 0; r < RUNS; r++) {
      const mod = await fresh(file);
      const c0 = process.cpuUsage();
      for (const m of mails) mod.htmlToVisibleText(m);
      const d = process.cpuUsage(c0);
      cpu.push((d.user + d.system) / 1000);
    }
    cold[key] = median(cpu);
  }

  const results = [];
  for (const input of inputs) {
    const row = { input: input.name };
    for (const c of converters) {
      for (const body of input.bodies) c.run(body); // warm-up
      const wall = [];
      const cpu = [];
      for (let r = 0; r < RUNS; r++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        for (const body of input.bodies) c.run(body);
        wall.push(performance.now() - t0);
        const d = process.cpuUsage(c0);
        cpu.push((d.user + d.system) / 1000);
      }
      row[c.key] = { wallMs: median(wall), cpuMs: median(cpu) };
    }
    if (!input.realistic) {
      const out = after.htmlToVisibleText(input.bodies[0]);
      row.truncatedInput = out.truncatedInput ?? 0;
      // First sight of this body: a fresh module, so no cached style sheets or values.
      const firstWall = [];
      for (let r = 0; r < Math.min(RUNS, 3); r++) {
        const mod = await fresh(afterFile);
        const t0 = performance.now();
        mod.htmlToVisibleText(input.bodies[0]);
        firstWall.push(performance.now() - t0);
      }
      row.firstSightWallMs = median(firstWall);
    }
    results.push(row);
  }
  const heap = process.memoryUsage();

  if (JSON_OUT) {
    console.log(JSON.stringify({ runs: RUNS, node: process.version, results, firstSightCpuMs: cold, rssMb: heap.rss / 1048576 }, null, 2));
  } else {
    const lines = [];
    const log = (line) => lines.push(line);
    const f = (x) => `${x.wallMs.toFixed(1)} / ${x.cpuMs.toFixed(1)}`;
    log(`Visible text, median of ${RUNS} runs, ms wall / ms CPU (Node ${process.version}, load ${os.loadavg()[0].toFixed(1)})`);
    log('');
    log('| input | before | parse5 alone | this tree | this/before (CPU) | this tree, first sight (ms wall) | cut by the input cap |');
    log('|---|---|---|---|---|---|---|');
    for (const r of results) {
      const ratio = (r.after.cpuMs / r.before.cpuMs).toFixed(2);
      const cut = r.truncatedInput === undefined ? '-' : r.truncatedInput > 0 ? `${r.truncatedInput} chars` : 'nothing';
      const first = r.firstSightWallMs === undefined ? '-' : r.firstSightWallMs.toFixed(1);
      log(`| ${r.input} | ${f(r.before)} | ${f(r.parse5)} | ${f(r.after)} | ${ratio} | ${first} | ${cut} |`);
    }
    log('');
    log(
      `Realistic mails at first sight (fresh module, caches empty), ms CPU: before ${cold.before.toFixed(1)}, ` +
        `this tree ${cold.after.toFixed(1)} (${(cold.after / cold.before).toFixed(2)}x). Peak RSS ${(heap.rss / 1048576).toFixed(0)} MB.`,
    );
    console.log(lines.join('\n'));
    if (APPEND) appendFileSync(path.resolve(APPEND), `\n## Visible text: speed (bench/visible-text.mjs)\n\n${lines.join('\n')}\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
