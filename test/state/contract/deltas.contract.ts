/** Contract of {@link DeltaLinks}. */
import { afterEach, describe, expect, it } from 'vitest';
import { namespaceOf, type Namespace, type StateContractTarget } from './target.js';

const link = (n: number) => `https://graph.microsoft.com/v1.0/me/mailFolders('inbox')/messages/delta?$deltatoken=t${n}`;

export function deltaLinksContract(target: StateContractTarget): void {
  describe(`DeltaLinks contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());

    it('saves by compare-and-set on the revision; a stale revision changes nothing and returns the current state', async () => {
      ns = namespaceOf(target);
      const d = (await ns.store()).deltas;
      expect(await d.get('/me', 'inbox')).toBeUndefined();
      const first = await d.save('/me', 'inbox', 0, { deltaLink: link(1), savedAt: '2026-12-07T10:00:00.000Z' });
      expect(first).toEqual({ ok: true, revision: 1 });
      expect(await d.get('/me', 'inbox')).toEqual({ deltaLink: link(1), savedAt: '2026-12-07T10:00:00.000Z', revision: 1 });
      const stale = await d.save('/me', 'inbox', 0, { deltaLink: link(9), savedAt: '2026-12-07T10:05:00.000Z' });
      expect(stale).toEqual({ ok: false, current: { deltaLink: link(1), savedAt: '2026-12-07T10:00:00.000Z', revision: 1 } });
      expect(await d.save('/me', 'inbox', 1, { deltaLink: link(2), savedAt: '2026-12-07T10:10:00.000Z', newest: '2026-12-07T10:09:00Z' })).toEqual({ ok: true, revision: 2 });
      expect(await d.get('/me', 'inbox')).toEqual({ deltaLink: link(2), savedAt: '2026-12-07T10:10:00.000Z', newest: '2026-12-07T10:09:00Z', revision: 2 });
    });

    it('keys by mailbox root and folder', async () => {
      ns = namespaceOf(target);
      const d = (await ns.store()).deltas;
      await d.save('/me', 'inbox', 0, { deltaLink: link(1), savedAt: '2026-12-07T10:00:00.000Z' });
      expect(await d.get('/me', 'archive')).toBeUndefined();
      expect(await d.get('/users/ceo%40contoso.com', 'inbox')).toBeUndefined();
      expect((await d.save('/users/ceo%40contoso.com', 'inbox', 0, { deltaLink: link(5), savedAt: '2026-12-07T10:00:00.000Z' })).ok).toBe(true);
      expect((await d.get('/me', 'inbox'))?.deltaLink).toBe(link(1));
    });

    it('forgets only at the expected revision; revisions keep rising after a forget', async () => {
      ns = namespaceOf(target);
      const d = (await ns.store()).deltas;
      await d.save('/me', 'inbox', 0, { deltaLink: link(1), savedAt: '2026-12-07T10:00:00.000Z' });
      await d.save('/me', 'inbox', 1, { deltaLink: link(2), savedAt: '2026-12-07T10:00:00.000Z' });
      expect(await d.forget('/me', 'inbox', 1)).toBe(false);
      expect(await d.forget('/me', 'inbox', 2)).toBe(true);
      expect(await d.get('/me', 'inbox')).toBeUndefined();
      const again = await d.save('/me', 'inbox', 0, { deltaLink: link(3), savedAt: '2026-12-07T10:00:00.000Z' });
      expect(again.ok).toBe(true);
    });

    it('ten racing saves from two stores at one revision: exactly one wins', async () => {
      ns = namespaceOf(target);
      const [a, b] = [(await ns.store()).deltas, (await ns.store()).deltas];
      await a.save('/me', 'inbox', 0, { deltaLink: link(0), savedAt: '2026-12-07T10:00:00.000Z' });
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).save('/me', 'inbox', 1, { deltaLink: link(i + 1), savedAt: '2026-12-07T10:00:00.000Z' })));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      const winner = outcomes.findIndex((o) => o.ok);
      expect((await b.get('/me', 'inbox'))?.deltaLink).toBe(link(winner + 1));
    });
  });
}
