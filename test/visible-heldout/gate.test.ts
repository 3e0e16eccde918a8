/**
 * The held-out gate: renderers measured against the pixel referee's committed verdicts (no browser
 * needed here; browser.test.ts keeps the verdicts honest). Prints the per-family table; with
 * VISIBLE_DETAILS=1 also every leaked and dropped marker.
 *
 * The targets (HELDOUT_GATE in measure.ts) are asserted when ENFORCE_HELDOUT_GATE is true. Today's
 * engine does not meet them (the numbers are in BUILTIN_BASELINE), so until the fail-closed engine
 * lands the test holds the builtin renderer to its baseline instead: it cannot get worse.
 */
import { describe, expect, it } from 'vitest';
import { listCases, readCase, readHeldoutVerdicts } from './heldout.js';
import { formatHeldoutTable, gateFailures, HELDOUT_GATE, measureHeldout, type HeldoutMeasurement, type Renderer } from './measure.js';
import { builtinRenderer, htmlToTextRenderer } from './renderers.js';

/** Flip to true once the builtin renderer meets HELDOUT_GATE.builtin (the lead decides at merge). */
export const ENFORCE_HELDOUT_GATE = false;

/** The fail-closed builtin engine on this corpus at first sight (before 135 leaked, 35 dropped): leaked and dropped markers. */
export const BUILTIN_BASELINE = { leaked: 47, dropped: 70 } as const;

/**
 * The browser renderer, once it exists in this tree: wire it here (same signature) and its gate
 * (HELDOUT_GATE.browser) is asserted. Until then no browser row is measured, and nothing claims one.
 */
const browserRenderer: Renderer | undefined = undefined;

const verdicts = readHeldoutVerdicts();

function printDetails(m: HeldoutMeasurement): void {
  if (process.env.VISIBLE_DETAILS !== '1') return;
  if (m.leaked.length > 0) console.log(`leaked:\n  ${m.leaked.join('\n  ')}`);
  if (m.dropped.length > 0) console.log(`dropped:\n  ${m.dropped.join('\n  ')}`);
}

describe('held-out corpus', () => {
  it('is what the issue asks for: 300+ hiding cases in 15+ families, 40+ tricky-but-visible cases, all judged', () => {
    const files = listCases();
    expect(Object.keys(verdicts.cases).sort()).toEqual(files);
    const hiding = files.filter((f) => Object.values(verdicts.cases[f]!).some((m) => m.browser === 'hidden'));
    const hidingFamilies = new Set(hiding.map((f) => f.split('/')[0]));
    const visibleOnly = files.filter((f) => Object.values(verdicts.cases[f]!).every((m) => m.browser === 'visible'));
    expect(hiding.length).toBeGreaterThanOrEqual(300);
    expect(hidingFamilies.size).toBeGreaterThanOrEqual(15);
    expect(visibleOnly.length).toBeGreaterThanOrEqual(40);
  });
});

describe('held-out gate: builtin renderer (htmlToVisibleText)', async () => {
  const m = await measureHeldout(verdicts, readCase, builtinRenderer);

  it('reports leaked, dropped and withheld per family', () => {
    console.log(formatHeldoutTable('builtin (htmlToVisibleText)', m));
    printDetails(m);
    expect(m.total.hiddenMarkers).toBeGreaterThan(0);
    expect(m.total.visibleMarkers).toBeGreaterThan(0);
  });

  it.runIf(ENFORCE_HELDOUT_GATE)(`meets the builtin gate (leak <= ${HELDOUT_GATE.builtin.maxLeakRate * 100}%, drop <= ${HELDOUT_GATE.builtin.maxDropRate * 100}%)`, () => {
    expect(gateFailures(m, HELDOUT_GATE.builtin)).toEqual([]);
  });

  it.runIf(!ENFORCE_HELDOUT_GATE)('is no worse than its baseline while the gate is not enforced', () => {
    expect({ leaked: m.total.leaked <= BUILTIN_BASELINE.leaked, dropped: m.total.dropped <= BUILTIN_BASELINE.dropped }).toEqual({ leaked: true, dropped: true });
  });
});

describe('held-out gate: browser renderer', () => {
  it.runIf(browserRenderer !== undefined)(`meets the browser gate (leak <= ${HELDOUT_GATE.browser.maxLeakRate * 100}%, drop <= ${HELDOUT_GATE.browser.maxDropRate * 100}%)`, async () => {
    const m = await measureHeldout(verdicts, readCase, browserRenderer!);
    console.log(formatHeldoutTable('browser', m));
    printDetails(m);
    expect(gateFailures(m, HELDOUT_GATE.browser)).toEqual([]);
  });
});

describe('the held-out corpus has teeth: a naive converter fails it', () => {
  it('html-to-text (npm) leaks most hidden markers', async () => {
    const naive = await measureHeldout(verdicts, readCase, htmlToTextRenderer);
    console.log(formatHeldoutTable('html-to-text (npm)', naive));
    expect(naive.leakRate).toBeGreaterThan(0.5);
    expect(gateFailures(naive, HELDOUT_GATE.builtin).length).toBeGreaterThan(0);
  });
});
