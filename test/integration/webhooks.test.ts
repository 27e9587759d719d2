import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebhookDispatcher } from '../../src/events/webhook-dispatcher.js';
import { checkWebhookUrl } from '../../src/events/webhook-url.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { Receiver, until } from '../support/webhook-receiver.js';

describe('webhooks deliver directory events', () => {
  let fx: GatehouseFixture;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;
  let secret: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 20, groups: 4, seed: 'webhooks-test' } });
    await fx.gatehouse.sync.run(fx.connectionName);
    receiver = new Receiver();
    await receiver.start();
    dispatcher = fx.gatehouse.webhookDispatcher({ pollMs: 50, retryBaseMs: 50, maxDelayMs: 200, leaseMs: 2000 });
    dispatcher.start();
  });
  after(async () => {
    await dispatcher.stop();
    await receiver.close();
    await fx.close();
  });

  it('refuses URLs that break the rules with stable codes', async () => {
    const create = (url: string) => fx.gatehouse.webhooks.create({ name: 'bad', url });
    await assert.rejects(create('https://10.1.2.3/hook'), { code: 'WEBHOOK_URL_NOT_ALLOWED' });
    await assert.rejects(create('https://169.254.169.254/latest'), { code: 'WEBHOOK_URL_NOT_ALLOWED' });
    await assert.rejects(create('https://[fe80::1]/hook'), { code: 'WEBHOOK_URL_NOT_ALLOWED' });
    await assert.rejects(create('http://93.184.216.34/hook'), { code: 'WEBHOOK_URL_INVALID' });
    await assert.rejects(create('ftp://example.com/'), { code: 'WEBHOOK_URL_INVALID' });
    await assert.rejects(create('https://user:pw@example.com/'), { code: 'WEBHOOK_URL_INVALID' });
    await assert.rejects(create('not a url'), { code: 'WEBHOOK_URL_INVALID' });
    const resolve = async () => ['192.168.1.10'];
    await assert.rejects(checkWebhookUrl('https://intranet.example/hook', { resolve }), {
      code: 'WEBHOOK_URL_NOT_ALLOWED',
    });
    assert.equal(
      await checkWebhookUrl('https://intranet.example/hook', { resolve, allowPrivate: true }),
      'https://intranet.example/hook',
    );
    assert.equal(await checkWebhookUrl('https://[::ffff:8.8.8.8]/h'), 'https://[::ffff:808:808]/h');
    await assert.rejects(checkWebhookUrl('https://[::ffff:10.0.0.1]/h'), { code: 'WEBHOOK_URL_NOT_ALLOWED' });
  });

  it('creates a webhook with a secret shown once and stored encrypted', async () => {
    const created = await fx.gatehouse.webhooks.create({ name: 'crm', url: receiver.url }, 'test');
    secret = created.secret;
    receiver.secret = secret;
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    const row = await fx.gatehouse.store.db.selectFrom('webhooks').selectAll().executeTakeFirstOrThrow();
    assert.ok(!row.secret.includes(secret.slice(6)), 'encrypted at rest');
    assert.ok(!JSON.stringify(await fx.gatehouse.webhooks.list()).includes(secret.slice(6)));
    assert.ok(!JSON.stringify(await fx.gatehouse.webhooks.show('crm')).includes(secret.slice(6)));
    await assert.rejects(fx.gatehouse.webhooks.create({ name: 'crm', url: receiver.url }), {
      code: 'WEBHOOK_NAME_TAKEN',
    });
    const ping = await fx.gatehouse.webhooks.test('crm');
    assert.equal(ping.ok, true, JSON.stringify(ping));
    assert.equal(receiver.received.at(-1)?.event.type, 'webhook.ping');
  });

  it('delivers signed events in order, verified by the receiver', async () => {
    receiver.received.length = 0;
    for (let i = 0; i < 5; i++) fx.emulator.directory.createUser({ displayName: `Hook Person ${i}` });
    // The realistic emulator lags new writes by up to 3 s; here the changes have replicated by the time the sync
    // runs (settle() makes every pending write visible), so each sync below sees what the test just wrote.
    await fx.emulator.settle();
    await fx.gatehouse.sync.run(fx.connectionName);
    await until(() => receiver.received.length >= 5);
    assert.equal(receiver.rejected, 0);
    const ids = receiver.received.map((r) => Number(r.event.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.ok(receiver.received.every((r) => r.id === `evt_${r.id.split('_')[1]}_${r.event.id}`));
    // The dispatcher records a run of attempts once the last one has answered, so the receiver can hold all five
    // while the log still says pending: wait for the record, then check it.
    await until(async () =>
      (await fx.gatehouse.webhooks.deliveries('crm', { limit: 5 })).every((d) => d.status !== 'pending'),
    );
    const log = await fx.gatehouse.webhooks.deliveries('crm');
    assert.ok(log.slice(0, 5).every((d) => d.status === 'succeeded' && d.responseStatus === 204 && d.attempts === 1));
  });

  it('a receiver that is down gets everything, in order, once it is back', async () => {
    receiver.received.length = 0;
    receiver.status = 503;
    for (let i = 0; i < 6; i++) fx.emulator.directory.createUser({ displayName: `Outage Person ${i}` });
    await fx.emulator.settle();
    await fx.gatehouse.sync.run(fx.connectionName);
    await until(async () => (await fx.gatehouse.webhooks.deliveries('crm', { limit: 6 })).some((d) => d.attempts >= 2));
    const waiting = await fx.gatehouse.webhooks.deliveries('crm', { limit: 6 });
    assert.ok(waiting.every((d) => d.status === 'pending'));
    assert.equal(waiting.at(-1)?.error, 'HTTP 503');
    assert.equal(receiver.received.length, 0);
    receiver.status = 200;
    await until(() => receiver.received.length >= 6);
    const ids = receiver.received.map((r) => Number(r.event.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(new Set(ids).size, 6);
  });

  it('after the retry window a delivery is failed, kept, and can be redelivered', async () => {
    await dispatcher.stop();
    dispatcher = fx.gatehouse.webhookDispatcher({ pollMs: 50, retryBaseMs: 50, maxDelayMs: 100, retryWindowMs: 300 });
    dispatcher.start();
    receiver.received.length = 0;
    receiver.status = 500;
    fx.emulator.directory.createUser({ displayName: 'Failed Person' });
    await fx.emulator.settle();
    await fx.gatehouse.sync.run(fx.connectionName);
    await until(async () => (await fx.gatehouse.webhooks.deliveries('crm', { failed: true })).length === 1);
    const [failed] = await fx.gatehouse.webhooks.deliveries('crm', { failed: true });
    assert.equal(failed?.error, 'HTTP 500');
    assert.ok((failed?.attempts ?? 0) >= 2);
    receiver.status = 200;
    await fx.gatehouse.webhooks.redeliver('crm', String(failed?.eventId));
    await until(() => receiver.received.length === 1);
    assert.equal(receiver.received[0]?.event.id, failed?.eventId);
    const cli = await fx.runCli(['webhooks', 'deliveries', 'crm', '--failed', '--json']);
    assert.deepEqual(cli.json(), []);
  });

  it('the CLI creates, shows and removes webhooks; the secret is printed only at creation', async () => {
    const created = await fx.runCli(['webhooks', 'create', '--name', 'cli-hook', '--url', receiver.url, '--json']);
    assert.equal(created.exitCode, 0, created.stderr);
    const cliSecret = created.json<{ secret: string }>().secret;
    assert.match(cliSecret, /^whsec_/);
    const shown = await fx.runCli(['webhooks', 'show', 'cli-hook']);
    assert.match(shown.stdout, /connection {2}all/);
    const listed = await fx.runCli(['webhooks', 'list', '--json']);
    for (const output of [shown.stdout, shown.stderr, listed.stdout, listed.stderr]) {
      assert.ok(!output.includes(cliSecret.slice(6)), 'the secret is shown once');
    }
    const bad = await fx.runCli(['webhooks', 'create', '--name', 'x', '--url', 'https://10.0.0.1/']);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /WEBHOOK_URL_NOT_ALLOWED/);
    assert.match(bad.stderr, /GATEHOUSE_WEBHOOK_ALLOW_PRIVATE/);
    assert.equal((await fx.runCli(['webhooks', 'remove', 'cli-hook'])).exitCode, 0);
    const gone = await fx.runCli(['webhooks', 'show', 'cli-hook']);
    assert.match(gone.stderr, /WEBHOOK_NOT_FOUND/);
  });
});
