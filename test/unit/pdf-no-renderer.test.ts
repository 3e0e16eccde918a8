/**
 * The PDF reader without a page renderer (the .mcpb bundle ships no
 * @napi-rs/canvas): it fails closed. Every word whose visibility needs the
 * rendered page is withheld and counted, none is passed on unchecked; the
 * same file read with the renderer shows its visible words (so the check
 * below could fail).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readPdf } from '../../src/text/documents/pdf.js';
import { renderDocumentText } from '../../src/services/attachment-text.js';

const bytes = new Uint8Array(readFileSync('test/documents/corpus/pdf-lib.pdf'));
const markers = (JSON.parse(readFileSync('test/documents/corpus/markers.json', 'utf8')) as Record<string, { visible: string[]; hidden: string[] }>)['pdf-lib.pdf']!;

describe('PDF reader without a page renderer', () => {
  it('withholds and counts every word that needs the pixel check; says why and what gives it', async () => {
    const without = await readPdf(bytes.slice(), { name: 'r.pdf' }, async () => false);
    const text = without.parts.map((p) => p.text).join('\n');
    for (const w of [...markers.visible, ...markers.hidden]) expect(text).not.toContain(w);
    expect(without.unchecked).toBe('no-page-renderer');
    expect(without.hidden['not checked (no page renderer here)']).toBeGreaterThanOrEqual(markers.visible.length);
    const shown = await renderDocumentText(without, 10_000, { bundle: 'mcpb' });
    expect(shown.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^PDF text was withheld unchecked: the extension bundle leaves out the page renderer/)]));
    const cli = await renderDocumentText(without, 10_000);
    expect(cli.notes?.join('\n')).toMatch(/@napi-rs\/canvas/);

    const withRenderer = await readPdf(bytes.slice(), { name: 'r.pdf' });
    const seen = withRenderer.parts.map((p) => p.text).join('\n');
    for (const w of markers.visible) expect(seen).toContain(w);
    expect(withRenderer.unchecked).toBeUndefined();
  });
});
