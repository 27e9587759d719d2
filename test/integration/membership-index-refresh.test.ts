import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { EmulatorProfile } from '../../src/emulator/index.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/**
 * Issue 13: the membership index after a sync. A sync that changed nothing keeps the cached index; one that changed
 * the directory rebuilds it at once, in the background, when a check read it since its last build, and a check that
 * comes meanwhile waits for the new index instead of answering from the directory before the sync.
 */
async function start(profile: EmulatorProfile) {
  const fx = await startGatehouseFixture({
    emulator: { users: 30, groups: 4, seed: `index-refresh-${profile}`, profile },
  });
  const dir = fx.emulator.directory;
  const user = dir.createUser({ displayName: 'Refresh Rita' });
  const group = dir.createGroup({ displayName: 'Refresh Group' });
  await fx.emulator.settle();
  const sync = async () => {
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
  };
  await sync();
  const cid = (await fx.gatehouse.connections.get(fx.connectionName)).id;
  // Counts the index rebuilds: the service reads the graph through its store, which `reader` is.
  const reader = fx.gatehouse.directory.reader;
  const scan = reader.scanMembershipGraph.bind(reader);
  const counter = { loads: 0 };
  reader.scanMembershipGraph = async (id, onLink) => {
    counter.loads++;
    return scan(id, onLink);
  };
  const isMember = async () => (await fx.gatehouse.directory.checkMembership(cid, user.id, group.id)).member;
  return { fx, dir, user, group, cid, sync, counter, isMember };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the membership index after a sync (issue 13)', () => {
  const opened: GatehouseFixture[] = [];
  after(async () => {
    for (const fx of opened) await fx.close();
  });

  it('a sync that changed nothing keeps the cached index and the directory version (exact profile)', async () => {
    // Exact: the realistic profile replays ~5% of objects across rounds, and a replayed object is written again.
    const t = await start('exact');
    opened.push(t.fx);
    assert.equal(await t.isMember(), false);
    assert.equal(t.counter.loads, 1, 'the first check builds the index');
    const version = await t.fx.gatehouse.directory.reader.version(t.cid);
    await t.sync();
    assert.equal(await t.fx.gatehouse.directory.reader.version(t.cid), version, 'nothing written, no new version');
    assert.equal(await t.isMember(), false);
    assert.equal(t.counter.loads, 1, 'no rebuild after a sync that changed nothing');
  });

  it('a sync that changed the directory rebuilds the index at once; a check meanwhile waits for it (realistic)', async () => {
    const t = await start('realistic');
    opened.push(t.fx);
    assert.equal(await t.isMember(), false);
    assert.equal(t.counter.loads, 1);

    // Checked right after the sync: the answer is the new directory's, from one shared rebuild.
    t.dir.addMember(t.group.id, t.user.id);
    await t.fx.emulator.settle();
    await t.sync();
    assert.equal(await t.isMember(), true, 'the check after the sync sees the sync');
    assert.equal(t.counter.loads, 2, 'the background rebuild and the check share one load');

    // Nobody checks: the rebuild starts anyway, so the next check finds it done or under way.
    t.dir.removeMember(t.group.id, t.user.id);
    await t.fx.emulator.settle();
    await t.sync();
    await until(() => t.counter.loads === 3, 'the rebuild after the sync');
    assert.equal(await t.isMember(), false);
    assert.equal(t.counter.loads, 3);

    // An index no check read since its rebuild is dropped after the next sync, not rebuilt again: rebuilt once
    // after a change, then left to the next check.
    t.dir.addMember(t.group.id, t.user.id);
    await t.fx.emulator.settle();
    await t.sync();
    await until(() => t.counter.loads === 4, 'the rebuild of an index a check had read');
    t.dir.removeMember(t.group.id, t.user.id);
    await t.fx.emulator.settle();
    await t.sync();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(t.counter.loads, 4, 'no rebuild of an index nobody read');
    assert.equal(await t.isMember(), false, 'the next check loads the directory after the sync');
    assert.equal(t.counter.loads, 5);
  });
});
