/** One profile's state seen from several mailboxes (src/state/mailbox-scope.ts), on the real embedded store. */
import { afterEach, describe, expect, it } from 'vitest';
import { mailboxState } from '../../src/state/mailbox-scope.js';
import type { EmbeddedStateStore } from '../../src/state/embedded/store.js';
import { tempState } from '../helpers/state.js';

const ID = 'AAMkAGVmMDEzXYcqbVRfHCTWo1dls6ayWjdUSyrJ2XUZVKbS';
let store: EmbeddedStateStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('mailboxState', () => {
  it('gives the same id different handles per mailbox, and each mailbox knows only its own', async () => {
    store = tempState();
    const own = mailboxState(store, undefined);
    const support = mailboxState(store, '/users/support%40contoso.com');
    const other = mailboxState(store, '/users/invoices%40contoso.com');
    const [hOwn] = await own.handles.handlesFor([ID]);
    const [hSupport] = await support.handles.handlesFor([ID]);
    expect(hOwn).not.toBe(hSupport);
    expect(await own.handles.lookup(hOwn as string)).toBe(ID);
    expect(await support.handles.lookup(hSupport as string)).toBe(ID);
    expect(await own.handles.lookup(hSupport as string)).toBeUndefined();
    expect(await support.handles.lookup(hOwn as string)).toBeUndefined();
    expect(await other.handles.lookup(hSupport as string)).toBeUndefined();
    // The default mailbox keeps plain ids: handles written before the opt-in still resolve.
    expect(await store.handles.lookup(hOwn as string)).toBe(ID);
  });

  it('keeps each mailbox to its own drafts', async () => {
    store = tempState();
    const own = mailboxState(store, undefined);
    const support = mailboxState(store, '/users/support%40contoso.com');
    const record = { id: ID, kind: 'mail' as const, creationId: 'c1', subject: 'S', createdAt: '2026-12-01T10:00:00Z' };
    await support.drafts.add(record);
    expect(await support.drafts.get(ID)).toMatchObject({ id: ID, subject: 'S' });
    expect(await own.drafts.get(ID)).toBeUndefined();
    expect(await own.drafts.list()).toEqual([]);
    expect((await support.drafts.list()).map((r) => r.id)).toEqual([ID]);
    await own.drafts.add({ ...record, subject: 'mine' });
    await support.drafts.touch(ID, { subject: 'S2' });
    expect((await own.drafts.get(ID))?.subject).toBe('mine');
    await support.drafts.remove(ID);
    expect(await support.drafts.get(ID)).toBeUndefined();
    expect((await own.drafts.get(ID))?.subject).toBe('mine');
  });
});
