import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

interface Report {
  connection: string;
  mode: string;
  status: string;
  users: { added: number; updated: number; removed: number };
  groups: { added: number; updated: number; removed: number };
  memberships: { added: number; removed: number };
  requests: number;
  durationMs: number;
}

describe('sync and directory commands', () => {
  let fx: GatehouseFixture;
  let disabledUpn: string;
  let scopedUpn: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 120, groups: 8, seed: 'sync-cli' } });
    const dir = fx.emulator.directory;
    disabledUpn = String(dir.createUser({ displayName: 'Dormant Dora', accountEnabled: false }).userPrincipalName);
    const scoped = dir.createUser({ displayName: 'Scoped Sam' });
    scopedUpn = String(scoped.userPrincipalName);
    const outer = dir.createGroup({ displayName: 'Scope Outer' });
    const inner = dir.createGroup({ displayName: 'Scope Inner' });
    dir.addMember(outer.id, inner.id);
    dir.addMember(inner.id, scoped.id);
    // The realistic emulator lags creates and membership changes by up to 3 s; the tests sync expecting the
    // tenant changes made through emulator.directory, i.e. they have replicated by then: settle().
    await fx.emulator.settle();
  });
  after(() => fx.close());

  it('sync run --json prints the report of product.md section 4', async () => {
    const result = await fx.runCli(['sync', 'run', fx.connectionName, '--json']);
    assert.equal(result.exitCode, 0, result.stderr);
    const report = result.json<Report>();
    assert.equal(report.connection, fx.connectionName);
    assert.deepEqual([report.mode, report.status], ['full', 'succeeded']);
    for (const key of ['users', 'groups'] as const) {
      assert.deepEqual(Object.keys(report[key]).sort(), ['added', 'removed', 'updated']);
    }
    assert.deepEqual(Object.keys(report.memberships).sort(), ['added', 'removed']);
    assert.ok(report.requests > 0 && report.durationMs >= 0);
  });

  it('lists synced users (disabled ones excluded by default) and groups', async () => {
    const users = await fx.runCli(['directory', 'users', fx.connectionName, '--search', 'Dormant', '--json']);
    assert.deepEqual(users.json(), []);
    const sam = await fx.runCli(['directory', 'users', fx.connectionName, '--search', 'scoped sam', '--json']);
    assert.deepEqual(
      sam.json<{ userPrincipalName: string }[]>().map((u) => u.userPrincipalName),
      [scopedUpn],
    );
    const groups = await fx.runCli(['directory', 'groups', fx.connectionName, '--search', 'scope', '--json']);
    assert.deepEqual(
      groups.json<{ displayName: string }[]>().map((g) => g.displayName),
      ['Scope Inner', 'Scope Outer'],
    );
  });

  it('configure validates schedules and policies with exit code 2', async () => {
    const bad = await fx.runCli(['sync', 'configure', fx.connectionName, '--schedule', 'every 1m', '--json']);
    assert.equal(bad.exitCode, 2);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, 'SYNC_INVALID_SCHEDULE');
    const badPolicy = await fx.runCli(['sync', 'configure', fx.connectionName, '--delete-threshold', 'lots']);
    assert.equal(badPolicy.exitCode, 2);
    assert.match(badPolicy.stderr, /SYNC_INVALID_POLICY/);
    const ok = await fx.runCli([
      'sync',
      'configure',
      fx.connectionName,
      '--schedule',
      'daily 2:30 Europe/Berlin',
      '--delete-threshold',
      '10%',
      '--json',
    ]);
    assert.equal(ok.exitCode, 0, ok.stdout);
    const view = ok.json<{
      schedule: string;
      nextRunAt: string;
      deleteThreshold: { count: number; percent: number };
    }>();
    assert.equal(view.schedule, 'daily 02:30 Europe/Berlin');
    assert.deepEqual(view.deleteThreshold, { count: 500, percent: 10 });
    assert.match(view.nextRunAt, /T\d\d:30:00/);
  });

  it('--disabled-users include keeps disabled users, marked disabled', async () => {
    const set = await fx.runCli(['sync', 'configure', fx.connectionName, '--disabled-users', 'include']);
    assert.equal(set.exitCode, 0, set.stderr);
    const run = await fx.runCli(['sync', 'run', fx.connectionName, '--json']);
    assert.equal(run.json<Report>().mode, 'full', 'a policy change needs a full users round');
    const users = await fx.runCli(['directory', 'users', fx.connectionName, '--search', 'Dormant', '--json']);
    assert.deepEqual(
      users
        .json<{ userPrincipalName: string; accountEnabled: boolean }[]>()
        .map((u) => [u.userPrincipalName, u.accountEnabled]),
      [[disabledUpn, false]],
    );
  });

  it('--scope-group keeps only the (nested) members of one group', async () => {
    const set = await fx.runCli(['sync', 'configure', fx.connectionName, '--scope-group', 'Scope Outer', '--json']);
    assert.equal(set.exitCode, 0, set.stdout);
    const run = await fx.runCli(['sync', 'run', fx.connectionName, '--json']);
    assert.equal(run.json<Report>().status, 'succeeded');
    const users = await fx.runCli(['directory', 'users', fx.connectionName, '--json']);
    assert.deepEqual(
      users.json<{ userPrincipalName: string }[]>().map((u) => u.userPrincipalName),
      [scopedUpn],
    );
    // A user who joins the scope later (without changing anything else) comes in on the next run.
    const existing = fx.emulator.directory.snapshot().users.find((u) => u.displayName !== 'Scoped Sam');
    const inner = fx.emulator.directory.snapshot().groups.find((g) => g.displayName === 'Scope Inner');
    fx.emulator.directory.addMember(String(inner?.id), String(existing?.id));
    await fx.emulator.settle();
    const again = await fx.runCli(['sync', 'run', fx.connectionName, '--json']);
    assert.equal(again.json<Report>().status, 'succeeded');
    const after = await fx.runCli(['directory', 'users', fx.connectionName, '--json']);
    assert.deepEqual(
      after
        .json<{ userPrincipalName: string }[]>()
        .map((u) => u.userPrincipalName)
        .sort(),
      [scopedUpn, String(existing?.userPrincipalName)].sort(),
    );
  });

  it('status and history show the runs', async () => {
    const status = await fx.runCli(['sync', 'status', fx.connectionName, '--json']);
    const view = status.json<{ running: boolean; lastSyncedAt: string; lastRun: { status: string } }>();
    assert.equal(view.running, false);
    assert.equal(view.lastRun.status, 'succeeded');
    assert.ok(view.lastSyncedAt);
    const history = await fx.runCli(['sync', 'history', fx.connectionName, '--json']);
    assert.equal(history.json<unknown[]>().length, 4);
    const text = await fx.runCli(['sync', 'history', fx.connectionName]);
    assert.match(text.stdout, /STARTED\s+MODE\s+STATUS/);
  });
});
