/**
 * The Redis state store of one namespace (a remote user's key, or a profile): every port over one
 * shared connection. Opening a namespace's store is cheap (no I/O); the connection is opened once per
 * process ({@link RedisConnection.connect}) and closed by whoever opened it.
 */
import { DEFAULT_HANDLE_DERIVATION } from '../handle-derivation.js';
import type { StateStore, StateStoreOptions } from '../ports.js';
import { RedisApprovalLedger } from './approvals.js';
import { RedisConnection, type RedisConnectionOptions } from './connection.js';
import { RedisPagingCursors } from './cursors.js';
import { RedisDeltaLinks } from './deltas.js';
import { RedisDownloadIndex } from './downloads.js';
import { RedisDraftRegistry } from './drafts.js';
import { RedisMailboxGate } from './gate.js';
import { RedisIdHandles } from './handles.js';
import { RedisKeys } from './keys.js';
import { RedisThrottlePause } from './pause.js';

export interface RedisStateOptions extends StateStoreOptions {
  /** The process's connection; the store does not close it. */
  readonly connection: RedisConnection;
}

/** The store of one namespace on a shared connection. Its `close()` leaves the connection open. */
export function openRedisState(options: RedisStateOptions): StateStore {
  const now = options.now ?? Date.now;
  const conn = options.connection;
  const keys = new RedisKeys(options.namespace);
  return {
    namespace: options.namespace,
    approvals: new RedisApprovalLedger(conn, keys, now),
    drafts: new RedisDraftRegistry(conn, keys),
    handles: new RedisIdHandles(conn, keys, options.handles ?? DEFAULT_HANDLE_DERIVATION, now),
    cursors: new RedisPagingCursors(conn, keys, now),
    deltas: new RedisDeltaLinks(conn, keys),
    downloads: new RedisDownloadIndex(conn, keys, now),
    gate: new RedisMailboxGate(conn, keys, now),
    pause: new RedisThrottlePause(conn, keys, now),
    async close() {
      // The connection is shared by every namespace of the process: its owner closes it.
    },
  };
}

/** A store with a connection of its own, closed with the store (a local profile on Redis, tests). */
export async function connectRedisState(options: StateStoreOptions & RedisConnectionOptions): Promise<StateStore> {
  const connection = await RedisConnection.connect(options);
  const store = openRedisState({ ...options, connection });
  return { ...store, close: () => connection.close() };
}
