import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { EnqueueOptions, EnqueueResult, WorkHandler, WorkQueue } from './work-queue.js';

const MAX_ONCE_KEYS = 10_000;

export interface InProcessWorkQueueOptions {
  logger: Logger;
  /** Delay before a `retry-later` job is tried again (default 30 s). */
  retryDelayMs?: number;
  /** Give up after this many retries (default 50). */
  retryLimit?: number;
}

/**
 * The single-instance queue (SQLite): jobs run in this process, one at a time per `serializeBy` key, with the same
 * once-key and retry-later semantics as the pg-boss queue. Nothing survives a restart; the sync checkpoint does.
 */
export function createInProcessWorkQueue(options: InProcessWorkQueueOptions): WorkQueue {
  const handlers = new Map<string, WorkHandler<object>>();
  const pending = new Map<string, { kind: string; data: object; options: EnqueueOptions }[]>();
  const seenOnceKeys = new Set<string>();
  const running = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const chains = new Map<string, Promise<void>>();
  let stopped = false;

  function track(promise: Promise<void>): void {
    running.add(promise);
    void promise.finally(() => running.delete(promise));
  }

  async function attempt(
    kind: string,
    data: object,
    jobId: string,
    tries: number,
    serializeBy: string | undefined,
  ): Promise<void> {
    const handler = handlers.get(kind);
    if (!handler || stopped) return;
    let outcome: 'done' | 'retry-later' = 'done';
    try {
      outcome = await handler(data, { jobId, attempt: tries });
    } catch (error) {
      options.logger.error({ err: error, kind, jobId }, 'background job failed');
    }
    if (outcome === 'retry-later' && tries < (options.retryLimit ?? 50) && !stopped) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        schedule(kind, data, jobId, tries + 1, serializeBy);
      }, options.retryDelayMs ?? 30_000);
      timers.add(timer);
    }
  }

  function schedule(kind: string, data: object, jobId: string, tries: number, serializeBy: string | undefined): void {
    const key = serializeBy ?? jobId;
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => attempt(kind, data, jobId, tries, serializeBy));
    chains.set(key, next);
    void next.finally(() => chains.get(key) === next && chains.delete(key));
    track(next);
  }

  return {
    kind: 'in-process',
    async work(kind, handler) {
      handlers.set(kind, handler as WorkHandler<object>);
      for (const job of pending.get(kind)?.splice(0) ?? []) {
        schedule(job.kind, job.data, randomUUID(), 0, job.options.serializeBy);
      }
    },
    async enqueue(kind, data, enqueueOptions = {}): Promise<EnqueueResult> {
      if (enqueueOptions.onceKey !== undefined) {
        if (seenOnceKeys.has(enqueueOptions.onceKey)) return { enqueued: false };
        seenOnceKeys.add(enqueueOptions.onceKey);
        // Once-keys name time slots; old ones never come back, so keep only the most recent.
        if (seenOnceKeys.size > MAX_ONCE_KEYS) seenOnceKeys.delete(seenOnceKeys.values().next().value as string);
      }
      const jobId = randomUUID();
      if (!handlers.has(kind)) {
        pending.set(kind, [...(pending.get(kind) ?? []), { kind, data, options: enqueueOptions }]);
      } else {
        schedule(kind, data, jobId, 0, enqueueOptions.serializeBy);
      }
      return { enqueued: true, jobId };
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
