import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { run } from './actions-support.js';

// Issue 11: the doctor and the actions against the whole `realistic` profile at once (lag 0–3 s, delta disorder
// and replays, shuffled $batch, random 429s with fractional or absent Retry-After, strict input, soft delete).
describe('the realistic profile: doctor and actions', () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({
      emulator: {
        seed: 'realistic-profile',
        profile: 'realistic',
        users: 60,
        groups: 8,
        // A higher 429 rate than the profile's 2%, so every run meets several.
        realism: { randomThrottleRate: 0.1 },
      },
    });
  });
  after(() => fx?.close());

  it('the doctor passes', async () => {
    const result = await fx.runCli(['connections', 'test', fx.connectionName, '--json']);
    const report = result.json<DoctorReport>();
    assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => c.status === 'fail')));
    assert.equal(result.exitCode, 0);
  });

  it('sync, then create a user, add it and others to a group at once, check membership locally', async () => {
    const sync = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(sync.status, 'succeeded', JSON.stringify(sync.errors));
    const group = fx.emulator.directory.createGroup({ displayName: 'Realistic Team' });
    const others = fx.emulator.directory
      .snapshot()
      .users.filter((u) => u.accountEnabled !== false)
      .slice(0, 25)
      .map((u) => u.id);
    await fx.emulator.settle();
    const created = await run<{ id: string }>(fx, 'user.create', {
      userPrincipalName: `realistic.hire@${fx.emulator.tenant.domain}`,
      displayName: 'Realistic Hire',
    });
    const added = await run<{ changed: string[]; failed: unknown[] }>(fx, 'group.addMember', {
      group: group.id,
      members: [created.id, ...others],
    });
    assert.deepEqual(added.failed, []);
    assert.equal(added.changed.length, 26);
    assert.deepEqual(fx.emulator.directory.memberIds(group.id).sort(), [created.id, ...others].sort());
    // The local directory answers from the write at once, whatever Graph's replicas say yet.
    const local = await run<{ member: boolean; source: string }>(fx, 'membership.check', {
      user: created.id,
      group: group.id,
    });
    assert.deepEqual([local.member, local.source], [true, 'directory']);
  });
});
