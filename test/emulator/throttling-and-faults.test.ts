import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { defaultCaller, type GraphCall } from './graph-test-client.js';

describe('emulator throttling and fault injection', () => {
  const clock = createManualClock(new Date('2032-01-01T00:00:00Z'));
  let emulator: Emulator;
  let call: GraphCall;
  before(async () => {
    emulator = await startEmulator({ seed: 'throttle', clock, users: 20, groups: 5 });
    call = await defaultCaller(emulator);
  });
  after(() => emulator.stop());

  it('charges resource units per the cost table on every response', async () => {
    const costs = async (path: string) => (await call('GET', path)).headers.get('x-ms-resource-unit');
    const group = emulator.directory.snapshot().groups[4]?.id;
    assert.equal(await costs('/users'), '2');
    assert.equal(await costs('/users?$select=id'), '1');
    assert.equal(await costs(`/groups/${group}/members`), '3');
    assert.equal(await costs(`/groups/${group}/transitiveMembers`), '5');
    assert.equal(await costs('/groups'), '1');
  });

  it('answers 429 with Retry-After and x-ms-throttle-* when the app+tenant bucket runs dry, and recovers', async () => {
    emulator.setThrottling({ resourceUnitsPer10s: 10 });
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<GraphCall>> | undefined;
    for (let i = 0; i < 7; i++) {
      const reply = await call('GET', '/users');
      statuses.push(reply.status);
      if (reply.status === 429) throttled ??= reply;
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    assert.ok(Number(throttled?.headers.get('retry-after')) >= 1);
    assert.equal(
      throttled?.headers.get('x-ms-throttle-scope'),
      `Tenant_Application/ReadWrite/${emulator.connection.ClientID}/${emulator.tenant.id}`,
    );
    assert.equal(throttled?.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
    assert.equal((throttled?.body as { error?: { code: string } } | undefined)?.error?.code, 'TooManyRequests');
    clock.advance(Number(throttled?.headers.get('retry-after')) * 1000);
    assert.equal((await call('GET', '/users')).status, 200);
    emulator.setThrottling(false);
  });

  it('has a separate write budget', async () => {
    emulator.setThrottling({ resourceUnitsPer10s: 1000, writesPer150s: 2 });
    clock.advance(300_000);
    const user = emulator.directory.snapshot().users[6]?.id;
    const statuses: number[] = [];
    let information: string | null = null;
    for (const title of ['a', 'b', 'c']) {
      const reply = await call('PATCH', `/users/${user}`, { body: { jobTitle: title } });
      statuses.push(reply.status);
      information ??= reply.headers.get('x-ms-throttle-information');
    }
    assert.deepEqual(statuses, [204, 204, 429]);
    assert.equal(information, 'WriteLimitExceeded');
    assert.equal((await call('GET', '/users')).status, 200, 'reads still pass');
    emulator.setThrottling(false);
  });

  it('throttles $batch items one by one', async () => {
    emulator.setThrottling({ resourceUnitsPer10s: 4 });
    clock.advance(60_000);
    const batch = await call<{ responses: { id: string; status: number; headers: Record<string, string> }[] }>(
      'POST',
      '/$batch',
      {
        body: { requests: ['1', '2', '3'].map((id) => ({ id, method: 'GET', url: '/users' })) },
      },
    );
    const throttled = batch.body.responses.find((r) => r.status === 429);
    assert.equal(batch.body.responses.filter((r) => r.status === 200).length, 2);
    assert.ok(throttled?.headers['Retry-After']);
    emulator.setThrottling(false);
  });

  it('fails chosen Graph requests with 429/503 and Retry-After, and logs them', async () => {
    emulator.clearRequestLog();
    emulator.faults.failNextGraphRequests(1, { status: 503, match: ({ path }) => path.startsWith('/v1.0/groups') });
    assert.equal((await call('GET', '/users')).status, 200);
    const failed = await call<{ error: { code: string } }>('GET', '/groups');
    assert.equal(failed.status, 503);
    assert.equal(failed.body.error.code, 'serviceNotAvailable');
    assert.equal(failed.headers.get('retry-after'), '1');
    assert.equal((await call('GET', '/groups')).status, 200);
    emulator.faults.setGraphFailureRate(1, { status: 429, retryAfterSeconds: 3 });
    const limited = await call('GET', '/users');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    emulator.faults.clear();
    const log = emulator.requestLog();
    assert.deepEqual(
      log.map((e) => [e.method, e.path, e.status]),
      [
        ['GET', '/v1.0/users', 200],
        ['GET', '/v1.0/groups', 503],
        ['GET', '/v1.0/groups', 200],
        ['GET', '/v1.0/users', 429],
      ],
    );
    assert.ok(log.slice(0, 1).every((e) => e.clientId === emulator.connection.ClientID && e.kind === 'graph'));
  });
});
