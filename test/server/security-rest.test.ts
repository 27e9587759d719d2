import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
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

  it('the console flow: Copy, point AuthorityHost at another listener, press Test: nothing arrives there', async () => {
    const seen: string[] = [];
    const listener = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''} ${body}`);
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const address = listener.address();
      assert.ok(address && typeof address === 'object');
      const url = `http://127.0.0.1:${address.port}`;
      const copied = await call('POST', `/api/v1/connections/${server.fixture.connectionName}/copy`, admin, {
        newName: 'Rest Copy',
      });
      assert.equal(copied.statusCode, 201, copied.body);
      for (const key of ['AuthorityHost', 'GraphEndpoint']) {
        const patched = await call('PATCH', '/api/v1/connections/Rest%20Copy', admin, {
          set: [{ key, value: url }],
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const tested = await call('POST', '/api/v1/connections/Rest%20Copy/test', operator);
        const report = tested.json<{ ok: boolean; checks: { status: string; code?: string; hint?: string }[] }>();
        const failed = report.checks.find((c) => c.status === 'fail');
        assert.equal(failed?.code, 'CONNECTION_SECRET_REQUIRED', tested.body);
        assert.match(failed?.hint ?? '', /only sent to the hosts it was entered for/);
      }
      assert.deepEqual(seen, [], 'neither the secret nor a token reached the listener');
      const view = await call('GET', '/api/v1/connections/Rest%20Copy', operator);
      assert.equal(view.statusCode, 200);
      assert.match(view.body, /"enterAgain":true/);
      assert.equal(view.body.includes(String(server.fixture.emulator.defaultApp.secretValue)), false);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
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
