import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { assertMirrors } from './sync-assertions.js';

/**
 * Issue 17 case 2: a delta or skip link that Graph refuses (the emulator restarted and no longer knows its tokens,
 * a 400 `syncStateNotFound`, a 410) must start ONE reconciling full round — never leave the connection failing
 * forever — and a second refusal of that full round ends with SYNC_RESYNC_FAILED and a hint. Case 6: a failed run
 * keeps the mode (full) it was in.
 */
describe('a saved delta link that Graph refuses', () => {
  let fx: GatehouseFixture;
  let connectionId: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 120, groups: 12, seed: 'stale-link' } });
    connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    const first = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(first.status, 'succeeded', JSON.stringify(first.errors));
  });
  after(() => fx.close());

  /** Replaces the token of a saved delta link with one the emulator never issued (as after its restart). */
  async function garbleDeltaLink(column: 'users_delta_link' | 'groups_delta_link'): Promise<void> {
    const row = await fx.gatehouse.store.db
      .selectFrom('sync_state')
      .select(column)
      .where('connection_id', '=', connectionId)
      .executeTakeFirstOrThrow();
    const link = String(row[column]);
    assert.match(link, /\$deltatoken=/);
    await fx.gatehouse.store.db
      .updateTable('sync_state')
      .set({ [column]: link.replace(/\$deltatoken=[^&]+/, '$deltatoken=bm90LWEtdG9rZW4tZnJvbS10aGlzLWVtdWxhdG9y') })
      .where('connection_id', '=', connectionId)
      .execute();
  }

  it('an unknown token (400 Request_BadRequest) starts one full round that reconciles, with the reason', async () => {
    await garbleDeltaLink('users_delta_link');
    fx.emulator.directory.createUser({ displayName: 'Joined While The Link Was Stale' });
    // The realistic emulator lags creates by up to 3 s; the user joined before this sync, i.e. has replicated.
    await fx.emulator.settle();
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.equal(report.mode, 'full');
    assert.deepEqual(report.resyncs, [
      { stream: 'users', code: 'GRAPH_BAD_REQUEST', status: 400, graphCode: 'Request_BadRequest' },
    ]);
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
    const [run] = await fx.gatehouse.sync.history(fx.connectionName, 1);
    assert.deepEqual(run?.report.resyncs?.[0]?.stream, 'users', 'the reason is in the stored run report');
    const next = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(next.status, 'succeeded');
    assert.equal(next.mode, 'incremental', 'the new delta links are used again');
    assert.equal(next.resyncs, undefined);
  });

  it('400 syncStateNotFound on a saved link starts a full round too', async () => {
    fx.emulator.faults.failNextGraphRequests(1, {
      status: 400,
      code: 'syncStateNotFound',
      match: ({ path }) => path.includes('/groups/delta') && path.includes('deltatoken='),
    });
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.equal(report.mode, 'full');
    assert.equal(report.resyncs?.[0]?.graphCode, 'syncStateNotFound');
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('a refused full round after a refused link ends with SYNC_RESYNC_FAILED (mode full), then recovers', async () => {
    await garbleDeltaLink('groups_delta_link');
    fx.emulator.faults.failNextGraphRequests(1, {
      status: 400,
      code: 'Request_BadRequest',
      match: ({ path }) => path.includes('/groups/delta') && !path.includes('token='),
    });
    const failed = await fx.gatehouse.sync.run(fx.connectionName);
    fx.emulator.faults.clear();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errors[0]?.code, 'SYNC_RESYNC_FAILED');
    assert.match(String(failed.errors[0]?.hint), /sync run NAME --full/);
    assert.equal(failed.mode, 'full', 'a failed run keeps the mode it was in');
    const [run] = await fx.gatehouse.sync.history(fx.connectionName, 1);
    assert.equal(run?.errorCode, 'SYNC_RESYNC_FAILED');
    assert.equal(run?.mode, 'full');
    const recovered = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(recovered.status, 'succeeded', JSON.stringify(recovered.errors));
    assert.equal(recovered.mode, 'full');
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });

  it('a run that fails in a full round is recorded as full (not incremental)', async () => {
    fx.emulator.faults.failNextGraphRequests(1, {
      status: 403,
      code: 'Authorization_RequestDenied',
      match: ({ path }) => path.includes('/groups/delta'),
    });
    const failed = await fx.gatehouse.sync.run(fx.connectionName, { full: true });
    fx.emulator.faults.clear();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.mode, 'full');
    const [run] = await fx.gatehouse.sync.history(fx.connectionName, 1);
    assert.equal(run?.mode, 'full');
  });
});
