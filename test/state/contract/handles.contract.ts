/** Contract of {@link IdHandles}. */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { HandleDerivation } from '../../../src/state/ports.js';
import { namespaceOf, type Namespace, type StateContractTarget } from './target.js';

const DAY = 86_400_000;
const gid = (i: number) => `AAMkAGI2${createHash('sha256').update(String(i)).digest('base64url')}`;

/** Every id hashes to the same 8-character candidate: forces the collision path. */
const COLLIDING: HandleDerivation = {
  minLength: 8,
  maxLength: 16,
  candidate: (id, length) => (length === 8 ? 'aaaaaaaa' : createHash('sha256').update(id).digest('hex').replace(/[^a-z]/g, 'k').slice(0, length).padEnd(length, 'z')),
};

export function idHandlesContract(target: StateContractTarget): void {
  describe(`IdHandles contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());

    it('the same id gets the same handle in every store of the namespace, and it resolves everywhere', async () => {
      ns = namespaceOf(target);
      const [a, b] = [(await ns.store()).handles, (await ns.store()).handles];
      const ids = [gid(1), gid(2), gid(3)];
      const ha = await a.handlesFor(ids);
      expect(new Set(ha).size).toBe(3);
      expect(await b.handlesFor([ids[2]!, ids[0]!])).toEqual([ha[2], ha[0]]);
      expect(await b.lookup(ha[1]!)).toBe(ids[1]);
      expect(await a.lookup('zzzzzzzz')).toBeUndefined();
    });

    it('colliding ids get distinct, stable handles, also when issued by racing stores', async () => {
      ns = namespaceOf(target);
      const stores = [(await ns.store({ handles: COLLIDING })).handles, (await ns.store({ handles: COLLIDING })).handles];
      const ids = Array.from({ length: 10 }, (_, i) => gid(100 + i));
      const results = await Promise.all(ids.map((id, i) => stores[i % 2]!.handlesFor([id])));
      const handles = results.map((r) => r[0]!);
      expect(new Set(handles).size).toBe(10);
      for (const [i, h] of handles.entries()) expect(await stores[(i + 1) % 2]!.lookup(h)).toBe(ids[i]);
      expect(await stores[1]!.handlesFor(ids)).toEqual(handles);
    });

    it('handles unused for the horizon expire; a lookup or a re-issue counts as use', async () => {
      ns = namespaceOf(target);
      const h = (await ns.store()).handles;
      const [kept, looked, dropped] = await h.handlesFor([gid(7), gid(8), gid(9)]);
      ns.clock.advance(60 * DAY);
      await h.handlesFor([gid(7)]);
      expect(await h.lookup(looked!)).toBe(gid(8));
      ns.clock.advance(31 * DAY);
      expect(await h.expireUnusedSince(ns.clock.now() - 90 * DAY)).toBe(1);
      expect(await h.lookup(dropped!)).toBeUndefined();
      expect(await h.lookup(kept!)).toBe(gid(7));
      expect(await h.lookup(looked!)).toBe(gid(8));
      // An expired handle comes back, the same, when its id is listed again.
      expect(await h.handlesFor([gid(9)])).toEqual([dropped]);
    });

    it('an expiry sweep over thousands of handles drops exactly the stale ones, whether few or many are stale', async () => {
      // More records than one transaction of the embedded sweep visits (2,000) or deletes (100): the sweep must
      // resume where it stopped, neither skipping records nor stopping early.
      ns = namespaceOf(target);
      const h = (await ns.store()).handles;
      const ids = Array.from({ length: 6_000 }, (_, i) => gid(10_000 + i));
      const handles = await h.handlesFor(ids);
      ns.clock.advance(60 * DAY);
      // Few stale: all but 12 are used again. Then many: half of those go stale later.
      const fewStale = new Set([0, 1, 2, 999, 2_000, 2_001, 3_333, 4_000, 4_999, 5_000, 5_998, 5_999]);
      await h.handlesFor(ids.filter((_, i) => !fewStale.has(i)));
      ns.clock.advance(31 * DAY);
      expect(await h.expireUnusedSince(ns.clock.now() - 90 * DAY)).toBe(fewStale.size);
      ns.clock.advance(60 * DAY);
      await h.handlesFor(ids.filter((_, i) => !fewStale.has(i) && i % 2 === 0));
      ns.clock.advance(31 * DAY);
      const manyStale = ids.filter((_, i) => !fewStale.has(i) && i % 2 === 1).length;
      expect(await h.expireUnusedSince(ns.clock.now() - 90 * DAY)).toBe(manyStale);
      expect(await h.expireUnusedSince(ns.clock.now() - 90 * DAY)).toBe(0);
      for (const i of [0, 1, 3, 999, 2_001, 5_999]) expect(await h.lookup(handles[i]!)).toBeUndefined();
      for (const i of [4, 998, 2_002, 5_996]) expect(await h.lookup(handles[i]!)).toBe(ids[i]);
      // Dropped handles come back, the same, when their ids are listed again.
      expect(await h.handlesFor([ids[1]!, ids[3]!])).toEqual([handles[1], handles[3]]);
    });

    it('ten thousand ids in one call, and an empty call', async () => {
      ns = namespaceOf(target);
      const h = (await ns.store()).handles;
      expect(await h.handlesFor([])).toEqual([]);
      const ids = Array.from({ length: 10_000 }, (_, i) => gid(i));
      const out = await h.handlesFor(ids);
      expect(new Set(out).size).toBe(10_000);
      expect(await h.lookup(out[9_999]!)).toBe(ids[9_999]);
    });
  });
}
