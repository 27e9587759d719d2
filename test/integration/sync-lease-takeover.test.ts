import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { createSyncRepository } from '../../src/store/sync-repository.js';
import type { SyncRunRecord, SyncStore } from '../../src/sync/ports.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/**
 * A run whose process died: its history row says `running` and it holds the lease (owner `…#<run id>`, as
 * SyncService names lease owners).
 */
async function deadRun(store: SyncStore, connectionId: string, ownerPrefix: string, startedAt: Date, leaseMs: number) {
  const id = randomUUID();
  const run: SyncRunRecord = {
    id,
    connectionId,
    startedAt: startedAt.toISOString(),
    mode: 'full',
    status: 'running',
    dryRun: false,
    report: {
      connection: 'entra-test',
      mode: 'full',
      status: 'running',
      dryRun: false,
      users: { added: 3, updated: 0, removed: 0 },
      groups: { added: 0, updated: 0, removed: 0 },
      memberships: { added: 0, removed: 0 },
      requests: 1,
      retries: 0,
      throttled: 0,
      resourceUnits: 0,
      pages: 1,
      durationMs: 0,
      errors: [],
    },
  };
  await store.saveRun(run);
  const until = new Date(startedAt.getTime() + leaseMs).toISOString();
  assert.equal(await store.acquireLease(connectionId, `${ownerPrefix}#${id}`, startedAt.toISOString(), until), true);
  return id;
}

interface HistoryRow {
  id: string;
  status: string;
  finishedAt?: string;
  errorCode?: string;
  report: { status: string; errors: { code: string; message: string }[] };
}

describe('a sync that takes over the lease of a stopped run closes that run as failed', () => {
  let fx: GatehouseFixture;
  let store: SyncStore;
  let connectionId: string;
  const clock = createManualClock(new Date());
  before(async () => {
    // No random 429s: this gatehouse runs on a manual clock, which the Graph client's Retry-After waits follow.
    fx = await startGatehouseFixture({
      clock,
      emulator: { users: 5, groups: 2, seed: 'lease-takeover', realism: { randomThrottleRate: 0 } },
    });
    store = createSyncRepository(fx.gatehouse.store.db);
    connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
  });
  after(() => fx.close());

  const history = async () => {
    const result = await fx.runCli(['sync', 'history', fx.connectionName, '--json']);
    assert.equal(result.exitCode, 0, result.stderr);
    return result.json<HistoryRow[]>();
  };

  const assertClosed = (row: HistoryRow | undefined) => {
    assert.ok(row, 'the stopped run is in the history');
    assert.equal(row.status, 'failed');
    assert.equal(row.report.status, 'failed');
    assert.equal(row.errorCode, 'SYNC_RUN_INTERRUPTED');
    assert.equal(row.finishedAt, clock.now().toISOString());
    assert.match(row.report.errors[0]?.message ?? '', /stopped/);
  };

  it('after the lease expired (a process on another host that stopped renewing it)', async () => {
    const id = await deadRun(store, connectionId, 'elsewhere/4242/owner', clock.now(), 60_000);
    clock.advance(61_000);
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded');
    const runs = await history();
    assertClosed(runs.find((r) => r.id === id));
    assert.equal(runs.filter((r) => r.status === 'running').length, 0);
  });

  it('from a dead process on this host while its lease is still valid', async () => {
    clock.advance(1_000);
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    const id = await deadRun(store, connectionId, `${hostname()}/${pid}/owner`, clock.now(), 600_000);
    clock.advance(1_000);
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded');
    assertClosed((await history()).find((r) => r.id === id));
    const status = await fx.runCli(['sync', 'status', fx.connectionName, '--json']);
    const view = status.json<{ running: boolean; lastRun: { status: string } }>();
    assert.deepEqual([view.running, view.lastRun.status], [false, 'succeeded']);
  });

  it('leaves a run alone that finished before the lease was taken', async () => {
    clock.advance(1_000);
    const id = await deadRun(store, connectionId, 'elsewhere/4243/owner', clock.now(), 60_000);
    const [row] = (await store.listRuns(connectionId, 1)) as [SyncRunRecord];
    await store.saveRun({ ...row, status: 'succeeded', finishedAt: clock.now().toISOString() });
    clock.advance(61_000);
    await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal((await history()).find((r) => r.id === id)?.status, 'succeeded');
  });
});
