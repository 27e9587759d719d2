import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { WorkQueue } from './work-queue.js';

/** The work item of a sync run, as queued. */
export interface SyncJobData {
  connection: string;
  full?: boolean;
  /** `schedule` runs come from the scheduler (once per slot across instances); `request` from the API or UI. */
  reason: 'schedule' | 'request';
  /** The schedule slot (ISO time) a scheduled run belongs to. */
  slot?: string;
}

export interface SyncJobsOptions {
  queue: WorkQueue;
  /**
   * Runs one sync of the connection under its lease, resuming an interrupted round from its checkpoint; a failed
   * sync is recorded in the run history by the sync itself. Throws SYNC_ALREADY_RUNNING when another run (on any
   * instance) holds the lease.
   */
  runSync(connection: string, options: { full?: boolean }): Promise<unknown>;
  /**
   * Whether a run of the connection that started at or after `sinceIso` has ended (succeeded, failed or
   * quarantined). A scheduled job retried after its instance was presumed dead (pg-boss has no heartbeat, so a live
   * but long run can look dead) then finds its slot already served and does not sync twice. A run that is still
   * `running` (its instance really died) does not count: the retry resumes it.
   */
  runEndedSince?(connection: string, sinceIso: string): Promise<boolean>;
  logger: Logger;
}

/** Queues sync runs and works them off; see startSyncJobs. */
export interface SyncJobs {
  /** Queues the run of a schedule slot; every instance may call this for the same slot, one run is queued. */
  enqueueScheduled(connection: string, slot: Date): Promise<boolean>;
  /** Queues a run asked for by a user (API, UI). */
  enqueue(connection: string, options?: { full?: boolean }): Promise<boolean>;
}

export const SYNC_JOB_KIND = 'sync-run';

/**
 * Sync runs as queue jobs. On pg-boss a run whose instance dies is expired and retried on another instance; there
 * the sync lease still names the dead owner until it expires, so the retry answers `retry-later` until the lease
 * lapses, then resumes the round from its checkpoint. A live run that outlasts the job's expiry is protected the
 * same way: the retry waits for its lease.
 */
export async function startSyncJobs(options: SyncJobsOptions): Promise<SyncJobs> {
  const logger = options.logger.child({ component: 'sync-jobs' });
  await options.queue.work<SyncJobData>(SYNC_JOB_KIND, async (job, context) => {
    try {
      if (job.slot && (await options.runEndedSince?.(job.connection, job.slot))) {
        logger.info({ connection: job.connection, slot: job.slot }, 'schedule slot already served');
        return 'done';
      }
      await options.runSync(job.connection, job.full ? { full: true } : {});
      return 'done';
    } catch (error) {
      if (error instanceof AppError && error.code === 'SYNC_ALREADY_RUNNING') {
        logger.info({ connection: job.connection, attempt: context.attempt }, 'sync busy elsewhere; retrying later');
        return 'retry-later';
      }
      // Not retried: the next schedule slot (or the user) tries again; the run history has the failure.
      logger.warn(
        { connection: job.connection, code: error instanceof AppError ? error.code : 'INTERNAL' },
        'queued sync failed',
      );
      return 'done';
    }
  });
  return {
    async enqueueScheduled(connection, slot) {
      const data: SyncJobData = { connection, reason: 'schedule', slot: slot.toISOString() };
      const result = await options.queue.enqueue(SYNC_JOB_KIND, data, {
        onceKey: `schedule:${connection.toLowerCase()}:${slot.toISOString()}`,
        serializeBy: connection.toLowerCase(),
      });
      return result.enqueued;
    },
    async enqueue(connection, runOptions = {}) {
      const data: SyncJobData = { connection, reason: 'request', ...(runOptions.full ? { full: true } : {}) };
      const result = await options.queue.enqueue(SYNC_JOB_KIND, data, { serializeBy: connection.toLowerCase() });
      return result.enqueued;
    },
  };
}
