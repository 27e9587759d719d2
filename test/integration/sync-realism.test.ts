import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { assertMirrors } from './sync-assertions.js';

// Issue 11: sync against the tenant as Microsoft runs it (src/emulator/README.md "Realism").
describe('sync under realism: soft delete and restore (concepts/delta-query-groups.md)', () => {
  let fx: GatehouseFixture;
  after(() => fx?.close());

  it('soft delete → sync → restore → sync keeps every membership; a permanent delete removes them', async () => {
    fx = await startGatehouseFixture({
      // Explicit: the realistic profile (replays, `@removed` in first rounds, random 429s, …) with the behaviour
      // this test is about named, so it holds whatever the default profile becomes.
      emulator: { seed: 'soft-delete', profile: 'realistic', realism: { softDeleteKeepsMemberships: true } },
    });
    const cid = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    const dir = fx.emulator.directory;
    const user = dir.createUser({ displayName: 'Temporary Leaver' });
    const other = dir.createUser({ displayName: 'Stays' });
    const parent = dir.createGroup({ displayName: 'Parent' });
    const groups = ['Alpha', 'Beta', 'Gamma'].map((displayName) => dir.createGroup({ displayName }));
    for (const g of groups) dir.addMember(g.id, user.id);
    dir.addMember(groups[0]?.id as string, other.id);
    dir.addMember(parent.id, groups[0]?.id as string);
    const run = async () => {
      // Each tenant change below has replicated by the time the sync runs (replication lag is the next suite's
      // subject): settle() ends the realistic profile's 0–3 s lag.
      await fx.emulator.settle();
      const report = await fx.gatehouse.sync.run(fx.connectionName);
      assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
      fx.gatehouse.directory.invalidate(cid);
      return report;
    };
    const memberOfAlpha = async () =>
      (await fx.gatehouse.directory.checkMembership(cid, user.id, groups[0]?.id as string)).member;
    await run();
    assert.equal(await memberOfAlpha(), true);

    dir.delete(user.id);
    await run();
    const shown = await fx.gatehouse.directory.reader.getUser(cid, user.id);
    assert.equal(shown?.deleted, true, 'kept and shown as deleted');
    assert.equal(await memberOfAlpha(), false, 'a soft-deleted user is a member of nothing');
    assert.equal(
      (await fx.gatehouse.directory.checkMembership(cid, user.id, parent.id)).member,
      false,
      'nor through nesting',
    );
    const alphaMembers = await fx.gatehouse.directory.members(cid, groups[0]?.id as string, false);
    assert.deepEqual(
      alphaMembers.map((m) => m.memberId),
      [other.id],
      'hidden from member lists',
    );
    await assertMirrors(fx.gatehouse, cid, fx.emulator);

    dir.restore(user.id);
    const restored = await run();
    assert.equal(restored.mode, 'incremental', 'no resync needed');
    assert.equal((await fx.gatehouse.directory.reader.getUser(cid, user.id))?.deleted, undefined);
    assert.equal(await memberOfAlpha(), true, 'the restore brings the memberships back');
    assert.equal((await fx.gatehouse.directory.checkMembership(cid, user.id, parent.id)).member, true);
    for (const g of groups) {
      const members = await fx.gatehouse.directory.members(cid, g.id, false);
      assert.ok(
        members.some((m) => m.memberId === user.id),
        `member of ${g.displayName} again`,
      );
    }
    await assertMirrors(fx.gatehouse, cid, fx.emulator);

    dir.delete(user.id);
    dir.delete(user.id, { permanently: true });
    await run();
    assert.equal(await fx.gatehouse.directory.reader.getUser(cid, user.id), undefined);
    const links = await fx.gatehouse.directory.reader.loadMembershipGraph(cid);
    assert.ok(!links.links.some((l) => l.memberId === user.id), 'links gone after the permanent delete');
    await assertMirrors(fx.gatehouse, cid, fx.emulator);
  });
});

describe('sync under realism: lag, disorder, replays and random 429s together', () => {
  let fx: GatehouseFixture;
  after(() => fx?.close());

  it('interleaved split groups and cross-round replays merge idempotently (identical to the tenant)', async () => {
    fx = await startGatehouseFixture({
      emulator: {
        seed: 'sync-realism',
        users: 300,
        groups: 12,
        profile: 'realistic',
        // Small pages so big groups split often; 429s at 5% with fractional or absent Retry-After.
        delta: { objectCap: 25, memberCap: 40 },
        realism: { randomThrottleRate: 0.05, replicationLagMs: { min: 0, max: 400 }, crossRoundReplayRate: 0.3 },
      },
    });
    const cid = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    const dir = fx.emulator.directory;
    const sync = async () => {
      const report = await fx.gatehouse.sync.run(fx.connectionName);
      assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
      return report;
    };
    await sync();
    await fx.emulator.settle();
    await sync();
    await assertMirrors(fx.gatehouse, cid, fx.emulator);

    // Changes while other changes are still replicating; the next rounds replay some of them.
    const snap = dir.snapshot();
    const users = snap.users.filter((u) => u.accountEnabled !== false);
    for (let i = 0; i < 10; i++) dir.createUser({ displayName: `Realism ${i}` });
    const big = [...snap.groups].sort((a, b) => b.members.length - a.members.length)[0];
    for (const u of users.slice(0, 60))
      if (!dir.memberIds(String(big?.id)).includes(u.id)) dir.addMember(String(big?.id), u.id);
    dir.update(String(snap.groups[1]?.id), { displayName: 'Renamed under lag' });
    dir.delete(String(users[70]?.id));
    dir.delete(String(users[71]?.id), { permanently: true });
    await sync();
    await fx.emulator.settle();
    await sync();
    const report = await sync();
    assert.ok(report.requests > 0);
    await assertMirrors(fx.gatehouse, cid, fx.emulator);

    // A clean full sync of the same tenant gives the same directory.
    const before = await fx.gatehouse.directory.reader.loadMembershipGraph(cid);
    const clean = await fx.gatehouse.sync.run(fx.connectionName, { full: true });
    assert.equal(clean.status, 'succeeded', JSON.stringify(clean.errors));
    const afterFull = await fx.gatehouse.directory.reader.loadMembershipGraph(cid);
    const key = (g: typeof before) => g.links.map((l) => `${l.groupId}>${l.memberId}`).sort();
    assert.deepEqual(key(afterFull), key(before));
  });
});
