/**
 * The readers judged by the referee (referee.mjs: LibreOffice, poppler and
 * tesseract, none of it our code). For every corpus file, a marker word the
 * referee did not see but we returned is a leak; one it saw that we left out
 * is a drop. The gate is 0 of each, per format. The committed verdicts are
 * re-judged when the referee's tools are installed, and must be under CI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderDocumentText } from '../../src/services/attachment-text.js';
import { readDocument } from '../../src/text/documents/index.js';
import { refereeRejudgesOnThisPass } from '../helpers/ci-pass.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.join(here, 'corpus');
type Markers = Record<string, { visible: string[]; hidden: string[]; labelled?: string[]; policy?: string[]; either?: string[] }>;
type Verdicts = Record<string, { painted: string[]; unpainted: string[] }>;
const markers = JSON.parse(readFileSync(path.join(corpus, 'markers.json'), 'utf8')) as Markers;
const verdicts = JSON.parse(readFileSync(path.join(corpus, 'verdicts.json'), 'utf8')) as Verdicts;

async function ourText(file: string): Promise<string> {
  const doc = await readDocument(new Uint8Array(readFileSync(path.join(corpus, file))), { name: file });
  return (await renderDocumentText(doc, 100_000)).text.toLowerCase();
}

describe('the readers against the referee', () => {
  it('leak nothing and drop nothing, per format', { timeout: 120_000 }, async () => {
    const table: Array<{ file: string; leaked: string[]; dropped: string[] }> = [];
    for (const file of Object.keys(verdicts).sort()) {
      const text = await ourText(file);
      const v = verdicts[file]!;
      table.push({ file, leaked: v.unpainted.filter((w) => text.includes(w.toLowerCase())), dropped: v.painted.filter((w) => !text.includes(w.toLowerCase())) });
    }
    console.log(table.map((r) => `${r.file}: leaked ${r.leaked.length}${r.leaked.length ? ` (${r.leaked.join(', ')})` : ''}, dropped ${r.dropped.length}${r.dropped.length ? ` (${r.dropped.join(', ')})` : ''}`).join('\n'));
    expect(table.filter((r) => r.leaked.length || r.dropped.length)).toEqual([]);
  });

  it('agrees with how the corpus was written: visible markers painted, hidden ones not', () => {
    for (const [file, m] of Object.entries(markers)) {
      const v = verdicts[file]!;
      expect({ file, unseen: m.visible.filter((w) => !v.painted.includes(w)), seen: m.hidden.filter((w) => v.painted.includes(w)) }).toEqual({ file, unseen: [], seen: [] });
    }
  });

  const tools = ['soffice', 'pdftoppm', 'tesseract'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  it.runIf(refereeRejudgesOnThisPass('documents') && (tools.length === 0 || process.env.CI === 'true'))('re-judges the corpus to the committed verdicts', { timeout: 240_000 }, () => {
    expect(tools, 'the referee needs Debian packages libreoffice-{writer,calc,impress}-nogui, poppler-utils, tesseract-ocr(+eng)').toEqual([]);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'referee-out-'));
    try {
      const out = path.join(tmp, 'verdicts.json');
      execFileSync(process.execPath, [path.join(here, 'referee.mjs'), '--out', out], { stdio: 'ignore', timeout: 230_000 });
      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(verdicts);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
