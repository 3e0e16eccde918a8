/**
 * Reading an attachment as text: fetch it (size-capped), read it in the
 * document worker, then clean it like a mail body: HTML parts through the
 * one visible-text engine, every text part through the plain-text cleaner
 * (invisible characters out and counted), labels through the untrusted-string
 * cleaner, an explicit cut note, and a count of what was left out.
 */
import { pageRendererAdvice } from '../config/advice.js';
import { formatCount, truncateText } from '../text/truncate.js';
import { cleanUntrusted } from '../text/untrusted.js';
import type { DocumentText, HiddenReason, PageRange } from '../text/documents/types.js';
import { visibleBody } from './body.js';
import type { MailService } from './mail.js';
import { compact } from './shape.js';

/** Largest attachment read (bytes), checked from Graph's stated size before the download and enforced on it. */
export const READ_MAX_BYTES = 30 * 1024 * 1024;

/** The format named for links to cloud files, whose text is not read. */
export const CLOUD_LINK_FORMAT = 'Link to a cloud file';

/** What ol_email_read_attachment returns. */
export interface AttachmentText {
  name: string;
  content_type?: string;
  size: number;
  format: string;
  /** The visible text, labelled by part; untrusted. */
  text: string;
  total_chars: number;
  truncated?: boolean;
  /** Words left out because a person would not see them, and why. */
  hidden_words?: number;
  hidden?: Record<string, number>;
  invisible_removed?: number;
  units?: { kind: string; total: number; read: number };
  notes?: string[];
  /** For links to cloud files: where the file lives. */
  location?: string;
}

/** The arguments, already checked. */
export interface ReadAttachmentArgs {
  id: string;
  attachmentId: string;
  pages?: PageRange;
  maxChars: number;
  /** How the server was installed, for the wording of next steps (src/config/advice.ts). */
  surface?: { readonly bundle?: 'mcpb' };
}

/** Fetches and reads one attachment. */
export async function readAttachmentText(mail: MailService, args: ReadAttachmentArgs, signal?: AbortSignal): Promise<AttachmentText> {
  const fetched = await mail.fetchAttachment(args.id, args.attachmentId, READ_MAX_BYTES, signal);
  if (fetched.kind === 'link' || !fetched.bytes) {
    const where = fetched.location ? `It lives at ${fetched.location}` : 'It lives in a cloud store Graph does not name';
    const link = compact({
      name: fetched.name,
      content_type: fetched.content_type,
      size: fetched.size,
      format: CLOUD_LINK_FORMAT,
      total_chars: 0,
      location: fetched.location,
      notes: [`${where}${fetched.provider ? ` (${fetched.provider})` : ''}; its text is not read. Open it there with your own account.`],
    });
    return { ...link, text: '' } as AttachmentText;
  }
  const { readDocumentInWorker } = await import('../text/documents/run.js');
  const doc = await readDocumentInWorker(fetched.bytes, { name: fetched.name, contentType: fetched.content_type, pages: args.pages }, { signal });
  return compact({ name: fetched.name, content_type: fetched.content_type, size: fetched.size, ...(await renderDocumentText(doc, args.maxChars, args.surface)) }) as AttachmentText;
}

/** Cleans and assembles a reader's parts: one labelled section per part, cut at `maxChars` with a note. */
export async function renderDocumentText(doc: DocumentText, maxChars: number, surface: { readonly bundle?: 'mcpb' } = {}): Promise<Omit<AttachmentText, 'name' | 'size' | 'content_type'>> {
  const hidden: Record<string, number> = { ...doc.hidden };
  let invisible = 0;
  let hiddenElements = 0;
  const sections: string[] = [];
  for (const part of doc.parts) {
    const visible = await visibleBody({ contentType: part.format === 'html' ? 'html' : 'text', content: part.text }, { markQuotes: false });
    invisible += visible.invisibleRemoved;
    hiddenElements += visible.hiddenRemoved;
    const label = cleanUntrusted(part.label, 'label');
    // A lone part named like the format (a text file) needs no heading; sheets, pages and slides keep theirs.
    sections.push(doc.parts.length === 1 && part.label === doc.format ? visible.text : `--- ${label} ---\n${visible.text || '(no visible text)'}`);
  }
  const cut = truncateText(sections.join('\n\n'), maxChars);
  const words = Object.values(hidden).reduce((a, b) => a + b, 0);
  const notes = [...doc.notes.map((n) => cleanUntrusted(n, 'label'))];
  // One line on why text was withheld unchecked and what gives the check.
  if (doc.unchecked === 'no-page-renderer') notes.push(pageRendererAdvice(surface));
  if (hiddenElements) notes.push(`${formatCount(hiddenElements)} hidden HTML element(s) left out`);
  if (doc.units && doc.units.read < doc.units.total) notes.push(`${doc.units.read} of ${doc.units.total} ${doc.units.kind}s shown`);
  const out = compact({
    format: doc.format,
    total_chars: cut.totalChars,
    truncated: cut.truncated,
    hidden_words: words || undefined,
    hidden: words ? hidden : undefined,
    invisible_removed: invisible || undefined,
    units: doc.units,
    notes: notes.length ? notes : undefined,
  });
  // Outside compact(): an empty visible text is a normal result.
  return { ...out, text: cut.text } as Omit<AttachmentText, 'name' | 'size' | 'content_type'>;
}

/** "12 hidden words left out (not painted: 9; too small to read: 3)". */
export function hiddenSummary(t: Pick<AttachmentText, 'hidden_words' | 'hidden'>): string | undefined {
  if (!t.hidden_words) return undefined;
  const why = Object.entries(t.hidden ?? {})
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason as HiddenReason}: ${formatCount(n)}`)
    .join('; ');
  return `${formatCount(t.hidden_words)} hidden word${t.hidden_words === 1 ? '' : 's'} left out (${why})`;
}
