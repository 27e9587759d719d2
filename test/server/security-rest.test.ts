import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Caller, startTestServer, type TestServer } from './server-harness.js';

/** Issue 12 findings 1, 3, 7 and 14 over REST, as the console and scripts meet them. */
describe('security over REST (issue 12)', () => {
  let server: TestServer;
  let admin: Caller;
  let operator: Caller;
  const call = (method: 'POST' | 'PATCH' | 'GET', url: string, caller: Caller, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: caller.headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  before(async () => {
    server = await startTestServer({ emulator: { profile: 'exact', users: 3, groups: 1 } });
    admin = await server.token('admin');
    operator = await server.token('operator');
  });
  after(() => server?.close());

  it('import refuses a passphrase under the minimum with a stable code, and never echoes it', async () => {
    const passFile = join(server.fixture.dataDir, 'pass.txt');
    writeFileSync(passFile, 'a long enough passphrase');
    const exported = await server.fixture.runCli([
      'connections',
      'export',
      server.fixture.connectionName,
      '--include-secrets',
      '--passphrase-file',
      passFile,
    ]);
    assert.equal(exported.exitCode, 0, exported.stderr);
    const doc = JSON.parse(exported.stdout);
    const short = await call('POST', '/api/v1/connections/import', admin, { export: doc, passphrase: 'pass7ch' });
    assert.equal(short.statusCode, 400, short.body);
    assert.equal(short.json<{ error: { code: string } }>().error.code, 'CONNECTION_PASSPHRASE_TOO_SHORT');
    assert.equal(short.body.includes('pass7ch'), false);
    const right = await call('POST', '/api/v1/connections/import', admin, {
      export: doc,
      name: 'Imported',
      passphrase: 'a long enough passphrase',
    });
    assert.equal(right.statusCode, 201, right.body);
  });

  it('a UUID-shaped or invisible-character name is refused; ids are looked up first', async () => {
    const { id } = await server.fixture.gatehouse.connections.get(server.fixture.connectionName);
    const renamed = await call('PATCH', `/api/v1/connections/${server.fixture.connectionName}`, admin, { rename: id });
    assert.equal(renamed.json<{ error: { code: string } }>().error.code, 'CONNECTION_NAME_LOOKS_LIKE_ID', renamed.body);
    const hidden = await call('PATCH', `/api/v1/connections/${server.fixture.connectionName}`, admin, {
      rename: 'Emu\u202E',
    });
    assert.equal(
      hidden.json<{ error: { code: string } }>().error.code,
      'CONNECTION_NAME_UNSAFE_CHARACTER',
      hidden.body,
    );
    const byId = await call('GET', `/api/v1/connections/${id}`, operator);
    assert.equal(byId.json<{ name: string }>().name, server.fixture.connectionName);
  });

  it('an operator cannot write through graph.request unless the admin listed the path', async () => {
    const user = server.fixture.emulator.directory.createUser({ displayName: 'Rest Raw' });
    const input = { method: 'PATCH', path: `/users/${user.id}`, body: { jobTitle: 'Raw' }, allowWrite: true };
    const refused = await call(
      'POST',
      `/api/v1/connections/${server.fixture.connectionName}/actions/graph.request`,
      operator,
      { input },
    );
    assert.equal(
      refused.json<{ error: { code: string } }>().error.code,
      'ACTION_GRAPH_WRITE_NOT_ALLOWED',
      refused.body,
    );
    assert.equal(server.fixture.emulator.directory.get(user.id)?.jobTitle, undefined);
  });
});
