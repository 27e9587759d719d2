import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { assertMirrors } from './sync-assertions.js';

interface Round {
  link?: string;
}

/** True once either stream has applied at least one page (its checkpoint is an absolute nextLink). */
async function pagesCheckpointed(fx: GatehouseFixture, connectionId: string): Promise<boolean> {
  const row = await fx.gatehouse.store.db
    .selectFrom('sync_state')
    .select(['users_round', 'groups_round'])
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  const rounds = [row?.users_round, row?.groups_round].filter((r): r is string => typeof r === 'string');
  return rounds.some((r) => (JSON.parse(r) as Round).link?.startsWith('http') === true);
}

describe('a sync killed mid-run (a real process kill) resumes from its checkpoint', () => {
  let fx: GatehouseFixture;
  before(async () => {
    // No random 429s: the test compares request counts, and the resumed run may save as little as one page, which
    // one random 429's retry cancels out (a CI failure: "resumed 52 < full 52").
    fx = await startGatehouseFixture({
      emulator: { users: 3000, groups: 150, seed: 'resume', realism: { randomThrottleRate: 0 } },
    });
  });
  after(() => fx.close());

  it('ends with the same directory as an uninterrupted run', async () => {
    const connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    // Slow Graph down so the child is surely mid-round when it is killed.
    fx.emulator.faults.setLatency(60);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'sync', 'run', fx.connectionName], {
      env: { ...process.env, ...fx.env },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    let checkpointed = false;
    for (let i = 0; i < 1500 && !checkpointed; i++) {
      await delay(20);
      checkpointed = await pagesCheckpointed(fx, connectionId);
    }
    assert.ok(checkpointed, 'the child checkpointed a page');
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', 'the child was killed, not finished');
    assert.equal(await pagesCheckpointed(fx, connectionId), true, 'the checkpoint survived the kill');
    fx.emulator.faults.setLatency(0);

    const resumed = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(resumed.status, 'succeeded', JSON.stringify(resumed.errors));
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);

    // The same tenant synced without interruption into a second connection gives the same directory.
    await fx.createConnectionFor('uninterrupted', fx.emulator.defaultApp);
    const cleanId = (await fx.gatehouse.connections.get('uninterrupted')).id;
    const clean = await fx.gatehouse.sync.run('uninterrupted');
    assert.equal(clean.status, 'succeeded');
    const reader = fx.gatehouse.directory.reader;
    for (const kind of ['user', 'group'] as const) {
      assert.deepEqual((await reader.listIds(connectionId, kind)).sort(), (await reader.listIds(cleanId, kind)).sort());
    }
    const links = async (cid: string) =>
      (await reader.loadMembershipGraph(cid)).links.map((l) => `${l.groupId}>${l.memberId}`).sort();
    assert.deepEqual(await links(connectionId), await links(cleanId));
    assert.ok(resumed.requests < clean.requests, `resumed ${resumed.requests} < full ${clean.requests} requests`);
  });
});
