/**
 * Reading Office packages (ZIP) without being bombed. yauzl reads the central
 * directory first, so the sizes every entry claims are checked against our
 * caps before a byte is inflated, and yauzl's entry-size validation stops an
 * entry whose inflated stream outgrows what it claimed (a lying directory).
 * We only inflate the parts a reader asks for.
 */
import yauzl from 'yauzl';
import { DocumentReadError } from './errors.js';
import { kids, parseXml } from './xml.js';

/** The caps, exported for the bench and the docs. */
export const ZIP_LIMITS = Object.freeze({
  /** Entries in one package. */
  maxEntries: 5_000,
  /** Inflated bytes of one part that is read. */
  maxEntryBytes: 48 * 1024 * 1024,
  /** Inflated bytes of all parts read from one package. */
  maxTotalBytes: 96 * 1024 * 1024,
  /** Inflated/compressed ratio allowed for parts above `ratioFloorBytes`. */
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
});

/** An opened package: names, and the bytes of the parts asked for. */
export interface ZipPackage {
  names: ReadonlySet<string>;
  /** The part's text (UTF-8), or undefined when the package has no such part. */
  text(name: string): Promise<string | undefined>;
  close(): void;
}

function open(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(new DocumentReadError('document_malformed', `The file is not a readable Office package (${err?.message ?? 'no zip'}); it may be damaged. Open it in Office, save it again, and send it anew.`));
      else resolve(zip);
    });
  });
}

/** Reads the central directory and checks every entry against the caps before anything is inflated. */
export async function openZip(bytes: Buffer): Promise<ZipPackage> {
  const zip = await open(bytes);
  if (zip.entryCount > ZIP_LIMITS.maxEntries) {
    zip.close();
    throw bomb(`${zip.entryCount} entries (the cap is ${ZIP_LIMITS.maxEntries})`);
  }
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(new DocumentReadError('document_malformed', `The Office package is damaged (${err.message}); save it again in Office and resend it.`)));
    zip.readEntry();
  });
  let total = 0;
  for (const e of entries.values()) {
    if (e.uncompressedSize > ZIP_LIMITS.maxEntryBytes) throw bomb(`part ${e.fileName} claims ${e.uncompressedSize} bytes inflated (the cap is ${ZIP_LIMITS.maxEntryBytes})`);
    if (e.uncompressedSize > ZIP_LIMITS.ratioFloorBytes && e.uncompressedSize > ZIP_LIMITS.maxRatio * Math.max(1, e.compressedSize)) {
      throw bomb(`part ${e.fileName} inflates ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}:1 (the cap is ${ZIP_LIMITS.maxRatio}:1)`);
    }
    total += e.uncompressedSize;
  }
  if (total > ZIP_LIMITS.maxTotalBytes * 4) throw bomb(`the parts claim ${total} bytes inflated`);
  let read = 0;
  const text = async (name: string): Promise<string | undefined> => {
    const entry = entries.get(name);
    if (!entry) return undefined;
    read += entry.uncompressedSize;
    if (read > ZIP_LIMITS.maxTotalBytes) throw bomb(`the parts read inflate to more than ${ZIP_LIMITS.maxTotalBytes} bytes`);
    const buf = await inflate(zip, entry);
    return buf.toString('utf8').replace(/^\ufeff/, '');
  };
  return { names: new Set(entries.keys()), text, close: () => zip.close() };
}

function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(new DocumentReadError('document_malformed', `Part ${entry.fileName} cannot be read (${err?.message ?? 'no stream'}); the file may be damaged or encrypted.`));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      // yauzl errors here when the inflated stream is longer or shorter than the directory claimed.
      stream.on('error', (e: Error) => reject(new DocumentReadError('document_malformed', `Part ${entry.fileName} is damaged or lies about its size (${e.message}); the file was not read.`)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

function bomb(what: string): DocumentReadError {
  return new DocumentReadError('document_too_large', `The file looks like a zip bomb: ${what}. It was not read; save it to disk with ol_email_get_attachment only if you trust the sender.`);
}

/** Resolves a relationship target against its part's folder. */
function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** Relationship id → part path, for a part's .rels file. */
export async function relationships(zip: ZipPackage, part: string): Promise<Map<string, string>> {
  const dir = part.split('/').slice(0, -1).join('/');
  const file = part.split('/').pop()!;
  const relsName = `${dir ? `${dir}/` : ''}_rels/${file}.rels`;
  const xml = await zip.text(relsName);
  const out = new Map<string, string>();
  if (!xml) return out;
  for (const r of kids(parseXml(xml, relsName), 'Relationship')) {
    if (r.attrs.Id && r.attrs.Target && r.attrs.TargetMode !== 'External') out.set(r.attrs.Id, resolveTarget(part, r.attrs.Target));
  }
  return out;
}

