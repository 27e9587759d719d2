import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { assertMirrors } from './sync-assertions.js';

/** `gatehouse ARGS` in a process of its own (its own SQLite handle or pool, as an administrator's terminal). */
function cliProcess(fx: GatehouseFixture, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
      env: { ...process.env, ...fx.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/**
 * Issue 17 case 3: writes from other processes beside a running sync. On SQLite a deferred write transaction that
 * read first and meets another process's commit fails with SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out:
 * the sync failed as INTERNAL. Transactions now start as BEGIN IMMEDIATE and retry the lock with backoff.
 */
describe('20 CLI `connections create` in other processes during a sync', () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({
      emulator: { users: 800, groups: 40, seed: 'busy', delta: { objectCap: 25 } },
    });
  });
  after(() => fx.close());

  it('every sync that runs beside the writes succeeds, and every create lands', async () => {
    const connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    const params = Object.entries(fx.parametersFor(fx.emulator.defaultApp)).flatMap(([k, v]) => [
      '--param',
      `${k}=${v}`,
    ]);
    const results: { code: number | null; stderr: string }[] = [];
    let started = 0;
    // Four at a time (a small, shared machine), twenty in all.
    const worker = async () => {
      while (started < 20) {
        const n = started++;
        results.push(
          await cliProcess(fx, ['connections', 'create', '--name', `busy-${n}`, '--type', 'EntraID', ...params]),
        );
      }
    };
    const writers = Promise.all([worker(), worker(), worker(), worker()]);
    let writing = true;
    void writers.finally(() => {
      writing = false;
    });
    // Full syncs, one after another, for as long as the writers run: each one meets their commits.
    const reports = [];
    while (writing) {
      const report = await fx.gatehouse.sync.run(fx.connectionName, { full: true });
      reports.push(report);
      if (report.status !== 'succeeded') break;
    }
    await writers;
    for (const report of reports) assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.ok(reports.length >= 2, `${reports.length} syncs ran beside the writes`);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.equal((await fx.gatehouse.connections.list()).length, 21);
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });
});
