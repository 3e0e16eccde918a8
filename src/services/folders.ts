/**
 * Mail folders: listing with counts and paths, and turning a tool's `folder`
 * argument (well-known name, id/handle, display name or path) into the value
 * that goes into a Graph path.
 */
import { UserFacingError } from '../errors.js';
import type { GraphClient } from '../graph/client.js';
import { HandleStore } from '../handles/handle-store.js';
import { GraphError } from '../graph/errors.js';
import { cleanUntrusted } from '../text/untrusted.js';
import { identified, stringOr } from './shape.js';

/** Well-known folder names Graph resolves in every mailbox language (docs/GRAPH-NOTES.md §3). */
export const WELL_KNOWN_FOLDERS = [
  'inbox',
  'drafts',
  'sentitems',
  'deleteditems',
  'archive',
  'junkemail',
  'outbox',
  'msgfolderroot',
  'clutter',
  'conversationhistory',
  'scheduled',
  'searchfolders',
] as const;

/** The ones worth labelling in a folder list (the rest are rarely present or hidden). */
const LABELLED = ['inbox', 'drafts', 'sentitems', 'deleteditems', 'archive', 'junkemail', 'outbox'] as const;

const MAX_FOLDERS = 500;
const MAX_DEPTH = 6;

export interface FolderInfo {
  /** Graph folder id. */
  id: string;
  name: string;
  /** Display path from the top of the mailbox, e.g. `Inbox/Clients/Fabrikam`. */
  path: string;
  wellKnown?: string;
  unread: number;
  total: number;
  parentId?: string;
}

interface GraphFolder {
  id: string;
  displayName?: string;
  parentFolderId?: string;
  childFolderCount?: number;
  unreadItemCount?: number;
  totalItemCount?: number;
}

/** A folder argument that matches no folder (or several); the message lists the way out. */
export class FolderNotFoundError extends UserFacingError {
  override name = 'FolderNotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('folder_not_found', message, options);
  }
}

/** A folder's display name through the untrusted cleaner (it is shown and becomes part of paths). */
function folderName(f: GraphFolder): string {
  return cleanUntrusted(stringOr(f.displayName), 'folder') || '(unnamed)';
}

const SELECT = ['id', 'displayName', 'parentFolderId', 'childFolderCount', 'unreadItemCount', 'totalItemCount'].join(',');

/** Folder listing and resolution for one mailbox. */
export class FolderService {
  /** Well-known name → id; ids are immutable, so one lookup per process is enough. */
  private wellKnownIds: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly graph: GraphClient,
    private readonly handles: HandleStore,
  ) {}

  /** All folders (top level and nested, bounded), with paths and well-known labels. */
  async list(signal?: AbortSignal): Promise<FolderInfo[]> {
    const [top, known] = await Promise.all([this.children(undefined, signal), this.wellKnown(signal)]);
    const byId = new Map([...known].map(([name, id]) => [id, name]));
    const out: FolderInfo[] = [];
    let level: Array<{ f: GraphFolder; parentPath: string }> = top.map((f) => ({ f, parentPath: '' }));
    for (let depth = 0; level.length > 0 && depth < MAX_DEPTH && out.length < MAX_FOLDERS; depth++) {
      const next: Array<{ f: GraphFolder; parentPath: string }> = [];
      for (const { f, parentPath } of level) {
        if (out.length >= MAX_FOLDERS) break;
        const name = folderName(f);
        const path = parentPath ? `${parentPath}/${name}` : name;
        out.push({ id: f.id, name, path, wellKnown: byId.get(f.id), unread: countOf(f.unreadItemCount), total: countOf(f.totalItemCount), parentId: f.parentFolderId });
      }
      const withChildren = level.filter(({ f }) => (f.childFolderCount ?? 0) > 0);
      const kids = await Promise.all(withChildren.map(({ f }) => this.children(f.id, signal)));
      withChildren.forEach(({ f, parentPath }, i) => {
        const path = parentPath ? `${parentPath}/${folderName(f)}` : folderName(f);
        for (const k of kids[i] ?? []) next.push({ f: k, parentPath: path });
      });
      level = next;
    }
    return out;
  }

  /**
   * The Graph path value for a folder argument: a well-known name as is, a
   * handle or id as the id, a display name or path through the folder list.
   */
  async resolve(folder: string, signal?: AbortSignal): Promise<string> {
    const value = folder.trim();
    const lower = value.toLowerCase();
    if ((WELL_KNOWN_FOLDERS as readonly string[]).includes(lower)) return lower;
    if (HandleStore.looksLikeHandle(value)) {
      const id = await this.handles.lookup(value);
      if (id) return id;
    } else if (/^[A-Za-z0-9+/=_-]{40,}$/.test(value)) {
      return value;
    }
    const folders = await this.list(signal);
    const wanted = lower.replace(/^\/+|\/+$/g, '');
    const byPath = folders.filter((f) => f.path.toLowerCase() === wanted);
    const matches = byPath.length > 0 ? byPath : folders.filter((f) => f.name.toLowerCase() === wanted);
    if (matches.length === 1 && matches[0]) return matches[0].id;
    if (matches.length > 1) {
      throw new FolderNotFoundError(`folder: "${value}" matches ${matches.length} folders (${matches.map((f) => f.path).join('; ')}). Use the full path or the id from ol_email_list_folders.`);
    }
    throw new FolderNotFoundError(
      `folder: no folder named "${value}". Use a well-known name (${LABELLED.join(', ')}), a folder path such as "Inbox/Projects", or an id from ol_email_list_folders.`,
    );
  }

  private async children(parentId: string | undefined, signal?: AbortSignal): Promise<GraphFolder[]> {
    const path = parentId === undefined ? this.graph.mailbox`/mailFolders` : this.graph.mailbox`/mailFolders/${parentId}/childFolders`;
    const { items } = await this.graph.getAll<GraphFolder>(path, { query: [['$top', '250'], ['$select', SELECT]], signal }, { maxItems: MAX_FOLDERS, maxPages: MAX_FOLDERS });
    // A folder without an id cannot be listed into or opened: left out.
    return identified(items).items;
  }

  private wellKnown(signal?: AbortSignal): Promise<Map<string, string>> {
    this.wellKnownIds ??= Promise.all(
      LABELLED.map(async (name) => {
        try {
          const f = await this.graph.get<GraphFolder>(this.graph.mailbox`/mailFolders/${name}`, { query: [['$select', 'id']], signal });
          return [name, f.id] as const;
        } catch (err) {
          // Not every mailbox has every well-known folder (e.g. no archive): it just goes unlabelled.
          if (err instanceof GraphError && (err.status === 404 || err.code === 'ErrorItemNotFound')) return undefined;
          throw err;
        }
      }),
    ).then(
      (pairs) => new Map(pairs.filter((p): p is readonly [(typeof LABELLED)[number], string] => p !== undefined)),
      (err: unknown) => {
        this.wellKnownIds = undefined; // a transient failure must not be remembered
        throw err;
      },
    );
    return this.wellKnownIds;
  }
}

/** A count Graph sent, or 0 when it sent something else (a hostile or broken answer). */
function countOf(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}
