/**
 * The embedded state store of one profile: every port on one LMDB
 * environment in the profile's state folder.
 */
import { DEFAULT_HANDLE_DERIVATION } from '../handle-derivation.js';
import type { StateStore, StateStoreOptions } from '../ports.js';
import { EmbeddedApprovalLedger } from './approvals.js';
import { EmbeddedPagingCursors } from './cursors.js';
import { EmbeddedDeltaLinks } from './deltas.js';
import { EmbeddedDownloadIndex } from './downloads.js';
import { EmbeddedDraftRegistry } from './drafts.js';
import { openEngine } from './engine.js';
import { EmbeddedMailboxGate } from './gate.js';
import { EmbeddedIdHandles } from './handles.js';
import { EmbeddedThrottlePause } from './pause.js';

export interface EmbeddedStateOptions extends StateStoreOptions {
  /** The profile's state folder; the store is `state.lmdb` in it. */
  readonly dir: string;
}

/** The embedded store, plus what only a local engine needs: compaction of what expired. */
export interface EmbeddedStateStore extends StateStore {
  /** Drops expired approvals and cursors now; returns how many records went. */
  compact(): Promise<number>;
}

/** Opens the profile's embedded store (created on first use). */
export function openEmbeddedState(options: EmbeddedStateOptions): EmbeddedStateStore {
  const now = options.now ?? Date.now;
  const root = openEngine(options.dir);
  const approvals = new EmbeddedApprovalLedger(root, now);
  const cursors = new EmbeddedPagingCursors(root, now);
  let closed = false;
  return {
    namespace: options.namespace,
    approvals,
    drafts: new EmbeddedDraftRegistry(root),
    handles: new EmbeddedIdHandles(root, options.handles ?? DEFAULT_HANDLE_DERIVATION, now),
    cursors,
    deltas: new EmbeddedDeltaLinks(root),
    downloads: new EmbeddedDownloadIndex(root, now),
    gate: new EmbeddedMailboxGate(root, now),
    pause: new EmbeddedThrottlePause(root, now),
    async compact() {
      return (await approvals.compact()) + (await cursors.purgeExpired());
    },
    async close() {
      if (closed) return;
      closed = true;
      await root.close();
    },
  };
}
