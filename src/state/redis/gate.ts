/**
 * The per-mailbox Graph gate on Redis, shared by every replica of a user: a lease semaphore (sorted set
 * of lease id → expiry) changed only by Lua, so at most `max` leases are ever live, and a replica that
 * dies holding one frees it when the lease runs out.
 */
import { randomUUID } from 'node:crypto';
import type { GateEntry, GateLease, MailboxGate } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

/** {@link MailboxGate} on Redis. */
export class RedisMailboxGate implements MailboxGate {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {}

  async tryAcquire(mailbox: string, max: number, leaseMs: number): Promise<GateLease | undefined> {
    const id = randomUUID();
    const [taken, expiresAt] = await this.conn.run<[number, number]>('gate-acquire', [this.keys.gate(mailbox)], [this.now(), id, leaseMs, max]);
    return taken === 1 ? { mailbox, id, expiresAt } : undefined;
  }

  async tryEnter(mailbox: string, max: number, leaseMs: number): Promise<GateEntry> {
    const id = randomUUID();
    const [code, value] = await this.conn.run<[number, number]>('gate-enter', [this.keys.gate(mailbox), this.keys.pause(mailbox)], [this.now(), id, leaseMs, max]);
    if (code === 2) return { pausedUntil: value };
    return code === 1 ? { lease: { mailbox, id, expiresAt: value } } : { full: true };
  }

  async renew(lease: GateLease, leaseMs: number): Promise<boolean> {
    return (await this.conn.run<number>('gate-renew', [this.keys.gate(lease.mailbox)], [this.now(), lease.id, leaseMs])) === 1;
  }

  async release(lease: GateLease): Promise<void> {
    await this.conn.run('gate-release', [this.keys.gate(lease.mailbox)], [lease.id]);
  }
}
