/** The in-process memory of Graph tokens in front of the shared OBO cache (remote mode): per partition, until 5 min before expiry, bounded. */
import { describe, expect, it } from 'vitest';
import { RECENT_TOKEN_MARGIN_MS, RecentGraphTokens } from '../../src/remote/obo.js';

const MIN = 60_000;

describe('RecentGraphTokens', () => {
  it('hands a token back only for its own partition, until five minutes before it expires', () => {
    let now = 1_000_000;
    const recent = new RecentGraphTokens(10, () => now);
    recent.remember('obo:alice:h1', 'graph-a', new Date(now + 60 * MIN));
    expect(recent.get('obo:alice:h1')).toBe('graph-a');
    expect(recent.get('obo:alice:h2')).toBeUndefined();
    expect(recent.get('obo:bob:h1')).toBeUndefined();
    now += 60 * MIN - RECENT_TOKEN_MARGIN_MS - 1;
    expect(recent.get('obo:alice:h1')).toBe('graph-a');
    now += 1;
    expect(recent.get('obo:alice:h1')).toBeUndefined();
  });

  it('does not keep a token that is already inside the margin or has no expiry; forget drops one', () => {
    const now = 5_000_000;
    const recent = new RecentGraphTokens(10, () => now);
    recent.remember('p1', 't1', new Date(now + RECENT_TOKEN_MARGIN_MS));
    recent.remember('p2', 't2', null);
    expect(recent.get('p1')).toBeUndefined();
    expect(recent.get('p2')).toBeUndefined();
    recent.remember('p3', 't3', new Date(now + 60 * MIN));
    recent.forget('p3');
    expect(recent.get('p3')).toBeUndefined();
  });

  it('is bounded: the least recently used partition goes first', () => {
    const now = 0;
    const recent = new RecentGraphTokens(2, () => now);
    const exp = new Date(60 * MIN);
    recent.remember('a', 'ta', exp);
    recent.remember('b', 'tb', exp);
    expect(recent.get('a')).toBe('ta'); // a is now the most recent
    recent.remember('c', 'tc', exp);
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('a')).toBe('ta');
    expect(recent.get('c')).toBe('tc');
  });
});
