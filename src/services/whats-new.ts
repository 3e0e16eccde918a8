/**
 * "What is new since I last asked": Graph's message delta per folder. The
 * deltaLink Graph returns at the end of each round is kept in the profile's
 * state (the {@link DeltaLinks} port, keyed by mailbox root + folder, saved by
 * compare-and-set so racing rounds never move a link backwards), so a restart
 * carries on where the last call stopped. The first call for a folder takes
 * a baseline of recent mail. A link is checked (Graph host, this mailbox,
 * length) before it is saved and again before it is followed; a saved link
 * that fails the check, or that Graph refuses (an expired sync state, a 4xx
 * about the request), is forgotten and a fresh baseline is taken with a note,
 * so one bad link never breaks whats_new for good.
 */
import type { GraphClient } from '../graph/client.js';
import { GraphError, GraphRequestRefusedError } from '../graph/errors.js';
import type { HandleStore } from '../handles/handle-store.js';
import { odataDateTime } from '../graph/query/odata.js';
import type { DeltaLinks, DeltaState } from '../state/ports.js';
import type { FolderService } from './folders.js';
import { MESSAGE_ROW_SELECT, summarizeMessage, type GraphMessage, type MessageSummary } from './mail.js';
import { formatInZone } from '../text/dates.js';

/** How far back the first call looks. */
export const BASELINE_DAYS = 7;
/** Pages per round (of PAGE_SIZE, via `$top`, which message delta accepts); Graph caps a filtered round at 5,000 items. */
const MAX_PAGES = 40;
const PAGE_SIZE = 100;

/** Longest deltaLink kept: Graph's are a few hundred characters to a few KB; anything far beyond is not one of theirs. */
export const MAX_DELTA_LINK_CHARS = 16 * 1024;

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
  note?: string;
}

/** True for Graph's answers that mean "this sync state is gone; start over". */
function isExpiredSyncState(err: unknown): boolean {
  if (!(err instanceof GraphError)) return false;
  return err.status === 410 || /^(syncstatenotfound|syncstateinvalid|resyncrequired|invaliddeltatoken)$/i.test(err.code);
}

/**
 * True when following a saved link failed because of the link itself: refused
 * before sending (other host, other mailbox) or answered 4xx other than
 * sign-in, permission and throttling (those say nothing about the link, and
 * the link is kept for the next call).
 */
function isRefusedLink(err: unknown): boolean {
  if (err instanceof GraphRequestRefusedError) return true;
  return err instanceof GraphError && err.status >= 400 && err.status < 500 && ![401, 403, 408, 429].includes(err.status);
}

/** Message delta per folder for one profile. */
export class WhatsNewService {
  constructor(
    private readonly graph: GraphClient,
    private readonly handles: HandleStore,
    private readonly folders: FolderService,
    private readonly timeZone: () => string,
    private readonly deltas: DeltaLinks,
    private readonly now: () => Date,
  ) {}

  /** What arrived or changed in `folder` since the previous call (or a baseline on the first). */
  async whatsNew(folderArg: string, limit: number, signal?: AbortSignal): Promise<WhatsNew> {
    const folder = await this.folders.resolve(folderArg, signal);
    const root = this.graph.root;
    const saved = await this.deltas.get(root, folder);
    const startedAt = this.now();
    let note: string | undefined;
    let revision = saved?.revision ?? 0;
    const since = saved ? formatInZone(new Date(saved.savedAt), this.timeZone(), 'datetime') : '';
    const restart = async (why: string) => {
      // Forgotten at its revision only: a newer link saved meanwhile by another server stays.
      if (saved && (await this.deltas.forget(root, folder, saved.revision))) revision = 0;
      else revision = (await this.deltas.get(root, folder))?.revision ?? 0;
      note = `${why}; started a new baseline, so changes since ${since} may be missed beyond the last ${BASELINE_DAYS} days.`;
    };
    if (saved) {
      const unusable = this.linkProblem(saved.deltaLink);
      if (unusable) {
        await restart(`The saved sync link of this folder is not usable (${unusable})`);
      } else {
        try {
          const { items, deltaLink } = await this.graph.getAll<DeltaItem>(saved.deltaLink, { signal }, { maxPages: MAX_PAGES });
          const result = await this.changes(folderArg, items, limit, saved);
          const keepNote = deltaLink ? await this.save(folder, revision, deltaLink, startedAt, newestOf(items, saved.newest)) : undefined;
          return keepNote ? { ...result, note: keepNote } : result;
        } catch (err) {
          if (isExpiredSyncState(err)) await restart(`Graph no longer holds the previous sync state (${(err as GraphError).code})`);
          else if (isRefusedLink(err)) await restart(`The saved sync link of this folder was refused (${err instanceof GraphError ? `${err.status} ${err.code}` : (err as Error).message})`);
          else throw err;
        }
      }
    }
    const from = new Date(startedAt.getTime() - BASELINE_DAYS * 86_400_000);
    const { items, deltaLink } = await this.graph.getAll<DeltaItem>(
      this.graph.mailbox`/mailFolders/${folder}/messages/delta`,
      { signal, query: [['$select', MESSAGE_ROW_SELECT.join(',')], ['$filter', `receivedDateTime ge ${odataDateTime(from)}`], ['$top', String(PAGE_SIZE)]] },
      { maxPages: MAX_PAGES },
    );
    const keepNote = deltaLink ? await this.save(folder, revision, deltaLink, startedAt, newestOf(items, undefined)) : undefined;
    const present = items.filter((m) => !m['@removed']);
    const shown = await this.rows(present, limit, () => undefined);
    const first = `First call for this folder: the ${present.length} message(s) received in the last ${BASELINE_DAYS} days, newest first. The next call returns only what arrives or changes after now.`;
    return compactResult({
      folder: folderArg,
      mode: 'baseline',
      messages: shown,
      more: present.length - shown.length,
      note: [note ?? first, keepNote].filter(Boolean).join(' '),
    });
  }

  /** Why `link` must not be kept or followed (another host, another mailbox, too long); undefined when it is fine. */
  private linkProblem(link: string): string | undefined {
    if (link.length > MAX_DELTA_LINK_CHARS) return `${link.length} characters, more than ${MAX_DELTA_LINK_CHARS}`;
    try {
      this.graph.resolveUrl(link);
      return undefined;
    } catch (err) {
      return err instanceof GraphRequestRefusedError ? 'it points outside this Graph endpoint or mailbox' : 'it is not a URL';
    }
  }

  /** Saves the round's link unless it fails the check; returns a note when it was not kept. */
  private async save(folder: string, revision: number, deltaLink: string, at: Date, newest: string | undefined): Promise<string | undefined> {
    const problem = this.linkProblem(deltaLink);
    if (problem) return `Graph's sync link for this folder could not be kept (${problem}); the next call takes a new baseline.`;
    // A conflict means another server of this profile saved a link from the same round meanwhile: either is current.
    await this.deltas.save(this.graph.root, folder, revision, { deltaLink, savedAt: at.toISOString(), ...(newest ? { newest } : {}) });
    return undefined;
  }

  private async changes(folderArg: string, items: DeltaItem[], limit: number, saved: DeltaState): Promise<WhatsNew> {
    const removed = items.filter((m) => m['@removed']).length;
    const present = items.filter((m) => !m['@removed']);
    const newest = saved.newest ? Date.parse(saved.newest) : Date.parse(saved.savedAt);
    const shown = await this.rows(present, limit, (m) => (m.receivedDateTime && Date.parse(m.receivedDateTime) > newest ? 'new' : 'updated'));
    return compactResult({
      folder: folderArg,
      mode: 'changes',
      since: formatInZone(new Date(saved.savedAt), this.timeZone(), 'datetime'),
      messages: shown,
      more: present.length - shown.length,
      removed,
    });
  }

  private async rows(items: DeltaItem[], limit: number, change: (m: DeltaItem) => 'new' | 'updated' | undefined): Promise<WhatsNew['messages']> {
    const newest = [...items].sort((a, b) => (Date.parse(b.receivedDateTime ?? '') || 0) - (Date.parse(a.receivedDateTime ?? '') || 0)).slice(0, limit);
    const handles = await this.handles.handlesFor(newest.map((m) => m.id));
    const zone = this.timeZone();
    return newest.map((m, i) => {
      const c = change(m);
      return { ...summarizeMessage(m, handles[i] ?? m.id, zone, false), ...(c ? { change: c } : {}) };
    });
  }
}

/** The latest receivedDateTime among `items` and `before`. */
function newestOf(items: readonly DeltaItem[], before: string | undefined): string | undefined {
  let best = before && !Number.isNaN(Date.parse(before)) ? before : undefined;
  for (const m of items) {
    if (m['@removed'] || !m.receivedDateTime || Number.isNaN(Date.parse(m.receivedDateTime))) continue;
    if (!best || Date.parse(m.receivedDateTime) > Date.parse(best)) best = m.receivedDateTime;
  }
  return best;
}

function compactResult(r: WhatsNew): WhatsNew {
  const out: WhatsNew = { folder: r.folder, mode: r.mode, messages: r.messages };
  if (r.since) out.since = r.since;
  if (r.more) out.more = r.more;
  if (r.removed) out.removed = r.removed;
  if (r.note) out.note = r.note;
  return out;
}
