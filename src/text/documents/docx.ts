/**
 * Word (.docx): the text of the body, tables, headers and footers as Word
 * shows it with hidden text off. Left out and counted: hidden runs (w:vanish,
 * w:specVanish, w:webHidden, directly or through a style), text whose colour
 * is the background it sits on (page, paragraph or run shading; white on the
 * default white page), text under 4 pt, deleted revisions, field codes.
 * Tracked insertions are kept and labelled; comments come after the body,
 * labelled with their author.
 */
import { DocumentReadError } from './errors.js';
import { tally, type DocumentPart, type DocumentText } from './types.js';
import { descendants, isOn, kid, kids, nearWhite, parseXml, sameColour, type XmlElement } from './xml.js';
import type { ZipPackage } from './zip.js';

/** Smallest readable size, in Word's half-points (4 pt). */
const MIN_HALF_POINTS = 8;

interface RunLook {
  hidden: boolean;
  color?: string;
  fill?: string;
  halfPoints?: number;
}

type Styles = Map<string, { basedOn?: string; look: Partial<RunLook> }>;

function lookOf(rPr: XmlElement | undefined): Partial<RunLook> {
  const look: Partial<RunLook> = {};
  if (!rPr) return look;
  for (const tag of ['w:vanish', 'w:specVanish', 'w:webHidden']) {
    const el = kid(rPr, tag);
    if (el) look.hidden = isOn(el);
  }
  const color = kid(rPr, 'w:color')?.attrs['w:val'];
  if (color && color !== 'auto') look.color = color;
  const fill = kid(rPr, 'w:shd')?.attrs['w:fill'] ?? highlightHex(kid(rPr, 'w:highlight')?.attrs['w:val']);
  if (fill && fill !== 'auto') look.fill = fill;
  const sz = Number(kid(rPr, 'w:sz')?.attrs['w:val']);
  if (Number.isFinite(sz) && sz > 0) look.halfPoints = sz;
  return look;
}

const HIGHLIGHTS: Record<string, string> = { white: 'FFFFFF', black: '000000', yellow: 'FFFF00', green: '00FF00', cyan: '00FFFF', magenta: 'FF00FF', blue: '0000FF', red: 'FF0000', darkBlue: '000080', darkCyan: '008080', darkGreen: '008000', darkMagenta: '800080', darkRed: '800000', darkYellow: '808000', darkGray: '808080', lightGray: 'C0C0C0' };
function highlightHex(v: string | undefined): string | undefined {
  return v ? HIGHLIGHTS[v] : undefined;
}

function readStyles(xml: string | undefined): { styles: Styles; defaults: Partial<RunLook> } {
  const styles: Styles = new Map();
  if (!xml) return { styles, defaults: {} };
  const root = parseXml(xml, 'word/styles.xml');
  const defaults = lookOf(kid(kid(kid(root, 'w:docDefaults'), 'w:rPrDefault'), 'w:rPr'));
  for (const s of kids(root, 'w:style')) {
    const id = s.attrs['w:styleId'];
    if (!id) continue;
    styles.set(id, { basedOn: kid(s, 'w:basedOn')?.attrs['w:val'], look: lookOf(kid(s, 'w:rPr')) });
  }
  return { styles, defaults };
}

function styleLook(styles: Styles, id: string | undefined): Partial<RunLook> {
  const chain: Partial<RunLook>[] = [];
  const seen = new Set<string>();
  while (id && !seen.has(id) && seen.size < 32) {
    seen.add(id);
    const s = styles.get(id);
    if (!s) break;
    chain.unshift(s.look);
    id = s.basedOn;
  }
  return Object.assign({}, ...chain) as Partial<RunLook>;
}

class DocxWalker {
  readonly hidden: DocumentText['hidden'] = {};
  constructor(
    private readonly styles: Styles,
    private readonly defaults: Partial<RunLook>,
    private readonly page: string,
  ) {}

  /** Block-level children (paragraphs, tables, content controls) to lines. */
  blocks(parent: XmlElement, lines: string[]): void {
    for (const c of parent.children) {
      if (typeof c === 'string') continue;
      if (c.name === 'w:p') lines.push(this.paragraph(c));
      else if (c.name === 'w:tbl') {
        for (const tr of kids(c, 'w:tr')) {
          const cells = kids(tr, 'w:tc').map((tc) => {
            const inner: string[] = [];
            this.blocks(tc, inner);
            return inner.filter((l) => l.trim()).join(' ');
          });
          lines.push(cells.join(' | '));
        }
      } else if (c.name === 'w:sdt') this.blocks(kid(c, 'w:sdtContent') ?? c, lines);
      else if (c.name === 'w:customXml' || c.name === 'w:ins' || c.name === 'w:moveTo') this.blocks(c, lines);
    }
  }

  private paragraph(p: XmlElement): string {
    const pPr = kid(p, 'w:pPr');
    const pStyle = styleLook(this.styles, kid(pPr, 'w:pStyle')?.attrs['w:val']);
    const pFill = kid(pPr, 'w:shd')?.attrs['w:fill'];
    const base: Partial<RunLook> = { ...this.defaults, ...pStyle };
    const bg = pFill && pFill !== 'auto' ? pFill : this.page;
    let out = '';
    const walk = (el: XmlElement, inserted: boolean): void => {
      for (const c of el.children) {
        if (typeof c === 'string') continue;
        if (c.name === 'w:r') out += this.run(c, base, bg, inserted);
        else if (c.name === 'w:del' || c.name === 'w:moveFrom') {
          for (const r of kids(c, 'w:r')) tally(this.hidden, 'deleted revision', kids(r, 'w:delText').map(plain).join(''));
        } else if (c.name === 'w:ins' || c.name === 'w:moveTo') {
          const before = out.length;
          walk(c, true);
          if (out.length > before && out.slice(before).trim()) out = `${out.slice(0, before)}[inserted: ${out.slice(before)}]`;
        } else if (['w:hyperlink', 'w:smartTag', 'w:fldSimple', 'w:customXml', 'w:bdo', 'w:dir'].includes(c.name)) walk(c, inserted);
        else if (c.name === 'w:sdt') walk(kid(c, 'w:sdtContent') ?? c, inserted);
      }
    };
    walk(p, false);
    return out;
  }

  /** Text boxes in a drawing; of Office's two renditions (mc:Choice, mc:Fallback) only the first, or the text would repeat. */
  private textBoxes(el: XmlElement): string[] {
    const chosen = el.name === 'mc:AlternateContent' ? (kid(el, 'mc:Choice') ?? kid(el, 'mc:Fallback') ?? el) : el;
    return descendants(chosen, 'w:txbxContent').map((box) => {
      const lines: string[] = [];
      this.blocks(box, lines);
      return lines.join('\n');
    });
  }

  private run(r: XmlElement, base: Partial<RunLook>, bg: string, _inserted: boolean): string {
    const rPr = kid(r, 'w:rPr');
    const look: Partial<RunLook> = { ...base, ...styleLook(this.styles, kid(rPr, 'w:rStyle')?.attrs['w:val']), ...lookOf(rPr) };
    let text = '';
    const boxes: string[] = [];
    for (const c of r.children) {
      if (typeof c === 'string') continue;
      if (c.name === 'w:t') text += plain(c);
      else if (c.name === 'w:tab' || c.name === 'w:ptab') text += '\t';
      else if (c.name === 'w:br' || c.name === 'w:cr') text += '\n';
      else if (c.name === 'w:noBreakHyphen') text += '-';
      else if (c.name === 'w:drawing' || c.name === 'w:pict' || c.name === 'mc:AlternateContent') boxes.push(...this.textBoxes(c));
      // w:instrText (field codes) and w:delText are not shown.
    }
    const boxed = boxes.filter((b) => b.trim()).join('\n');
    if (boxed) text = text ? `${text}\n${boxed}` : boxed;
    if (!text) return '';
    const fill = look.fill ?? bg;
    if (look.hidden) tally(this.hidden, 'hidden text', text);
    else if (look.halfPoints !== undefined && look.halfPoints < MIN_HALF_POINTS) tally(this.hidden, 'too small to read', text);
    else if (look.color && (sameColour(look.color, fill) || (nearWhite(look.color) && nearWhite(fill)))) tally(this.hidden, 'same colour as background', text);
    else return text;
    return '';
  }
}

function plain(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}

/** Reads a .docx package. */
export async function readDocx(zip: ZipPackage): Promise<DocumentText> {
  const body = await zip.text('word/document.xml');
  if (body === undefined) throw new DocumentReadError('document_malformed', 'The file is a zip but not a Word document (no word/document.xml); check the file type.');
  const { styles, defaults } = readStyles(await zip.text('word/styles.xml'));
  const doc = parseXml(body, 'word/document.xml');
  const bgColor = kid(doc, 'w:background')?.attrs['w:color'];
  const page = bgColor && bgColor !== 'auto' ? bgColor : 'FFFFFF';
  const walker = new DocxWalker(styles, defaults, page);
  const parts: DocumentPart[] = [];
  const section = (label: string, root: XmlElement | undefined): void => {
    if (!root) return;
    const lines: string[] = [];
    walker.blocks(root, lines);
    const text = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
    if (text) parts.push({ label, text });
  };
  for (const name of [...zip.names].filter((n) => /^word\/header\d*\.xml$/.test(n)).sort()) section('Header', parseXml((await zip.text(name))!, name));
  section('Document', kid(doc, 'w:body'));
  for (const name of [...zip.names].filter((n) => /^word\/footer\d*\.xml$/.test(n)).sort()) section('Footer', parseXml((await zip.text(name))!, name));
  for (const name of ['word/footnotes.xml', 'word/endnotes.xml']) {
    const xml = await zip.text(name);
    if (!xml) continue;
    const root = parseXml(xml, name);
    for (const note of [...kids(root, 'w:footnote'), ...kids(root, 'w:endnote')]) {
      if (note.attrs['w:type'] && note.attrs['w:type'] !== 'normal') continue;
      section(name.includes('foot') ? 'Footnote' : 'Endnote', note);
    }
  }
  const comments = await zip.text('word/comments.xml');
  if (comments) {
    for (const c of kids(parseXml(comments, 'word/comments.xml'), 'w:comment')) {
      section(`Comment by ${c.attrs['w:author'] ?? 'unknown'}`, c);
    }
  }
  return { format: 'Word document', parts, hidden: walker.hidden, notes: [] };
}
