import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HandleStore, InvalidIdError } from '../../src/handles/handle-store.js';
import { EMBEDDED_STATE_FILE } from '../../src/state/embedded/engine.js';
import { tempState } from '../helpers/state.js';

const ID = 'AAMkAGI2TG93AAA-bbb_ccc=/+ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';
const tmp = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'handles-')), 'p');
/** A handle store on a fresh state store, or on the profile folder `dir` as another process would open it. */
const handles = (dir?: string) => new HandleStore(tempState({ dir }).handles);

describe('HandleStore', () => {
  it('gives the same short handle for the same id, in any store', async () => {
    const a = await handles().handleFor(ID);
    const b = await handles().handleFor(ID);
    expect(a).toBe(b);
    expect(a).toMatch(/^[a-z2-9]{8}$/);
    expect(HandleStore.looksLikeHandle(a)).toBe(true);
  });

  it('persists handles so a new process resolves them, with private file permissions', async () => {
    const dir = tmp();
    const [h] = await handles(dir).handlesFor([ID]);
    expect(await handles(dir).resolve(h as string, 'id', 'message')).toBe(ID);
    expect(statSync(path.join(dir, EMBEDDED_STATE_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('finds handles another process wrote after this one started', async () => {
    const dir = tmp();
    const reader = handles(dir);
    await reader.handlesFor(['A'.repeat(40)]);
    const [h] = await handles(dir).handlesFor([ID]);
    expect(await reader.resolve(h as string, 'id', 'message')).toBe(ID);
  });

  it('accepts full Graph ids unchanged', async () => {
    expect(await handles().resolve(ID, 'id', 'message')).toBe(ID);
  });

  it('refuses unknown handles and malformed ids with a next step', async () => {
    const s = handles();
    await expect(s.resolve('abcdefgh', 'id', 'message')).rejects.toThrowError(/not a message id known to this profile.*list or search again/);
    for (const bad of ['../../me/sendMail', 'abc def', 'x?y=1', '', 'a'.repeat(2000)]) {
      await expect(s.resolve(bad, 'id', 'message')).rejects.toBeInstanceOf(InvalidIdError);
    }
  });
});
