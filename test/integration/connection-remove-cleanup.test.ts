import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import type { Gatehouse } from '../../src/main.js';
import { startTestServer } from '../server/server-harness.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

const TABLES = [
  'directory_users',
  'directory_groups',
  'directory_group_keys',
  'directory_versions',
  'sync_state',
  'sync_pending_removals',
  'sync_runs',
] as const;

type Counts = Record<(typeof TABLES)[number] | 'directory_links' | 'orphan_links', number>;

/**
 * Rows each per-connection table holds for `connectionId`. Links carry a group key, not the connection: they are
 * counted through the connection's keys, and links whose key is gone anywhere (left behind) as `orphan_links`.
 */
async function rowsFor(gatehouse: Gatehouse, connectionId: string): Promise<Counts> {
  const counts = Object.fromEntries(TABLES.map((t) => [t, -1])) as Counts;
  const db = gatehouse.store.db;
  const links = await db
    .selectFrom('directory_links')
    .innerJoin('directory_group_keys', 'directory_group_keys.key', 'directory_links.group_key')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('directory_group_keys.connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
  counts.directory_links = Number(links.n);
  const orphans = await db
    .selectFrom('directory_links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('directory_group_keys')
            .select('key')
            .whereRef('directory_group_keys.key', '=', 'directory_links.group_key'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  counts.orphan_links = Number(orphans.n);
  for (const table of TABLES) {
    const row = await gatehouse.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', connectionId)
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const NONE = Object.fromEntries([...TABLES, 'directory_links', 'orphan_links'].map((t) => [t, 0]));

describe('removing a connection removes its directory and sync state', () => {
  let fx: GatehouseFixture;
  let upn: string;
  // The clock stands still, so a cached membership index is trusted (not re-checked against the store).
  const clock = createManualClock(new Date());
  before(async () => {
    // No random 429s: this gatehouse runs on a manual clock, which the Graph client's Retry-After waits follow.
    fx = await startGatehouseFixture({
      clock,
      emulator: { users: 6, groups: 2, seed: 'remove-cleanup', realism: { randomThrottleRate: 0 } },
    });
    const dir = fx.emulator.directory;
    const user = dir.createUser({ displayName: 'Removal Rita' });
    upn = String(user.userPrincipalName);
    const group = dir.createGroup({ displayName: 'Removal Group' });
    dir.addMember(group.id, user.id);
    // The realistic emulator lags creates and membership changes by up to 3 s; the tenant was set up before the
    // syncs below, i.e. it has replicated by then: settle().
    await fx.emulator.settle();
  });
  after(() => fx.close());

  it('ConnectionService.remove drops rows, schedule, history and the cached membership index', async () => {
    const { gatehouse } = fx;
    const old = await gatehouse.connections.get(fx.connectionName);
    assert.equal((await gatehouse.sync.run(fx.connectionName)).status, 'succeeded');
    await gatehouse.sync.configure(fx.connectionName, { schedule: 'every 15m' });
    const answer = await gatehouse.directory.checkMembership(old.id, upn, 'Removal Group');
    assert.equal(answer.member, true);
    const stored = await rowsFor(gatehouse, old.id);
    assert.ok(
      stored.directory_users > 0 && stored.directory_links > 0 && stored.sync_runs === 1 && stored.sync_state === 1,
      JSON.stringify(stored),
    );

    await gatehouse.connections.remove(fx.connectionName);

    assert.deepEqual(await rowsFor(gatehouse, old.id), NONE);
    assert.equal((await gatehouse.directory.index(old.id)).size, 0, 'the cached membership index was dropped');

    // A new connection of the same name starts empty.
    await fx.createConnectionFor(fx.connectionName, fx.emulator.defaultApp);
    const status = await fx.runCli(['sync', 'status', fx.connectionName, '--json']);
    assert.equal(status.exitCode, 0, status.stderr);
    const view = status.json<{ schedule: string | null; lastRun: unknown; lastSyncedAt: string | null }>();
    assert.deepEqual([view.schedule, view.lastRun, view.lastSyncedAt], [null, null, null]);
    const users = await fx.runCli(['directory', 'users', fx.connectionName, '--json']);
    assert.deepEqual(users.json(), []);
    const history = await fx.runCli(['sync', 'history', fx.connectionName, '--json']);
    assert.deepEqual(history.json(), []);
  });

  it('`gatehouse connections remove` drops them too', async () => {
    const synced = await fx.runCli(['sync', 'run', fx.connectionName, '--json']);
    assert.equal(synced.exitCode, 0, synced.stderr);
    const id = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    assert.ok((await rowsFor(fx.gatehouse, id)).directory_users > 0);
    const removed = await fx.runCli(['connections', 'remove', fx.connectionName, '--json']);
    assert.equal(removed.exitCode, 0, removed.stderr);
    assert.deepEqual(await rowsFor(fx.gatehouse, id), NONE);
  });
});

describe('DELETE /api/v1/connections/:name removes its directory and sync state', () => {
  it('leaves no rows of the connection', async () => {
    const server = await startTestServer();
    try {
      const { gatehouse, connectionName } = server.fixture;
      assert.equal((await gatehouse.sync.run(connectionName)).status, 'succeeded');
      const id = (await gatehouse.connections.get(connectionName)).id;
      const stored = await rowsFor(gatehouse, id);
      assert.ok(stored.sync_runs === 1 && stored.sync_state === 1, JSON.stringify(stored));
      const admin = await server.token('admin');
      const response = await server.app.inject({
        method: 'DELETE',
        url: `/api/v1/connections/${encodeURIComponent(connectionName)}`,
        headers: admin.headers,
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(await rowsFor(gatehouse, id), NONE);
    } finally {
      await server.close();
    }
  });
});
