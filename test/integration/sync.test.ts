import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { profileSettings } from '../../src/emulator/index.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { assertMirrors, deleteUser } from './sync-assertions.js';

describe('directory sync against the emulator', () => {
  let fx: GatehouseFixture;
  let connectionId: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 400, groups: 30, seed: 'sync-test' } });
    connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
  });
  after(() => fx.close());

  it('a full sync reproduces the tenant (disabled users excluded, devices ignored)', async () => {
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.equal(report.mode, 'full');
    assert.ok(report.requests > 0 && report.pages > 0);
    assert.ok(
      fx.emulator.directory.snapshot().users.some((u) => u.accountEnabled === false),
      'tenant has disabled users',
    );
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
    const counts = await fx.gatehouse.directory.reader.counts(connectionId);
    assert.equal(report.users.added, counts.users);
    // Objects repeated across pages (replays, a big group's member slices) are counted once.
    assert.deepEqual([report.groups.added, report.groups.updated, report.users.updated], [counts.groups, 0, 0]);
  });

  it('a second run applies exactly the changes, through the delta links only', async () => {
    const dir = fx.emulator.directory;
    const truth = dir.snapshot();
    const [u1, u2, u3] = truth.users.filter((u) => u.accountEnabled !== false);
    const [g1, g2] = truth.groups;
    dir.createUser({ displayName: 'New Starter' });
    dir.disableUser(String(u1?.id));
    deleteUser(fx.emulator, String(u2?.id));
    dir.update(String(g1?.id), { displayName: 'Renamed Group' });
    dir.addMember(String(g2?.id), String(u3?.id));
    // The realistic emulator lags creates and membership changes by up to 3 s; these tests change the tenant
    // through emulator.directory and then sync expecting the change, i.e. it has replicated by then: settle().
    await fx.emulator.settle();
    fx.emulator.clearRequestLog();
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.equal(report.mode, 'incremental');
    assert.equal(report.users.added, 1);
    assert.equal(report.users.removed, 2);
    const graphPaths = fx.emulator
      .requestLog()
      .filter((e) => e.kind === 'graph')
      .map((e) => e.path);
    assert.ok(graphPaths.length > 0 && graphPaths.every((p) => p.includes('/delta')), graphPaths.join(' '));
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('an expired delta token (410) starts a full round that reconciles', async () => {
    deleteUser(fx.emulator, String(fx.emulator.directory.snapshot().users[5]?.id), true);
    fx.emulator.expireDeltaTokens();
    await fx.emulator.settle();
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.equal(report.mode, 'full');
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('ends correct when 20% of Graph requests are answered 429 with Retry-After', async () => {
    const dir = fx.emulator.directory;
    const group = dir.snapshot().groups[3];
    for (let i = 0; i < 5; i++) dir.createUser({ displayName: `Throttled ${i}` });
    dir.removeMember(String(group?.id), String(dir.memberIds(String(group?.id))[0]));
    await fx.emulator.settle();
    // 20%, not 30%: the client gives a request 6 attempts, and with users and groups read concurrently the order of
    // requests varies, so at 30% one request in a sync met six 429s in a row in about 1 run in 15 (0.3^6 per
    // request; a CI run on PostgreSQL). At 20% that is 0.2^6, about 1 run in 150.
    // A seeded fault plan, replayed against a deterministic request sequence: with lag, replays and the random
    // 429s of the realistic profile the sequence varies, and sometimes one request meets six 429s in a row (the
    // client's retry limit, with Retry-After 0). sync-realism.test.ts runs lag, disorder and random 429s together.
    const realistic = { ...fx.emulator.realism };
    fx.emulator.setRealism(profileSettings('exact'));
    fx.emulator.faults.setGraphFailureRate(0.2, { status: 429, retryAfterSeconds: 0 });
    try {
      const report = await fx.gatehouse.sync.run(fx.connectionName, { full: true });
      assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
      assert.ok(report.throttled > 0, 'some requests were throttled');
      assert.ok(report.retries >= report.throttled);
    } finally {
      fx.emulator.faults.clear();
      fx.emulator.setRealism(realistic);
    }
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('a dry run reports the changes and writes nothing', async () => {
    fx.emulator.directory.createUser({ displayName: 'Dry Run Person' });
    await fx.emulator.settle();
    const before = await fx.gatehouse.directory.reader.counts(connectionId);
    const report = await fx.gatehouse.sync.run(fx.connectionName, { dryRun: true });
    assert.equal(report.status, 'succeeded');
    assert.equal(report.dryRun, true);
    assert.equal(report.users.added, 1);
    assert.deepEqual(await fx.gatehouse.directory.reader.counts(connectionId), before);
    const applied = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(applied.users.added, 1);
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('quarantines a mass deletion with nothing applied, then applies it with allowDeletes', async () => {
    const dir = fx.emulator.directory;
    const victims = dir.snapshot().users.slice(0, 120);
    for (const user of victims) deleteUser(fx.emulator, String(user.id));
    await fx.emulator.settle();
    const before = await fx.gatehouse.directory.reader.counts(connectionId);
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'quarantined');
    assert.equal(report.errors[0]?.code, 'SYNC_DELETE_THRESHOLD_EXCEEDED');
    assert.ok((report.pendingRemovals?.users ?? 0) >= 100);
    assert.deepEqual(await fx.gatehouse.directory.reader.counts(connectionId), before);
    const again = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(again.status, 'quarantined', 'still held without --allow-deletes');
    const released = await fx.gatehouse.sync.run(fx.connectionName, { allowDeletes: true });
    assert.equal(released.status, 'succeeded', JSON.stringify(released.errors));
    assert.ok(released.users.removed >= 100);
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
    const history = await fx.gatehouse.sync.history(fx.connectionName);
    assert.deepEqual(
      history.slice(0, 3).map((r) => r.status),
      ['succeeded', 'quarantined', 'quarantined'],
    );
  });

  it('a full round whose checkpoint expired while the run was down starts over and still ends correct', async () => {
    let groupPages = 0;
    fx.emulator.configureDelta({ objectCap: 5 });
    fx.emulator.faults.failNextGraphRequests(1, {
      status: 403,
      code: 'Authorization_RequestDenied',
      match: ({ path }) => path.includes('/groups/delta') && ++groupPages === 3,
    });
    const failed = await fx.gatehouse.sync.run(fx.connectionName, { full: true });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errors[0]?.code, 'GRAPH_INSUFFICIENT_PRIVILEGES');
    fx.emulator.directory.createGroup({ displayName: 'Created While Down' });
    fx.emulator.expireDeltaTokens();
    await fx.emulator.settle();
    const resumed = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(resumed.status, 'succeeded', JSON.stringify(resumed.errors));
    assert.equal(resumed.mode, 'full');
    fx.emulator.configureDelta({ objectCap: 200 });
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('refuses a second concurrent run of the same connection', async () => {
    // Either call may take the lease first (on PostgreSQL the order of the two round trips is not fixed).
    const outcomes = await Promise.allSettled([
      fx.gatehouse.sync.run(fx.connectionName),
      fx.gatehouse.sync.run(fx.connectionName),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(won[0]?.status === 'fulfilled' && won[0].value.status, 'succeeded');
    assert.equal(refused.length, 1);
    assert.equal(
      refused[0]?.status === 'rejected' && (refused[0].reason as { code?: string }).code,
      'SYNC_ALREADY_RUNNING',
    );
  });
});
