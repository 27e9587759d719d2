import type { Clock } from '../core/clock.js';

export interface DebouncedTrigger {
  /** Asks for a run of `key`; calls within the window of a pending run join it. */
  trigger(key: string): void;
  /** Keys waiting for their window to end. */
  pending(): string[];
  /** Cancels pending runs (server shutdown). */
  stop(): void;
}

/**
 * Coalesces bursts: the first call for a key starts a window of `delayMs` (on the injected clock); calls during the
 * window join it; when it ends, `run(key)` is called once. The window is fixed from its first call (not sliding),
 * so a steady stream of notifications still syncs every `delayMs` instead of never. A call after the window ended
 * starts a new one, so changes that arrive while a run is under way are synced by the next run.
 */
export function createDebouncedTrigger(options: {
  delayMs: number;
  clock: Clock;
  run: (key: string) => Promise<void>;
}): DebouncedTrigger {
  const waiting = new Set<string>();
  const abort = new AbortController();
  return {
    trigger(key) {
      if (waiting.has(key) || abort.signal.aborted) return;
      waiting.add(key);
      options.clock
        .sleep(options.delayMs, abort.signal)
        .then(() => {
          waiting.delete(key);
          return options.run(key);
        })
        .catch(() => {
          waiting.delete(key);
        });
    },
    pending: () => [...waiting],
    stop() {
      abort.abort(new Error('stopped'));
    },
  };
}
