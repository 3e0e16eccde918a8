import { describe, expect, it } from 'vitest';
import { shareBudget } from '../../src/services/thread.js';

describe('shareBudget', () => {
  it('lets short bodies keep everything and splits the rest evenly', () => {
    expect(shareBudget([100, 5000, 200, 5000], 2300)).toEqual([100, 1000, 200, 1000]);
  });
  it('gives every body everything when the thread fits', () => {
    expect(shareBudget([10, 20, 30], 100)).toEqual([10, 20, 30]);
  });
  it('never cuts a body below the floor, even for long threads', () => {
    expect(shareBudget(Array(20).fill(2000), 1000).every((c) => c === 300)).toBe(true);
  });
});
