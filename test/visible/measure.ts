/**
 * Measures a converter (HTML in, text out) against the browser verdicts: which hidden markers leak
 * into its text, which visible markers it drops, and which words a browser shows in the realistic
 * mails are missing from its text.
 *
 * A marker counts as present when it is one of the output's words (see words() in corpus.ts), so a
 * marker glued to a neighbour ("VISx001aVISx001b") is missing, as it would be to a reader. Lost
 * words are counted as a multiset: a word the browser shows three times must appear three times.
 */
import { familyOf, words, type Verdicts } from './corpus.js';

/** The counts for one family of corpus files. */
export interface FamilyRates {
  family: string;
  files: number;
  hiddenMarkers: number;
  leaked: number;
  visibleMarkers: number;
  dropped: number;
  /** Browser-visible words (markers included) missing from the output. */
  lostWords: number;
}

/** Everything measured for one converter. */
export interface Measurement {
  families: FamilyRates[];
  total: FamilyRates;
  leakRate: number;
  dropRate: number;
  /** Visible words lost in the realistic mails (corpus/mails). */
  lostMailWords: number;
  leaked: string[];
  dropped: string[];
  lost: Array<{ file: string; words: string[] }>;
}

function empty(family: string): FamilyRates {
  return { family, files: 0, hiddenMarkers: 0, leaked: 0, visibleMarkers: 0, dropped: 0, lostWords: 0 };
}

/** Browser-visible words (as a multiset) that the output lacks. */
export function lostWords(visible: string, output: string): string[] {
  const have = new Map<string, number>();
  for (const w of words(output)) have.set(w, (have.get(w) ?? 0) + 1);
  const lost: string[] = [];
  for (const w of visible.split(' ').filter(Boolean)) {
    const n = have.get(w) ?? 0;
    if (n > 0) have.set(w, n - 1);
    else lost.push(w);
  }
  return lost;
}

/** Runs `convert` over every file the verdicts cover and counts leaks, drops and lost words. */
export function measure(verdicts: Verdicts, read: (file: string) => string, convert: (html: string) => string): Measurement {
  const byFamily = new Map<string, FamilyRates>();
  const total = empty('total');
  const leaked: string[] = [];
  const dropped: string[] = [];
  const lost: Measurement['lost'] = [];
  let lostMailWords = 0;
  for (const [file, verdict] of Object.entries(verdicts.files)) {
    const family = familyOf(file);
    const row = byFamily.get(family) ?? empty(family);
    byFamily.set(family, row);
    const output = convert(read(file));
    const present = new Set(words(output));
    row.files++;
    total.files++;
    for (const [marker, m] of Object.entries(verdict.markers)) {
      const shown = present.has(marker.toLowerCase());
      if (m.browser === 'hidden') {
        row.hiddenMarkers++;
        total.hiddenMarkers++;
        if (shown) {
          row.leaked++;
          total.leaked++;
          leaked.push(`${file}: ${marker}${m.reason ? ` (${m.reason})` : ''}`);
        }
      } else {
        row.visibleMarkers++;
        total.visibleMarkers++;
        if (!shown) {
          row.dropped++;
          total.dropped++;
          dropped.push(`${file}: ${marker}`);
        }
      }
    }
    const missing = lostWords(verdict.visible, output);
    row.lostWords += missing.length;
    total.lostWords += missing.length;
    if (missing.length > 0) lost.push({ file, words: missing });
    if (file.startsWith('mails/')) lostMailWords += missing.length;
  }
  return {
    families: [...byFamily.values()].sort((a, b) => a.family.localeCompare(b.family)),
    total,
    leakRate: total.hiddenMarkers === 0 ? 0 : total.leaked / total.hiddenMarkers,
    dropRate: total.visibleMarkers === 0 ? 0 : total.dropped / total.visibleMarkers,
    lostMailWords,
    leaked,
    dropped,
    lost,
  };
}

/** A plain-text table of a measurement, one row per family. */
export function formatTable(name: string, m: Measurement): string {
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
  const head = ['family', 'files', 'hidden', 'leaked', 'leak%', 'visible', 'dropped', 'drop%', 'lost words'];
  const rows = [...m.families, m.total].map((r) => [r.family, String(r.files), ...markerCells(r), String(r.lostWords)]);
  return [`${name}: leak ${pct(m.total.leaked, m.total.hiddenMarkers)}, drop ${pct(m.total.dropped, m.total.visibleMarkers)}, lost words in realistic mails ${m.lostMailWords}`, ...alignColumns([head, ...rows])].join('\n');
}

/** The marker columns of a table row: hidden, leaked, leak%, visible, dropped, drop%. */
export function markerCells(r: { hiddenMarkers: number; leaked: number; visibleMarkers: number; dropped: number }): string[] {
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
  return [String(r.hiddenMarkers), String(r.leaked), pct(r.leaked, r.hiddenMarkers), String(r.visibleMarkers), String(r.dropped), pct(r.dropped, r.visibleMarkers)];
}

/** Table rows as aligned lines: the first column left-aligned, the others right-aligned. */
export function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}
