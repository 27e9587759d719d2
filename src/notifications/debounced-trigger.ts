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

/**
 * One trailing run per quiet period: every call (re)sets the key's deadline to `delayMs` from now (sliding), and
 * when the clock reaches the latest deadline `run(key)` is called once. Change notifications use it for the
 * catch-up run after a notified sync: Graph notifies at once, but delta may not show the change for a few seconds
 * (replication, https://learn.microsoft.com/graph/delta-query-overview), so one more run after the last
 * notification of a burst picks up what the notified run could not see yet. Sliding is safe here: while
 * notifications keep coming, the debounced runs keep syncing, and each sees the changes older than the lag.
 */
export function createCatchUpTrigger(options: {
  delayMs: number;
  clock: Clock;
  run: (key: string) => Promise<void>;
}): DebouncedTrigger {
  const due = new Map<string, number>();
  const abort = new AbortController();
  const wait = async (key: string) => {
    for (;;) {
      const at = due.get(key);
      if (at === undefined) return;
      const remaining = at - options.clock.nowMs();
      if (remaining <= 0) break;
      await options.clock.sleep(remaining, abort.signal);
    }
    due.delete(key);
    await options.run(key);
  };
  return {
    trigger(key) {
      if (abort.signal.aborted) return;
      const waiting = due.has(key);
      due.set(key, options.clock.nowMs() + options.delayMs);
      if (!waiting) wait(key).catch(() => undefined);
    },
    pending: () => [...due.keys()],
    stop() {
      abort.abort(new Error('stopped'));
      due.clear();
    },
  };
}
