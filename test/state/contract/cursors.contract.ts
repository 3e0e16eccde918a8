/** Contract of {@link PagingCursors}. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CursorRecord } from '../../../src/state/ports.js';
import { namespaceOf, type Namespace, type StateContractTarget } from './target.js';

const HOUR = 3_600_000;
/** A distinct, well-formed handle per index (< 23). */
const handleNo = (i: number) => 'c' + 'abcdefghjkmnpqrstuvwxyz'[i]!.repeat(12);
/** The i-th of many distinct handles: i in base 23 over the same alphabet, padded to 12 characters. */
const manyNo = (i: number) => 'c' + [...i.toString(23).padStart(12, '0')].map((d) => 'abcdefghjkmnpqrstuvwxyz'[parseInt(d, 23)]).join('');
const LINK = 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=a%2Fb%3D&$top=25';

export function pagingCursorsContract(target: StateContractTarget): void {
  describe(`PagingCursors contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());

    it('issues, finds in another store of the namespace with the local state, expires by the clock', async () => {
      ns = namespaceOf(target);
      const [a, b] = [(await ns.store()).cursors, (await ns.store()).cursors];
      const rec: CursorRecord = { nextLink: LINK, tool: 'ol_email_search', root: '/me', extra: { f: { u: true }, n: [1, 2] }, expiresAt: ns.clock.now() + 12 * HOUR };
      await a.issue('cabcdefghjkmn', rec);
      expect(await b.find('cabcdefghjkmn')).toEqual(rec);
      expect(await b.find('czzzzzzzzzzzz')).toBeUndefined();
      ns.clock.advance(12 * HOUR);
      expect(await b.find('cabcdefghjkmn')).toBeUndefined();
    });

    it('refuses to reuse a handle', async () => {
      ns = namespaceOf(target);
      const c = (await ns.store()).cursors;
      const rec: CursorRecord = { nextLink: LINK, tool: 't', root: '/me', expiresAt: ns.clock.now() + HOUR };
      await c.issue('cbbbbbbbbbbbb', rec);
      await expect(c.issue('cbbbbbbbbbbbb', { ...rec, nextLink: LINK + '&x=1' })).rejects.toThrow();
      expect((await c.find('cbbbbbbbbbbbb'))?.nextLink).toBe(LINK);
    });

    it('purges expired cursors and keeps live ones; a 16 KB link round-trips', async () => {
      ns = namespaceOf(target);
      const c = (await ns.store()).cursors;
      const long = LINK + '&$skiptoken=' + 'x'.repeat(16_384);
      for (let i = 0; i < 20; i++) await c.issue(handleNo(i), { nextLink: long, tool: 't', root: '/me', expiresAt: ns.clock.now() + (i < 15 ? HOUR : 3 * HOUR) });
      ns.clock.advance(2 * HOUR);
      expect(await c.purgeExpired()).toBe(15);
      expect(await c.purgeExpired()).toBe(0);
      const survivor = handleNo(19);
      expect((await c.find(survivor))?.nextLink).toBe(long);
    });

    it('a purge over more cursors than one sweep transaction holds drops exactly the expired ones', async () => {
      ns = namespaceOf(target);
      const c = (await ns.store()).cursors;
      const expiring = (i: number) => i % 9 === 4 || (i >= 1_200 && i < 1_500);
      for (let i = 0; i < 2_500; i++) await c.issue(manyNo(i), { nextLink: LINK, tool: 't', root: '/me', expiresAt: ns.clock.now() + (expiring(i) ? HOUR : 3 * HOUR) });
      ns.clock.advance(2 * HOUR);
      const expected = Array.from({ length: 2_500 }, (_, i) => i).filter(expiring).length;
      expect(await c.purgeExpired()).toBe(expected);
      expect(await c.purgeExpired()).toBe(0);
      for (const i of [0, 12, 1_199, 1_500, 2_499]) expect(await c.find(manyNo(i))).toBeDefined();
    });
  });
}
