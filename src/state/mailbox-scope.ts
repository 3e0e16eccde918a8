/**
 * One profile's state seen from one mailbox (OUTLOOK_ALLOW_SHARED_MAILBOXES).
 * Cursors, delta links and approvals already carry the mailbox root in their
 * keys; id handles and the draft registry are keyed by Graph id alone, and a
 * Graph id says nothing about the mailbox it came from. Here every id another
 * mailbox stores is prefixed with that mailbox's root, so a handle issued for
 * support@ is unknown to the default mailbox (and the reverse), and each
 * mailbox lists only its own drafts. The default mailbox keeps plain ids, so
 * state written before the opt-in existed stays valid.
 */
import type { DraftKind, DraftRecord, DraftRegistryPort, IdHandles, StateStore } from './ports.js';

/** Between a root and an id; Graph ids (base64/base64url) and roots never contain it. */
const SEP = '\u001f';

function scopeOf(root: string | undefined): { wrap: (id: string) => string; unwrap: (stored: string) => string | undefined } {
  if (root === undefined) {
    // The default mailbox: a stored id that carries another mailbox's prefix is not one of its own.
    return { wrap: (id) => id, unwrap: (stored) => (stored.includes(SEP) ? undefined : stored) };
  }
  const prefix = `${root}${SEP}`;
  return { wrap: (id) => prefix + id, unwrap: (stored) => (stored.startsWith(prefix) ? stored.slice(prefix.length) : undefined) };
}

/** The Graph root of the mailbox an id was stored for; undefined for the default mailbox's plain ids. */
export function storedMailboxRoot(stored: string): string | undefined {
  const at = stored.indexOf(SEP);
  return at > 0 ? stored.slice(0, at) : undefined;
}

/** Whether `stored` (plain, or prefixed with another mailbox's root) is the Graph id `id`. */
export function storedIdIs(stored: string, id: string): boolean {
  return stored === id || stored.endsWith(`${SEP}${id}`);
}

/** `state` as one mailbox sees it: `root` is that mailbox's Graph root, undefined for the configuration's default mailbox. */
export function mailboxState(state: StateStore, root: string | undefined): StateStore {
  const scope = scopeOf(root);
  const handles: IdHandles = {
    handlesFor: (ids) => state.handles.handlesFor(ids.map(scope.wrap)),
    lookup: async (handle) => {
      const stored = await state.handles.lookup(handle);
      return stored === undefined ? undefined : scope.unwrap(stored);
    },
    expireUnusedSince: (before) => state.handles.expireUnusedSince(before),
  };
  const own = (r: DraftRecord | undefined): DraftRecord | undefined => {
    const id = r && scope.unwrap(r.id);
    return r && id !== undefined ? { ...r, id } : undefined;
  };
  const drafts: DraftRegistryPort = {
    add: (record) => state.drafts.add({ ...record, id: scope.wrap(record.id) }),
    get: async (id) => own(await state.drafts.get(scope.wrap(id))),
    list: async (kind?: DraftKind) => (await state.drafts.list(kind)).map(own).filter((r): r is DraftRecord => r !== undefined),
    touch: (id, fields) => state.drafts.touch(scope.wrap(id), fields),
    remove: (id) => state.drafts.remove(scope.wrap(id)),
  };
  return {
    namespace: state.namespace,
    approvals: state.approvals,
    drafts,
    handles,
    cursors: state.cursors,
    deltas: state.deltas,
    downloads: state.downloads,
    gate: state.gate,
    pause: state.pause,
    close: () => state.close(),
  };
}
