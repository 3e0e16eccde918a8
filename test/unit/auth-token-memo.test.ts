import { describe, expect, it } from 'vitest';
import { EXPIRY_MARGIN_MS, TokenMemo } from '../../src/auth/token-memo.js';

describe('TokenMemo', () => {
  it('shares one fetch between concurrent callers and reuses the token until five minutes before expiry', async () => {
    let now = 1_000_000;
    let fetches = 0;
    const memo = new TokenMemo(async (force) => {
      fetches++;
      return { token: `t${fetches}${force ? '!' : ''}`, expiresAt: now + 3_600_000 };
    }, () => now);
    expect(await Promise.all([memo.get(), memo.get(), memo.get()])).toEqual(['t1', 't1', 't1']);
    now += 3_600_000 - EXPIRY_MARGIN_MS - 1;
    expect(await memo.get()).toBe('t1');
    now += 2;
    expect(await memo.get()).toBe('t2');
    expect(fetches).toBe(2);
  });

  it('a forced refresh skips the memory and is shared too; a failure is not remembered', async () => {
    let fetches = 0;
    let fail = false;
    const memo = new TokenMemo(async (force) => {
      fetches++;
      if (fail) throw new Error('nope');
      return { token: `t${fetches}${force ? '!' : ''}`, expiresAt: Date.now() + 3_600_000 };
    });
    await memo.get();
    expect(await Promise.all([memo.get(true), memo.get(true)])).toEqual(['t2!', 't2!']);
    expect(await memo.get()).toBe('t2!');
    fail = true;
    await expect(memo.get(true)).rejects.toThrow('nope');
    await expect(memo.get()).rejects.toThrow('nope');
    fail = false;
    expect(await memo.get()).toBe('t5');
  });
});
