import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { failure, run } from './actions-support.js';

// Issue 11: Entra ID is eventually consistent; writes that reference a just-created object must survive it.
interface MembershipChange {
  group: string;
  changed: string[];
  unchanged: string[];
  failed: { member: string; code: string; message: string }[];
}

describe('actions under replication lag', () => {
  const fixtures: GatehouseFixture[] = [];
  after(async () => {
    for (const fx of fixtures) await fx.close();
  });

  test('create user → immediately add to a group succeeds under 3 s lag', async () => {
    const fx = await startGatehouseFixture({
      // Exact profile plus only the lag under test, so the 404 → retry sequence below is the only noise.
      emulator: {
        seed: 'lag-create-add',
        profile: 'exact',
        realism: { replicationLagMs: { min: 2500, max: 3000 } },
      },
    });
    fixtures.push(fx);
    const group = fx.emulator.directory.createGroup({ displayName: 'New Starters' });
    await fx.emulator.settle();
    const created = await run<{ id: string }>(fx, 'user.create', {
      userPrincipalName: `lagged@${fx.emulator.tenant.domain}`,
      displayName: 'Lagged Hire',
    });
    const added = await run<MembershipChange>(fx, 'group.addMember', { group: group.id, members: [created.id] });
    assert.deepEqual(added, { group: group.id, changed: [created.id], unchanged: [], failed: [] });
    assert.deepEqual(fx.emulator.directory.memberIds(group.id), [created.id]);
    const retried = fx.emulator
      .requestLog()
      .filter((e) => e.kind === 'batch-item' && e.path.endsWith('/members/$ref'))
      .map((e) => e.status);
    assert.ok(retried.length >= 2 && retried.at(-1) === 204, `404s then 204: ${retried}`);
    assert.ok(retried.slice(0, -1).every((s) => s === 404));
    // The membership itself is replicating: live, Graph says no yet and the answer says why; locally it is there.
    const live = await run<{ member: boolean; notCaughtUp?: string }>(fx, 'membership.check', {
      user: created.id,
      group: group.id,
      live: true,
    });
    assert.equal(live.member, false);
    assert.match(live.notCaughtUp ?? '', /eventually consistent/);
    const local = await run<{ member: boolean }>(fx, 'membership.check', { user: created.id, group: group.id });
    assert.equal(local.member, true);
  });

  test('"already a member" race (404 → retry → 400 already exists) ends as unchanged', async () => {
    // Exact profile: the only 404 is the injected one (no lag, no random 429s).
    const fx = await startGatehouseFixture({ emulator: { seed: 'lag-race', profile: 'exact' } });
    fixtures.push(fx);
    const group = fx.emulator.directory.createGroup({ displayName: 'Raced' });
    const user = fx.emulator.directory.createUser({ displayName: 'Racer' });
    // The first attempt lands but its answer is a 404 (the write reached a replica that had not seen the user).
    fx.emulator.faults.failNextGraphRequests(1, {
      status: 404,
      code: 'Request_ResourceNotFound',
      match: ({ path }) => path.endsWith('/members/$ref') && fx.emulator.directory.addMember(group.id, user.id),
    });
    const added = await run<MembershipChange>(fx, 'group.addMember', { group: group.id, members: [user.id] });
    assert.deepEqual(added, { group: group.id, changed: [], unchanged: [user.id], failed: [] });
  });

  test('an object that never appears fails after ~30 s on the injected clock with GRAPH_NOT_YET_REPLICATED', async () => {
    const slept: number[] = [];
    let offset = 0;
    const clock: Clock = {
      now: () => new Date(systemClock.nowMs() + offset),
      nowMs: () => systemClock.nowMs() + offset,
      sleep: async (ms) => {
        slept.push(ms);
        offset += ms;
      },
    };
    // Exact profile: the waits summed below are only the replication retries (no random 429 back-offs, no lag
    // on the seeded group).
    const fx = await startGatehouseFixture({ emulator: { seed: 'lag-never', profile: 'exact' }, clock });
    fixtures.push(fx);
    const group = fx.emulator.directory.createGroup({ displayName: 'Waiting' });
    const ghost = '00000000-0000-4000-8000-00000000beef';
    const error = await failure(fx, 'group.addMember', { group: group.id, members: [ghost] });
    assert.equal(error.code, 'GRAPH_NOT_YET_REPLICATED');
    assert.match(error.hint ?? '', /eventually consistent/);
    const total = slept.reduce((a, b) => a + b, 0);
    assert.ok(total >= 29_000 && total <= 30_000, `waited ${total} ms in ${slept.length} steps`);
    assert.ok(slept.every((ms, i) => i === 0 || ms >= (slept[i - 1] as number) || i === slept.length - 1));
  });
});
