/**
 * The browser-judged corpus: hiding tricks (corpus/tricks/<family>/*.html) and realistic mails
 * (corpus/mails/<tool>/*.html), and the committed browser verdicts (verdicts.json) for each file.
 *
 * Markers are words like HIDx012a (the author meant it hidden) and VISx012a (meant visible). The
 * browser's verdict, not the author's intent, is the truth the converter is measured against;
 * where they disagree the verdicts file lists it under `disagreements`.
 *
 * Word normalisation, shared by the referee's word lists and the converter's output: NFKC, lower
 * case, format and other default-ignorable characters (zero-width joiners, soft hyphens, the
 * combining grapheme joiner of preheader padding) removed, then a letter or digit followed by
 * letters, digits and combining marks is a word; everything else separates words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JudgedWord } from './referee/referee.js';

/** The corpus folder. */
export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url));

/** The committed verdicts. */
export const VERDICTS_PATH = fileURLToPath(new URL('./verdicts.json', import.meta.url));

/** A marker word: HID or VIS, `x`, a three-digit file number and a letter. */
export const MARKER = /^(hid|vis)x\d{3}[a-z]$/i;

/** What the browser showed of one corpus file. */
export interface FileVerdict {
  /** Marker word (upper-case prefix as written) → what the author meant and what the browser did. */
  markers: Record<string, { intent: 'visible' | 'hidden'; browser: 'visible' | 'hidden'; reason?: string }>;
  /** The visible words in document order, normalised, joined by single spaces. */
  visible: string;
  /** The hidden words in document order, normalised, joined by single spaces. */
  hidden: string;
}

/** The verdicts file. */
export interface Verdicts {
  referee: string;
  viewport: string;
  files: Record<string, FileVerdict>;
  disagreements: string[];
}

/** Corpus files relative to CORPUS_DIR with forward slashes, sorted. */
export function listCorpus(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) out.push(relative(CORPUS_DIR, full).split(sep).join('/'));
    }
  };
  walk(CORPUS_DIR);
  return out.sort();
}

/** The HTML of one corpus file. */
export function readCorpusFile(rel: string): string {
  return readFileSync(join(CORPUS_DIR, rel), 'utf8');
}

/** The family of a corpus file: `tricks/<family>` or `mails/<tool>`. */
export function familyOf(rel: string): string {
  return rel.split('/').slice(0, 2).join('/');
}

/** Normalises text into words (see the module header). */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
      .match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []
  );
}

/** Turns the referee's judged words into a file verdict. */
export function toVerdict(judged: JudgedWord[]): FileVerdict {
  const markers: FileVerdict['markers'] = {};
  const visible: string[] = [];
  const hidden: string[] = [];
  for (const { w, v, r } of judged) {
    (v ? visible : hidden).push(...words(w));
    if (!MARKER.test(w)) continue;
    const key = w.slice(0, 3).toUpperCase() + w.slice(3).toLowerCase();
    const intent = key.startsWith('VIS') ? 'visible' : 'hidden';
    const seen = markers[key];
    // A marker written twice is visible when any copy is.
    if (seen?.browser === 'visible') continue;
    markers[key] = v ? { intent, browser: 'visible' } : { intent, browser: 'hidden', reason: r };
  }
  return { markers, visible: visible.join(' '), hidden: hidden.join(' ') };
}

/** Marker verdicts where the browser did not do what the author meant. */
export function disagreements(files: Record<string, FileVerdict>): string[] {
  const out: string[] = [];
  for (const [file, verdict] of Object.entries(files)) {
    for (const [marker, m] of Object.entries(verdict.markers)) {
      if (m.intent !== m.browser) out.push(`${file}: ${marker} meant ${m.intent}, browser ${m.browser}${m.reason ? ` (${m.reason})` : ''}`);
    }
  }
  return out;
}

/** Reads the committed verdicts. */
export function readVerdicts(): Verdicts {
  return JSON.parse(readFileSync(VERDICTS_PATH, 'utf8')) as Verdicts;
}
