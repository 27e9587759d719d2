import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { jobsSchemaFor } from '../../src/jobs/pg-boss-work-queue.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/test-database.js';
import { directoryOf } from './fixtures/directory-of.js';
import { InstanceProcess } from './fixtures/instance-process.js';
import { TEST_JOB_ENV } from './fixtures/test-job-timings.js';

describe('several gatehouse instances on one PostgreSQL schema', { skip: postgresSkipReason() }, () => {
  let store: TestDatabase;
  let fx: GatehouseFixture;
  const instances: InstanceProcess[] = [];

  before(async () => {
    store = await createTestDatabase({ engine: 'postgres' });
    fx = await startGatehouseFixture({
      databaseUrl: store.databaseUrl,
      databaseSchema: store.schema,
      // Small delta pages, so a full sync of this tenant takes dozens of pages (and, with latency, seconds).
      // `exact`: the test compares page counts (a resumed run reads fewer pages than a whole one), which the
      // realistic profile's replays and random 429s make vary from run to run.
      emulator: {
        profile: 'exact',
        users: 600,
        groups: 30,
        seed: 'several-instances',
        delta: { objectCap: 20, memberCap: 40 },
      },
    });
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.kill()));
    await fx?.close();
    await store?.close();
  });

  async function startInstance(name: string): Promise<InstanceProcess> {
    const instance = new InstanceProcess(name, ['test/postgres/fixtures/gatehouse-instance.ts'], {
      ...fx.env,
      ...TEST_JOB_ENV,
    });
    instances.push(instance);
    await instance.waitFor((l) => l === 'ready');
    return instance;
  }

  /** The states of every sync job in the queue: one job per slot, so one state. */
  async function syncJobStates(): Promise<string[]> {
    const client = new pg.Client({ connectionString: store.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ state: string }>(
        `select state from ${jobsSchemaFor(store.schema)}.job where name = 'gatehouse.sync-run'`,
      );
      return rows.map((r) => r.state);
    } finally {
      await client.end();
    }
  }

  test('a schedule slot that fires on both instances runs the sync once', async () => {
    const [a, b] = await Promise.all([startInstance('a'), startInstance('b')]);
    // A slot that is due (the scheduler only queues slots at or before now).
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    a.send(`schedule ${fx.connectionName} ${slot}`);
    b.send(`schedule ${fx.connectionName} ${slot}`);
    const answers = await Promise.all([a, b].map((i) => i.waitFor((l) => l.startsWith('enqueued '))));
    assert.deepEqual(answers.sort(), ['enqueued false', 'enqueued true']);
    // Once the slot's job is completed nothing can run it again (a job expired under load is retried, and the
    // retry finds the slot served), so the history is final.
    for (let i = 0; i < 900 && (await syncJobStates()).join() !== 'completed'; i++) await sleep(100);
    assert.deepEqual(await syncJobStates(), ['completed'], 'one job for the slot, whichever instance enqueued first');

    const runs = await fx.gatehouse.sync.history(fx.connectionName);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.status, 'succeeded');
    assert.equal([a, b].flatMap((i) => i.lines).filter((l) => l.startsWith('sync-end')).length, 1);
    await Promise.all([a.stop(), b.stop()]);
  });

  test('killing the instance that runs a long sync: the other resumes it from the checkpoint, same result', async () => {
    await fx.createConnectionFor('interrupted', fx.emulator.defaultApp);
    await fx.createConnectionFor('reference', fx.emulator.defaultApp);
    const [a, b] = await Promise.all([startInstance('c'), startInstance('d')]);

    fx.emulator.faults.setLatency(25);
    a.send('enqueue interrupted');
    // Whichever instance took the job: kill it once a few pages are committed.
    const victim = await Promise.race(
      [a, b].map((i) => i.waitFor((l) => l === 'page users 4' || l === 'page groups 4').then(() => i)),
    );
    const survivor = victim === a ? b : a;
    await victim.kill();
    const end = await survivor.waitFor((l) => l.startsWith('sync-end'));
    fx.emulator.faults.setLatency(0);
    assert.equal(end, 'sync-end succeeded');

    // The same tenant synced without interruption, by the test's own gatehouse.
    const reference = await fx.gatehouse.sync.run('reference');
    assert.equal(reference.status, 'succeeded');
    assert.deepEqual(await directoryOf(fx.gatehouse, 'interrupted'), await directoryOf(fx.gatehouse, 'reference'));

    // Resumed, not restarted: the finishing run read fewer pages than a whole sync does.
    const runs = await fx.gatehouse.sync.history('interrupted');
    const finished = runs.find((r) => r.status === 'succeeded');
    assert.ok(finished, 'a succeeded run is recorded');
    assert.ok(
      finished.report.pages < reference.pages,
      `resumed run read ${finished.report.pages} pages, a whole sync ${reference.pages}`,
    );
    await survivor.stop();
  });
});
