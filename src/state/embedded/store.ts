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
  /** Told (for stderr) when a damaged working store was moved aside; default: a line on stderr. */
  readonly onWarning?: (message: string) => void;
}

/** The embedded store, plus what only a local engine needs: compaction of what expired. */
export interface EmbeddedStateStore extends StateStore {
  // The adapter's own classes: they can also list what they hold (the copy to Redis, src/state/migrate.ts).
  readonly approvals: EmbeddedApprovalLedger;
  readonly drafts: EmbeddedDraftRegistry;
  readonly handles: EmbeddedIdHandles;
  readonly cursors: EmbeddedPagingCursors;
  readonly deltas: EmbeddedDeltaLinks;
  readonly downloads: EmbeddedDownloadIndex;
  /** Drops expired approvals and cursors now; returns how many records went. */
  compact(): Promise<number>;
  /**
   * Runs `task` once for the store's lifetime across all processes (a one-off
   * migration): the first caller claims it, others wait for it to finish. A
   * claim older than `staleMs` (its process died) may be taken over.
   */
  once(name: string, task: () => Promise<void>, staleMs?: number): Promise<'ran' | 'done-before'>;
}

/** Opens the profile's embedded store (created on first use). */
export function openEmbeddedState(options: EmbeddedStateOptions): EmbeddedStateStore {
  const now = options.now ?? Date.now;
  const { durable, working } = openEngine(options.dir, { onWarning: options.onWarning, now });
  const approvals = new EmbeddedApprovalLedger(durable, now);
  const cursors = new EmbeddedPagingCursors(working, now);
  let closed = false;
  return {
    namespace: options.namespace,
    approvals,
    drafts: new EmbeddedDraftRegistry(durable),
    handles: new EmbeddedIdHandles(working, options.handles ?? DEFAULT_HANDLE_DERIVATION, now),
    cursors,
    deltas: new EmbeddedDeltaLinks(durable),
    downloads: new EmbeddedDownloadIndex(durable, now),
    gate: new EmbeddedMailboxGate(working, now),
    pause: new EmbeddedThrottlePause(working, now),
    async compact() {
      return (await approvals.compact()) + (await cursors.purgeExpired());
    },
    async once(name, task, staleMs = 60_000) {
      const meta = durable.openDB<{ state: 'claimed' | 'done'; at: number; by: string }, string>({ name: 'meta' });
      const me = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      for (;;) {
        const claimed = await meta.transaction(() => {
          const cur = meta.get(name);
          if (cur?.state === 'done') return 'done' as const;
          if (cur && cur.at > Date.now() - staleMs) return 'busy' as const;
          meta.put(name, { state: 'claimed', at: Date.now(), by: me });
          return 'mine' as const;
        });
        if (claimed === 'done') return 'done-before';
        if (claimed === 'mine') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await task();
      await meta.put(name, { state: 'done', at: Date.now(), by: me });
      await meta.flushed;
      return 'ran';
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([durable.close(), working.close()]);
    },
  };
}
