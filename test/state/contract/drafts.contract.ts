/** Contract of {@link DraftRegistryPort}. */
import { afterEach, describe, expect, it } from 'vitest';
import type { DraftRecord } from '../../../src/state/ports.js';
import { namespaceOf, type Namespace, type StateContractTarget } from './target.js';

const rec = (id: string, createdAt: string, kind: DraftRecord['kind'] = 'mail'): DraftRecord => ({ id, kind, creationId: `c-${id}`, subject: `Subject ${id}`, createdAt });

export function draftRegistryContract(target: StateContractTarget): void {
  describe(`DraftRegistryPort contract (${target.name})`, () => {
    let ns: Namespace;
    afterEach(async () => ns?.close());

    it('adds, replaces by id, lists newest first by kind, touches and removes', async () => {
      ns = namespaceOf(target);
      const reg = (await ns.store()).drafts;
      expect(await reg.list()).toEqual([]);
      await reg.add(rec('m1', '2026-01-01T10:00:00Z'));
      await reg.add(rec('e1', '2026-01-02T10:00:00Z', 'event'));
      await reg.add({ ...rec('m2', '2026-01-03T10:00:00Z'), webLink: 'https://outlook.office.com/x' });
      expect((await reg.list()).map((r) => r.id)).toEqual(['m2', 'e1', 'm1']);
      expect((await reg.list('mail')).map((r) => r.id)).toEqual(['m2', 'm1']);
      expect(await reg.get('m2')).toEqual({ ...rec('m2', '2026-01-03T10:00:00Z'), webLink: 'https://outlook.office.com/x' });
      await reg.add({ ...rec('m1', '2026-01-01T10:00:00Z'), subject: 'replaced' });
      expect((await reg.list()).filter((r) => r.id === 'm1')).toEqual([{ ...rec('m1', '2026-01-01T10:00:00Z'), subject: 'replaced' }]);
      await reg.touch('m1', { subject: 'touched', webLink: 'https://outlook.office.com/y' });
      expect(await reg.get('m1')).toMatchObject({ subject: 'touched', webLink: 'https://outlook.office.com/y', creationId: 'c-m1' });
      await reg.touch('nope', { subject: 'x' });
      expect(await reg.get('nope')).toBeUndefined();
      await reg.remove('m1');
      await reg.remove('nope');
      expect(await reg.get('m1')).toBeUndefined();
      expect((await reg.list()).map((r) => r.id)).toEqual(['m2', 'e1']);
    });

    it('ids with any Graph characters round-trip', async () => {
      ns = namespaceOf(target);
      const reg = (await ns.store()).drafts;
      const id = 'AAMkAGI2T/+=-_' + 'x'.repeat(140);
      await reg.add(rec(id, '2026-01-01T10:00:00Z'));
      expect((await reg.get(id))?.id).toBe(id);
    });

    it('concurrent adds from three stores of one namespace lose nothing; another namespace sees none', async () => {
      ns = namespaceOf(target);
      const stores = [await ns.store(), await ns.store(), await ns.store()];
      await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 3]!.drafts.add(rec(`d${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()))));
      expect(await stores[0]!.drafts.list()).toHaveLength(60);
      const foreign = namespaceOf(target);
      try {
        expect(await (await foreign.store()).drafts.list()).toEqual([]);
      } finally {
        await foreign.close();
      }
    });
  });
}
