#!/usr/bin/env node
/**
 * Renderer benchmark, side by side in one run: the cost of one mail read with the builtin engine
 * and with the browser renderer (headless Chromium through puppeteer-core), warm and first read
 * (a browser launch included), on the realistic mails of the browser-judged corpus
 * (test/visible/corpus/mails) and on a 10 MB body; median and p95 wall-clock ms per read; peak RSS
 * of this process and of the browser's process tree; and visible words lost on the realistic mails
 * (the corpus verdicts: words Chromium shows that the text lacks).
 *
 * The module under test (src/text/render-visible.ts) is bundled with esbuild into node_modules/.cache
 * (never committed), as bench/visible-text.mjs does.
 *
 * With --baseline REF (a git ref, e.g. main) the browser renderer of that commit is bundled too and
 * measured side by side with this tree's: reads alternate between the two (each with its own warm
 * browser), so both see the same machine load.
 *
 * Usage: node bench/renderers.mjs [--runs N] [--first N] [--browser PATH] [--baseline REF] [--append FILE]
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, extractSrcAt } from './bundle-src.mjs';
import { benchFlags, median, percentile } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flags = benchFlags('node bench/renderers.mjs [--runs N] [--first N] [--browser PATH] [--baseline REF] [--append FILE]', {
  runs: { default: 3, number: true },
  first: { default: 3, number: true },
  browser: {},
  baseline: {},
  append: {},
});
const { runs: RUNS, first: FIRST, append: APPEND, baseline: BASELINE } = flags;


/** RSS in bytes of a process and all its descendants (Linux /proc), 0 elsewhere. */
function treeRss(pid) {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // the process exited meanwhile
    }
  }
  return total;
}

const cacheDir = path.join(root, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const tmp = mkdtempSync(path.join(cacheDir, 'renderers-bench-'));
try {
  const entry = path.join(tmp, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { renderVisibleText, rendererStatus, closeRenderer } from ${JSON.stringify(path.join(root, 'src/text/render-visible.ts'))};`,
      `export { configureRenderer } from ${JSON.stringify(path.join(root, 'src/text/renderer-settings.ts'))};`,
      `export { htmlToVisibleText } from ${JSON.stringify(path.join(root, 'src/text/html-to-text.ts'))};`,
      `export { BrowserRenderer } from ${JSON.stringify(path.join(root, 'src/text/browser/browser-renderer.ts'))};`,
      `export { findBrowser } from ${JSON.stringify(path.join(root, 'src/text/browser/find-browser.ts'))};`,
    ].join('\n'),
  );
  const outfile = path.join(tmp, 'entry.mjs');
  const mod = await bundleAndImport(entry, outfile);
  // The baseline commit's renderer: its src/ extracted next to the bundle (packages from this tree's node_modules).
  let base;
  if (BASELINE) {
    const dir = path.join(tmp, 'baseline');
    extractSrcAt(root, BASELINE, dir);
    const baseEntry = path.join(dir, 'entry.ts');
    writeFileSync(
      baseEntry,
      [
        `export { renderVisibleText, closeRenderer } from ${JSON.stringify(path.join(dir, 'src/text/render-visible.ts'))};`,
        `export { configureRenderer } from ${JSON.stringify(path.join(dir, 'src/text/renderer-settings.ts'))};`,
      ].join('\n'),
    );
    const baseOut = path.join(dir, 'entry.mjs');
    base = await bundleAndImport(baseEntry, baseOut);
  }
  const browserPath = mod.findBrowser(flags.browser);
  if (!browserPath) throw new Error('No Chromium-family browser found: pass --browser PATH.');

  const mailsDir = path.join(root, 'test', 'visible', 'corpus', 'mails');
  const mails = [];
  for (const dir of readdirSync(mailsDir, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(path.join(mailsDir, dir.name))) if (f.endsWith('.html')) mails.push({ file: `mails/${dir.name}/${f}`, html: readFileSync(path.join(mailsDir, dir.name, f), 'utf8') });
  }
  const largest = mails.reduce((a, b) => (b.html.length > a.html.length ? b : a)).html;
  let tenMb = '';
  while (tenMb.length < 10 * 1024 * 1024) tenMb += largest;

  const settings = (renderer) => ({ renderer, browserPath, idleMs: 600_000, timeoutMs: 300_000 });
  const timeReads = async (bodies, runs) => {
    const times = [];
    for (let r = 0; r < runs; r++) {
      for (const b of bodies) {
        const t0 = performance.now();
        await mod.renderVisibleText(b);
        times.push(performance.now() - t0);
      }
    }
    return times;
  };

  const rows = [];
  let browserPeak = 0;
  let sampler;
  const sampleBrowser = () => {
    sampler = setInterval(() => {
      for (const pid of browserPids()) browserPeak = Math.max(browserPeak, treeRss(pid));
    }, 50);
  };
  const browserPids = () => {
    const out = [];
    for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      try {
        if (readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(process.pid)) out.push(Number(p));
      } catch {
        // gone
      }
    }
    return out;
  };

  // builtin
  mod.configureRenderer(settings('builtin'));
  const builtinMails = await timeReads(mails.map((m) => m.html), RUNS);
  const builtinBig = await timeReads([tenMb], 1);
  rows.push(['builtin', 'realistic mail, warm', builtinMails], ['builtin', '10 MB body', builtinBig]);

  // browser, first read (a launch each time)
  sampleBrowser();
  const first = [];
  for (let i = 0; i < FIRST; i++) {
    mod.configureRenderer(settings('builtin'));
    await mod.closeRenderer();
    mod.configureRenderer(settings('browser'));
    const t0 = performance.now();
    await mod.renderVisibleText(mails[i % mails.length].html);
    first.push(performance.now() - t0);
  }
  rows.push(['browser', 'first read (launch + read)', first]);
  if (base) {
    // Side by side: each mail read by the baseline's browser, then by this tree's, in turn.
    base.configureRenderer(settings('browser'));
    const baseMails = [];
    const ownMails = [];
    for (let r = 0; r < RUNS; r++) {
      for (const m of mails) {
        let t0 = performance.now();
        await base.renderVisibleText(m.html);
        baseMails.push(performance.now() - t0);
        t0 = performance.now();
        await mod.renderVisibleText(m.html);
        ownMails.push(performance.now() - t0);
      }
    }
    rows.push([`browser (${BASELINE})`, 'realistic mail, warm', baseMails], ['browser', 'realistic mail, warm', ownMails]);
    const t0 = performance.now();
    await base.renderVisibleText(tenMb);
    rows.push([`browser (${BASELINE})`, '10 MB body (capped input, as builtin)', [performance.now() - t0]]);
    await base.closeRenderer();
  } else {
    const browserMails = await timeReads(mails.map((m) => m.html), RUNS);
    rows.push(['browser', 'realistic mail, warm', browserMails]);
  }
  const bigT0 = performance.now();
  const big = await mod.renderVisibleText(tenMb);
  rows.push(['browser', '10 MB body (capped input, as builtin)', [performance.now() - bigT0]]);
  clearInterval(sampler);
  await mod.closeRenderer();

  // Visible words lost on the realistic mails, against the committed Chromium verdicts.
  const verdicts = JSON.parse(readFileSync(path.join(root, 'test', 'visible', 'verdicts.json'), 'utf8'));
  const norm = (s) => s.normalize('NFKC').toLowerCase().replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '');
  const wordsOf = (t) => (norm(t).match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []);
  const lost = async (renderer, m0 = mod) => {
    const mod = m0;
    mod.configureRenderer(settings(renderer));
    let n = 0;
    let total = 0;
    for (const m of mails) {
      const v = verdicts.files[m.file];
      if (!v) continue;
      const have = new Map();
      for (const w of wordsOf((await mod.renderVisibleText(m.html, { markQuotes: false })).text)) have.set(w, (have.get(w) ?? 0) + 1);
      for (const w of (v.visible ?? '').split(' ').filter(Boolean).map(norm)) {
        total++;
        const c = have.get(w) ?? 0;
        if (c > 0) have.set(w, c - 1);
        else n++;
      }
    }
    await mod.closeRenderer();
    return { n, total };
  };
  const lostBuiltin = await lost('builtin');
  const lostBrowser = await lost('browser');
  const lostBase = base ? await lost('browser', base) : undefined;

  const lines = [
    '',
    `## Mail renderers: builtin vs browser (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${path.basename(browserPath)})`,
    '',
    `${mails.length} realistic mails × ${RUNS} runs; first read = browser launch + one read, ${FIRST} times. Wall-clock ms per read.`,
    '',
    '| renderer | input | reads | median ms | p95 ms |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map(([r, what, xs]) => `| ${r} | ${what} | ${xs.length} | ${median(xs).toFixed(1)} | ${percentile(xs, 95).toFixed(1)} |`),
    '',
    `Peak RSS: this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; browser process tree ${(browserPeak / 1048576).toFixed(0)} MB (sampled every 50 ms).`,
    `10 MB body with the browser: ${big.truncatedInput ? `input capped at the same ${((tenMb.length - big.truncatedInput) / 1024).toFixed(0)} KB as builtin` : 'read whole'}${big.note ? `; ${big.note}` : ''}.`,
    `Visible words lost on the realistic mails (Chromium verdicts): builtin ${lostBuiltin.n} of ${lostBuiltin.total} (${((100 * lostBuiltin.n) / Math.max(1, lostBuiltin.total)).toFixed(2)}%), browser ${lostBrowser.n} of ${lostBrowser.total}${lostBase ? `; browser (${BASELINE}) ${lostBase.n} of ${lostBase.total}` : ''}.`,
    '',
  ];
  console.log(lines.join('\n'));
  if (APPEND) appendFileSync(APPEND, lines.join('\n'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
