/**
 * PowerPoint (.pptx): the text of the slides a slide show shows, in order,
 * shape by shape (tables cell by cell), then each slide's speaker notes,
 * labelled. Left out and counted: hidden slides (show="0"), hidden shapes,
 * shapes wholly off the slide, fully transparent text, text the colour of its
 * shape's fill or of a white slide, text under 4 pt.
 */
import { DocumentReadError } from './errors.js';
import { tally, type DocumentPart, type DocumentText } from './types.js';
import { descendants, kid, kids, parseXml, sameColour, textOf, type XmlElement } from './xml.js';
import { relationships, type ZipPackage } from './zip.js';

/** Smallest readable size in hundredths of a point (4 pt). */
const MIN_SIZE = 400;

function solid(el: XmlElement | undefined): { color?: string; alpha?: number } | undefined {
  const fill = kid(el, 'a:solidFill');
  if (!fill) return undefined;
  const c = kid(fill, 'a:srgbClr') ?? kid(fill, 'a:schemeClr');
  if (!c) return {};
  const alpha = Number(kid(c, 'a:alpha')?.attrs.val ?? 100_000);
  const val = c.attrs.val ?? '';
  const color = /^[0-9a-f]{6}$/i.test(val) ? val.toUpperCase() : val === 'bg1' || val === 'lt1' ? 'FFFFFF' : val === 'tx1' || val === 'dk1' ? '000000' : undefined;
  return { color, alpha };
}

class SlideReader {
  readonly hidden: DocumentText['hidden'] = {};
  constructor(private readonly width: number, private readonly height: number) {}

  /** Lines of the visible shapes of a shape tree. */
  shapes(tree: XmlElement | undefined, background: string, lines: string[], hideAll: boolean): void {
    for (const s of tree?.children ?? []) {
      if (typeof s === 'string') continue;
      const nv = kid(s, 'p:nvSpPr') ?? kid(s, 'p:nvGrpSpPr') ?? kid(s, 'p:nvGraphicFramePr');
      const hiddenShape = hideAll || kid(nv, 'p:cNvPr')?.attrs.hidden === '1' || this.offSlide(s);
      if (s.name === 'p:grpSp') this.shapes(s, background, lines, hiddenShape);
      else if (s.name === 'p:sp') {
        const fill = solid(kid(s, 'p:spPr'));
        const bg = fill?.color && (fill.alpha ?? 100_000) > 0 ? fill.color : background;
        const text = this.body(kid(s, 'p:txBody'), bg, hiddenShape);
        if (text) lines.push(text);
      } else if (s.name === 'p:graphicFrame') {
        for (const tr of descendants(s, 'a:tr')) {
          const row = kids(tr, 'a:tc').map((tc) => this.body(kid(tc, 'a:txBody'), background, hiddenShape).replace(/\n/g, ' '));
          if (row.some((c) => c)) lines.push(row.join(' | '));
        }
      }
    }
  }

  private offSlide(s: XmlElement): boolean {
    const xfrm = kid(kid(s, 'p:spPr') ?? kid(s, 'p:grpSpPr'), 'a:xfrm') ?? kid(s, 'p:xfrm');
    const off = kid(xfrm, 'a:off');
    const ext = kid(xfrm, 'a:ext');
    if (!off || !ext || !this.width || !this.height) return false;
    const x = Number(off.attrs.x);
    const y = Number(off.attrs.y);
    const cx = Number(ext.attrs.cx);
    const cy = Number(ext.attrs.cy);
    return x >= this.width || y >= this.height || x + cx <= 0 || y + cy <= 0;
  }

  /** The text of a text body, run by run, leaving out what cannot be seen. */
  private body(txBody: XmlElement | undefined, bg: string, hiddenShape: boolean): string {
    if (!txBody) return '';
    const paras: string[] = [];
    for (const p of kids(txBody, 'a:p')) {
      let line = '';
      for (const r of p.children) {
        if (typeof r === 'string') continue;
        if (r.name === 'a:br') line += '\n';
        if (r.name !== 'a:r' && r.name !== 'a:fld') continue;
        const t = kids(r, 'a:t').map(textOf).join('');
        if (!t) continue;
        const rPr = kid(r, 'a:rPr');
        const fill = solid(rPr);
        const size = Number(rPr?.attrs.sz ?? MIN_SIZE);
        if (hiddenShape) tally(this.hidden, 'hidden or off-slide shape', t);
        else if (fill && fill.alpha !== undefined && fill.alpha <= 5_000) tally(this.hidden, 'transparent text', t);
        else if (size < MIN_SIZE) tally(this.hidden, 'too small to read', t);
        else if (fill?.color && sameColour(fill.color, bg)) tally(this.hidden, 'same colour as background', t);
        else line += t;
      }
      paras.push(line);
    }
    return paras.join('\n').trim();
  }
}

function slideBackground(slide: XmlElement): string {
  const bg = solid(kid(kid(kid(slide, 'p:cSld'), 'p:bg'), 'p:bgPr'));
  return bg?.color ?? 'FFFFFF';
}

/** Reads a .pptx package. */
export async function readPptx(zip: ZipPackage): Promise<DocumentText> {
  const presXml = await zip.text('ppt/presentation.xml');
  if (presXml === undefined) throw new DocumentReadError('document_malformed', 'The file is a zip but not a PowerPoint presentation (no ppt/presentation.xml); check the file type.');
  const pres = parseXml(presXml, 'ppt/presentation.xml');
  const size = kid(pres, 'p:sldSz');
  const reader = new SlideReader(Number(size?.attrs.cx ?? 0), Number(size?.attrs.cy ?? 0));
  const rels = await relationships(zip, 'ppt/presentation.xml');
  const ids = kids(kid(pres, 'p:sldIdLst'), 'p:sldId');
  const parts: DocumentPart[] = [];
  let shown = 0;
  for (const [i, id] of ids.entries()) {
    const target = rels.get(id.attrs['r:id'] ?? '');
    const xml = target ? await zip.text(target) : undefined;
    if (!xml || !target) continue;
    const slide = parseXml(xml, target);
    const hiddenSlide = slide.attrs.show === '0' || slide.attrs.show === 'false';
    const lines: string[] = [];
    const before = { ...reader.hidden };
    reader.shapes(kid(kid(slide, 'p:cSld'), 'p:spTree'), slideBackground(slide), lines, hiddenSlide);
    const notesPart = [...(await relationships(zip, target)).values()].find((t) => /notesSlide\d*\.xml$/.test(t));
    const notesLines: string[] = [];
    if (notesPart) {
      const notes = parseXml((await zip.text(notesPart)) ?? '<p:notes/>', notesPart);
      // Only the notes body placeholder: the others repeat the slide image and its number.
      const tree = kid(kid(notes, 'p:cSld'), 'p:spTree');
      const bodyShapes = kids(tree, 'p:sp').filter((s) => descendants(s, 'p:ph').some((ph) => ph.attrs.type === 'body'));
      reader.shapes({ name: 'p:spTree', attrs: {}, children: bodyShapes }, 'FFFFFF', notesLines, hiddenSlide);
    }
    if (hiddenSlide) {
      // Everything on a hidden slide was tallied as a hidden shape; move it to the slide reason.
      const moved = (reader.hidden['hidden or off-slide shape'] ?? 0) - (before['hidden or off-slide shape'] ?? 0);
      if (moved > 0) {
        reader.hidden['hidden or off-slide shape'] = (before['hidden or off-slide shape'] ?? 0) || undefined;
        if (!reader.hidden['hidden or off-slide shape']) delete reader.hidden['hidden or off-slide shape'];
        reader.hidden['hidden slide'] = (reader.hidden['hidden slide'] ?? 0) + moved;
      }
      continue;
    }
    shown++;
    parts.push({ label: `Slide ${i + 1}`, text: lines.join('\n') || '(no text)' });
    if (notesLines.length) parts.push({ label: `Slide ${i + 1} speaker notes`, text: notesLines.join('\n') });
  }
  return { format: 'PowerPoint presentation', parts, hidden: reader.hidden, notes: [], units: { kind: 'slide', total: ids.length, read: shown } };
}
