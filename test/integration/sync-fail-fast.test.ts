import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { startTestServer, type TestServer } from '../server/server-harness.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

// Issue 16 item 1: a sync whose secret Entra rejects used to retry for 33 s (11 token requests, back-off 1-2-4-8-17 s)
// while the page showed "0 read". A failure that no retry can fix must end the run at once, with the doctor's hint,
// on every surface. Counted in requests (the emulator's log), not in seconds: time on a shared machine proves nothing.
const WRONG_SECRET = 'wrong~secret~value~0123456789abcdef';

interface FailedReport {
  status: string;
  errors: { code: string; message: string; hint?: string }[];
}

function requestsOf(emulator: Emulator) {
  const log = emulator.requestLog();
  return { token: log.filter((e) => e.kind === 'token').length, graph: log.filter((e) => e.kind === 'graph').length };
}

function assertFailedFast(report: FailedReport, emulator: Emulator) {
  assert.equal(report.status, 'failed');
  assert.equal(report.errors[0]?.code, 'ENTRA_INVALID_CLIENT_SECRET');
  assert.match(report.errors[0]?.hint ?? '', /Secret ID may have been pasted instead of the secret Value/);
  // One token request for both streams (users and groups), and no Graph request: nothing is retried.
  assert.deepEqual(requestsOf(emulator), { token: 1, graph: 0 });
}

describe('a sync with a rejected secret fails at once (issue 16 item 1)', () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({
      emulator: { profile: 'exact', users: 30, groups: 4 },
      parameters: { ClientSecret: WRONG_SECRET },
    });
  });
  after(() => fx?.close());

  it('through the service: one token request, the run failed with the code and the hint', async () => {
    fx.emulator.clearRequestLog();
    const report = await fx.gatehouse.sync.run(fx.connectionName, { full: true });
    assertFailedFast(report, fx.emulator);
    const [run] = await fx.gatehouse.sync.history(fx.connectionName, 1);
    assert.equal(run?.errorCode, 'ENTRA_INVALID_CLIENT_SECRET');
  });

  it('through the CLI: exit 1, the message and the hint printed, one token request', async () => {
    fx.emulator.clearRequestLog();
    const json = await fx.runCli(['sync', 'run', fx.connectionName, '--json']);
    assert.equal(json.exitCode, 1);
    assertFailedFast(json.json<FailedReport>(), fx.emulator);
    fx.emulator.clearRequestLog();
    const text = await fx.runCli(['sync', 'run', fx.connectionName]);
    assert.equal(text.exitCode, 1);
    assert.match(text.stdout, /Entra ID rejected the client secret/);
    assert.match(text.stdout, /hint: The Secret ID may have been pasted/);
    assert.deepEqual(requestsOf(fx.emulator), { token: 1, graph: 0 });
  });

  it('a permission Graph refuses is not retried either: one request per stream', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['Group.Read.All'] });
    await fx.createConnectionFor('no-user-read', app);
    fx.emulator.clearRequestLog();
    const report = await fx.gatehouse.sync.run('no-user-read');
    assert.equal(report.status, 'failed');
    assert.equal(report.errors[0]?.code, 'GRAPH_INSUFFICIENT_PRIVILEGES');
    const users = fx.emulator.requestLog().filter((e) => e.kind === 'graph' && e.path.includes('/users'));
    assert.equal(users.length, 1, 'the refused users request was sent once');
  });
});

describe('REST: a sync with a rejected secret answers at once (issue 16 item 1)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ emulator: { profile: 'exact', users: 30, groups: 4 } });
    await server.fixture.gatehouse.connections.update(server.fixture.connectionName, {
      set: [{ key: 'ClientSecret', value: WRONG_SECRET }],
    });
  });
  after(() => server?.close());

  it('POST /sync/{name}/run reports the failure with its hint after one token request, and audits the code', async () => {
    const operator = await server.token('operator');
    server.fixture.emulator.clearRequestLog();
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/v1/sync/${server.fixture.connectionName}/run`,
      headers: operator.headers,
      payload: {},
    });
    assert.equal(response.statusCode, 200, response.body);
    assertFailedFast(response.json<FailedReport>(), server.fixture.emulator);
    const [event] = await server.fixture.gatehouse.audit.list({ action: 'sync.run', limit: 1 });
    assert.equal(event?.result, 'failed');
    assert.equal(event?.errorCode, 'ENTRA_INVALID_CLIENT_SECRET');
  });
});
