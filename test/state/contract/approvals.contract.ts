/** Contract of {@link ApprovalLedger}: every adapter must pass it. */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DraftKey } from '../../../src/state/ports.js';
import { namespaceOf, type Namespace, type StateContractTarget } from './target.js';

const MIN = 60_000;
const nonce = () => randomBytes(16).toString('base64url');
const draft = (id = 'AAMkAD' + randomBytes(6).toString('hex')): DraftKey => ({ root: '/me', draftId: id });

export function approvalLedgerContract(target: StateContractTarget): void {
  describe(`ApprovalLedger contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());
    const setup = async () => {
      ns = namespaceOf(target);
      return { ledger: (await ns.store()).approvals, clock: ns.clock };
    };

    it('an opened approval is open, consumes once, and is spent afterwards', async () => {
      const { ledger } = await setup();
      const d = draft();
      const n = nonce();
      expect(await ledger.standing(d, n)).toBe('spent'); // never recorded
      await ledger.open(d, n, ns.clock.now() + 10 * MIN, { lock: true });
      expect(await ledger.standing(d, n)).toBe('open');
      expect(await ledger.consume(d, n, 15 * MIN)).toEqual({ ok: true });
      expect(await ledger.consume(d, n, 15 * MIN)).toEqual({ ok: false, reason: 'spent' });
      expect(await ledger.standing(d, n)).toBe('spent');
    });

    it('a newer approval supersedes the older one of the same draft, not of another draft or mailbox', async () => {
      const { ledger } = await setup();
      const d = draft();
      const other = draft();
      const sameIdOtherMailbox: DraftKey = { root: '/users/ceo%40contoso.com', draftId: d.draftId };
      const [a, b, c, e] = [nonce(), nonce(), nonce(), nonce()];
      const exp = ns.clock.now() + 10 * MIN;
      await ledger.open(d, a, exp, { lock: true });
      await ledger.open(other, c, exp, { lock: true });
      await ledger.open(sameIdOtherMailbox, e, exp, { lock: true });
      await ledger.open(d, b, exp, { lock: true });
      expect(await ledger.standing(d, a)).toBe('superseded');
      expect(await ledger.consume(d, a, MIN)).toEqual({ ok: false, reason: 'superseded' });
      expect(await ledger.standing(d, b)).toBe('open');
      expect(await ledger.standing(other, c)).toBe('open');
      expect(await ledger.standing(sameIdOtherMailbox, e)).toBe('open');
      // A nonce is bound to its draft: presenting it for another draft never works.
      expect(await ledger.consume(other, b, MIN)).toMatchObject({ ok: false });
      expect(await ledger.consume(d, b, MIN)).toEqual({ ok: true });
    });

    it('a prompt locks its draft until it expires; a card (lock: false) does not, and does not lift a prompt\'s lock', async () => {
      const { ledger, clock } = await setup();
      const d = draft();
      const exp = clock.now() + 10 * MIN;
      await ledger.open(d, nonce(), exp, { lock: false });
      expect(await ledger.lockedUntil(d)).toBeUndefined();
      await ledger.open(d, nonce(), exp, { lock: true });
      expect(await ledger.lockedUntil(d)).toBe(exp);
      const card = nonce();
      await ledger.open(d, card, exp + MIN, { lock: false });
      expect(await ledger.lockedUntil(d)).toBeGreaterThanOrEqual(exp);
      expect(await ledger.standing(d, card)).toBe('open');
      clock.advance(11 * MIN + 1);
      expect(await ledger.lockedUntil(d)).toBeUndefined();
    });

    it('an expired approval cannot be consumed', async () => {
      const { ledger, clock } = await setup();
      const d = draft();
      const n = nonce();
      await ledger.open(d, n, clock.now() + 10 * MIN, { lock: true });
      clock.advance(10 * MIN);
      expect(await ledger.consume(d, n, MIN)).toEqual({ ok: false, reason: 'spent' });
      expect(await ledger.lockedUntil(d)).toBeUndefined();
    });

    it('a consume locks the draft until release, beyond the approval\'s expiry (the send is still running)', async () => {
      const { ledger, clock } = await setup();
      const d = draft();
      const n = nonce();
      await ledger.open(d, n, clock.now() + 10 * MIN, { lock: false });
      expect(await ledger.lockedUntil(d)).toBeUndefined();
      await ledger.consume(d, n, 30 * MIN);
      expect(await ledger.lockedUntil(d)).toBeDefined();
      clock.advance(20 * MIN); // approval expired, send not returned
      expect(await ledger.lockedUntil(d)).toBeGreaterThan(clock.now());
      // A new prompt opened meanwhile must not lift the lock of the send in progress.
      const later = nonce();
      await ledger.open(d, later, clock.now() + 10 * MIN, { lock: false });
      expect(await ledger.lockedUntil(d)).toBeGreaterThan(clock.now());
      await ledger.release(d, n);
      expect(await ledger.lockedUntil(d)).toBeUndefined();
    });

    it('a lock whose holder died ends after holdMs', async () => {
      const { ledger, clock } = await setup();
      const d = draft();
      const n = nonce();
      await ledger.open(d, n, clock.now() + 10 * MIN, { lock: true });
      await ledger.consume(d, n, 15 * MIN);
      clock.advance(15 * MIN + 1);
      expect(await ledger.lockedUntil(d)).toBeUndefined();
    });

    it('release of an older nonce leaves a newer prompt\'s lock alone, and a released nonce never sends', async () => {
      const { ledger, clock } = await setup();
      const d = draft();
      const [old, newer, unanswered] = [nonce(), nonce(), nonce()];
      const exp = clock.now() + 10 * MIN;
      await ledger.open(d, old, exp, { lock: true });
      await ledger.open(d, newer, exp, { lock: true });
      await ledger.release(d, old);
      expect(await ledger.lockedUntil(d)).toBe(exp);
      await ledger.release(d, newer);
      expect(await ledger.lockedUntil(d)).toBeUndefined();
      expect(await ledger.consume(d, newer, MIN)).toEqual({ ok: false, reason: 'spent' });
      const other = draft();
      await ledger.open(other, unanswered, exp, { lock: true });
      await ledger.release(other, unanswered);
      expect(await ledger.standing(other, unanswered)).toBe('spent');
    });

    it('a spent nonce stays spent for another store of the same namespace (another process), not in another namespace', async () => {
      const { ledger } = await setup();
      const second = (await ns.store()).approvals;
      const d = draft();
      const n = nonce();
      await ledger.open(d, n, ns.clock.now() + 10 * MIN, { lock: true });
      expect(await second.standing(d, n)).toBe('open');
      expect(await ledger.consume(d, n, MIN)).toEqual({ ok: true });
      expect(await second.consume(d, n, MIN)).toEqual({ ok: false, reason: 'spent' });
      expect(await second.lockedUntil(d)).toBeDefined();
      const foreign = namespaceOf(target, ns.clock);
      try {
        const stranger = (await foreign.store()).approvals;
        expect(await stranger.standing(d, n)).toBe('spent');
        expect(await stranger.lockedUntil(d)).toBeUndefined();
      } finally {
        await foreign.close();
      }
    });

    it('30 racers over 3 stores consuming one approval: exactly one wins, 20 rounds', async () => {
      const { ledger } = await setup();
      const stores = [ledger, (await ns.store()).approvals, (await ns.store()).approvals];
      for (let round = 0; round < 20; round++) {
        const d = draft();
        const n = nonce();
        await ledger.open(d, n, ns.clock.now() + 10 * MIN, { lock: true });
        const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % stores.length]!.consume(d, n, MIN)));
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      }
    });

    it('racing opens of one draft leave exactly one open approval', async () => {
      const { ledger } = await setup();
      const second = (await ns.store()).approvals;
      const d = draft();
      const nonces = Array.from({ length: 12 }, nonce);
      await Promise.all(nonces.map((n, i) => (i % 2 ? second : ledger).open(d, n, ns.clock.now() + 10 * MIN, { lock: true })));
      const standings = await Promise.all(nonces.map((n) => ledger.standing(d, n)));
      expect(standings.filter((s) => s === 'open')).toHaveLength(1);
      expect(standings.filter((s) => s === 'superseded')).toHaveLength(11);
    });
  });
}
