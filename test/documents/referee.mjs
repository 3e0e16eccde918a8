#!/usr/bin/env node
/**
 * The referee: decides which marker words a person sees, without our code.
 * Office files are printed to PDF by LibreOffice, every PDF page is rendered
 * by poppler (pdftoppm, 150 dpi) and read back by tesseract OCR; a marker is
 * "painted" when the OCR text of the document contains it. The readers are
 * then judged against these verdicts (referee.test.ts): a word the referee did
 * not see but we returned is a leak, a word it saw that we left out a drop.
 *
 * Run: node test/documents/referee.mjs [--out file.json]   (needs soffice, pdftoppm, tesseract)
 * Without --out it rewrites corpus/verdicts.json.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1] : path.join(dir, 'verdicts.json');
const markers = JSON.parse(readFileSync(path.join(dir, 'markers.json'), 'utf8'));

/**
 * A binary PGM (P5, 8-bit) page with its dark regions turned light: every 12×12
 * block whose mean is dark is inverted, so light text on a dark box becomes
 * dark text on a light one, which OCR reads (tesseract drops such boxes as
 * lines or pictures otherwise). Text the colour of its box stays invisible.
 */
function invertDarkRegions(buf) {
  const header = [];
  let i = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    const start = i;
    while (!/\s/.test(String.fromCharCode(buf[i]))) i++;
    header.push(buf.subarray(start, i).toString());
  }
  const [w, h] = [Number(header[1]), Number(header[2])];
  const off = i + 1;
  const out = Buffer.from(buf);
  const B = 12;
  for (let by = 0; by < h; by += B) {
    for (let bx = 0; bx < w; bx += B) {
      let sum = 0;
      let n = 0;
      for (let y = by; y < Math.min(h, by + B); y++) for (let x = bx; x < Math.min(w, bx + B); x++, n++) sum += buf[off + y * w + x];
      if (sum / n >= 110) continue;
      for (let y = by; y < Math.min(h, by + B); y++) for (let x = bx; x < Math.min(w, bx + B); x++) out[off + y * w + x] = 255 - buf[off + y * w + x];
    }
  }
  return out;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'referee-'));
try {
  const office = Object.keys(markers).filter((f) => /\.(docx|xlsx|pptx)$/.test(f));
  for (const f of office) copyFileSync(path.join(dir, f), path.join(tmp, f));
  // One LibreOffice start for all Office files, with a throwaway profile so runs do not share state.
  execFileSync('soffice', [`-env:UserInstallation=file://${tmp}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', path.join(tmp, 'pdf'), ...office.map((f) => path.join(tmp, f))], { stdio: 'ignore', timeout: 180_000 });
  const verdicts = {};
  for (const file of Object.keys(markers).sort()) {
    const pdf = file.endsWith('.pdf') ? path.join(dir, file) : path.join(tmp, 'pdf', file.replace(/\.\w+$/, '.pdf'));
    const pages = path.join(tmp, 'png', file);
    execFileSync('mkdir', ['-p', pages]);
    execFileSync('pdftoppm', ['-r', '150', '-gray', pdf, path.join(pages, 'p')], { timeout: 120_000 });
    let text = '';
    for (const pgm of readdirSync(pages).sort()) {
      // OCR reads dark on light; light text on a dark box is read from a copy with dark regions inverted as well.
      const negative = path.join(pages, `neg-${pgm}`);
      writeFileSync(negative, invertDarkRegions(readFileSync(path.join(pages, pgm))));
      for (const image of [path.join(pages, pgm), negative]) {
        text += execFileSync('tesseract', [image, '-', '--psm', '3'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 }) + '\n';
      }
    }
    // NFKC folds the ligatures OCR reports ("ﬁg") into letters.
    const seen = text.normalize('NFKC').toLowerCase();
    const m = markers[file];
    const words = [...m.visible, ...m.hidden, ...(m.either ?? [])];
    verdicts[file] = {
      painted: words.filter((w) => seen.includes(w.toLowerCase())),
      unpainted: words.filter((w) => !seen.includes(w.toLowerCase())),
    };
  }
  writeFileSync(out, JSON.stringify(verdicts, null, 2) + '\n');
  console.log(`verdicts written to ${out}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
