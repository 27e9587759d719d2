/**
 * The port for background work that must survive an instance: sync runs and scheduled syncs. On PostgreSQL it is
 * backed by pg-boss (several instances share the queue, a job whose instance dies is retried elsewhere); on SQLite
 * (one instance) work runs in the process that asked for it.
 */
export interface WorkQueue {
  /** `pg-boss` shares work across instances; `in-process` runs it where it was enqueued. */
  readonly kind: 'pg-boss' | 'in-process';
  /**
   * Registers the handler for a kind of work and starts taking jobs of that kind. Call once per kind, before or
   * after jobs are enqueued.
   */
  work<T extends object>(kind: string, handler: WorkHandler<T>): Promise<void>;
  /** Queues a job; see EnqueueOptions for once-only and one-at-a-time guarantees. */
  enqueue<T extends object>(kind: string, data: T, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Stops taking work and waits (bounded) for running handlers; unfinished jobs go back to the queue. */
  stop(): Promise<void>;
}

export interface EnqueueOptions {
  /**
   * Only the first enqueue with this key is kept, across every instance (e.g. `schedule:hr-prod:2026-01-01T10:00Z`,
   * so a schedule that fires on every instance queues one run).
   */
  onceKey?: string;
  /** Jobs with the same key never run at the same time (e.g. the connection name). */
  serializeBy?: string;
}

export interface EnqueueResult {
  /** False when `onceKey` had already been used. */
  readonly enqueued: boolean;
  readonly jobId?: string;
}

/**
 * What a handler reports: `done` completes the job (a failed sync is still `done`: its failure is recorded in the
 * run history); `retry-later` puts it back to be tried again after the retry delay (e.g. another instance holds
 * the sync lease).
 */
export type WorkOutcome = 'done' | 'retry-later';

export type WorkHandler<T extends object> = (data: T, context: WorkContext) => Promise<WorkOutcome>;

export interface WorkContext {
  readonly jobId: string;
  /** How many times this job was tried before (0 on the first attempt). */
  readonly attempt: number;
}
