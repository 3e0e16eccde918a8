/**
 * "What is new since I last asked": Graph's message delta per folder. The
 * deltaLink Graph returns at the end of each round is kept in the profile's
 * state folder (one 0600 file per folder, replaced atomically), so a restart
 * carries on where the last call stopped. The first call for a folder takes
 * a baseline of recent mail; an expired sync state (`syncStateNotFound` and
 * kin) starts a fresh baseline and says so.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GraphClient } from '../graph/client.js';
import { GraphError } from '../graph/errors.js';
import type { HandleStore } from '../handles/handle-store.js';
import { odataDateTime } from '../graph/query/odata.js';
import { writePrivateFileAtomic } from '../auth/stores/private-files.js';
import type { FolderService } from './folders.js';
import { MESSAGE_ROW_SELECT, summarizeMessage, type GraphMessage, type MessageSummary } from './mail.js';
import { formatInZone } from '../text/dates.js';
import { identified } from './shape.js';

/** How far back the first call looks. */
export const BASELINE_DAYS = 7;
/** Pages per round (of PAGE_SIZE, via `$top`, which message delta accepts); Graph caps a filtered round at 5,000 items. */
const MAX_PAGES = 40;
const PAGE_SIZE = 100;

interface DeltaFile {
  version: 1;
  folder: string;
  deltaLink: string;
  /** ISO instant of the call that stored the link. */
  savedAt: string;
  /**
   * Newest receivedDateTime seen so far, in Graph's clock: a change received
   * after it is new mail, anything else an update (read, flagged, edited).
   */
  newest?: string;
}

type DeltaItem = GraphMessage & { '@removed'?: { reason?: string } };

export interface WhatsNew {
  folder: string;
  /** `baseline`: first call (or a restart); `changes`: since the previous call. */
  mode: 'baseline' | 'changes';
  /** When the previous call was made (user's zone), for `changes`. */
  since?: string;
  messages: Array<MessageSummary & { change?: 'new' | 'updated' }>;
  /** Changes beyond `limit`, not shown (they will not be shown again). */
  more?: number;
  /** Messages that left the folder (deleted or moved). */
  removed?: number;
  /** Entries Graph sent that could not be shown (no id, or not an item). */
  skipped?: number;
  note?: string;
}

/** True for Graph's answers that mean "this sync state is gone; start over". */
function isExpiredSyncState(err: unknown): boolean {
  if (!(err instanceof GraphError)) return false;
  return err.status === 410 || /^(syncstatenotfound|syncstateinvalid|resyncrequired|invaliddeltatoken)$/i.test(err.code);
}

/** Message delta per folder for one profile. */
export class WhatsNewService {
  constructor(
    private readonly graph: GraphClient,
    private readonly handles: HandleStore,
    private readonly folders: FolderService,
    private readonly timeZone: () => string,
    private readonly stateDir: string,
    private readonly profile: string,
    private readonly now: () => Date,
  ) {}

  /** What arrived or changed in `folder` since the previous call (or a baseline on the first). */
  async whatsNew(folderArg: string, limit: number, signal?: AbortSignal): Promise<WhatsNew> {
    const folder = await this.folders.resolve(folderArg, signal);
    const file = this.fileFor(folder);
    const saved = await this.load(file);
    const startedAt = this.now();
    let note: string | undefined;
    if (saved) {
      try {
        const { items, deltaLink, skipped } = await this.graph.getAll<DeltaItem>(saved.deltaLink, { signal }, { maxPages: MAX_PAGES });
        // The result is built before the sync point moves: a page that cannot be shown never gets skipped over.
        const result = await this.changes(folderArg, items, limit, saved, skipped ?? 0);
        if (deltaLink) await this.save(file, folder, deltaLink, startedAt, newestOf(items, saved.newest));
        return result;
      } catch (err) {
        if (!isExpiredSyncState(err)) throw err;
        note = `Graph no longer holds the previous sync state (${(err as GraphError).code}); started a new baseline, so changes since ${formatInZone(new Date(saved.savedAt), this.timeZone(), 'datetime')} may be missed beyond the last ${BASELINE_DAYS} days.`;
      }
    }
    const since = new Date(startedAt.getTime() - BASELINE_DAYS * 86_400_000);
    const { items, deltaLink, skipped } = await this.graph.getAll<DeltaItem>(
      this.graph.mailbox`/mailFolders/${folder}/messages/delta`,
      { signal, query: [['$select', MESSAGE_ROW_SELECT.join(',')], ['$filter', `receivedDateTime ge ${odataDateTime(since)}`], ['$top', String(PAGE_SIZE)]] },
      { maxPages: MAX_PAGES },
    );
    const present = items.filter((m) => !m['@removed']);
    const { rows: shown, skipped: noId } = await this.rows(present, limit, () => undefined);
    const result = compactResult({
      folder: folderArg,
      mode: 'baseline',
      messages: shown,
      more: present.length - noId - shown.length,
      skipped: (skipped ?? 0) + noId,
      note: note ?? `First call for this folder: the ${present.length - noId} message(s) received in the last ${BASELINE_DAYS} days, newest first. The next call returns only what arrives or changes after now.`,
    });
    // Saved only once the answer exists: a failure above leaves the previous sync point (or none) in place.
    if (deltaLink) await this.save(file, folder, deltaLink, startedAt, newestOf(items, undefined));
    return result;
  }

  private async changes(folderArg: string, items: DeltaItem[], limit: number, saved: DeltaFile, skipped: number): Promise<WhatsNew> {
    const removed = items.filter((m) => m['@removed']).length;
    const present = items.filter((m) => !m['@removed']);
    const newest = saved.newest ? Date.parse(saved.newest) : Date.parse(saved.savedAt);
    const { rows: shown, skipped: noId } = await this.rows(present, limit, (m) => (receivedMs(m) > newest ? 'new' : 'updated'));
    return compactResult({
      folder: folderArg,
      mode: 'changes',
      since: formatInZone(new Date(saved.savedAt), this.timeZone(), 'datetime'),
      messages: shown,
      more: present.length - noId - shown.length,
      removed,
      skipped: skipped + noId,
    });
  }

  private async rows(items: DeltaItem[], limit: number, change: (m: DeltaItem) => 'new' | 'updated' | undefined): Promise<{ rows: WhatsNew['messages']; skipped: number }> {
    const usable = identified(items);
    const newest = [...usable.items].sort((a, b) => receivedMs(b) - receivedMs(a)).slice(0, limit);
    const handles = await this.handles.handlesFor(newest.map((m) => m.id));
    const zone = this.timeZone();
    const rows = newest.map((m, i) => {
      const c = change(m);
      return { ...summarizeMessage(m, handles[i] ?? m.id, zone, false), ...(c ? { change: c } : {}) };
    });
    return { rows, skipped: usable.skipped };
  }

  private fileFor(folder: string): string {
    const key = createHash('sha256').update(folder.toLowerCase()).digest('hex').slice(0, 24);
    return path.join(this.stateDir, 'delta', `mail-${key}.json`);
  }

  /** The saved state, or undefined when there is none or it is unreadable (a fresh baseline then replaces it). */
  private async load(file: string): Promise<DeltaFile | undefined> {
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<DeltaFile>;
      if (parsed.version !== 1 || typeof parsed.deltaLink !== 'string' || typeof parsed.savedAt !== 'string' || Number.isNaN(Date.parse(parsed.savedAt))) return undefined;
      return parsed as DeltaFile;
    } catch {
      return undefined;
    }
  }

  private async save(file: string, folder: string, deltaLink: string, at: Date, newest: string | undefined): Promise<void> {
    const data: DeltaFile = { version: 1, folder, deltaLink, savedAt: at.toISOString(), ...(newest ? { newest } : {}) };
    await writePrivateFileAtomic(file, JSON.stringify(data) + '\n', { profile: this.profile, store: 'file' });
  }
}

/** The latest receivedDateTime among `items` and `before`. */
function newestOf(items: readonly DeltaItem[], before: string | undefined): string | undefined {
  let best = before && !Number.isNaN(Date.parse(before)) ? before : undefined;
  for (const m of items) {
    if (m['@removed'] || typeof m.receivedDateTime !== 'string' || Number.isNaN(Date.parse(m.receivedDateTime))) continue;
    if (!best || Date.parse(m.receivedDateTime) > Date.parse(best)) best = m.receivedDateTime;
  }
  return best;
}

function compactResult(r: WhatsNew): WhatsNew {
  const out: WhatsNew = { folder: r.folder, mode: r.mode, messages: r.messages };
  if (r.since) out.since = r.since;
  if (r.more) out.more = r.more;
  if (r.removed) out.removed = r.removed;
  if (r.skipped) out.skipped = r.skipped;
  if (r.note) out.note = r.note;
  return out;
}

/** When a message arrived, in ms; 0 when Graph gave no usable date (it sorts last, and counts as an update). */
function receivedMs(m: DeltaItem): number {
  return typeof m.receivedDateTime === 'string' ? Date.parse(m.receivedDateTime) || 0 : 0;
}
