import type { Logger } from '../core/logger.js';
import type { Engine } from '../store/engine.js';
import { createInProcessWorkQueue } from './in-process-work-queue.js';
import { createPgBossWorkQueue, type JobTimings } from './pg-boss-work-queue.js';
import { type SyncJobs, type SyncJobsOptions, startSyncJobs } from './sync-jobs.js';
import type { WorkQueue } from './work-queue.js';

export interface BackgroundWorkOptions {
  engine: Engine;
  /** Required on PostgreSQL: the queue lives in the same database. */
  databaseUrl?: string;
  /** The store's schema (the queue uses `<schema>_jobs`). */
  schema?: string;
  runSync: SyncJobsOptions['runSync'];
  runEndedSince?: SyncJobsOptions['runEndedSince'];
  logger: Logger;
  timings?: Partial<JobTimings>;
}

/** What `serve` runs in the background: the queue and the sync jobs on it. */
export interface BackgroundWork {
  readonly queue: WorkQueue;
  readonly syncJobs: SyncJobs;
  /** Stops taking work; running syncs get time to finish, unfinished jobs go back to the queue. */
  stop(): Promise<void>;
}

/**
 * Starts background work for one serving instance: on PostgreSQL a pg-boss queue shared with every other instance
 * (scheduled syncs once across instances, runs of dead instances taken over), on SQLite an in-process queue.
 * Only `serve` starts this; CLI commands run their sync in the foreground.
 *
 * @example
 *   const work = await startBackgroundWork({ engine: 'postgres', databaseUrl, runSync: (n, o) => gatehouse.sync.run(n, o), logger });
 *   await work.syncJobs.enqueueScheduled('hr-prod', slot);
 */
export async function startBackgroundWork(options: BackgroundWorkOptions): Promise<BackgroundWork> {
  const logger = options.logger.child({ component: 'jobs' });
  const queue =
    options.engine === 'postgres' && options.databaseUrl
      ? await createPgBossWorkQueue({
          databaseUrl: options.databaseUrl,
          schema: options.schema,
          logger,
          timings: options.timings,
        })
      : createInProcessWorkQueue({
          logger,
          ...(options.timings?.retryDelaySeconds !== undefined
            ? { retryDelayMs: options.timings.retryDelaySeconds * 1000 }
            : {}),
          ...(options.timings?.retryLimit !== undefined ? { retryLimit: options.timings.retryLimit } : {}),
        });
  try {
    const syncJobs = await startSyncJobs({
      queue,
      runSync: options.runSync,
      ...(options.runEndedSince ? { runEndedSince: options.runEndedSince } : {}),
      logger,
    });
    return { queue, syncJobs, stop: () => queue.stop() };
  } catch (error) {
    await queue.stop();
    throw error;
  }
}
