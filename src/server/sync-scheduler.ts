import type { Clock } from '../core/clock.js';
import { toAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { nextRunAt, parseSchedule, type SyncSchedule } from '../sync/sync-schedule.js';

export interface SyncSchedulerOptions {
  clock: Clock;
  logger: Logger;
  /** Names of every connection. */
  listConnections(): Promise<string[]>;
  /** The stored schedule and the start of the last run (from the sync service). */
  scheduleOf(name: string): Promise<{ schedule: string | null; lastRunStartedAt?: string }>;
  /** Queues the run of one schedule slot; queuing the same slot twice runs it once (the queue's once-key). */
  enqueueScheduled(name: string, slot: Date): Promise<boolean>;
  /** How often to look for due slots (default 30 s). */
  tickMs?: number;
}

/**
 * Runs configured syncs. Nothing lives in memory that a restart would lose: each tick computes every connection's
 * next slot from its stored schedule and its last run, so a slot missed while the server was down runs once at
 * start, and several instances queue each slot once (the work queue dedupes by slot).
 */
export function createSyncScheduler(options: SyncSchedulerOptions) {
  const startedAt = options.clock.now();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;

  function neverRunAnchor(schedule: SyncSchedule): Date {
    if (schedule.kind !== 'every') return startedAt;
    const intervalMs = schedule.minutes * 60_000;
    return new Date(Math.floor(startedAt.getTime() / intervalMs) * intervalMs);
  }

  /** The slot due for `name` now, if any. */
  async function dueSlot(name: string): Promise<Date | undefined> {
    const { schedule, lastRunStartedAt } = await options.scheduleOf(name);
    const parsed = schedule ? parseSchedule(schedule) : undefined;
    if (!parsed) return undefined;
    // Never run: count from when the scheduler started, so a new schedule does not fire at once. For `every`, from the
    // interval boundary before the start, so instances started at different moments compute the same slot (the
    // queue dedupes a slot by its time) instead of one slot each.
    const slot = nextRunAt(parsed, lastRunStartedAt ? new Date(lastRunStartedAt) : neverRunAnchor(parsed));
    return slot.getTime() <= options.clock.nowMs() ? slot : undefined;
  }

  async function tick(): Promise<void> {
    for (const name of await options.listConnections()) {
      try {
        const slot = await dueSlot(name);
        if (slot && (await options.enqueueScheduled(name, slot))) {
          options.logger.info({ connection: name, slot: slot.toISOString() }, 'scheduled sync queued');
        }
      } catch (error) {
        options.logger.warn(
          { connection: name, code: toAppError(error).code },
          'scheduler could not check a connection',
        );
      }
    }
  }

  return {
    tick,
    start(): void {
      const run = () => {
        ticking ??= tick().finally(() => {
          ticking = undefined;
        });
      };
      run();
      timer = setInterval(run, options.tickMs ?? 30_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await ticking;
    },
  };
}

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;
