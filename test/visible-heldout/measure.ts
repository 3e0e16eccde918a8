/**
 * Measures any renderer (HTML in, the text an agent would read out) against the held-out verdicts:
 * per family, the share of browser-hidden markers that reach the text (leaked), the share of
 * browser-visible markers missing from it (dropped), and how many words the renderer says it
 * withheld because it could not decide.
 *
 * A marker counts as present when it is one of the text's words, normalised as the browser-judged
 * corpus does (words() in test/visible/corpus.ts: NFKC, lower case, default-ignorables removed), so
 * a marker glued to a neighbour is missing, as it would be to a reader.
 */
import { words } from '../visible/corpus.js';
import { alignColumns, markerCells } from '../visible/measure.js';
import { caseFamily, type HeldoutVerdicts } from './heldout.js';

/** What every renderer is judged through: the builtin engine, a browser renderer, html-to-text. */
export type Renderer = (html: string) => Promise<{ text: string; withheld?: number }>;

/**
 * The targets on held-out tricks (issue 17), on the totals over all families. Not to be weakened:
 * a renderer that misses them is not done.
 */
export const HELDOUT_GATE = {
  builtin: { maxLeakRate: 0.03, maxDropRate: 0.1 },
  browser: { maxLeakRate: 0.01, maxDropRate: 0.02 },
} as const;

/** The counts for one family (or the total). */
export interface HeldoutRates {
  family: string;
  cases: number;
  hiddenMarkers: number;
  leaked: number;
  visibleMarkers: number;
  dropped: number;
  /** Words the renderer reported as withheld (its own count). */
  withheldWords: number;
}

/** Everything measured for one renderer. */
export interface HeldoutMeasurement {
  families: HeldoutRates[];
  total: HeldoutRates;
  leakRate: number;
  dropRate: number;
  /** `<case>: <marker> (<browser reason>)` for every leak. */
  leaked: string[];
  /** `<case>: <marker>` for every drop. */
  dropped: string[];
}

function empty(family: string): HeldoutRates {
  return { family, cases: 0, hiddenMarkers: 0, leaked: 0, visibleMarkers: 0, dropped: 0, withheldWords: 0 };
}

/** Runs `render` over every case the verdicts cover, one at a time, and counts leaks and drops. */
export async function measureHeldout(verdicts: HeldoutVerdicts, read: (file: string) => string, render: Renderer): Promise<HeldoutMeasurement> {
  const byFamily = new Map<string, HeldoutRates>();
  const total = empty('total');
  const leaked: string[] = [];
  const dropped: string[] = [];
  for (const [file, verdict] of Object.entries(verdicts.cases)) {
    const family = caseFamily(file);
    const row = byFamily.get(family) ?? empty(family);
    byFamily.set(family, row);
    const { text, withheld = 0 } = await render(read(file));
    const present = new Set(words(text));
    const rows = [row, total];
    for (const r of rows) {
      r.cases++;
      r.withheldWords += withheld;
    }
    for (const [marker, m] of Object.entries(verdict)) {
      const shown = present.has(marker.toLowerCase());
      if (m.browser === 'hidden') {
        for (const r of rows) r.hiddenMarkers++;
        if (shown) {
          for (const r of rows) r.leaked++;
          leaked.push(`${file}: ${marker}${m.reason ? ` (${m.reason})` : ''}`);
        }
      } else {
        for (const r of rows) r.visibleMarkers++;
        if (!shown) {
          for (const r of rows) r.dropped++;
          dropped.push(`${file}: ${marker}`);
        }
      }
    }
  }
  return {
    families: [...byFamily.values()].sort((a, b) => a.family.localeCompare(b.family)),
    total,
    leakRate: rate(total.leaked, total.hiddenMarkers),
    dropRate: rate(total.dropped, total.visibleMarkers),
    leaked,
    dropped,
  };
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** The gate's failures for a measurement (empty when it passes). */
export function gateFailures(m: HeldoutMeasurement, gate: { maxLeakRate: number; maxDropRate: number }): string[] {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const out: string[] = [];
  if (m.leakRate > gate.maxLeakRate) out.push(`leaked ${pct(m.leakRate)} of hidden markers (limit ${pct(gate.maxLeakRate)})`);
  if (m.dropRate > gate.maxDropRate) out.push(`dropped ${pct(m.dropRate)} of visible markers (limit ${pct(gate.maxDropRate)})`);
  return out;
}

/** The per-family table as rows of cells (first row the header). */
export function heldoutRows(m: HeldoutMeasurement): string[][] {
  const head = ['family', 'cases', 'hidden', 'leaked', 'leak%', 'visible', 'dropped', 'drop%', 'withheld words'];
  const rows = [...m.families, m.total].map((r) => [r.family, String(r.cases), ...markerCells(r), String(r.withheldWords)]);
  return [head, ...rows];
}

/** A plain-text table of a measurement, one row per family. */
export function formatHeldoutTable(name: string, m: HeldoutMeasurement): string {
  return [`${name}: leak ${(100 * m.leakRate).toFixed(1)}%, drop ${(100 * m.dropRate).toFixed(1)}% on held-out tricks`, ...alignColumns(heldoutRows(m))].join('\n');
}
