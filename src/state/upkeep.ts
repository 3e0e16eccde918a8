/**
 * Periodic upkeep (expiry, compaction) of a state store: runs one at a time, and stop() waits for a run in
 * progress, so no write is issued after the engine or connection closed. Shared by both adapters.
 */
export interface Upkeep {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Runs `maintain` every `everyMs` (and once at once with `runNow`), reporting failures to `onError`. */
export function scheduleUpkeep(maintain: () => Promise<unknown>, everyMs: number, onError: ((err: unknown) => void) | undefined, runNow: boolean): Upkeep {
  let upkeep: Promise<void> = Promise.resolve();
  const run = () => {
    upkeep = upkeep.then(() => maintain()).then(
      () => undefined,
      (err: unknown) => onError?.(err),
    );
  };
  if (runNow) run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await upkeep;
    },
  };
}
