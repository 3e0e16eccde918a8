/** Contract of {@link MailboxGate} and {@link ThrottlePause}. */
import { afterEach, describe, expect, it } from 'vitest';
import type { GateLease } from '../../../src/state/ports.js';
import { namespaceOf, type Namespace, type StateContractTarget } from './target.js';

const SEC = 1000;

export function mailboxGateContract(target: StateContractTarget): void {
  describe(`MailboxGate contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());

    it('at most max leases per mailbox across stores; a release frees a slot; mailboxes are separate', async () => {
      ns = namespaceOf(target);
      const [a, b] = [(await ns.store()).gate, (await ns.store()).gate];
      const got = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).tryAcquire('/me', 4, 30 * SEC)));
      const held = got.filter((l): l is GateLease => !!l);
      expect(held).toHaveLength(4);
      expect(new Set(held.map((l) => l.id)).size).toBe(4);
      expect(await a.tryAcquire('/me', 4, 30 * SEC)).toBeUndefined();
      expect(await a.tryAcquire('/users/ceo%40contoso.com', 4, 30 * SEC)).toBeDefined();
      await b.release(held[0]!);
      await b.release(held[0]!); // twice is fine
      const next = await a.tryAcquire('/me', 4, 30 * SEC);
      expect(next).toMatchObject({ mailbox: '/me', expiresAt: ns.clock.now() + 30 * SEC });
      expect(await a.tryAcquire('/me', 4, 30 * SEC)).toBeUndefined();
    });

    it('a lease whose holder died expires; renew extends a live lease and fails on an expired one', async () => {
      ns = namespaceOf(target);
      const g = (await ns.store()).gate;
      const leases = await Promise.all(Array.from({ length: 4 }, () => g.tryAcquire('/me', 4, 30 * SEC)));
      ns.clock.advance(20 * SEC);
      expect(await g.renew(leases[0]!, 30 * SEC)).toBe(true);
      ns.clock.advance(15 * SEC);
      // Three expired (holder died); the renewed one is still held.
      const fresh = await Promise.all(Array.from({ length: 4 }, () => g.tryAcquire('/me', 4, 30 * SEC)));
      expect(fresh.filter(Boolean)).toHaveLength(3);
      expect(await g.renew(leases[1]!, 30 * SEC)).toBe(false);
    });

    it('tryEnter takes a slot in one step unless the mailbox is paused, and then takes none', async () => {
      ns = namespaceOf(target);
      const [a, b] = [await ns.store(), await ns.store()];
      const first = await a.gate.tryEnter('/me', 4, 60 * SEC);
      expect(first).toMatchObject({ lease: { mailbox: '/me', expiresAt: ns.clock.now() + 60 * SEC } });
      const t0 = ns.clock.now();
      await b.pause.pauseUntil('/me', t0 + 10 * SEC);
      // Paused: every store is told until when, and no slot is taken meanwhile.
      for (const g of [a.gate, b.gate, a.gate]) expect(await g.tryEnter('/me', 4, 60 * SEC)).toEqual({ pausedUntil: t0 + 10 * SEC });
      expect('lease' in (await b.gate.tryEnter('/users/ceo%40contoso.com', 4, 60 * SEC))).toBe(true);
      ns.clock.advance(10 * SEC);
      const after = await Promise.all(Array.from({ length: 5 }, (_, i) => (i % 2 ? a : b).gate.tryEnter('/me', 4, 60 * SEC)));
      expect(after.filter((e) => 'lease' in e)).toHaveLength(3);
      expect(after.filter((e) => 'full' in e)).toEqual([{ full: true }, { full: true }]);
      await a.gate.release((first as { lease: GateLease }).lease);
      expect('lease' in (await b.gate.tryEnter('/me', 4, 60 * SEC))).toBe(true);
    });
  });

  describe(`ThrottlePause contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());

    it('a pause is seen by every store of the namespace, only grows, and ends by the clock', async () => {
      ns = namespaceOf(target);
      const [a, b] = [(await ns.store()).pause, (await ns.store()).pause];
      expect(await a.pausedUntil('/me')).toBeUndefined();
      const t0 = ns.clock.now();
      await a.pauseUntil('/me', t0 + 10 * SEC);
      expect(await b.pausedUntil('/me')).toBe(t0 + 10 * SEC);
      await b.pauseUntil('/me', t0 + 5 * SEC);
      expect(await a.pausedUntil('/me')).toBe(t0 + 10 * SEC);
      expect(await a.pausedUntil('/users/ceo%40contoso.com')).toBeUndefined();
      ns.clock.advance(10 * SEC);
      expect(await a.pausedUntil('/me')).toBeUndefined();
    });
  });
}
