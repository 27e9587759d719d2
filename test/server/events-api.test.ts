import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DirectoryEvent } from '../../src/events/event-model.js';
import { type Caller, startTestServer, type TestServer } from './server-harness.js';

/** The pull side of directory events (issue 14, item 2): REST with long poll, SSE, and the CLI. */
describe('events API and CLI', () => {
  let server: TestServer;
  let viewer: Caller;
  let name: string;
  before(async () => {
    server = await startTestServer({ emulator: { users: 20, groups: 4, seed: 'events-api' } });
    viewer = await server.token('viewer');
    name = server.fixture.connectionName;
    await server.fixture.gatehouse.sync.run(name);
  });
  after(() => server.close());

  it('a long poll (viewer) waits for the events of the next sync', async () => {
    const poll = server.app.inject({
      method: 'GET',
      url: `/api/v1/events?connection=${name}&wait=20`,
      headers: viewer.headers,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.fixture.emulator.directory.createUser({ displayName: 'Long Poll' });
    // The realistic emulator lags new writes by up to 3 s; here the change has replicated by the time the sync runs
    // (settle() makes every pending write visible), so each sync below reports what the test just wrote.
    await server.fixture.emulator.settle();
    await server.fixture.gatehouse.sync.run(name);
    const response = await poll;
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as { events: DirectoryEvent[]; next: string };
    assert.deepEqual(
      body.events.map((e) => e.type),
      ['user.created'],
    );
    assert.equal(body.next, body.events[0]?.id);
    const empty = await server.app.inject({
      method: 'GET',
      url: `/api/v1/events?connection=${name}&after=${body.next}&wait=1`,
      headers: viewer.headers,
    });
    assert.deepEqual(empty.json(), { events: [], next: body.next });
    const newest = await server.app.inject({
      method: 'GET',
      url: `/api/v1/events?connection=${name}&newest=true&limit=1`,
      headers: viewer.headers,
    });
    assert.deepEqual(
      (newest.json() as { events: DirectoryEvent[] }).events.map((e) => e.id),
      [body.next],
    );
    const bad = await server.app.inject({
      method: 'GET',
      url: `/api/v1/events?connection=${name}&type=user.nope`,
      headers: viewer.headers,
    });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { code: string } }).error.code, 'EVENT_TYPE_UNKNOWN');
  });

  it('streams events as server-sent events, from Last-Event-ID', async () => {
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const response = await fetch(`${address}/api/v1/events/stream?connection=${name}&type=group.created`, {
      headers: { ...viewer.headers, 'last-event-id': '0' },
      signal: abort.signal,
    });
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /text\/event-stream/);
    server.fixture.emulator.directory.createGroup({ displayName: 'Streamed Group' });
    await server.fixture.emulator.settle();
    await server.fixture.gatehouse.sync.run(name);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('Streamed Group')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    assert.match(text, /id: \d+\nevent: group\.created\ndata: \{/);
  });

  it('the CLI lists events as JSON lines and tails new ones', async () => {
    const fx = server.fixture;
    const listed = await fx.runCli(['events', 'list', name, '--json']);
    assert.equal(listed.exitCode, 0, listed.stderr);
    const lines = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as DirectoryEvent);
    assert.ok(lines.some((e) => e.type === 'user.created'));
    const text = await fx.runCli(['events', 'list', name, '--type', 'group.created']);
    assert.match(text.stdout, /group\.created\s+Streamed Group/);
    const tail = fx.runCli(['events', 'tail', name, '--json', '--count', '1']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    fx.emulator.directory.createUser({ displayName: 'Tailed Person' });
    await fx.emulator.settle();
    await fx.gatehouse.sync.run(name);
    const tailed = await tail;
    assert.equal(tailed.exitCode, 0, tailed.stderr);
    assert.equal((JSON.parse(tailed.stdout.trim()) as DirectoryEvent).type, 'user.created');
    const unknown = await fx.runCli(['events', 'list', name, '--after', 'x']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /EVENT_CURSOR_INVALID/);
  });

  it('webhooks are admin-only over REST; the secret is in the create answer only; metrics count events', async () => {
    const admin = await server.token('admin');
    const body = { name: 'rest-hook', url: 'http://127.0.0.1:9/hook', types: ['user.created'] };
    const denied = await server.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: viewer.headers,
      payload: body,
    });
    assert.equal(denied.statusCode, 403);
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: admin.headers,
      payload: body,
    });
    assert.equal(created.statusCode, 201, created.body);
    const secret = (created.json() as { secret: string }).secret;
    assert.match(secret, /^whsec_/);
    const refused = await server.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: admin.headers,
      payload: { name: 'private', url: 'https://192.168.0.10/hook' },
    });
    assert.equal(refused.statusCode, 400);
    const error = (refused.json() as { error: { code: string; hint: string } }).error;
    assert.equal(error.code, 'WEBHOOK_URL_NOT_ALLOWED');
    assert.match(error.hint, /GATEHOUSE_WEBHOOK_ALLOW_PRIVATE/);
    server.fixture.emulator.directory.createUser({ displayName: 'Rest Hook Person' });
    await server.fixture.emulator.settle();
    await server.fixture.gatehouse.sync.run(name);
    const reads = await Promise.all(
      ['/api/v1/webhooks', '/api/v1/webhooks/rest-hook', '/api/v1/webhooks/rest-hook/deliveries', '/api/v1/audit'].map(
        (url) => server.app.inject({ method: 'GET', url, headers: admin.headers }),
      ),
    );
    for (const read of reads) assert.ok(!read.body.includes(secret.slice(6)), 'the secret is shown once');
    const deliveries = reads[2]?.json() as { eventId: string; status: string; type: string }[];
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0]?.type, 'user.created');
    const redeliver = await server.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/rest-hook/redeliver',
      headers: admin.headers,
      payload: { eventId: deliveries[0]?.eventId },
    });
    assert.equal(redeliver.statusCode, 200, redeliver.body);
    const removed = await server.app.inject({
      method: 'DELETE',
      url: '/api/v1/webhooks/rest-hook',
      headers: admin.headers,
    });
    assert.equal(removed.statusCode, 204);
    const metrics = await server.app.inject({ url: '/metrics', headers: viewer.headers });
    assert.match(metrics.body, /gatehouse_events_produced_total [1-9]/);
    assert.match(metrics.body, /gatehouse_webhook_delivery_latency_seconds_bucket/);
  });
});
