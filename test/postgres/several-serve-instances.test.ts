import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createManualClock } from '../../src/core/clock.js';
import { jobsSchemaFor } from '../../src/jobs/pg-boss-work-queue.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/test-database.js';
import { directoryOf } from './fixtures/directory-of.js';
import { InstanceProcess } from './fixtures/instance-process.js';
import { TEST_JOB_ENV } from './fixtures/test-job-timings.js';

/** Polls until `probe` returns a value (a deadline keeps a broken run from hanging the suite). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 90_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('two `gatehouse serve` processes on one PostgreSQL schema', { skip: postgresSkipReason() }, () => {
  let store: TestDatabase;
  let fx: GatehouseFixture;
  let sql: pg.Client;
  const servers: InstanceProcess[] = [];

  before(async () => {
    store = await createTestDatabase({ engine: 'postgres' });
    sql = new pg.Client({ connectionString: store.databaseUrl, options: `-c search_path=${store.schema}` });
    await sql.connect();
    // The fixture's gatehouse lives 6 minutes in the past, so the runs it makes now are "the last runs" of
    // `every 5m` schedules: their next slot is due as soon as the servers start.
    fx = await startGatehouseFixture({
      databaseUrl: store.databaseUrl,
      databaseSchema: store.schema,
      clock: createManualClock(new Date(Date.now() - 6 * 60_000)),
      // `exact`: this gatehouse runs on a manual clock, which the Graph client's retry waits follow (a random 429
      // would wait for a clock nobody moves), and the test counts checkpoints moving.
      emulator: {
        profile: 'exact',
        users: 600,
        groups: 30,
        seed: 'two-servers',
        delta: { objectCap: 20, memberCap: 40 },
      },
    });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await sql?.end();
    await fx?.close();
    await store?.close();
  });

  async function leaseOf(connection: string) {
    const id = (await fx.gatehouse.connections.get(connection)).id;
    const { rows } = await sql.query<{ lease_owner: string | null; groups_round: string | null }>(
      'select lease_owner, groups_round from sync_state where connection_id = $1',
      [id],
    );
    return rows[0];
  }

  test('a due schedule runs once across both; killing the one running a long sync, the other resumes it', async () => {
    for (const name of ['scheduled', 'long']) {
      await fx.createConnectionFor(name, fx.emulator.defaultApp);
      assert.equal((await fx.gatehouse.sync.run(name)).status, 'succeeded');
      await fx.gatehouse.sync.configure(name, { schedule: 'every 5m' });
    }
    // The next rounds must start over (410 → full round) and be slow: a sync long enough to be killed mid-way.
    fx.emulator.expireDeltaTokens();
    fx.emulator.faults.setLatency(25);

    for (const name of ['a', 'b']) {
      const server = new InstanceProcess(name, ['src/cli/bin.ts', 'serve', '--port', '0', '--json'], {
        ...fx.env,
        ...TEST_JOB_ENV,
      });
      servers.push(server);
    }
    await Promise.all(servers.map((s) => s.waitFor((l) => l.includes('"url"'))));

    // Kill the server that holds the lease of `long` once it has committed a few pages: the groups checkpoint (the
    // round's next link; users are listed in one page of 999) has moved three times. The lease owner is host/pid/….
    const checkpoints = new Set<string>();
    const owner = await eventually('the long sync to commit pages', async () => {
      const lease = await leaseOf('long');
      if (lease?.groups_round) checkpoints.add(lease.groups_round);
      return lease?.lease_owner && checkpoints.size >= 4 ? lease.lease_owner : undefined;
    });
    const victim = servers.find((s) => owner.split('/')[1] === String(s.pid));
    assert.ok(victim, `a server runs the long sync (lease owner ${owner})`);
    await victim.kill();

    const finished = await eventually('the other server to finish the long sync', async () => {
      const runs = await fx.gatehouse.sync.history('long');
      return runs.length >= 3 && runs[0]?.status !== 'running' ? runs[0] : undefined;
    });
    fx.emulator.faults.setLatency(0);
    assert.equal(finished.status, 'succeeded', JSON.stringify(finished.report.errors));

    // Each schedule slot was queued once although both servers ticked: one job per connection.
    const jobs = await sql.query<{ name: string; n: number }>(
      `select data->>'connection' as name, count(*)::int as n from ${jobsSchemaFor(store.schema)}.job group by 1 order by 1`,
    );
    assert.deepEqual(
      jobs.rows.map((r) => [r.name, r.n]),
      [
        ['long', 1],
        ['scheduled', 1],
      ],
    );
    const scheduled = await eventually('the scheduled sync to end', async () => {
      const runs = await fx.gatehouse.sync.history('scheduled');
      return runs[0]?.status !== 'running' ? runs : undefined;
    });
    assert.equal(scheduled.length, 2, 'the initial run and one scheduled run');

    // Same result as an uninterrupted run of the same tenant; and resumed, not restarted.
    await fx.createConnectionFor('reference', fx.emulator.defaultApp);
    const reference = await fx.gatehouse.sync.run('reference');
    assert.deepEqual(await directoryOf(fx.gatehouse, 'long'), await directoryOf(fx.gatehouse, 'reference'));
    assert.ok(
      finished.report.pages < reference.pages,
      `the finishing run read ${finished.report.pages} pages; a whole sync reads ${reference.pages}`,
    );
  });
});
