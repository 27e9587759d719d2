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
    await fx.gatehouse.sync.run(name);
    const tailed = await tail;
    assert.equal(tailed.exitCode, 0, tailed.stderr);
    assert.equal((JSON.parse(tailed.stdout.trim()) as DirectoryEvent).type, 'user.created');
    const unknown = await fx.runCli(['events', 'list', name, '--after', 'x']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /EVENT_CURSOR_INVALID/);
  });
});
