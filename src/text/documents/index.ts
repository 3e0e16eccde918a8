/**
 * The one facade over the document readers: picks the reader from the
 * file's bytes first (a PDF named .txt is read as a PDF), then its name and
 * content type. Runs inside the document worker (see run.ts), never on the
 * server's own thread.
 */
import path from 'node:path';
import { readDocx } from './docx.js';
import { DocumentReadError } from './errors.js';
import { readPdf } from './pdf.js';
import { readCalendar, readHtml, readMarkdown, readMessage, readText } from './plain.js';
import { readPptx } from './pptx.js';
import type { DocumentInput, DocumentText } from './types.js';
import { readXlsx } from './xlsx.js';
import { openZip } from './zip.js';

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/** Reads any supported document into the text a person would see. */
export async function readDocument(bytes: Uint8Array, input: DocumentInput): Promise<DocumentText> {
  const ext = path.extname(input.name).toLowerCase();
  const type = (input.contentType ?? '').toLowerCase();
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return readPdf(bytes, input);
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const zip = await openZip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    try {
      if (zip.names.has('word/document.xml')) return await readDocx(zip);
      if (zip.names.has('xl/workbook.xml')) return await readXlsx(zip);
      if (zip.names.has('ppt/presentation.xml')) return await readPptx(zip);
    } finally {
      zip.close();
    }
    throw new DocumentReadError('document_unsupported', `"${input.name}" is a zip archive, not a Word, Excel or PowerPoint file; its contents are not read. Save it with ol_email_get_attachment if you trust the sender.`);
  }
  if (startsWith(bytes, OLE2)) {
    throw new DocumentReadError('document_unsupported', `"${input.name}" is a password-protected Office file or an old binary Office format (.doc, .xls, .ppt), which is not read. Ask the sender for an unprotected .docx, .xlsx, .pptx or PDF.`);
  }
  if (ext === '.html' || ext === '.htm' || type.startsWith('text/html')) return readHtml(bytes);
  if (ext === '.ics' || type.startsWith('text/calendar')) return readCalendar(bytes);
  if (ext === '.eml' || type.startsWith('message/rfc822')) return readMessage(bytes);
  if (ext === '.md' || ext === '.markdown' || type.startsWith('text/markdown')) return readMarkdown(bytes);
  if (ext === '.csv' || type.includes('csv')) return readText(bytes, 'CSV');
  const textual = type.startsWith('text/') || /^application\/(json|xml|x-yaml|yaml)/.test(type) || ['.txt', '.log', '.json', '.xml', '.yaml', '.yml', '.tsv', '.ini', '.cfg', '.vcf'].includes(ext);
  const binary = bytes.subarray(0, 8192).includes(0);
  if (textual && !binary) return readText(bytes, 'Text');
  if (!binary && !type && !ext) return readText(bytes, 'Text');
  throw new DocumentReadError('document_unsupported', `"${input.name}"${type ? ` (${type})` : ''} is not a format whose text can be read (PDF, Word, Excel, PowerPoint, text, HTML, Markdown, CSV, calendar, message). Save it with ol_email_get_attachment if you trust the sender.`);
}
