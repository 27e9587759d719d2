import PgBoss from 'pg-boss';
import type { Logger } from '../core/logger.js';
import { assertSchemaName } from '../store/postgres/postgres-pool.js';
import { onceKeyId } from './once-key.js';
import type { EnqueueOptions, EnqueueResult, WorkHandler, WorkQueue } from './work-queue.js';

/** How long things take; the defaults suit production, tests shrink them. */
export interface JobTimings {
  /**
   * A job still active this long after it started is taken to belong to a dead instance and is retried
   * elsewhere (pg-boss has no heartbeat). A live run that outlasts it is protected by the sync lease: the retry
   * waits for the lease. Default 45.
   */
  expireSeconds: number;
  /** Pause before a `retry-later` (or expired) job is tried again. Default 15. */
  retryDelaySeconds: number;
  /** Tries after the first before a job is given up (with the delay: how long a retry waits for a lease). Default 240. */
  retryLimit: number;
  /** How often an idle worker looks for jobs. Default 2. */
  pollingIntervalSeconds: number;
  /** How often expired jobs are swept (one instance does it per interval). Default 15. */
  maintenanceIntervalSeconds: number;
}

/**
 * Takeover of a dead instance's run within about a minute (issue 17; docs/deploy.md): its job expires after 45 s
 * and the sweep (every 15 s) hands it to another instance, whose retry waits (every 15 s, for up to an hour) until the
 * dead run's lease — renewed every 15 s by a live run, 45 s long — has lapsed. A live long run is never taken over:
 * its expired job's retries find its lease renewed and wait.
 */
export const DEFAULT_JOB_TIMINGS: JobTimings = {
  expireSeconds: 45,
  retryDelaySeconds: 15,
  retryLimit: 240,
  pollingIntervalSeconds: 2,
  maintenanceIntervalSeconds: 15,
};

export interface PgBossWorkQueueOptions {
  databaseUrl: string;
  /** The store's schema; the queue lives next to it in `<schema>_jobs` (`gatehouse_jobs` for `public`). */
  schema?: string;
  logger: Logger;
  timings?: Partial<JobTimings>;
}

/** The schema pg-boss manages for a store schema (it creates and migrates it itself). */
export function jobsSchemaFor(schema: string | undefined): string {
  return !schema || schema === 'public' ? 'gatehouse_jobs' : `${schema}_jobs`;
}

/** Queue names must be plain: pg-boss accepts letters, digits, `-`, `_`, `.`, `/`. */
function queueName(kind: string): string {
  return `gatehouse.${kind}`;
}

/**
 * The PostgreSQL-backed queue shared by every instance (pg-boss 10). Each kind is a `singleton` queue: with
 * `serializeBy`, at most one job per key is active at a time across instances.
 */
export async function createPgBossWorkQueue(options: PgBossWorkQueueOptions): Promise<WorkQueue> {
  const timings = { ...DEFAULT_JOB_TIMINGS, ...options.timings };
  const schema = jobsSchemaFor(options.schema);
  assertSchemaName(schema);
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema,
    application_name: 'gatehouse-jobs',
    max: 4,
    supervise: true,
    schedule: false, // schedules are ours (the scheduler enqueues with once-keys); no pg-boss cron
    maintenanceIntervalSeconds: timings.maintenanceIntervalSeconds,
  });
  boss.on('error', (error) => options.logger.warn({ err: error.message }, 'job queue error'));
  await boss.start();

  const created = new Map<string, Promise<void>>();
  function ensureQueue(kind: string): Promise<void> {
    let ready = created.get(kind);
    if (!ready) {
      ready = boss.createQueue(queueName(kind), {
        name: queueName(kind),
        policy: 'singleton',
        retryLimit: timings.retryLimit,
        retryDelay: timings.retryDelaySeconds,
        retryBackoff: false,
        expireInSeconds: timings.expireSeconds,
      });
      created.set(kind, ready);
    }
    return ready;
  }

  return {
    kind: 'pg-boss',
    async work(kind, handler) {
      await ensureQueue(kind);
      await boss.work<object>(
        queueName(kind),
        { pollingIntervalSeconds: timings.pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
        async (jobs) => {
          for (const job of jobs) {
            const outcome = await (handler as WorkHandler<object>)(job.data, {
              jobId: job.id,
              attempt: job.retryCount,
            });
            // Throwing is how pg-boss is told to retry the job after retryDelay.
            if (outcome === 'retry-later') throw new Error('retry later: the work is busy elsewhere');
          }
        },
      );
    },
    async enqueue(kind, data, enqueueOptions: EnqueueOptions = {}): Promise<EnqueueResult> {
      await ensureQueue(kind);
      const jobId = await boss.send(queueName(kind), data, {
        ...(enqueueOptions.onceKey !== undefined ? { id: onceKeyId(`${kind}:${enqueueOptions.onceKey}`) } : {}),
        ...(enqueueOptions.serializeBy !== undefined ? { singletonKey: enqueueOptions.serializeBy } : {}),
      });
      return jobId ? { enqueued: true, jobId } : { enqueued: false };
    },
    async stop() {
      // graceful: running handlers get up to 30 s; jobs still active then are failed back for a retry elsewhere.
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
