import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { type RunningServer, startServer } from '../../src/server/start-server.js';
import { createSyncScheduler } from '../../src/server/sync-scheduler.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

describe('gatehouse serve on a real port', () => {
  let fx: GatehouseFixture;
  let server: RunningServer;
  before(async () => {
    fx = await startGatehouseFixture();
    server = await startServer(fx.gatehouse, { port: 0 });
  });
  after(async () => {
    await server.close();
    await fx.close();
  });

  test('listens on loopback and prints a one-time setup link while no admin exists', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.ok(server.setupUrl?.startsWith(`${server.url}/setup#token=ghsetup_`));
  });

  test('the setup link creates the first admin once; a second use is refused', async () => {
    const setupToken = new URL(server.setupUrl!).hash.slice('#token='.length);
    const body = JSON.stringify({ setupToken, username: 'first-admin', password: 'a long enough password' });
    const headers = { 'content-type': 'application/json' };
    const first = await fetch(`${server.url}/api/v1/auth/setup`, { method: 'POST', headers, body });
    assert.equal(first.status, 200);
    assert.equal((await first.json()).account.role, 'admin');
    const again = await fetch(`${server.url}/api/v1/auth/setup`, {
      method: 'POST',
      headers,
      body: body.replace('first-admin', 'second-admin'),
    });
    assert.equal(again.status, 400);
    assert.equal((await again.json()).error.code, 'AUTH_SETUP_INVALID');
  });

  test('the sync event stream sends progress and the finished report of a run', async () => {
    const { token } = await fx.gatehouse.accounts.createApiToken({ name: 'sse', role: 'operator', createdBy: 't' });
    const auth = { authorization: `Bearer ${token}` };
    const abort = new AbortController();
    const stream = await fetch(`${server.url}/api/v1/sync/${fx.connectionName}/events`, {
      headers: auth,
      signal: abort.signal,
    });
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers.get('content-type')), /text\/event-stream/);
    const run = await fetch(`${server.url}/api/v1/sync/${fx.connectionName}/run`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(run.status, 200);
    const report = await run.json();
    assert.equal(report.status, 'succeeded');
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('event: finished')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    assert.match(text, /event: progress/);
    const finished = text.split('event: finished\ndata: ')[1]!.split('\n')[0]!;
    assert.equal(JSON.parse(finished).users.added, report.users.added);
    // /metrics takes the run and its Graph requests from the sync service's report, and token requests from msal's.
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: auth })).text();
    assert.match(metrics, /gatehouse_sync_runs_total\{status="succeeded"\} 1/);
    assert.match(metrics, new RegExp(`gatehouse_graph_requests_total ${report.requests}\\b`));
    assert.match(metrics, /gatehouse_token_requests_total [1-9]/);
  });
});

describe('sync scheduler', () => {
  test('queues a due slot once per slot, computed from the stored schedule and the last run', async () => {
    const clock = createManualClock(new Date('2026-05-01T10:00:00Z'));
    const queued: string[] = [];
    const stored = { schedule: 'every 15m' as string | null, lastRunStartedAt: '2026-05-01T09:50:00Z' };
    const scheduler = createSyncScheduler({
      clock,
      logger: silentLogger,
      listConnections: async () => ['hr'],
      scheduleOf: async () => stored,
      enqueueScheduled: async (name, slot) => {
        const key = `${name}@${slot.toISOString()}`;
        if (queued.includes(key)) return false;
        queued.push(key);
        return true;
      },
    });
    await scheduler.tick();
    assert.deepEqual(queued, [], 'not due until 10:05');
    clock.advance(5 * 60_000);
    await scheduler.tick();
    await scheduler.tick();
    assert.deepEqual(queued, ['hr@2026-05-01T10:05:00.000Z']);
    // A restart: a new scheduler over the same stored state finds the same slot (the queue dedupes it).
    stored.lastRunStartedAt = '2026-05-01T10:05:00Z';
    stored.schedule = 'daily 02:30 Europe/Berlin';
    clock.set(new Date('2026-05-02T00:31:00Z'));
    await scheduler.tick();
    assert.deepEqual(queued.at(-1), 'hr@2026-05-02T00:30:00.000Z', '02:30 in Berlin (CEST) is 00:30 UTC');
  });
  test('a never-run schedule gets the same slot on instances started at different moments', async () => {
    const slots: string[] = [];
    for (const start of ['2026-05-01T10:01:00Z', '2026-05-01T10:04:30Z']) {
      const clock = createManualClock(new Date(start));
      const scheduler = createSyncScheduler({
        clock,
        logger: silentLogger,
        listConnections: async () => ['hr'],
        scheduleOf: async () => ({ schedule: 'every 5m' }),
        enqueueScheduled: async (_name, slot) => {
          slots.push(slot.toISOString());
          return true;
        },
      });
      clock.set(new Date('2026-05-01T10:05:10Z'));
      await scheduler.tick();
    }
    assert.deepEqual(slots, ['2026-05-01T10:05:00.000Z', '2026-05-01T10:05:00.000Z']);
  });
});
