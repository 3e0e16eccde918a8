/**
 * The per-mailbox Graph gate on LMDB. The
 * gate is a lease semaphore: per mailbox, the list of live leases; a
 * transaction drops expired ones (holders that died) and grants a slot if
 * fewer than `max` remain.
 */
import { randomUUID } from 'node:crypto';
import type { Database, RootDatabase } from 'lmdb';
import type { GateEntry, GateLease, MailboxGate } from '../ports.js';

interface Slot {
  id: string;
  exp: number;
}

/** {@link MailboxGate} on the embedded engine. */
export class EmbeddedMailboxGate implements MailboxGate {
  private readonly db: Database<Slot[], string>;
  /** The pause port's database (same environment), read by {@link tryEnter} in the gate's transaction. */
  private readonly pauses: Database<number, string>;

  constructor(
    root: RootDatabase,
    private readonly now: () => number,
  ) {
    this.db = root.openDB({ name: 'gate' });
    this.pauses = root.openDB({ name: 'pause' });
  }

  async tryEnter(mailbox: string, max: number, leaseMs: number): Promise<GateEntry> {
    const paused = this.pauses.get(mailbox) ?? 0;
    if (paused > this.now()) return { pausedUntil: paused };
    const lease = await this.tryAcquire(mailbox, max, leaseMs);
    return lease ? { lease } : { full: true };
  }

  async tryAcquire(mailbox: string, max: number, leaseMs: number): Promise<GateLease | undefined> {
    return this.db.transaction(() => {
      const now = this.now();
      const slots = (this.db.get(mailbox) ?? []).filter((s) => s.exp > now);
      if (slots.length >= max) return undefined;
      const lease: GateLease = { mailbox, id: randomUUID(), expiresAt: now + leaseMs };
      this.db.put(mailbox, [...slots, { id: lease.id, exp: lease.expiresAt }]);
      return lease;
    });
  }

  async renew(lease: GateLease, leaseMs: number): Promise<boolean> {
    return this.db.transaction(() => {
      const now = this.now();
      const slots = (this.db.get(lease.mailbox) ?? []).filter((s) => s.exp > now);
      const mine = slots.find((s) => s.id === lease.id);
      if (mine) mine.exp = now + leaseMs;
      this.db.put(lease.mailbox, slots);
      return !!mine;
    });
  }

  async release(lease: GateLease): Promise<void> {
    await this.db.transaction(() => {
      const now = this.now();
      const slots = (this.db.get(lease.mailbox) ?? []).filter((s) => s.exp > now && s.id !== lease.id);
      if (slots.length) this.db.put(lease.mailbox, slots);
      else this.db.remove(lease.mailbox);
    });
  }
}
