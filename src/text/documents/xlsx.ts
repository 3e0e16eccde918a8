/**
 * Excel (.xlsx): the cells a person sees, sheet by sheet, named by sheet and
 * cell reference, formatted as Excel shows them (number formats through SSF,
 * SheetJS's implementation of the ECMA-376 format language: the only
 * complete one on npm; it is old but the format language has not changed).
 * Left out and counted: hidden and very hidden sheets, hidden rows and
 * columns, cells whose format prints nothing (";;;"), white text on a white
 * or absent fill and text the colour of its fill.
 */
import SSF from 'ssf';
import { DocumentReadError } from './errors.js';
import { tally, type DocumentPart, type DocumentText } from './types.js';
import { descendants, kid, kids, parseXml, sameColour, textOf, type XmlElement } from './xml.js';
import { relationships, type ZipPackage } from './zip.js';

/** Cells read in one workbook; beyond it the reading stops with a note. */
export const MAX_CELLS = 500_000;

interface CellStyle {
  format: string | number;
  color?: string;
  fill?: string;
}

/** ARGB or theme colour to RRGGBB; theme 0/1 are the usual white/black of the default theme. */
function colourOf(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const rgb = el.attrs.rgb;
  if (rgb && /^[0-9a-f]{8}$/i.test(rgb)) return rgb.slice(2).toUpperCase();
  if (rgb && /^[0-9a-f]{6}$/i.test(rgb)) return rgb.toUpperCase();
  if (el.attrs.theme === '0') return 'FFFFFF';
  if (el.attrs.theme === '1') return '000000';
  // Legacy palette: 1 and 9 are white.
  if (el.attrs.indexed === '9' || el.attrs.indexed === '1') return 'FFFFFF';
  return undefined;
}

function readStyles(xml: string | undefined): CellStyle[] {
  if (!xml) return [];
  const root = parseXml(xml, 'xl/styles.xml');
  const formats = new Map<number, string>();
  for (const f of kids(kid(root, 'numFmts'), 'numFmt')) formats.set(Number(f.attrs.numFmtId), f.attrs.formatCode ?? 'General');
  const fonts = kids(kid(root, 'fonts'), 'font').map((f) => colourOf(kid(f, 'color')));
  const fills = kids(kid(root, 'fills'), 'fill').map((f) => {
    const p = kid(f, 'patternFill');
    return p && p.attrs.patternType && p.attrs.patternType !== 'none' ? colourOf(kid(p, 'fgColor')) : undefined;
  });
  return kids(kid(root, 'cellXfs'), 'xf').map((xf) => {
    const id = Number(xf.attrs.numFmtId ?? 0);
    return { format: formats.get(id) ?? id, color: fonts[Number(xf.attrs.fontId ?? 0)], fill: fills[Number(xf.attrs.fillId ?? 0)] };
  });
}

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  // Phonetic runs (rPh) are reading aids Excel does not show in the cell.
  return kids(parseXml(xml, 'xl/sharedStrings.xml'), 'si').map((si) => [...kids(si, 't'), ...kids(si, 'r').flatMap((r) => kids(r, 't'))].map(textOf).join(''));
}

/** "AB12" → column index 27 (0-based) and row 12. */
function splitRef(ref: string): { col: number; row: number } | undefined {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(ref);
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
  return { col: col - 1, row: Number(m[2]) };
}

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function formatValue(raw: string, type: string | undefined, style: CellStyle | undefined): string {
  if (type === 'e') return raw;
  if (type === 's' || type === 'str' || type === 'inlineStr') {
    // Text goes through the format's text section (the fourth): ";;;" prints nothing, '"Re: "@' adds a prefix.
    if (typeof style?.format !== 'string') return raw;
    try {
      return SSF.format(style.format, raw);
    } catch {
      return raw;
    }
  }
  if (type === 'b') return raw === '1' ? 'TRUE' : 'FALSE';
  const n = Number(raw);
  if (!Number.isFinite(n)) return raw;
  try {
    return SSF.format(style?.format ?? 0, n);
  } catch {
    return SSF.format(0, n);
  }
}

function isWhite(hex: string | undefined): boolean {
  return sameColour(hex, 'FFFFFF');
}

/** Reads an .xlsx package. */
export async function readXlsx(zip: ZipPackage): Promise<DocumentText> {
  const wbXml = await zip.text('xl/workbook.xml');
  if (wbXml === undefined) throw new DocumentReadError('document_malformed', 'The file is a zip but not an Excel workbook (no xl/workbook.xml); check the file type.');
  const wb = parseXml(wbXml, 'xl/workbook.xml');
  const rels = await relationships(zip, 'xl/workbook.xml');
  const styles = readStyles(await zip.text('xl/styles.xml'));
  const strings = sharedStrings(await zip.text('xl/sharedStrings.xml'));
  const hidden: DocumentText['hidden'] = {};
  const parts: DocumentPart[] = [];
  const notes: string[] = [];
  const sheets = kids(kid(wb, 'sheets'), 'sheet');
  let cells = 0;
  let shown = 0;
  for (const sheet of sheets) {
    const name = sheet.attrs.name ?? '?';
    const target = rels.get(sheet.attrs['r:id'] ?? '');
    const xml = target ? await zip.text(target) : undefined;
    if (xml === undefined) continue;
    const ws = parseXml(xml, target!);
    const sheetHidden = sheet.attrs.state === 'hidden' || sheet.attrs.state === 'veryHidden';
    const hiddenCols = new Set<number>();
    for (const col of kids(kid(ws, 'cols'), 'col')) {
      if (col.attrs.hidden === '1' || col.attrs.hidden === 'true') {
        for (let i = Number(col.attrs.min); i <= Number(col.attrs.max) && i <= 16_384; i++) hiddenCols.add(i - 1);
      }
    }
    const lines: string[] = [];
    let minCol = Infinity;
    let maxCol = -1;
    let minRow = Infinity;
    let maxRow = -1;
    for (const row of kids(kid(ws, 'sheetData'), 'row')) {
      const rowHidden = row.attrs.hidden === '1' || row.attrs.hidden === 'true';
      const shownCells: string[] = [];
      for (const c of kids(row, 'c')) {
        if (++cells > MAX_CELLS) break;
        const ref = c.attrs.r ?? '';
        const pos = splitRef(ref);
        const type = c.attrs.t;
        let raw: string;
        if (type === 'inlineStr') raw = descendants(kid(c, 'is') ?? c, 't').map(textOf).join('');
        else {
          const v = kid(c, 'v');
          if (!v) continue;
          raw = textOf(v);
          if (type === 's') raw = strings[Number(raw)] ?? '';
        }
        if (!raw.trim()) continue;
        const style = styles[Number(c.attrs.s ?? 0)];
        if (sheetHidden) tally(hidden, 'hidden sheet', raw);
        else if (rowHidden || (pos && hiddenCols.has(pos.col))) tally(hidden, 'hidden row or column', raw);
        else {
          const text = formatValue(raw, type, style).trim();
          const fill = style?.fill;
          if (!text) tally(hidden, 'format that prints nothing', raw);
          else if (style?.color && ((isWhite(style.color) && (!fill || isWhite(fill))) || sameColour(style.color, fill))) tally(hidden, 'same colour as background', text);
          else {
            shownCells.push(`${ref}: ${text}`);
            shown++;
            if (pos) {
              minCol = Math.min(minCol, pos.col);
              maxCol = Math.max(maxCol, pos.col);
              minRow = Math.min(minRow, pos.row);
              maxRow = Math.max(maxRow, pos.row);
            }
          }
        }
      }
      if (shownCells.length) lines.push(shownCells.join(' | '));
      if (cells > MAX_CELLS) break;
    }
    if (sheetHidden) continue;
    const range = maxCol >= 0 ? ` ${colName(minCol)}${minRow}:${colName(maxCol)}${maxRow}` : '';
    parts.push({ label: `Sheet "${name}"${range}`, text: lines.length ? lines.join('\n') : '(no visible cells)' });
    if (cells > MAX_CELLS) {
      notes.push(`stopped after ${MAX_CELLS} cells; the rest of the workbook was not read`);
      break;
    }
  }
  const names = kids(kid(wb, 'definedNames'), 'definedName').filter((d) => d.attrs.hidden !== '1' && !(d.attrs.name ?? '').startsWith('_xlnm.'));
  if (names.length) notes.push(`named ranges: ${names.map((d) => `${d.attrs.name} = ${textOf(d)}`).join('; ')}`);
  const visibleSheets = sheets.filter((s) => s.attrs.state !== 'hidden' && s.attrs.state !== 'veryHidden').length;
  if (shown === 0 && cells === 0) notes.push('the workbook has no cell values');
  return { format: 'Excel workbook', parts, hidden, notes, units: { kind: 'sheet', total: sheets.length, read: visibleSheets } };
}
