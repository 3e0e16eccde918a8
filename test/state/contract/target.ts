/**
 * What a contract suite needs from an adapter: a way to open stores. Two
 * stores opened with the same namespace must share their state, as two
 * processes (or replicas) of one profile do; the suites use a fresh random
 * namespace per test, so no reset between tests is needed.
 */
import { randomUUID } from 'node:crypto';
import type { StateStore, StateStoreOptions } from '../../../src/state/ports.js';

export interface StateContractTarget {
  /** Shown in the test names ("embedded", "redis"). */
  readonly name: string;
  /** Opens a store of `options.namespace`; the suite closes every store it opens. */
  open(options: StateStoreOptions): Promise<StateStore>;
}

/** A clock the test moves by hand. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 11, 7, 12)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A fresh namespace and a way to open several stores of it (one per simulated process), all closed afterwards. */
export function namespaceOf(target: StateContractTarget, clock: TestClock = testClock()) {
  const namespace = `contract-${randomUUID()}`;
  const opened: StateStore[] = [];
  return {
    namespace,
    clock,
    async store(options: Partial<StateStoreOptions> = {}): Promise<StateStore> {
      const s = await target.open({ namespace, now: clock.now, ...options });
      opened.push(s);
      return s;
    },
    async close(): Promise<void> {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    },
  };
}

export type Namespace = ReturnType<typeof namespaceOf>;
