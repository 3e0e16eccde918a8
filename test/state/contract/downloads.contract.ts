/** Contract of {@link DownloadIndex}. */
import { afterEach, describe, expect, it } from 'vitest';
import { namespaceOf, type Namespace, type StateContractTarget } from './target.js';

const sha = (c: string) => c.repeat(64).slice(0, 64);
const entry = (c: string, name: string, size: number) => ({ sha256: sha(c), name, requestedName: name, path: `/downloads/${name}`, size });

export function downloadIndexContract(target: StateContractTarget): void {
  describe(`DownloadIndex contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());

    it('finds an identical earlier download by bytes + requested name, in another store too', async () => {
      ns = namespaceOf(target);
      const [a, b] = [(await ns.store()).downloads, (await ns.store()).downloads];
      await a.record({ ...entry('a', 'report (2).pdf', 100), requestedName: 'report.pdf' });
      expect(await b.find(sha('a'), 'report.pdf')).toEqual({ ...entry('a', 'report (2).pdf', 100), requestedName: 'report.pdf', lastUsed: ns.clock.now() });
      expect(await b.find(sha('a'), 'other.pdf')).toBeUndefined();
      expect(await b.find(sha('b'), 'report.pdf')).toBeUndefined();
      await b.forget(sha('a'), 'report.pdf');
      expect(await a.find(sha('a'), 'report.pdf')).toBeUndefined();
    });

    it('evicts least recently used until under the cap, returning what went; find counts as use', async () => {
      ns = namespaceOf(target);
      const d = (await ns.store()).downloads;
      await d.record(entry('a', 'a.bin', 400));
      ns.clock.advance(1000);
      await d.record(entry('b', 'b.bin', 400));
      ns.clock.advance(1000);
      await d.record(entry('c', 'c.bin', 400));
      ns.clock.advance(1000);
      await d.find(sha('a'), 'a.bin');
      expect(await d.totalBytes()).toBe(1200);
      const gone = await d.evictOver(900);
      expect(gone.map((g) => g.name)).toEqual(['b.bin']);
      expect(await d.totalBytes()).toBe(800);
      expect((await d.evictOver(0)).map((g) => g.name)).toEqual(['c.bin', 'a.bin']);
      expect(await d.totalBytes()).toBe(0);
    });

    it('recording the same bytes and name again replaces, not adds', async () => {
      ns = namespaceOf(target);
      const d = (await ns.store()).downloads;
      await d.record(entry('a', 'a.bin', 10));
      await d.record({ ...entry('a', 'a.bin', 10), path: '/downloads/elsewhere/a.bin' });
      expect(await d.totalBytes()).toBe(10);
      expect((await d.find(sha('a'), 'a.bin'))?.path).toBe('/downloads/elsewhere/a.bin');
    });
  });
}
