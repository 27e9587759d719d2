/** Time as a dependency, so tests can move it (token expiry, Retry-After, schedules, delta-token age). */
export interface Clock {
  now(): Date;
  nowMs(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that only moves when told to. `sleep` resolves once `advance` passes its deadline. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(date: Date): void;
}

export function createManualClock(start: Date = new Date('2026-01-01T00:00:00Z')): ManualClock {
  let current = start.getTime();
  const sleepers: { at: number; resolve: () => void }[] = [];
  const wake = () => {
    for (const sleeper of sleepers.filter((s) => s.at <= current)) {
      sleepers.splice(sleepers.indexOf(sleeper), 1);
      sleeper.resolve();
    }
  };
  return {
    now: () => new Date(current),
    nowMs: () => current,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        sleepers.push({ at: current + ms, resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        wake();
      }),
    advance(ms) {
      current += ms;
      wake();
    },
    set(date) {
      current = date.getTime();
      wake();
    },
  };
}
