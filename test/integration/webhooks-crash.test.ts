import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import type { DirectoryEvent } from '../../src/events/event-model.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves once `child` has exited (at once when it already has: a listener added later would never fire). */
function exited(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}

/** Kill -9 during delivery, and two dispatchers on one store (issue 14, item 3). */
describe('webhook delivery survives crashes and shares work between instances', () => {
  let fx: GatehouseFixture;
  let server: Server;
  let url = '';
  let secret = '';
  /** Requests that reached the receiver: webhook-id → event id; `answered` those that got a 2xx. */
  const seen: { id: string; event: string }[] = [];
  const answered: { id: string; event: string }[] = [];
  let hang = false;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 10, groups: 2, seed: 'webhooks-crash' } });
    await fx.gatehouse.sync.run(fx.connectionName);
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const event = new Webhook(secret).verify(
        Buffer.concat(chunks).toString('utf8'),
        req.headers as Record<string, string>,
      ) as DirectoryEvent;
      const entry = { id: String(req.headers['webhook-id']), event: event.id };
      seen.push(entry);
      if (hang) return; // never answers: the sender is killed while it waits
      answered.push(entry);
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    secret = (await fx.gatehouse.webhooks.create({ name: 'crash', url })).secret;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await fx.close();
  });

  it('kill -9 during a delivery: after a restart every event is delivered, duplicates only with the same webhook-id', async () => {
    hang = true;
    for (let i = 0; i < 5; i++) fx.emulator.directory.createUser({ displayName: `Crash Person ${i}` });
    // The realistic emulator lags new writes by up to 3 s; here the users have replicated by the time the sync runs
    // (settle() makes every pending write visible), so each sync below produces the events the test counts.
    await fx.emulator.settle();
    await fx.gatehouse.sync.run(fx.connectionName);
    const worker = fileURLToPath(new URL('./webhook-worker.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', worker], {
      env: { ...process.env, ...fx.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await until(() => seen.length >= 1);
    } finally {
      // Also when the wait fails: a worker left running keeps this file's process alive until its timeout.
      child.kill('SIGKILL');
      await exited(child);
    }
    hang = false;
    const restarted = fx.gatehouse.webhookDispatcher({ owner: 'restarted', pollMs: 50, leaseMs: 1500 });
    restarted.start();
    try {
      await until(async () => (await fx.gatehouse.webhooks.show('crash')).deliveries.succeeded === 5);
    } finally {
      await restarted.stop();
    }
    const events = new Set(answered.map((a) => a.event));
    assert.equal(events.size, 5, 'every event delivered');
    const byId = new Map<string, string>();
    for (const s of seen) {
      assert.equal(byId.get(s.id) ?? s.event, s.event, 'a repeated webhook-id carries the same event');
      byId.set(s.id, s.event);
    }
    assert.ok(seen.length > answered.length, 'the killed delivery was sent again');
    const order = answered.map((a) => Number(a.event));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
  });

  it('two gatehouse processes on one store deliver each event once, in order', async () => {
    seen.length = 0;
    answered.length = 0;
    const worker = fileURLToPath(new URL('./webhook-worker.ts', import.meta.url));
    const children = ['instance-a', 'instance-b'].map((owner) =>
      spawn(process.execPath, ['--import', 'tsx', worker], {
        env: { ...process.env, ...fx.env, WORKER_OWNER: owner },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    try {
      // Each worker prints a line once its dispatcher runs (a worker that dies first fails the wait, not hangs it).
      await Promise.all(
        children.map(
          (child) =>
            new Promise((resolve, reject) => {
              child.stdout?.once('data', resolve);
              child.once('exit', (code) => reject(new Error(`webhook worker exited early (${code})`)));
            }),
        ),
      );
      for (let i = 0; i < 30; i++) fx.emulator.directory.createUser({ displayName: `Shared Person ${i}` });
      await fx.emulator.settle();
      await fx.gatehouse.sync.run(fx.connectionName);
      await until(async () => (await fx.gatehouse.webhooks.show('crash')).deliveries.succeeded === 35, 60_000);
    } finally {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map(exited));
    }
    assert.equal(answered.length, 30);
    assert.equal(new Set(answered.map((x) => x.id)).size, 30, 'no event delivered twice');
    const order = answered.map((x) => Number(x.event));
    assert.deepEqual(
      order,
      [...order].sort((p, q) => p - q),
    );
  });
});
