import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { createInProcessWorkQueue } from './in-process-work-queue.js';
import { startSyncJobs } from './sync-jobs.js';

test('sync jobs: a schedule slot queued twice runs once; a busy lease is retried until the run goes through', async () => {
  const queue = createInProcessWorkQueue({ logger: silentLogger, retryDelayMs: 1 });
  const calls: string[] = [];
  let busy = true;
  let finish!: () => void;
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const jobs = await startSyncJobs({
    queue,
    logger: silentLogger,
    async runSync(connection, options) {
      calls.push(`${connection}${options.full ? ':full' : ''}`);
      if (busy) {
        busy = false;
        throw new AppError('SYNC_ALREADY_RUNNING');
      }
      if (calls.length === 3) finish();
    },
  });
  const slot = new Date('2026-01-01T10:00:00Z');
  assert.equal(await jobs.enqueueScheduled('HR', slot), true);
  assert.equal(await jobs.enqueueScheduled('hr', slot), false, 'same slot, any case: already queued');
  await jobs.enqueue('hr', { full: true });
  await finished;
  await queue.stop();
  // The busy scheduled run goes back behind the queued full run of the same connection, then succeeds.
  assert.deepEqual(calls, ['HR', 'hr:full', 'HR']);
});

test('sync jobs: a failed sync is not retried (its failure is in the run history)', async () => {
  const queue = createInProcessWorkQueue({ logger: silentLogger, retryDelayMs: 1 });
  let calls = 0;
  let failed!: () => void;
  const done = new Promise<void>((r) => {
    failed = r;
  });
  const jobs = await startSyncJobs({
    queue,
    logger: silentLogger,
    async runSync() {
      calls += 1;
      failed();
      throw new AppError('GRAPH_UNAVAILABLE');
    },
  });
  await jobs.enqueue('hr');
  await done;
  await queue.stop();
  assert.equal(calls, 1);
});

test('sync jobs: a scheduled job whose slot a finished run already served does not sync again', async () => {
  const queue = createInProcessWorkQueue({ logger: silentLogger, retryDelayMs: 1 });
  const synced: string[] = [];
  const asked: string[] = [];
  let answered!: () => void;
  const done = new Promise<void>((r) => {
    answered = r;
  });
  const jobs = await startSyncJobs({
    queue,
    logger: silentLogger,
    async runSync(connection) {
      synced.push(connection);
    },
    async runEndedSince(connection, since) {
      asked.push(`${connection}@${since}`);
      answered();
      return true;
    },
  });
  await jobs.enqueueScheduled('hr', new Date('2026-01-01T10:00:00Z'));
  await done;
  await queue.stop();
  assert.deepEqual(asked, ['hr@2026-01-01T10:00:00.000Z']);
  assert.deepEqual(synced, []);
});
