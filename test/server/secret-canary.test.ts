import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/server/build-app.js';
import { createServerDeps } from '../../src/server/create-server-deps.js';
import { PASSWORD, startTestServer, type TestServer } from './server-harness.js';

/** Every form a leaked value could take in a response body. */
function forms(value: string): string[] {
  return [
    value,
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
    encodeURIComponent(value),
  ];
}

describe('secret canary: no response ever carries a secret', () => {
  let server: TestServer;
  let secret: string;
  const bodies: { label: string; body: string; headers: string }[] = [];

  before(async () => {
    server = await startTestServer();
    secret = server.fixture.emulator.defaultApp.secretValue!;
    const admin = await server.session('admin');
    const name = encodeURIComponent(server.fixture.connectionName);
    const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
      const response = await server.app.inject({
        method,
        url,
        headers: admin.headers,
        ...(payload ? { payload } : {}),
      });
      bodies.push({
        label: `${method} ${url} ${response.statusCode}`,
        body: response.body,
        headers: JSON.stringify(response.headers),
      });
      return response;
    };
    // Exercise the connection: test it, sync it, change it (setting the same secret again), copy and export it.
    await call('POST', `/api/v1/connections/${name}/test`, {});
    await call('POST', `/api/v1/sync/${name}/run`, {});
    await call('PATCH', `/api/v1/connections/${name}`, { set: [{ key: 'ClientSecret', value: ` ${secret} ` }] });
    await call('POST', `/api/v1/connections/${name}/copy`, { newName: 'canary copy' });
    await call('POST', `/api/v1/connections`, {
      name: 'bad secret',
      type: 'EntraID',
      parameters: [{ key: 'ClientSecret', value: secret }],
    });
    const groups = (await call('GET', `/api/v1/directory/${name}/groups`)).json() as { id: string }[];
    // Then read every GET route of the route table with real parameters.
    for (const route of server.app.routeTable) {
      if (route.method !== 'GET' || route.url.endsWith('/events') || route.url.startsWith('/api/docs/')) continue;
      const url = route.url
        .replace(':name', name)
        .replace(':group', groups[0]?.id ?? 'none')
        .replace(':username', 'admin')
        .replace(':id', 'none');
      await call('GET', url.includes('/membership') ? `${url}?user=x&group=y` : url);
    }
  });
  after(() => server.close());

  test('the routes were exercised', () => {
    assert.ok(bodies.length > 20, `${bodies.length} responses`);
    assert.ok(bodies.some((b) => b.label.includes('/export 200')));
    assert.ok(bodies.some((b) => b.label.includes('/test 200')));
  });

  test('neither the client secret (in any encoding) nor a password appears in any response body or header', () => {
    for (const { label, body, headers } of bodies) {
      for (const leaked of [...forms(secret), PASSWORD]) {
        assert.equal(body.includes(leaked), false, `${label} leaks a secret`);
        assert.equal(headers.includes(leaked), false, `${label} leaks a secret in a header`);
      }
    }
  });
});

describe('unexpected errors', () => {
  test('answer INTERNAL with the request id and none of the internal text', async () => {
    const server = await startTestServer();
    try {
      const deps = createServerDeps(server.fixture.gatehouse);
      const app = await buildApp({
        ...deps,
        accounts: server.accounts,
        services: {
          ...deps.services,
          testConnection: async () => {
            throw new Error('SQLITE_CORRUPT at /var/lib/gatehouse/gatehouse.db');
          },
        },
      });
      const operator = await server.token('operator');
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1/connections/${server.fixture.connectionName}/test`,
        headers: operator.headers,
      });
      await app.close();
      assert.equal(response.statusCode, 500);
      const { error } = response.json();
      assert.equal(error.code, 'INTERNAL');
      assert.equal(error.requestId, response.headers['x-request-id']);
      assert.equal(response.body.includes('SQLITE'), false);
      assert.equal(response.body.includes('/var/lib'), false);
    } finally {
      await server.close();
    }
  });
});
