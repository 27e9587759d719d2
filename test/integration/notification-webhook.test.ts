import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '../../src/server/start-server.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { Receiver, until } from '../support/webhook-receiver.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Issue 14, end to end under the realistic emulator (replication lag included): a change in Entra → a Graph change
 * notification → an incremental sync → a directory event → a signed webhook delivery, without waiting for any
 * schedule. The change is made through the emulator and NOT settled: the notification may arrive before the change
 * has replicated to what the delta query reads, as in a real tenant.
 */
describe('a Graph change reaches a webhook within seconds (serve --public-url, notifications on)', () => {
  let fx: GatehouseFixture;
  let server: RunningServer;
  let receiver: Receiver;

  before(async () => {
    fx = await startGatehouseFixture({ emulator: { seed: 'notification-webhook', users: 30, groups: 4 } });
    const port = await freePort();
    server = await startServer(fx.gatehouse, {
      port,
      publicUrl: `http://127.0.0.1:${port}`,
      webRoot: '/nonexistent',
      notifications: { debounceMs: 300 },
    });
    await fx.gatehouse.sync.run(fx.connectionName);
    receiver = new Receiver();
    await receiver.start();
    const created = await fx.gatehouse.webhooks.create(
      { name: 'onboarding', url: receiver.url, connection: fx.connectionName, types: ['user.created'] },
      'test',
    );
    receiver.secret = created.secret;
    const view = await fx.gatehouse.sync.configure(fx.connectionName, { notifications: 'on' });
    assert.equal(view.notifications, 'on');
    // The subscription's catch-up sync after the handshake: wait until no run is under way.
    await until(async () => (await fx.gatehouse.sync.history(fx.connectionName, 10)).length > 1, 15_000);
    await until(async () => !(await fx.gatehouse.sync.status(fx.connectionName)).running, 15_000);
  });
  after(async () => {
    await server?.close();
    await receiver?.close();
    await fx?.close();
  });

  it('user.created arrives signed at the receiver, with no scheduled sync', async (t) => {
    const started = Date.now();
    const user = fx.emulator.directory.createUser({ displayName: 'Notified Newcomer' });
    await until(() => receiver.received.some((r) => (r.event.data.user as { id?: string })?.id === user.id), 15_000);
    const elapsed = Date.now() - started;
    t.diagnostic(`Graph change → webhook delivery in ${elapsed} ms (replication lag up to 3 s, debounce 300 ms)`);
    assert.equal(receiver.rejected, 0, 'every delivery verifies with the webhook secret');
    const delivered = receiver.received.find((r) => (r.event.data.user as { id?: string })?.id === user.id);
    assert.equal(delivered?.event.type, 'user.created');
    assert.equal(delivered?.event.connection, fx.connectionName);
    assert.ok(!(await fx.gatehouse.sync.status(fx.connectionName)).schedule, 'no schedule was involved');
  });
});
