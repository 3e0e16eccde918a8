/**
 * The held-out corpus: hiding tricks written from the CSS/HTML specifications without reading the
 * engine (cases/<family>/*.html), and the verdicts Chromium's pixel referee gave them
 * (verdicts.json). See README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkerJudgement } from './referee.js';

/** The case folder. */
export const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

/** The committed verdicts. */
export const HELDOUT_VERDICTS_PATH = fileURLToPath(new URL('./verdicts.json', import.meta.url));

/** What the browser did with every marker of one case (marker → judgement). */
export type CaseVerdict = Record<string, Omit<MarkerJudgement, 'pixels'>>;

/** The verdicts file. */
export interface HeldoutVerdicts {
  referee: string;
  viewport: string;
  rule: string;
  cases: Record<string, CaseVerdict>;
  /** Markers where the browser did not do what the author meant (the browser is the truth). */
  disagreements: string[];
}

/** Case files as `<family>/<file>.html`, sorted. */
export function listCases(): string[] {
  const out: string[] = [];
  for (const family of readdirSync(CASES_DIR, { withFileTypes: true })) {
    if (!family.isDirectory()) continue;
    for (const file of readdirSync(join(CASES_DIR, family.name))) {
      if (file.endsWith('.html')) out.push(`${family.name}/${file}`);
    }
  }
  return out.sort();
}

/** The HTML of one case. */
export function readCase(rel: string): string {
  return readFileSync(join(CASES_DIR, rel), 'utf8');
}

/** The family of a case: its folder. */
export function caseFamily(rel: string): string {
  return rel.split('/')[0]!;
}

/** What the author meant a marker to be, from its prefix. */
export function intentOf(marker: string): 'visible' | 'hidden' {
  return marker.startsWith('VIS') ? 'visible' : 'hidden';
}

/** A referee judgement as committed: without the pixel count (it moves with font rendering; the verdict does not). */
export function toCaseVerdict(judged: Record<string, MarkerJudgement>): CaseVerdict {
  const out: CaseVerdict = {};
  for (const marker of Object.keys(judged).sort()) {
    const { pixels: _pixels, ...rest } = judged[marker]!;
    out[marker] = rest;
  }
  return out;
}

/** Markers where the browser's verdict differs from the author's intent. */
export function heldoutDisagreements(cases: Record<string, CaseVerdict>): string[] {
  const out: string[] = [];
  for (const [file, verdict] of Object.entries(cases)) {
    for (const [marker, m] of Object.entries(verdict)) {
      if (intentOf(marker) !== m.browser) out.push(`${file}: ${marker} meant ${intentOf(marker)}, browser ${m.browser}${m.reason ? ` (${m.reason})` : ''}`);
    }
  }
  return out;
}

/** Reads the committed verdicts. */
export function readHeldoutVerdicts(): HeldoutVerdicts {
  return JSON.parse(readFileSync(HELDOUT_VERDICTS_PATH, 'utf8')) as HeldoutVerdicts;
}
