import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { assertMirrors } from '../integration/sync-assertions.js';
import { testEngine } from '../support/test-database.js';
import { startTestServer, type TestServer } from './server-harness.js';

/**
 * Issue 17 case 1: PostgreSQL drops gatehouse's connections (a restart; here `pg_terminate_backend`, 57P01) while a
 * sync started over REST writes its pages. Before, the 'error' event of the checked-out client had no listener and
 * killed the process. Now the page's transaction fails as STORE_UNAVAILABLE, is repeated from the checkpoint once
 * the store answers, and the run completes with the directory a clean sync gives.
 */
describe('PostgreSQL connections terminated during a REST sync', {
  skip: testEngine() !== 'postgres' && 'PostgreSQL only',
}, () => {
  let server: TestServer;
  let admin: pg.Client;
  let schema: string;
  before(async () => {
    server = await startTestServer({
      emulator: { users: 1500, groups: 50, seed: 'pg-restart', delta: { objectCap: 20 } },
    });
    schema = String(server.fixture.env.GATEHOUSE_DATABASE_SCHEMA);
    admin = new pg.Client({ connectionString: server.fixture.env.GATEHOUSE_DATABASE_URL });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await server?.close();
  });

  /** Ends every connection of this test's gatehouse (its pool names itself after the schema). */
  async function terminate(): Promise<number> {
    const { rows } = await admin.query(
      'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1',
      [`gatehouse/${schema}`.slice(0, 63)],
    );
    return rows.length;
  }

  it('the server stays up, the run completes, the directory equals a clean sync', async () => {
    const { app, fixture } = server;
    const operator = await server.session('operator');
    fixture.emulator.faults.setLatency(15);
    const run = app.inject({ method: 'POST', url: '/api/v1/sync/entra-test/run', headers: operator.headers });
    let killed = 0;
    for (let i = 0; i < 4; i++) {
      await delay(400);
      killed += await terminate();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      assert.ok([200, 503].includes(ready.statusCode), `readyz answers (${ready.statusCode})`);
    }
    assert.ok(killed > 0, 'connections were terminated during the sync');
    const response = await run;
    fixture.emulator.faults.setLatency(0);
    assert.equal(response.statusCode, 200, response.body);
    const report = response.json();
    assert.equal(report.status, 'succeeded', response.body);
    // Ready again once the store answers (a connection killed a moment ago may still fail one probe).
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      if (i > 0) await delay(100);
      ready = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
    }
    assert.equal(ready, 200);
    const connectionId = (await fixture.gatehouse.connections.get(fixture.connectionName)).id;
    await assertMirrors(fixture.gatehouse, connectionId, fixture.emulator);
  });
});
