import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Caller, startTestServer, type TestServer } from './server-harness.js';

// Issue 16 items 6, 7 and 13 over REST: the routes the console stands on.
const CANARY_SECRET = 'canary~draft~secret~Zq81vXw0-never-echoed';

interface Report {
  connection: string;
  ok: boolean;
  checks: { id: string; status: string; code?: string; message: string; hint?: string }[];
}

describe('console-facing REST routes (issue 16)', () => {
  let server: TestServer;
  let admin: Caller;
  let operator: Caller;
  const post = (url: string, caller: Caller, payload?: unknown) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: caller.headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  before(async () => {
    server = await startTestServer({ emulator: { profile: 'exact', users: 12, groups: 3 } });
    admin = await server.token('admin');
    operator = await server.token('operator');
  });
  after(() => server?.close());

  it('POST /sync/{name}/run needs no body: none at all, or an empty JSON one (item 13)', async () => {
    const name = server.fixture.connectionName;
    const bare = await post(`/api/v1/sync/${name}/run`, operator);
    assert.equal(bare.statusCode, 200, bare.body);
    assert.equal(bare.json<{ status: string }>().status, 'succeeded');
    const empty = await server.app.inject({
      method: 'POST',
      url: `/api/v1/sync/${name}/run`,
      headers: { ...operator.headers, 'content-type': 'application/json' },
      body: '',
    });
    assert.equal(empty.statusCode, 200, empty.body);
    const invalid = await server.app.inject({
      method: 'POST',
      url: `/api/v1/sync/${name}/run`,
      headers: { ...operator.headers, 'content-type': 'application/json' },
      body: '{"full": ',
    });
    assert.equal(invalid.statusCode, 400, 'broken JSON is still refused');
  });

  it('POST /connections/test tests a draft without saving it, and never echoes its secret (item 7)', async () => {
    const before = (await server.fixture.gatehouse.connections.list()).length;
    const parameters = Object.entries(server.fixture.parametersFor(server.fixture.emulator.defaultApp)).map(
      ([key, value]) => ({ key, value }),
    );
    const good = await post('/api/v1/connections/test', admin, { name: 'Draft HR', type: 'EntraID', parameters });
    assert.equal(good.statusCode, 200, good.body);
    const report = good.json<Report>();
    assert.equal(report.connection, 'Draft HR');
    assert.equal(report.ok, true, good.body);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      ['parameters', 'token', 'permissions', 'graph', 'expiry'],
    );
    assert.equal((await server.fixture.gatehouse.connections.list()).length, before, 'nothing was saved');

    const wrong = parameters.map((p) => (p.key === 'ClientSecret' ? { ...p, value: CANARY_SECRET } : p));
    const refused = await post('/api/v1/connections/test', admin, {
      name: 'Draft HR',
      type: 'EntraID',
      parameters: wrong,
    });
    const failed = refused.json<Report>();
    assert.equal(failed.ok, false);
    assert.equal(failed.checks.find((c) => c.id === 'token')?.code, 'ENTRA_INVALID_CLIENT_SECRET');
    assert.equal(refused.body.includes(CANARY_SECRET), false, 'the secret is not in the answer');
    const audit = await server.fixture.gatehouse.audit.list({ action: 'connection.test', limit: 5 });
    assert.equal(JSON.stringify(audit).includes(CANARY_SECRET), false, 'nor in the audit log');
    assert.equal(audit[0]?.errorCode, 'ENTRA_INVALID_CLIENT_SECRET');
  });

  it('a draft of a saved connection keeps the stored secret it names in `keep`, and changes nothing', async () => {
    const name = server.fixture.connectionName;
    const saved = await server.fixture.gatehouse.connections.get(name);
    const parameters = Object.entries(server.fixture.parametersFor(server.fixture.emulator.defaultApp))
      .filter(([key]) => key !== 'ClientSecret')
      .map(([key, value]) => ({ key, value }));
    const kept = await post('/api/v1/connections/test', admin, {
      type: 'EntraID',
      connection: name,
      keep: ['ClientSecret'],
      parameters,
    });
    assert.equal(kept.json<Report>().ok, true, kept.body);
    const withoutKeep = await post('/api/v1/connections/test', admin, {
      type: 'EntraID',
      connection: name,
      parameters,
    });
    const missing = withoutKeep.json<Report>();
    assert.equal(missing.checks[0]?.status, 'fail');
    assert.equal(missing.checks[0]?.code, 'CONNECTION_MISSING_PARAMETER');
    assert.deepEqual(
      missing.checks.slice(1).map((c) => c.status),
      ['skip', 'skip', 'skip', 'skip'],
    );
    const after = await server.fixture.gatehouse.connections.get(name);
    assert.equal(after.version, saved.version, 'the saved connection is untouched');
    assert.deepEqual(after.lastTest, saved.lastTest, 'and its last test result too');
  });

  it('testing a draft is for admins: an operator is told which role it needs', async () => {
    const response = await post('/api/v1/connections/test', operator, { type: 'EntraID', parameters: [] });
    assert.equal(response.statusCode, 403);
    const { error } = response.json<{ error: { message: string; hint: string } }>();
    assert.match(error.message, /needs the admin role; you are operator/);
    assert.match(error.hint, /Only admins may do this/);
    assert.doesNotMatch(error.hint, /viewer/, 'no list of roles that would not help either (item 6)');
  });

  it('REST hints speak of pages and fields, not CLI commands and flags (item 6)', async () => {
    const guid = '3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c7a';
    const parameters = Object.entries(server.fixture.parametersFor(server.fixture.emulator.defaultApp)).map(
      ([key, value]) => ({ key, value: key === 'ClientSecret' ? guid : value }),
    );
    const created = await post('/api/v1/connections', admin, { name: 'guid secret', type: 'EntraID', parameters });
    assert.equal(created.statusCode, 400);
    const refused = created.json<{ error: { code: string; hint: string } }>().error;
    assert.equal(refused.code, 'CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID');
    assert.doesNotMatch(refused.hint, /--allow-guid-secret/);
    assert.match(refused.hint, /allowGuidSecret/);
    const missing = await server.app.inject({ method: 'GET', url: '/api/v1/connections/nope', headers: admin.headers });
    assert.doesNotMatch(missing.json<{ error: { hint: string } }>().error.hint, /gatehouse connections/);
    // The CLI keeps its own words for the same code.
    const cli = await server.fixture.runCli(['connections', 'show', 'nope']);
    assert.match(cli.stderr, /hint: Run `gatehouse connections list`/);
  });

  it('/api/docs is branded as gatehouse and links back to the console (item 13)', async () => {
    const viewer = await server.session('viewer');
    const page = await server.app.inject({ method: 'GET', url: '/api/docs/', headers: viewer.headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>gatehouse API<\/title>/);
    const init = await server.app.inject({
      method: 'GET',
      url: '/api/docs/static/swagger-initializer.js',
      headers: viewer.headers,
    });
    assert.match(init.body, /\/connections/, 'the logo links back to the console');
  });
});
