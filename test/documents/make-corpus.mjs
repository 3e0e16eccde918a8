#!/usr/bin/env node
/**
 * Builds the document corpus with real writers (pdf-lib, docx, exceljs,
 * pptxgenjs, and LibreOffice for a PDF export of the Word file), each file
 * carrying visible marker words and words hidden each way the readers know.
 * The markers are listed in corpus/markers.json:
 * - visible: a person sees them;
 * - hidden: a person does not (the referee, referee.mjs, checks both);
 * - labelled: shown by our reader with a label although a printed page does
 *   not show them (speaker notes, comments, tracked insertions);
 * - policy: left out by decision although some views show them (deleted revisions).
 * Run: node test/documents/make-corpus.mjs (needs soffice for the LibreOffice PDF).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, TextRenderingMode, popGraphicsState, pushGraphicsState, rgb, setTextRenderingMode } from 'pdf-lib';
import * as docx from 'docx';
import ExcelJS from 'exceljs';
import PptxGenJS from 'pptxgenjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const markers = {};

async function makePdf() {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Quarterly apricot report', { x: 72, y: 760, size: 16, font });
  page.drawText('white zulu text', { x: 72, y: 720, size: 14, font, color: rgb(1, 1, 1) });
  page.drawText('covered yankee words', { x: 72, y: 680, size: 14, font });
  page.drawRectangle({ x: 60, y: 670, width: 320, height: 30, color: rgb(1, 1, 1) });
  page.drawText('outside xray words', { x: 640, y: 640, size: 14, font });
  page.drawText('tiny whiskey words', { x: 72, y: 620, size: 1.5, font });
  page.pushOperators(pushGraphicsState(), setTextRenderingMode(TextRenderingMode.Invisible));
  page.drawText('invisible victor words', { x: 72, y: 590, size: 14, font });
  page.pushOperators(popGraphicsState());
  page.drawRectangle({ x: 60, y: 520, width: 400, height: 40, color: rgb(0.1, 0.2, 0.6) });
  page.drawText('navy uniform words', { x: 72, y: 535, size: 14, font, color: rgb(0.1, 0.2, 0.6) });
  page.drawText('banana on blue', { x: 300, y: 535, size: 14, font, color: rgb(1, 1, 1) });
  const page2 = doc.addPage([595, 842]);
  page2.drawText('Second page cherry', { x: 72, y: 760, size: 16, font });
  const page3 = doc.addPage([595, 842]);
  page3.drawText('Third page damson', { x: 72, y: 760, size: 16, font });
  writeFileSync(path.join(dir, 'pdf-lib.pdf'), await doc.save({ useObjectStreams: false }));
  markers['pdf-lib.pdf'] = {
    visible: ['apricot', 'banana', 'cherry', 'damson'],
    hidden: ['zulu', 'yankee', 'xray', 'whiskey', 'victor', 'uniform'],
  };
}

function docxDocument() {
  const { Document, Paragraph, TextRun, InsertedTextRun, DeletedTextRun, CommentRangeStart, CommentRangeEnd, CommentReference, ShadingType } = docx;
  return new Document({
    creator: 'corpus',
    comments: { children: [{ id: 0, author: 'Reviewer', date: new Date('2026-01-01T00:00:00Z'), children: [new Paragraph({ children: [new TextRun('comment kiwi remark')] })] }] },
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun({ text: 'Contract elderberry terms', size: 28 })] }),
          new Paragraph({ children: [new TextRun({ text: 'vanished tango words', vanish: true, size: 28 })] }),
          new Paragraph({ children: [new TextRun({ text: 'white sierra words', color: 'FFFFFF', size: 28 })] }),
          new Paragraph({ children: [new TextRun({ text: 'tiny romeo words', size: 2 })] }),
          new Paragraph({
            shading: { type: ShadingType.CLEAR, fill: '003366', color: 'auto' },
            children: [new TextRun({ text: 'shaded quebec words', color: '003366', size: 28 }), new TextRun({ text: ' fig on navy', color: 'FFFFFF', size: 28 })],
          }),
          new Paragraph({
            children: [
              new TextRun({ text: 'Agreed grape clause', size: 28 }),
              new InsertedTextRun({ text: ' inserted lemon clause', id: 1, author: 'Editor', date: '2026-01-01T00:00:00Z', size: 28 }),
              new DeletedTextRun({ text: ' deleted papa clause', id: 2, author: 'Editor', date: '2026-01-01T00:00:00Z', size: 28 }),
            ],
          }),
          new docx.Textbox({ alignment: 'left', style: { width: '300pt', height: 'auto' }, children: [new Paragraph({ children: [new TextRun({ text: 'Boxed walnut note', size: 28 })] })] }),
          new Paragraph({ children: [new CommentRangeStart(0), new TextRun({ text: 'Reviewed honeydew part', size: 28 }), new CommentRangeEnd(0), new TextRun({ children: [new CommentReference(0)] })] }),
        ],
      },
    ],
  });
}

async function makeDocx() {
  const buf = await docx.Packer.toBuffer(docxDocument());
  writeFileSync(path.join(dir, 'docx.docx'), buf);
  markers['docx.docx'] = {
    visible: ['elderberry', 'fig', 'grape', 'honeydew', 'walnut'],
    hidden: ['tango', 'sierra', 'romeo', 'quebec'],
    labelled: ['lemon', 'kiwi'],
    policy: ['papa'],
  };
}

async function makeXlsx() {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date('2026-01-01T00:00:00Z');
  wb.modified = wb.created;
  const ws = wb.addWorksheet('Budget');
  // Wide enough that no text spills into (and is cut by) the next cell.
  ws.getColumn(1).width = 24;
  ws.getColumn(2).width = 14;
  ws.getCell('A1').value = 'Item mango';
  ws.getCell('B1').value = 'Amount';
  ws.getCell('A2').value = 'nectarine';
  ws.getCell('B2').value = 1234.5;
  ws.getCell('B2').numFmt = '#,##0.00';
  ws.getCell('A3').value = 'hiddenrow oscar';
  ws.getRow(3).hidden = true;
  ws.getCell('D1').value = 'hiddencol mike';
  ws.getColumn(4).hidden = true;
  ws.getCell('A4').value = 'format lima';
  ws.getCell('A4').numFmt = ';;;';
  ws.getCell('A5').value = 'white juliet';
  ws.getCell('A5').font = { color: { argb: 'FFFFFFFF' } };
  ws.getCell('A6').value = 'Total olive';
  ws.getCell('B6').value = 0.25;
  ws.getCell('B6').numFmt = '0%';
  const hidden = wb.addWorksheet('Secret', { state: 'hidden' });
  hidden.getCell('A1').value = 'hiddensheet india';
  const very = wb.addWorksheet('Vault', { state: 'veryHidden' });
  very.getCell('A1').value = 'veryhidden hotel';
  wb.definedNames.add('Budget!$A$1:$B$6', 'BudgetTable');
  writeFileSync(path.join(dir, 'exceljs.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
  markers['exceljs.xlsx'] = {
    visible: ['mango', 'nectarine', 'olive', '1,234.50', '25%'],
    hidden: ['oscar', 'mike', 'lima', 'juliet', 'india', 'hotel'],
  };
}

async function makePptx() {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_16x9';
  const s1 = pptx.addSlide();
  s1.addText('Roadmap peach plan', { x: 0.5, y: 0.5, w: 8, h: 1, fontSize: 28 });
  s1.addText('transparent golf words', { x: 0.5, y: 1.6, w: 8, h: 1, fontSize: 24, transparency: 100 });
  s1.addText('offslide foxtrot words', { x: 12, y: 1, w: 4, h: 1, fontSize: 24 });
  s1.addText('white echo words', { x: 0.5, y: 2.6, w: 8, h: 1, fontSize: 24, color: 'FFFFFF' });
  s1.addText('boxed delta words', { x: 0.5, y: 3.6, w: 8, h: 1, fontSize: 24, color: '336699', fill: { color: '336699' } });
  s1.addText('pear on box', { x: 0.5, y: 4.5, w: 8, h: 0.9, fontSize: 24, color: 'FFFFFF', fill: { color: '336699' } });
  s1.addNotes('speaker notes quince reminder');
  const s2 = pptx.addSlide();
  s2.hidden = true;
  s2.addText('hiddenslide charlie words', { x: 0.5, y: 0.5, w: 8, h: 1, fontSize: 28 });
  const s3 = pptx.addSlide();
  s3.addText('Closing raspberry slide', { x: 0.5, y: 0.5, w: 8, h: 1, fontSize: 28 });
  const buf = await pptx.write({ outputType: 'nodebuffer' });
  writeFileSync(path.join(dir, 'pptxgenjs.pptx'), buf);
  markers['pptxgenjs.pptx'] = {
    visible: ['peach', 'pear', 'raspberry'],
    hidden: ['golf', 'foxtrot', 'echo', 'delta', 'charlie'],
    labelled: ['quince'],
  };
}

/** A PDF written by LibreOffice from the Word file: the same markers through another PDF writer. */
function makeLibreOfficePdf() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'corpus-lo-'));
  try {
    execFileSync('soffice', [`-env:UserInstallation=file://${tmp}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', tmp, path.join(dir, 'docx.docx')], { stdio: 'ignore', timeout: 120_000 });
    writeFileSync(path.join(dir, 'libreoffice.pdf'), readFileSync(path.join(tmp, 'docx.pdf')));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // The same file protected by an open password: a reader must say so, not guess.
  const enc = mkdtempSync(path.join(os.tmpdir(), 'corpus-enc-'));
  try {
    const filter = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}';
    execFileSync('soffice', [`-env:UserInstallation=file://${enc}/profile`, '--headless', '--convert-to', filter, '--outdir', enc, path.join(dir, 'docx.docx')], { stdio: 'ignore', timeout: 120_000 });
    writeFileSync(path.join(dir, 'encrypted.pdf'), readFileSync(path.join(enc, 'docx.pdf')));
  } finally {
    rmSync(enc, { recursive: true, force: true });
  }
  // LibreOffice prints tracked changes (deleted text struck through) and comments in the margin only when asked; the referee decides.
  markers['libreoffice.pdf'] = { visible: ['elderberry', 'fig', 'grape', 'honeydew', 'walnut'], hidden: ['tango', 'sierra', 'romeo', 'quebec'], either: ['lemon', 'kiwi', 'papa'] };
}

await makePdf();
await makeDocx();
await makeXlsx();
await makePptx();
makeLibreOfficePdf();
writeFileSync(path.join(dir, 'markers.json'), JSON.stringify(markers, null, 2) + '\n');
console.log(`corpus written to ${dir}`);
