/**
 * A shared-gate entry started before a call reaches its first Graph request.
 *
 * In remote mode every tool call pays Redis round trips on its way to Graph: the per-person rate limit at the
 * HTTP door, then the gate (with the Retry-After pause) at the first Graph request. Both are needed, but the
 * second need not wait for the first: the HTTP layer starts the gate entry of the caller's own mailbox while
 * the rate limit is being counted, and the first Graph request of that mailbox's client, within the same
 * call, takes the entry instead of asking the store again. The entry is exactly what the client would have
 * asked for (same mailbox, slots and lease length); a full gate or a pause is handled as if the client had
 * just seen it. An entry nobody takes (the call needed no Graph request, used another mailbox, or was refused
 * by the rate limit) is released when the call ends; a lease is bounded by its expiry in any case.
 *
 * The call's context rides in an AsyncLocalStorage, as the caller's identity does (src/remote/obo.ts), so only
 * requests made on behalf of this call can take it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { GateEntry, MailboxGate } from '../state/ports.js';

const current = new AsyncLocalStorage<EarlyGateEntry>();

/** One early entry, for one call and one client (the `owner`). */
export class EarlyGateEntry {
  private pending: Promise<GateEntry> | undefined;

  constructor(
    private readonly owner: object,
    private readonly gate: MailboxGate,
    entry: Promise<GateEntry>,
  ) {
    // Taken (and awaited) by the first request, or released by end(); a failure here is the taker's to see.
    entry.catch(() => undefined);
    this.pending = entry;
  }

  /** Runs `fn` (the call) where the owner's first Graph request can take this entry; the entry ends with it. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await current.run(this, fn);
    } finally {
      this.end();
    }
  }

  /** Releases the entry's lease if no request took it. */
  end(): void {
    const left = this.pending;
    this.pending = undefined;
    if (left) void left.then((e) => ('lease' in e ? this.gate.release(e.lease) : undefined)).catch(() => undefined);
  }

  /** The entry, once, for its owner; undefined otherwise. */
  take(owner: object): Promise<GateEntry> | undefined {
    if (owner !== this.owner) return undefined;
    const entry = this.pending;
    this.pending = undefined;
    return entry;
  }
}

/** The current call's early entry for `owner`, taken (at most once per call). */
export function takeEarlyGateEntry(owner: object): Promise<GateEntry> | undefined {
  return current.getStore()?.take(owner);
}
