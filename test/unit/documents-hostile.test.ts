/**
 * Hostile documents: each gets a clear error quickly, from the worker or the
 * reader, and the next read still works. The worker runs the compiled readers
 * (npm run build first).
 */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDocumentInWorker } from '../../src/text/documents/run.js';
import { readDocument } from '../../src/text/documents/index.js';
import { parsePageSpec } from '../../src/text/documents/pages.js';

const corpus = (f: string) => new Uint8Array(readFileSync(new URL(`../documents/corpus/${f}`, import.meta.url)));
const enc = (s: string) => new TextEncoder().encode(s);
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
function docxWith(documentXml: string, level: 0 | 9 = 9): Uint8Array {
  return zipSync({ '[Content_Types].xml': enc('<Types/>'), 'word/document.xml': enc(documentXml) }, { level });
}

describe('documents in the worker', () => {
  it('stops a read that runs past its deadline, and the next read works', async () => {
    const started = Date.now();
    await expect(readDocumentInWorker(corpus('pdf-lib.pdf'), { name: 'slow.pdf' }, { timeoutMs: 30 })).rejects.toMatchObject({ code: 'document_timeout', message: expect.stringMatching(/took longer than 0\.03 s and was stopped/) });
    expect(Date.now() - started).toBeLessThan(5_000);
    const ok = await readDocumentInWorker(corpus('docx.docx'), { name: 'docx.docx' });
    expect(ok.parts[0]?.text).toContain('elderberry');
  });

  it('stops a read that needs more memory than its cap', async () => {
    // 600,000 paragraphs of XML, stored (no compression, so no zip-bomb ratio): the tree needs far more than 16 MB of heap.
    const body = `<w:document ${W}><w:body>${'<w:p><w:r><w:t>word</w:t></w:r></w:p>'.repeat(600_000)}</w:body></w:document>`;
    await expect(readDocumentInWorker(docxWith(body, 0), { name: 'big.docx' }, { heapMb: 16, timeoutMs: 60_000 })).rejects.toMatchObject({ code: 'document_too_large', message: expect.stringMatching(/needed more than 16 MB of memory/) });
  }, 60_000);

  it('refuses an encrypted PDF with what to do', async () => {
    await expect(readDocumentInWorker(corpus('encrypted.pdf'), { name: 'locked.pdf' })).rejects.toMatchObject({ code: 'document_encrypted', message: expect.stringMatching(/protected by a password.*Ask the sender for an unprotected copy/) });
  });
});

describe('hostile packages and XML', () => {
  it('refuses a part whose inflated size lies about the directory', async () => {
    const zip = Buffer.from(docxWith(`<w:document ${W}><w:body><w:p><w:r><w:t>${'x'.repeat(5000)}</w:t></w:r></w:p></w:body></w:document>`));
    // Shrink the size the central directory claims for word/document.xml: inflating must stop at the claim.
    const central = zip.lastIndexOf(Buffer.from('word/document.xml')) - 46;
    expect(zip.readUInt32LE(central)).toBe(0x02014b50);
    zip.writeUInt32LE(100, central + 24);
    await expect(readDocument(new Uint8Array(zip), { name: 'liar.docx' })).rejects.toMatchObject({ code: 'document_malformed', message: expect.stringMatching(/lies about its size|damaged/) });
  });

  it('refuses XML nested deeper than the cap', async () => {
    const deep = `<w:document ${W}><w:body>${'<w:sdt><w:sdtContent>'.repeat(300)}${'</w:sdtContent></w:sdt>'.repeat(300)}</w:body></w:document>`;
    await expect(readDocument(docxWith(deep), { name: 'deep.docx' })).rejects.toMatchObject({ message: expect.stringMatching(/nests deeper than 256 levels/) });
  });

  it('refuses malformed XML with a clear error', async () => {
    await expect(readDocument(docxWith('<w:document><w:body><w:p>'), { name: 'cut.docx' })).rejects.toMatchObject({ code: 'document_malformed', message: expect.stringMatching(/word\/document\.xml is not well-formed XML/) });
  });
});

describe('page ranges', () => {
  it('parses "2", "1-3" and "5-" and explains bad specs', () => {
    expect(parsePageSpec('2')).toEqual({ first: 2, last: 2 });
    expect(parsePageSpec(' 1 - 3 ')).toEqual({ first: 1, last: 3 });
    expect(parsePageSpec('5-')).toEqual({ first: 5 });
    expect(() => parsePageSpec('0')).toThrow(/pages count from 1/);
    expect(() => parsePageSpec('3-1')).toThrow(/ends before it starts; write e\.g\. "1-3"/);
    expect(() => parsePageSpec('all')).toThrow(/not a page range/);
  });
});
