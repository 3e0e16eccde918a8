import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HandleStore, InvalidIdError } from '../../src/handles/handle-store.js';

const ID = 'AAMkAGI2TG93AAA-bbb_ccc=/+ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';
const tmp = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'handles-')), 'p', 'handles.jsonl');

describe('HandleStore', () => {
  it('gives the same short handle for the same id, in any store', async () => {
    const a = await new HandleStore(undefined).handleFor(ID);
    const b = await new HandleStore(undefined).handleFor(ID);
    expect(a).toBe(b);
    expect(a).toMatch(/^[a-z2-9]{8}$/);
    expect(HandleStore.looksLikeHandle(a)).toBe(true);
  });

  it('persists handles so a new process resolves them, with private file permissions', async () => {
    const file = tmp();
    const s1 = new HandleStore(file);
    const [h] = await s1.handlesFor([ID]);
    const s2 = new HandleStore(file);
    expect(await s2.resolve(h as string, 'id', 'message')).toBe(ID);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('finds handles another process wrote after this one loaded', async () => {
    const file = tmp();
    const reader = new HandleStore(file);
    await reader.handlesFor(['A'.repeat(40)]);
    const writer = new HandleStore(file);
    const [h] = await writer.handlesFor([ID]);
    expect(await reader.resolve(h as string, 'id', 'message')).toBe(ID);
  });

  it('accepts full Graph ids unchanged', async () => {
    expect(await new HandleStore(undefined).resolve(ID, 'id', 'message')).toBe(ID);
  });

  it('refuses unknown handles and malformed ids with a next step', async () => {
    const s = new HandleStore(undefined);
    await expect(s.resolve('abcdefgh', 'id', 'message')).rejects.toThrowError(/not a message id known to this profile.*list or search again/);
    for (const bad of ['../../me/sendMail', 'abc def', 'x?y=1', '', 'a'.repeat(2000)]) {
      await expect(s.resolve(bad, 'id', 'message')).rejects.toBeInstanceOf(InvalidIdError);
    }
  });

  it('survives a torn last line', async () => {
    const file = tmp();
    const s1 = new HandleStore(file);
    const [h] = await s1.handlesFor([ID]);
    appendFileSync(file, '{"h":"zzzz');
    const s2 = new HandleStore(file);
    expect(await s2.resolve(h as string, 'id', 'message')).toBe(ID);
    expect(readFileSync(file, 'utf8').split('\n').length).toBeGreaterThan(1);
  });
});
