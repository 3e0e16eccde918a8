#!/usr/bin/env node
/**
 * Document-reading benchmark: wall-clock ms and peak RSS per MB of input for
 * each format, medians over --runs, all formats in one run side by side. Each
 * input is built here by the same real writers as the corpus (pdf-lib, docx,
 * exceljs, pptxgenjs), scaled to a few hundred KB-MB, and read through the
 * compiled facade (dist/, npm run build first):
 *  - "in-process": readDocument in a fresh child process (its peak RSS is the
 *    reader's cost, start-up of Node included);
 *  - "worker": readDocumentInWorker as the tool runs it (time includes starting
 *    the worker and loading the readers).
 * Wall-clock on a shared machine swings with its load; the CPU column is the steadier figure.
 * Also prints the caps. Usage: node bench/documents.mjs [--runs N] [--append FILE]
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import * as docx from 'docx';
import ExcelJS from 'exceljs';
import PptxGenJS from 'pptxgenjs';
import { benchFlags, median } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { runs: RUNS, append: APPEND } = benchFlags('node bench/documents.mjs [--runs N] [--append FILE]', { runs: { default: 3, number: true }, append: {} });
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-docs-'));
const sentence = 'The quarterly figures for the Hamburg data centre show steady growth in ingestion volume and cost. ';

async function makePdf(pages) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    for (let l = 0; l < 45; l++) page.drawText(sentence.slice(0, 90), { x: 50, y: 800 - l * 17, size: 11, font });
  }
  return Buffer.from(await doc.save());
}
async function makeDocx(paragraphs) {
  const children = Array.from({ length: paragraphs }, (_, i) => new docx.Paragraph({ children: [new docx.TextRun(`${i}. ${sentence.repeat(3)}`), new docx.TextRun({ text: ' hidden', vanish: true })] }));
  return docx.Packer.toBuffer(new docx.Document({ sections: [{ children }] }));
}
async function makeXlsx(rows) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Data');
  for (let r = 1; r <= rows; r++) ws.addRow([`Item ${r}`, r * 1.5, new Date(Date.UTC(2026, 0, 1 + (r % 365))), 'Hamburg', r % 7]);
  ws.getColumn(2).numFmt = '#,##0.00';
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function makePptx(slides) {
  const pptx = new PptxGenJS();
  for (let s = 0; s < slides; s++) {
    const slide = pptx.addSlide();
    slide.addText(`Slide ${s}`, { x: 0.5, y: 0.3, w: 8, h: 1, fontSize: 28 });
    slide.addText(sentence.repeat(4), { x: 0.5, y: 1.4, w: 9, h: 3, fontSize: 14 });
    slide.addNotes(sentence);
  }
  return pptx.write({ outputType: 'nodebuffer' });
}

const inputs = [
  ['PDF (20 pages)', 'bench.pdf', await makePdf(20)],
  ['Word (2,000 paragraphs)', 'bench.docx', await makeDocx(2000)],
  ['Excel (20,000 rows × 5)', 'bench.xlsx', await makeXlsx(20000)],
  ['PowerPoint (60 slides)', 'bench.pptx', await makePptx(60)],
  ['Text (1 MB)', 'bench.txt', Buffer.from(sentence.repeat(Math.ceil(1_048_576 / sentence.length)))],
];

const child = `
  const { readFileSync } = await import('node:fs');
  const { readDocument } = await import(${JSON.stringify(dist('text/documents/index.js'))});
  const bytes = new Uint8Array(readFileSync(process.argv[1]));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await readDocument(bytes, { name: process.argv[1] });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, parts: r.parts.length }));
`;
const { readDocumentInWorker, DOCUMENT_LIMITS } = await import(dist('text/documents/run.js'));
const { ZIP_LIMITS } = await import(dist('text/documents/zip.js'));
const { PDF_LIMITS } = await import(dist('text/documents/pdf.js'));
const { READ_MAX_BYTES } = await import(dist('services/attachment-text.js'));

const rows = [];
for (const [label, name, bytes] of inputs) {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  const mb = bytes.length / 1_048_576;
  const inProc = [];
  const worker = [];
  for (let i = 0; i < RUNS; i++) {
    inProc.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child, file], { encoding: 'utf8' })));
    const t0 = performance.now();
    await readDocumentInWorker(bytes, { name }, { timeoutMs: 300_000 });
    worker.push(performance.now() - t0);
  }
  const ms = median(inProc.map((r) => r.ms));
  const rss = median(inProc.map((r) => r.rssMb));
  const cpu = median(inProc.map((r) => r.cpuMs));
  rows.push(`| ${label} | ${(bytes.length / 1024).toFixed(0)} KB | ${ms.toFixed(0)} | ${cpu.toFixed(0)} | ${(ms / mb).toFixed(0)} | ${median(worker).toFixed(0)} | ${rss.toFixed(0)} | ${(rss / mb).toFixed(0)} |`);
}
rmSync(tmp, { recursive: true, force: true });

const out = [
  '',
  `## Documents (ol_email_read_attachment), Node ${process.version}, medians of ${RUNS}`,
  '',
  '| input | size | read ms (in-process) | CPU ms (in-process) | ms per MB | ms through the worker (start-up included) | peak RSS MB (child process, Node included) | peak RSS MB per MB |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
  `Caps: attachment ≤ ${READ_MAX_BYTES / 1_048_576} MB (checked from Graph's size before download, enforced on it); worker heap ${DOCUMENT_LIMITS.heapMb} MB, ` +
    `deadline ${DOCUMENT_LIMITS.timeoutMs / 1000} s, ${DOCUMENT_LIMITS.concurrent} documents at once; zip: ≤ ${ZIP_LIMITS.maxEntries} entries, ` +
    `a part ≤ ${ZIP_LIMITS.maxEntryBytes / 1_048_576} MB inflated, parts read ≤ ${ZIP_LIMITS.maxTotalBytes / 1_048_576} MB, ratio ≤ ${ZIP_LIMITS.maxRatio}:1 above ${ZIP_LIMITS.ratioFloorBytes / 1_048_576} MB; ` +
    `PDF: ≤ ${PDF_LIMITS.maxPagesPerCall} pages a call, page canvas ≤ ${PDF_LIMITS.maxCanvasPixels / 1e6} Mpx at ${PDF_LIMITS.scale}× (${PDF_LIMITS.scale * 72} dpi), images ≤ ${PDF_LIMITS.maxImagePixels / 1e6} Mpx, text under ${PDF_LIMITS.minPoints} pt left out.`,
  '',
];
console.log(out.join('\n'));
if (APPEND) appendFileSync(APPEND, out.join('\n'));
