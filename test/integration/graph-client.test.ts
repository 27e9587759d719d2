import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { createGraphClient, type GraphClient } from '../../src/entra/graph-client.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

async function clientFor(fx: GatehouseFixture, name: string): Promise<GraphClient> {
  const settings = await fx.gatehouse.connections.resolveEntraSettings(name);
  return createGraphClient({ settings, tokenSource: fx.gatehouse.tokens.forSettings(settings) });
}

async function codeOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error;
  }
  assert.fail('expected a failure');
}

describe('Graph client against the emulator (real msal token)', () => {
  let fx: GatehouseFixture;
  let graph: GraphClient;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 60, groups: 4, seed: 'graph-client' } });
    graph = await clientFor(fx, fx.connectionName);
  });
  after(() => fx.close());

  it('pages a collection by following absolute nextLinks, one request per page', async () => {
    fx.emulator.clearRequestLog();
    let users = 0;
    let pages = 0;
    for await (const page of graph.pages<{ id: string }>('/users?$select=id&$top=7')) {
      users += page.value.length;
      pages++;
    }
    assert.equal(users, fx.emulator.directory.snapshot().users.length);
    assert.equal(pages, Math.ceil(users / 7));
    assert.equal(fx.emulator.requestLog().filter((e) => e.kind === 'graph').length, pages);
  });

  it('maps Graph errors by code: 404, 400 bad query, 403 for an app without the permission', async () => {
    const missing = await codeOf(graph.request('GET', '/users/00000000-0000-0000-0000-000000000000'));
    assert.equal(missing.code, 'GRAPH_NOT_FOUND');
    assert.equal(missing.details.graphCode, 'Request_ResourceNotFound');
    assert.ok(missing.details.requestId, 'request-id is kept');
    const badTop = await codeOf(graph.request('GET', '/users?$top=1000'));
    assert.equal(badTop.code, 'GRAPH_BAD_REQUEST');
    const usersOnly = fx.emulator.registerApp({ applicationPermissions: ['User.Read.All'] });
    await fx.createConnectionFor('users-only', usersOnly);
    const limited = await clientFor(fx, 'users-only');
    const denied = await codeOf(limited.request('GET', '/groups'));
    assert.equal(denied.code, 'GRAPH_INSUFFICIENT_PRIVILEGES');
    assert.equal(denied.details.graphCode, 'Authorization_RequestDenied');
  });

  it('refreshes the token once after 401 InvalidAuthenticationToken', async () => {
    fx.emulator.faults.failNextGraphRequests(1, { status: 401, code: 'InvalidAuthenticationToken' });
    const before = graph.stats();
    const response = await graph.request<{ value: unknown[] }>('GET', '/groups?$select=id');
    assert.equal(response.status, 200);
    assert.equal(graph.stats().retries - before.retries, 1);
  });

  it('honours Retry-After on 429 and reports it in the counters', async () => {
    fx.emulator.faults.failNextGraphRequests(2, { status: 429, retryAfterSeconds: 0 });
    const before = graph.stats();
    await graph.request('GET', '/users?$select=id&$top=1');
    const after = graph.stats();
    assert.deepEqual(
      { throttled: after.throttled - before.throttled, requests: after.requests - before.requests },
      { throttled: 2, requests: 3 },
    );
  });

  it('sends a $batch and returns per-item results in request order', async () => {
    const [user] = fx.emulator.directory.snapshot().users;
    const results = await graph.batch([
      { id: 'a', method: 'GET', url: `/users/${user?.id}?$select=id` },
      { id: 'b', method: 'GET', url: '/users/00000000-0000-0000-0000-000000000000' },
    ]);
    assert.deepEqual(
      results.map((r) => [r.id, r.status]),
      [
        ['a', 200],
        ['b', 404],
      ],
    );
  });
});
