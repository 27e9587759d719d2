import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MembershipIndex } from '../../src/directory/membership-index.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { Gatehouse } from '../../src/main.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

const MEMBER_TYPES = new Set(['#microsoft.graph.user', '#microsoft.graph.group']);

/** Asserts the local directory equals the emulated tenant: users (enabled only), groups, direct + transitive links. */
async function assertMirrors(gatehouse: Gatehouse, connectionId: string, emulator: Emulator): Promise<void> {
  const truth = emulator.directory.snapshot();
  const store = gatehouse.directory.reader;
  const enabled = truth.users.filter((u) => u.accountEnabled !== false);
  assert.deepEqual((await store.listIds(connectionId, 'user')).sort(), enabled.map((u) => u.id).sort(), 'users');
  assert.deepEqual((await store.listIds(connectionId, 'group')).sort(), truth.groups.map((g) => g.id).sort(), 'groups');
  const local = await store.loadMembershipGraph(connectionId);
  const localLinks = local.links.map((l) => `${l.groupId}>${l.memberId}:${l.memberType}`).sort();
  // Members that are active users or groups (the emulator's snapshot may still list a deleted user's links).
  const active = new Set([...truth.users, ...truth.groups].map((o) => o.id));
  const truthLinks = truth.groups
    .flatMap((g) =>
      g.members
        .filter((m) => MEMBER_TYPES.has(m['@odata.type']) && active.has(m.id))
        .map((m) => `${g.id}>${m.id}:${m['@odata.type'] === '#microsoft.graph.group' ? 'group' : 'user'}`),
    )
    .sort();
  const extra = localLinks.filter((l) => !truthLinks.includes(l));
  const missing = truthLinks.filter((l) => !localLinks.includes(l));
  assert.deepEqual({ extra, missing }, { extra: [], missing: [] }, 'direct memberships');
  const index = MembershipIndex.build(local);
  for (const user of enabled.slice(0, 60)) {
    const expected = new Set(emulator.directory.transitiveGroupIds(user.id));
    for (const group of truth.groups) {
      assert.equal(index.path(user.id, group.id) !== undefined, expected.has(group.id), `${user.id} in ${group.id}`);
    }
  }
  const sample = (await store.getUser(connectionId, String(enabled[0]?.userPrincipalName)))?.displayName;
  assert.equal(sample, enabled[0]?.displayName);
}

/**
 * Deletes a user in the emulated tenant. Its memberships are removed first because the emulator's `remove`
 * (src/emulator/directory-state.ts) currently drops only every other membership of a deleted object (it splices the
 * list it iterates), which would leave its truth wrong for users in several groups.
 */
function deleteUser(emulator: Emulator, id: string, permanently = false): void {
  for (const g of emulator.directory.snapshot().groups) {
    if (g.members.some((m) => m.id === id)) emulator.directory.removeMember(g.id, id);
  }
  emulator.directory.delete(id, { permanently });
}

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
    assert.equal(report.users.added, (await fx.gatehouse.directory.reader.counts(connectionId)).users);
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
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.equal(report.mode, 'full');
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('ends correct when 30% of Graph requests are answered 429 with Retry-After', async () => {
    const dir = fx.emulator.directory;
    const group = dir.snapshot().groups[3];
    for (let i = 0; i < 5; i++) dir.createUser({ displayName: `Throttled ${i}` });
    dir.removeMember(String(group?.id), String(dir.memberIds(String(group?.id))[0]));
    fx.emulator.faults.setGraphFailureRate(0.3, { status: 429, retryAfterSeconds: 0 });
    try {
      const report = await fx.gatehouse.sync.run(fx.connectionName, { full: true });
      assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
      assert.ok(report.throttled > 0, 'some requests were throttled');
      assert.ok(report.retries >= report.throttled);
    } finally {
      fx.emulator.faults.clear();
    }
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('a dry run reports the changes and writes nothing', async () => {
    fx.emulator.directory.createUser({ displayName: 'Dry Run Person' });
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
