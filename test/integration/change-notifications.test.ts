import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { type RunningServer, startServer } from '../../src/server/start-server.js';
import { createDirectoryRepository } from '../../src/store/directory-repository.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** A free loopback port, so the server's public URL is known before it listens. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Graph change notifications trigger syncs (serve --public-url)', () => {
  let fx: GatehouseFixture;
  let server: RunningServer;
  let publicUrl: string;
  let connectionId: string;
  const local = () => createDirectoryRepository(fx.gatehouse.store.db);
  const runs = async () => (await fx.gatehouse.sync.history(fx.connectionName, 100)).length;
  const logLines: string[] = [];

  before(async () => {
    fx = await startGatehouseFixture({
      emulator: { seed: 'notifications' },
      logger: createLogger({ level: 'debug', destination: { write: (line: string) => logLines.push(line) } }),
    });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    server = await startServer(fx.gatehouse, {
      port,
      publicUrl,
      webRoot: '/nonexistent',
      notifications: { debounceMs: 300 },
    });
    connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    await fx.gatehouse.sync.run(fx.connectionName);
  });
  after(async () => {
    await server?.close();
    await fx?.close();
  });

  it('subscribes to users and groups after the validation handshake when switched on, and catches up once', async () => {
    const before = await runs();
    const view = await fx.gatehouse.sync.configure(fx.connectionName, { notifications: 'on' });
    assert.equal(view.notifications, 'on');
    const subs = await waitFor('two subscriptions', () => {
      const list = fx.emulator.subscriptions.list();
      return list.length === 2 ? list : undefined;
    });
    assert.deepEqual(subs.map((s) => s.resource).sort(), ['/groups', '/users']);
    for (const sub of subs) {
      assert.equal(sub.notificationUrl, `${publicUrl}/api/v1/notifications/graph/${connectionId}`);
      assert.equal(sub.lifecycleNotificationUrl, `${sub.notificationUrl}/lifecycle`);
      assert.equal(sub.changeType, 'updated,deleted');
      assert.ok(typeof sub.clientState === 'string' && (sub.clientState as string).length >= 32);
    }
    const validations = fx.emulator.subscriptions.deliveries().filter((d) => d.kind === 'validation');
    assert.equal(validations.length, 4, 'notification and lifecycle URL of both subscriptions');
    assert.ok(validations.every((v) => v.status === 200 && !v.error));
    // The clientState is stored only as a hash.
    const status = await fx.gatehouse.notifications.status(connectionId);
    assert.equal(status.subscriptions.length, 2);
    // The emulator lists a subscription as soon as it answers the POST; gatehouse stores it (with its expiry) once
    // that answer has arrived, so wait for gatehouse's side rather than racing it.
    const syncStatus = await waitFor('both subscriptions stored with their expiry', async () => {
      const current = await fx.gatehouse.sync.status(fx.connectionName);
      const stored = current.notificationSubscriptions;
      return stored.length === 2 && stored.every((n) => n.expiresAt) ? current : undefined;
    });
    assert.deepEqual(
      syncStatus.notificationSubscriptions.map((n) => n.resource),
      ['groups', 'users'],
    );
    assert.ok(syncStatus.notificationSubscriptions.every((n) => n.expiresAt));
    const stored = JSON.stringify(
      await fx.gatehouse.store.db
        .withTables<{ graph_subscriptions: { client_state_hash: string } }>()
        .selectFrom('graph_subscriptions')
        .selectAll()
        .execute(),
    );
    for (const sub of subs) assert.equal(stored.includes(sub.clientState as string), false);
    // Changes made before the subscription existed come through delta: one sync right after subscribing.
    await waitFor('the catch-up sync', async () => (await runs()) > before);
  });

  it('a change in the emulator is synced within a few seconds, without waiting for the schedule', async (t) => {
    await waitFor('no sync running', async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running);
    const started = Date.now();
    const ada = fx.emulator.directory.createUser({ displayName: 'Ada Notified' });
    await waitFor('Ada in the local directory', () => local().getUser(connectionId, ada.id));
    const elapsed = Date.now() - started;
    t.diagnostic(`change → local directory in ${elapsed} ms (debounce window 300 ms)`);
    assert.ok(elapsed < 5_000, `synced after ${elapsed} ms`);
  });

  it('a change still replicating when its notification arrives is applied by the catch-up sync', async (t) => {
    // Graph notifies at once, but delta shows a change only once it has replicated ("processing delays",
    // learn.microsoft.com/graph/delta-query-overview). With the lag pinned near the realistic maximum, the notified
    // sync (~300 ms later) cannot see the user; only gatehouse's catch-up sync, without any further notification
    // or the schedule, brings it in.
    await waitFor('no sync running', async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running);
    const lag = { ...fx.emulator.realism.replicationLagMs };
    fx.emulator.setRealism({ replicationLagMs: { min: 2_500, max: 3_000 } });
    try {
      const before = await runs();
      const started = Date.now();
      const rita = fx.emulator.directory.createUser({ displayName: 'Replicating Rita' });
      await waitFor('the notified sync', async () => (await runs()) > before);
      await waitFor('no sync running', async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running);
      if (Date.now() - started < 2_500) {
        assert.equal(await local().getUser(connectionId, rita.id), undefined, 'the notified sync could not see it');
      }
      await waitFor('Rita in the local directory', () => local().getUser(connectionId, rita.id));
      const elapsed = Date.now() - started;
      t.diagnostic(`change → local directory in ${elapsed} ms (replication lag 2.5–3 s)`);
      assert.ok(elapsed < 5_000, `synced after ${elapsed} ms`);
      assert.ok((await runs()) - before >= 2, 'the notified sync and the catch-up sync');
    } finally {
      fx.emulator.setRealism({ replicationLagMs: lag });
    }
  });

  it('coalesces a burst of notifications into one sync', async () => {
    await waitFor('no sync running', async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running);
    await new Promise((r) => setTimeout(r, 500));
    const before = await runs();
    const burst = Array.from({ length: 10 }, (_, i) => fx.emulator.directory.createUser({ displayName: `Burst ${i}` }));
    await waitFor('the burst synced', async () => {
      for (const u of burst) if (!(await local().getUser(connectionId, u.id))) return false;
      return true;
    });
    await new Promise((r) => setTimeout(r, 800));
    assert.ok((await runs()) - before <= 2, `${(await runs()) - before} runs for one burst`);
  });

  it('a dropped notification is caught up by delta when Graph says notifications were missed', async () => {
    await waitFor('no sync running', async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running);
    fx.emulator.subscriptions.dropNext(1);
    const lost = fx.emulator.directory.createUser({ displayName: 'Lost Notification' });
    await fx.emulator.subscriptions.flush();
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(await local().getUser(connectionId, lost.id), undefined, 'no notification, no sync yet');
    const users = fx.emulator.subscriptions.list().find((s) => s.resource === '/users');
    await fx.emulator.subscriptions.sendLifecycle(users?.id as string, 'missed');
    await waitFor('the lost user caught up', () => local().getUser(connectionId, lost.id));
  });

  it('a dropped notification is caught up by the next delta round any notification triggers', async () => {
    await waitFor('no sync running', async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running);
    fx.emulator.subscriptions.dropNext(1);
    const dropped = fx.emulator.directory.createUser({ displayName: 'Dropped Quietly' });
    await fx.emulator.subscriptions.flush();
    await new Promise((r) => setTimeout(r, 600));
    const team = fx.emulator.directory.createGroup({ displayName: 'Notified Team' });
    await waitFor('the notified group', () => local().getGroup(connectionId, team.id));
    assert.ok(await local().getUser(connectionId, dropped.id), 'the dropped change came with the same delta round');
  });

  it('a wrong clientState is ignored (202) and audited; nothing is synced', async () => {
    await waitFor('no sync running', async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running);
    await new Promise((r) => setTimeout(r, 500));
    const before = await runs();
    const subscriptionId = fx.emulator.subscriptions.list()[0]?.id as string;
    const response = await fetch(`${publicUrl}/api/v1/notifications/graph/${connectionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [{ subscriptionId, clientState: 'forged-client-state', changeType: 'updated', resource: 'Users/x' }],
      }),
    });
    assert.equal(response.status, 202);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(await runs(), before, 'no sync for a forged notification');
    const [event] = await fx.gatehouse.audit.list({ action: 'sync.notification' });
    assert.equal(event?.result, 'failed');
    assert.equal(event?.errorCode, 'SYNC_NOTIFICATION_CLIENT_STATE_MISMATCH');
    assert.equal(event?.connection, fx.connectionName);
    assert.equal(JSON.stringify(event).includes('forged-client-state'), false, 'the clientState is not recorded');
    // A flood is audited at most once a minute per connection.
    for (let i = 0; i < 5; i++) {
      const again = await fetch(`${publicUrl}/api/v1/notifications/graph/${connectionId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: [{ subscriptionId, clientState: `forged-${i}` }] }),
      });
      assert.equal(again.status, 202);
    }
    assert.equal((await fx.gatehouse.audit.list({ action: 'sync.notification' })).length, 1);
  });

  it('never logs a clientState (debug level included)', () => {
    const states = fx.emulator.subscriptions.list().map((s) => s.clientState as string);
    assert.ok(states.length > 0 && logLines.length > 0);
    assert.ok(logLines.some((l) => l.includes('change-notification subscription created')));
    for (const state of states) assert.equal(logLines.join('\n').includes(state), false);
  });

  it('answers a validation request only while a subscription is being created', async () => {
    const url = `${publicUrl}/api/v1/notifications/graph/${connectionId}?validationToken=${encodeURIComponent('a b:c')}`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' } });
    assert.equal(response.status, 404);
    const unknown = await fetch(`${publicUrl}/api/v1/notifications/graph/nope?validationToken=x`, { method: 'POST' });
    assert.equal(unknown.status, 404);
  });

  it('recreates a removed subscription and catches up; switching off deletes them', async () => {
    const users = fx.emulator.subscriptions.list().find((s) => s.resource === '/users');
    await fx.emulator.subscriptions.remove(users?.id as string);
    const replaced = await waitFor('a new users subscription', () =>
      fx.emulator.subscriptions.list().find((s) => s.resource === '/users'),
    );
    assert.notEqual(replaced.id, users?.id);
    const view = await fx.gatehouse.sync.configure(fx.connectionName, { notifications: 'off' });
    assert.equal(view.notifications, 'off');
    await waitFor('no subscriptions', () => fx.emulator.subscriptions.list().length === 0);
    // gatehouse forgets each subscription after Graph deleted it: the last local row can outlive Graph's by a write
    // (seen on PostgreSQL in CI), so wait for it too instead of reading once.
    await waitFor(
      'no local subscriptions',
      async () => (await fx.gatehouse.notifications.status(connectionId)).subscriptions.length === 0,
    );
    assert.deepEqual((await fx.gatehouse.notifications.status(connectionId)).subscriptions, []);
  });
});

describe('change-notification subscriptions are renewed before expiry (manual clock)', () => {
  const clock = createManualClock(new Date('2031-05-01T08:00:00Z'));
  let fx: GatehouseFixture;
  let server: RunningServer;
  let connectionId: string;
  const expiries = () =>
    fx.emulator.subscriptions
      .list()
      .map((s) => s.expirationDateTime as string)
      .sort();

  before(async () => {
    fx = await startGatehouseFixture({
      clock,
      // Realistic, but without random 429s: gatehouse's Graph retries wait on this manual clock, which the tests
      // advance only in whole hours and days, so a retry would wait forever.
      emulator: { seed: 'renewal', clock, realism: { randomThrottleRate: 0 } },
    });
    const port = await freePort();
    server = await startServer(fx.gatehouse, {
      port,
      publicUrl: `http://127.0.0.1:${port}`,
      webRoot: '/nonexistent',
    });
    connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    await fx.gatehouse.sync.configure(fx.connectionName, { notifications: 'on' });
    await waitFor('two subscriptions', () => fx.emulator.subscriptions.list().length === 2);
  });
  after(async () => {
    await server?.close();
    await fx?.close();
  });

  it('asks for 3 days, keeps them for a day, then renews them for 3 days from now', async () => {
    assert.deepEqual(expiries(), ['2031-05-04T08:00:00Z', '2031-05-04T08:00:00Z']);
    clock.advance(12 * 3600_000);
    await fx.gatehouse.notifications.tick();
    assert.deepEqual(expiries(), ['2031-05-04T08:00:00Z', '2031-05-04T08:00:00Z'], 'not due yet');
    clock.advance(12 * 3600_000 + 60_000);
    await fx.gatehouse.notifications.tick();
    assert.deepEqual(expiries(), ['2031-05-05T08:01:00Z', '2031-05-05T08:01:00Z']);
    const status = await fx.gatehouse.notifications.status(connectionId);
    assert.ok(status.subscriptions.every((s) => s.expiresAt === '2031-05-05T08:01:00.000Z'));
  });

  it('answers reauthorizationRequired by renewing', async () => {
    clock.advance(3600_000);
    const [sub] = fx.emulator.subscriptions.list();
    await fx.emulator.subscriptions.sendLifecycle(sub?.id as string, 'reauthorizationRequired');
    await waitFor('the renewal', () =>
      fx.emulator.subscriptions.list().find((s) => s.id === sub?.id && s.expirationDateTime === '2031-05-05T09:01:00Z'),
    );
  });

  it('creates a new subscription when Graph let the old one expire', async () => {
    clock.advance(4 * 24 * 3600_000);
    assert.equal(fx.emulator.subscriptions.list().length, 0, 'expired in the emulator');
    await fx.gatehouse.notifications.tick();
    assert.equal(fx.emulator.subscriptions.list().length, 2);
  });
});
