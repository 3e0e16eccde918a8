/**
 * The sandbox's state as text, so a mailbox outlives one process: the mailbox
 * (attachment bytes as base64), the key that signs its `$skiptoken`s (a
 * nextLink from one process pages on in the next) and its bearer token.
 */
import { randomBytes } from 'node:crypto';
import type { DeltaState } from './context.js';
import type { SandboxMailbox } from './model.js';
import { otherMailboxesOf } from './other-mailboxes.js';

const FORMAT = 'mcp-server-outlook sandbox state';
const VERSION = 1;

/** Everything a sandbox keeps between processes. */
export interface SavedSandbox {
  /** When the seed was built; the seeded week is around this day. */
  seededAt: string;
  /** base64 key of the page-token HMAC. */
  pageKey: string;
  token: string;
  mailbox: SandboxMailbox;
  /** Delta sync states by token, so a deltaLink saved by one process syncs on in the next. */
  deltas?: Map<string, DeltaState>;
  /** The other people's mailboxes (support@, …) by UPN, so drafts made there outlive the process too. */
  others?: Map<string, SandboxMailbox>;
}

/** The persisted state is unreadable: the message says how to start afresh. */
export class SavedStateError extends Error {
  override name = 'SavedStateError';
}

/** A new state around `mailbox` (a fresh seed), with a fresh page key and the other mailboxes built from the same seed. */
export function newSavedState(mailbox: SandboxMailbox, seededAt: Date, token: string): SavedSandbox {
  // Built now, not on first use: two processes must agree on their ids (each has a message of its own).
  return { seededAt: seededAt.toISOString(), pageKey: randomBytes(32).toString('base64'), token, mailbox, others: otherMailboxesOf(mailbox) };
}

/** JSON text of `state`; Buffers become `{ "$bytes": base64 }`, Maps `{ "$map": entries }`. */
export function encodeSavedState(state: SavedSandbox): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, ...state }, function (this: Record<string, unknown>, key, value: unknown) {
    // `this[key]` is the value before Buffer#toJSON turned it into an array of numbers.
    const raw = this[key];
    // structuredClone (how other mailboxes are copied from the seed) turns a Buffer into a plain Uint8Array.
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    return raw instanceof Map ? { $map: [...raw.entries()] } : value;
  });
}

/** The state in `text`; throws SavedStateError (naming `where`) for anything this version did not write. */
export function decodeSavedState(text: string, where: string): SavedSandbox {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const o = value as Record<string, unknown>;
        if (typeof o.$bytes === 'string' && Object.keys(o).length === 1) return Buffer.from(o.$bytes, 'base64');
        if (Array.isArray(o.$map) && Object.keys(o).length === 1) return new Map(o.$map as Array<[unknown, unknown]>);
      }
      return value;
    });
  } catch (err) {
    throw new SavedStateError(`The saved sandbox mailbox ${where} is not valid JSON (${(err as Error).message}).`);
  }
  const o = parsed as Partial<SavedSandbox & { format: string; version: number }> | null;
  if (!o || o.format !== FORMAT || o.version !== VERSION) {
    throw new SavedStateError(`The saved sandbox mailbox ${where} was not written by this version (format ${JSON.stringify(o?.format)} v${String(o?.version)}).`);
  }
  const m = o.mailbox;
  if (typeof o.seededAt !== 'string' || typeof o.pageKey !== 'string' || typeof o.token !== 'string' || !m || !m.user || ![m.folders, m.messages, m.calendars, m.events].every(Array.isArray)) {
    throw new SavedStateError(`The saved sandbox mailbox ${where} is incomplete.`);
  }
  const others = o.others instanceof Map ? o.others : undefined;
  for (const [upn, box] of others ?? []) {
    if (typeof upn !== 'string' || !box?.user || ![box.folders, box.messages, box.calendars, box.events].every(Array.isArray)) {
      throw new SavedStateError(`The saved sandbox mailbox ${where} holds an incomplete mailbox of ${String(upn)}.`);
    }
  }
  return { seededAt: o.seededAt, pageKey: o.pageKey, token: o.token, mailbox: m, deltas: o.deltas instanceof Map ? o.deltas : undefined, ...(others ? { others } : {}) };
}
