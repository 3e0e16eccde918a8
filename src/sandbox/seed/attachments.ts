/**
 * Attachment files built byte by byte: real, parseable formats (PDF, PNG,
 * ZIP) so that clients which sniff or open them see valid files.
 */
import { crc32, deflateSync } from 'node:zlib';
import { bulkBytes } from './random.js';

/** An attachment before it is tied to a message. */
export interface AttachmentFile {
  name: string;
  contentType: string;
  /** Byte length, known without building the bytes. */
  size: number;
  /** Builds the content (large files are only built when someone reads them). */
  bytes: () => Buffer;
  isInline?: boolean;
  contentId?: string;
}

function eager(name: string, contentType: string, bytes: Buffer, extra: Pick<AttachmentFile, 'isInline' | 'contentId'> = {}): AttachmentFile {
  return { name, contentType, size: bytes.length, bytes: () => bytes, ...extra };
}

/** A plain-text file. */
export function textFile(name: string, text: string): AttachmentFile {
  return eager(name, 'text/plain', Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8'));
}

/** A text file of a given type (calendar, message, Markdown, HTML), CRLF line ends as mail carries them. */
export function typedTextFile(name: string, contentType: string, text: string): AttachmentFile {
  return eager(name, contentType, Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8'));
}

/** A file whose bytes were made by a real writer and embedded as base64 (see document-files.ts). */
export function embeddedFile(name: string, contentType: string, base64: string): AttachmentFile {
  return eager(name, contentType, Buffer.from(base64, 'base64'));
}

/** A CSV file (RFC 4180 quoting, CRLF line ends). */
export function csvFile(name: string, rows: ReadonlyArray<ReadonlyArray<string | number>>): AttachmentFile {
  const cell = (value: string | number): string => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const body = rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
  return eager(name, 'text/csv', Buffer.from(body, 'utf8'));
}

/** A one-page PDF 1.4 with Helvetica text lines, with a correct xref table. */
export function pdfFile(name: string, title: string, lines: readonly string[]): AttachmentFile {
  const escape = (text: string): string => text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const stream = [
    'BT',
    '/F2 16 Tf 72 770 Td 22 TL',
    `(${escape(title)}) Tj T*`,
    '/F1 11 Tf 15 TL',
    ...lines.map((line) => `(${escape(line)}) Tj T*`),
    'ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    `<< /Title (${escape(title)}) /Producer (Contoso Billing) >>`,
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return eager(name, 'application/pdf', Buffer.from(out, 'latin1'));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A small RGB PNG: a logo-like strip of coloured squares. */
export function pngImage(name: string, contentId: string, inline = true): AttachmentFile {
  const width = 48;
  const height = 16;
  const palette: Array<[number, number, number]> = [[0, 120, 212], [16, 124, 16], [255, 185, 0], [216, 59, 1]];
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const border = y < 2 || y >= height - 2 || x % 12 < 2;
      const [r, g, b] = border ? [255, 255, 255] : (palette[Math.floor(x / 12)] ?? [0, 0, 0]);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  return eager(name, 'image/png', bytes, { isInline: inline, contentId });
}

/** A valid ZIP holding one stored (uncompressed) file of deterministic bytes, built on first read. */
export function zipFile(name: string, entryName: string, entrySize: number, seed: string): AttachmentFile {
  const fileName = Buffer.from(entryName, 'utf8');
  const localLength = 30 + fileName.length;
  const centralLength = 46 + fileName.length;
  const size = localLength + entrySize + centralLength + 22;
  const build = (): Buffer => {
    const out = Buffer.alloc(size);
    const data = out.subarray(localLength, localLength + entrySize);
    bulkBytes(seed, entrySize).copy(data);
    const crc = crc32(data);
    // 2025-01-01 09:00 in MS-DOS date/time format.
    const dosTime = 9 << 11;
    const dosDate = ((2025 - 1980) << 9) | (1 << 5) | 1;

    out.writeUInt32LE(0x04034b50, 0);
    out.writeUInt16LE(20, 4);
    out.writeUInt16LE(0x0800, 6); // UTF-8 names
    out.writeUInt16LE(0, 8); // stored
    out.writeUInt16LE(dosTime, 10);
    out.writeUInt16LE(dosDate, 12);
    out.writeUInt32LE(crc, 14);
    out.writeUInt32LE(entrySize, 18);
    out.writeUInt32LE(entrySize, 22);
    out.writeUInt16LE(fileName.length, 26);
    fileName.copy(out, 30);

    const central = localLength + entrySize;
    out.writeUInt32LE(0x02014b50, central);
    out.writeUInt16LE(20, central + 4);
    out.writeUInt16LE(20, central + 6);
    out.writeUInt16LE(0x0800, central + 8);
    out.writeUInt16LE(dosTime, central + 12);
    out.writeUInt16LE(dosDate, central + 14);
    out.writeUInt32LE(crc, central + 16);
    out.writeUInt32LE(entrySize, central + 20);
    out.writeUInt32LE(entrySize, central + 24);
    out.writeUInt16LE(fileName.length, central + 28);
    out.writeUInt32LE(0, central + 42); // offset of the local header
    fileName.copy(out, central + 46);

    const end = central + centralLength;
    out.writeUInt32LE(0x06054b50, end);
    out.writeUInt16LE(1, end + 8);
    out.writeUInt16LE(1, end + 10);
    out.writeUInt32LE(centralLength, end + 12);
    out.writeUInt32LE(central, end + 16);
    return out;
  };
  return { name, contentType: 'application/zip', size, bytes: build };
}
