/**
 * Opens the state of one local profile: the embedded store in the profile's
 * folder, after importing any state files an earlier version left there, and
 * keeps it compact (what expired goes, handles unused for
 * {@link HANDLE_IDLE_MS} go; the download folder keeps its own size cap as it
 * saves, services/attachments.ts). An ephemeral store (one-shot CLI runs, the
 * demo) is the same engine in a fresh temporary folder, removed on close.
 */
import { scheduleUpkeep } from './upkeep.js';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MigrationReport } from './embedded/legacy-migration.js';
import type { EmbeddedStateStore } from './embedded/store.js';
import type { StateStore } from './ports.js';

/** Handles not used for this long are forgotten (listing the item again brings the same handle back). */
export const HANDLE_IDLE_MS = 90 * 86_400_000;
/** How often a long-running server compacts its store. */
export const COMPACT_EVERY_MS = 6 * 3_600_000;

export interface ProfileStateOptions {
  /** The profile's state folder; undefined = ephemeral. */
  readonly dir: string | undefined;
  readonly profile: string;
  /** Mailbox root the legacy files belonged to (`/me`, `/users/{upn}`). */
  readonly mailboxRoot: string;
  readonly now?: () => number;
  /** Told once what the import of legacy files did. */
  readonly onMigrated?: (report: MigrationReport) => void;
  /** Told of a failed background compaction (the server carries on). */
  readonly onMaintenanceError?: (err: unknown) => void;
  /** Told of what the store repaired on open (a damaged working store moved aside), for stderr. */
  readonly onWarning?: (message: string) => void;
}

/** A profile's open state, with the store's own upkeep. */
export interface ProfileState extends StateStore {
  /** Expires and compacts now (also run on open and every {@link COMPACT_EVERY_MS}). */
  maintain(): Promise<{ records: number; handles: number }>;
}

/**
 * Opens the embedded store in a profile folder, after importing any state files an earlier version left
 * there (once across processes). No upkeep: {@link openProfileState} adds it for a server.
 */
export async function openLocalStore(o: ProfileStateOptions & { readonly dir: string }): Promise<EmbeddedStateStore> {
  const now = o.now ?? Date.now;
  // Loaded on first use: lmdb-js (native addon, msgpack) costs start-up time a tools/list does not need.
  const [{ openEmbeddedState }, { migrateLegacyFiles }] = await Promise.all([import('./embedded/store.js'), import('./embedded/legacy-migration.js')]);
  const store = openEmbeddedState({ dir: o.dir, namespace: o.profile, now, onWarning: o.onWarning });
  try {
    await store.once('legacy-files-v1', async () => {
      const report = await migrateLegacyFiles(o.dir, store, o.mailboxRoot, now);
      if (report.backupDir) o.onMigrated?.(report);
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** Opens (creating, migrating) the profile's state. */
export async function openProfileState(o: ProfileStateOptions): Promise<ProfileState> {
  const now = o.now ?? Date.now;
  const ephemeral = o.dir === undefined;
  const dir = o.dir ?? mkdtempSync(path.join(os.tmpdir(), 'outlook-state-'));
  const store = ephemeral ? (await import('./embedded/store.js')).openEmbeddedState({ dir, namespace: o.profile, now, onWarning: o.onWarning }) : await openLocalStore({ ...o, dir });
  const maintain = () => maintainStore(store, now);
  // Awaited by close(): a write issued after the engine closed would throw from a timer.
  const upkeep = scheduleUpkeep(maintain, COMPACT_EVERY_MS, o.onMaintenanceError, true);
  return {
    ...store,
    maintain,
    async close() {
      await upkeep.stop();
      await store.close();
      if (ephemeral) await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

async function maintainStore(store: EmbeddedStateStore, now: () => number): Promise<{ records: number; handles: number }> {
  const records = await store.compact();
  const handles = await store.handles.expireUnusedSince(now() - HANDLE_IDLE_MS);
  return { records, handles };
}

/**
 * The profile's state, opened on its first use (the first tool call that
 * needs it), not at start-up: a server answers `initialize` and `tools/list`
 * without loading the engine. A failed open is retried on the next use.
 */
export function deferProfileState(o: ProfileStateOptions): ProfileState {
  let opening: Promise<ProfileState> | undefined;
  let closed = false;
  const state = (): Promise<ProfileState> => {
    if (closed) return Promise.reject(new Error('The state store was closed.'));
    opening ??= openProfileState(o);
    opening.catch(() => (opening = undefined));
    return opening;
  };
  const port = <K extends keyof StateStore>(name: K): StateStore[K] =>
    new Proxy({} as StateStore[K] & object, {
      // A method set on the port itself (a test's stand-in) wins over the store's.
      get: (target, method: string) =>
        (target as Record<string, unknown>)[method] ??
        (async (...args: unknown[]) => {
        const p = (await state())[name] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        return p[method]!(...args);
        }),
    });
  return {
    namespace: o.profile,
    approvals: port('approvals'),
    drafts: port('drafts'),
    handles: port('handles'),
    cursors: port('cursors'),
    deltas: port('deltas'),
    downloads: port('downloads'),
    gate: port('gate'),
    pause: port('pause'),
    maintain: async () => (await state()).maintain(),
    async close() {
      closed = true;
      const open = await opening?.catch(() => undefined);
      await open?.close();
    },
  };
}
