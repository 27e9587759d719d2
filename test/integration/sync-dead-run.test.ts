import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { createSyncRepository } from '../../src/store/sync-repository.js';
import type { SyncStore } from '../../src/sync/ports.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

interface StatusJson {
  running: boolean;
  lastRun: { id: string; status: string; errorCode?: string; mode: string; report: { errors: { message: string }[] } };
}

/**
 * Issue 17 case 4 (and 6): a run whose process died stays `running` in the history until the NEXT run takes its lease
 * over, so `sync status` reported a running sync for a dead process. Now the run is closed as soon as its lease has
 * lapsed — on the next look at the connection (`sync status`, the server's scheduler tick) — saying it died and how
 * far its heartbeat got.
 */
describe('a run whose process died', () => {
  let fx: GatehouseFixture;
  let store: SyncStore;
  let connectionId: string;
  const clock = createManualClock(new Date());
  before(async () => {
    // No random 429s: this gatehouse runs on a manual clock, which the Graph client's Retry-After waits follow.
    fx = await startGatehouseFixture({
      clock,
      emulator: { users: 5, groups: 2, seed: 'dead-run', realism: { randomThrottleRate: 0 } },
    });
    store = createSyncRepository(fx.gatehouse.store.db);
    connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
  });
  after(() => fx.close());

  it('is closed once its lease lapses; `sync status` says it died and the last page reached', async () => {
    const id = randomUUID();
    const started = clock.now();
    await store.saveRun({
      id,
      connectionId,
      startedAt: started.toISOString(),
      mode: 'incremental',
      status: 'running',
      dryRun: false,
      report: {
        connection: fx.connectionName,
        mode: 'incremental',
        status: 'running',
        dryRun: false,
        users: { added: 0, updated: 0, removed: 0 },
        groups: { added: 0, updated: 0, removed: 0 },
        memberships: { added: 0, removed: 0 },
        requests: 0,
        retries: 0,
        throttled: 0,
        resourceUnits: 0,
        pages: 0,
        durationMs: 0,
        errors: [],
      },
    });
    const lease = new Date(started.getTime() + 45_000).toISOString();
    assert.ok(await store.acquireLease(connectionId, `elsewhere/77/owner#${id}`, started.toISOString(), lease));
    // Its heartbeat recorded 7 pages of a full round before the process died.
    await store.recordRunProgress(id, { pages: 7, mode: 'full' });

    const alive = (await fx.runCli(['sync', 'status', fx.connectionName, '--json'])).json<StatusJson>();
    assert.deepEqual([alive.running, alive.lastRun.status], [true, 'running'], 'inside its lease it is running');

    clock.advance(46_000);
    const dead = (await fx.runCli(['sync', 'status', fx.connectionName, '--json'])).json<StatusJson>();
    assert.equal(dead.running, false);
    assert.equal(dead.lastRun.id, id);
    assert.equal(dead.lastRun.status, 'failed', 'closed at once, not at the next run');
    assert.equal(dead.lastRun.errorCode, 'SYNC_RUN_INTERRUPTED');
    assert.equal(dead.lastRun.mode, 'full', 'the mode it was in');
    assert.match(dead.lastRun.report.errors[0]?.message ?? '', /died .* after 7 pages/);
    assert.ok(((await store.leaseHolder(connectionId))?.expiresAt ?? '') < clock.now().toISOString(), 'lapsed');
    const text = await fx.runCli(['sync', 'status', fx.connectionName]);
    assert.match(text.stdout, /last error +SYNC_RUN_INTERRUPTED: The sync run died .* after 7 pages/);
    assert.match(text.stdout, /hint: Nothing is lost/);

    const next = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(next.status, 'succeeded', JSON.stringify(next.errors));
  });

  it('a heartbeat that lands after the run ended changes nothing', async () => {
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    const [run] = await store.listRuns(connectionId, 1);
    assert.equal(run?.status, 'succeeded');
    await store.recordRunProgress(String(run?.id), { pages: 999, mode: 'full' });
    const [same] = await store.listRuns(connectionId, 1);
    assert.equal(same?.report.pages, report.pages);
  });
});
