import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { silentLogger } from '../../src/core/logger.js';
import { createPgBossWorkQueue, jobsSchemaFor } from '../../src/jobs/pg-boss-work-queue.js';
import type { WorkQueue } from '../../src/jobs/work-queue.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/test-database.js';
import { TEST_JOB_TIMINGS } from './fixtures/test-job-timings.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('pg-boss work queue shared by several instances', { skip: postgresSkipReason() }, () => {
  let store: TestDatabase;
  const queues: WorkQueue[] = [];
  before(async () => {
    store = await createTestDatabase({ engine: 'postgres' });
  });
  after(async () => {
    await Promise.all(queues.map((q) => q.stop()));
    await store.close();
  });

  async function instance(): Promise<WorkQueue> {
    const queue = await createPgBossWorkQueue({
      databaseUrl: store.databaseUrl ?? '',
      schema: store.schema,
      logger: silentLogger,
      timings: TEST_JOB_TIMINGS,
    });
    queues.push(queue);
    return queue;
  }

  async function jobStates(kind: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: store.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ state: string }>(
        `select state from ${jobsSchemaFor(store.schema)}.job where name = $1 order by created_on`,
        [`gatehouse.${kind}`],
      );
      return rows.map((r) => r.state);
    } finally {
      await client.end();
    }
  }

  test('a once-key enqueued by every instance makes one job, handled once', async () => {
    const [a, b] = [await instance(), await instance()];
    const handled: string[] = [];
    const done = deferred();
    for (const [name, q] of [
      ['a', a],
      ['b', b],
    ] as const) {
      await q.work<{ slot: string }>('once', async (data) => {
        handled.push(`${name}:${data.slot}`);
        done.resolve();
        return 'done';
      });
    }
    const key = 'schedule:hr-prod:2026-01-01T10:00:00.000Z';
    const results = await Promise.all([
      a.enqueue('once', { slot: 'x' }, { onceKey: key }),
      b.enqueue('once', { slot: 'x' }, { onceKey: key }),
      a.enqueue('once', { slot: 'x' }, { onceKey: key }),
    ]);
    assert.equal(results.filter((r) => r.enqueued).length, 1);
    await done.promise;
    // The handler returned; pg-boss marks the job completed right after (bounded wait).
    for (let i = 0; i < 100 && (await jobStates('once')).join() !== 'completed'; i++) await sleep(100);
    assert.deepEqual(await jobStates('once'), ['completed']);
    assert.equal(handled.length, 1);
  });

  test('retry-later puts the job back and it runs again with the next attempt number', async () => {
    const q = await instance();
    const attempts: number[] = [];
    const done = deferred();
    await q.work<{ n: number }>('busy', async (_data, context) => {
      attempts.push(context.attempt);
      if (attempts.length === 1) return 'retry-later';
      done.resolve();
      return 'done';
    });
    await q.enqueue('busy', { n: 1 });
    await done.promise;
    assert.deepEqual(attempts, [0, 1]);
  });

  test('jobs with the same serializeBy key never run at the same time across instances', async () => {
    const [a, b] = [await instance(), await instance()];
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const allDone = deferred();
    const handler = async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      // Hold the job over several polling rounds of both instances, so an unserialized second job would start.
      await new Promise((r) => setTimeout(r, 1500));
      active -= 1;
      finished += 1;
      if (finished === 2) allDone.resolve();
      return 'done' as const;
    };
    await a.work('serial', handler);
    await b.work('serial', handler);
    await a.enqueue('serial', { n: 1 }, { serializeBy: 'hr-prod' });
    await b.enqueue('serial', { n: 2 }, { serializeBy: 'hr-prod' });
    await allDone.promise;
    assert.equal(maxActive, 1);
  });

  test('a job whose instance is killed mid-run is taken by another instance', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/postgres/fixtures/take-job-and-hang.ts'], {
      env: { ...process.env, ...store.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const survivor = await instance();
    await survivor.enqueue('probe', { n: 7 });
    // Only the child works `probe` until it has the job; the survivor starts working once the child holds it.
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    assert.equal(line.toString().trim(), 'took 7');
    child.kill('SIGKILL');
    await once(child, 'exit');

    const taken = deferred<{ n: number; attempt: number }>();
    await survivor.work<{ n: number }>('probe', async (data, context) => {
      taken.resolve({ n: data.n, attempt: context.attempt });
      return 'done';
    });
    const result = await taken.promise;
    assert.equal(result.n, 7);
    assert.ok(result.attempt >= 1, 'the survivor ran it as a retry of the dead instance’s job');
  });
});
