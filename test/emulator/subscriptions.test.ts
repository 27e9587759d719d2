import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { defaultCaller, type GraphCall, graphCaller, tokenFor } from './graph-test-client.js';

type ErrorBody = { error: { code: string; message: string } };
type Notification = Record<string, unknown> & { resourceData?: Record<string, unknown> };

/** A subscriber: echoes validation tokens (unless told otherwise) and records every POST body. */
interface Receiver {
  url: string;
  posts: { path: string; body: { value: Notification[] } }[];
  mode: 'echo' | 'refuse' | 'json' | 'slow';
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    posts: [],
    mode: 'echo',
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.posts.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${receiver.posts.length} of ${count} POSTs arrived`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const token = url.searchParams.get('validationToken');
      if (token !== null) {
        if (receiver.mode === 'refuse') return void res.writeHead(403).end();
        if (receiver.mode === 'json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(token);
        if (receiver.mode === 'slow') return; // never answers: the 10 s limit applies
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
      }
      receiver.posts.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

const inDays = (emulator: { now: () => Date }, days: number) =>
  new Date(emulator.now().getTime() + days * 24 * 3600_000).toISOString();

describe('emulator change notifications (/subscriptions)', () => {
  let emulator: Emulator;
  let call: GraphCall;
  let receiver: Receiver;
  const clock = createManualClock(new Date('2031-03-01T00:00:00Z'));
  const now = { now: () => clock.now() };

  before(async () => {
    emulator = await startEmulator({ seed: 'subscriptions', clock });
    receiver = await startReceiver();
    call = await defaultCaller(emulator);
  });
  after(async () => {
    await emulator.stop();
    await receiver.close();
  });

  const subscribe = (resource: string, extra: Record<string, unknown> = {}) =>
    call<Record<string, unknown> & ErrorBody>('POST', '/subscriptions', {
      body: {
        changeType: 'updated,deleted',
        notificationUrl: `${receiver.url}/hook?conn=abc`,
        lifecycleNotificationUrl: `${receiver.url}/lifecycle`,
        resource,
        expirationDateTime: inDays(now, 3),
        clientState: 'secret-state',
        ...extra,
      },
    });

  it('creates after the validation handshake, lists, reads, renews and deletes', async () => {
    const created = await subscribe('/users');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    assert.equal(created.body.resource, '/users');
    assert.equal(created.body.applicationId, emulator.connection.ClientID);
    const validations = emulator.subscriptions.deliveries().filter((d) => d.kind === 'validation');
    assert.equal(validations.length, 2, 'notificationUrl and lifecycleNotificationUrl are both validated');
    assert.ok(validations.every((v) => v.status === 200 && !v.error));

    const listed = await call<{ value: { id: string }[] }>('GET', '/subscriptions');
    assert.deepEqual(
      listed.body.value.map((s) => s.id),
      [id],
    );
    assert.equal((await call('GET', `/subscriptions/${id}`)).status, 200);

    const renewed = await call('PATCH', `/subscriptions/${id}`, { body: { expirationDateTime: inDays(now, 5) } });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.expirationDateTime, `${inDays(now, 5).slice(0, 19)}Z`);
    assert.equal((await call('POST', `/subscriptions/${id}/reauthorize`)).status, 204);

    const twin = await subscribe('/users');
    assert.equal(twin.status, 409);
    assert.match(twin.body.error.message, /already exists for the requested combination/);

    assert.equal((await call('DELETE', `/subscriptions/${id}`)).status, 204);
    assert.equal((await call<ErrorBody>('PATCH', `/subscriptions/${id}`, { body: {} })).status, 404);
  });

  it('refuses a failed handshake with 400 and Graph’s message: wrong status, wrong content type', async () => {
    for (const mode of ['refuse', 'json'] as const) {
      receiver.mode = mode;
      const refused = await subscribe('/groups');
      assert.equal(refused.status, 400, mode);
      assert.equal(refused.body.error.code, 'InvalidRequest');
      assert.match(refused.body.error.message, /Subscription validation request failed/);
    }
    receiver.mode = 'echo';
    assert.equal(emulator.subscriptions.list().length, 0);
  });

  it('gives the validation request 10 seconds, then refuses with 400', async () => {
    receiver.mode = 'slow';
    const started = Date.now();
    const refused = await subscribe('/groups');
    const waited = Date.now() - started;
    receiver.mode = 'echo';
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /Subscription validation request failed/);
    assert.ok(waited >= 9_900 && waited < 12_000, `waited ${waited} ms`);
  });

  it('validates expiry (max 41,760 minutes, short ones raised to 45), clientState, URL and permission', async () => {
    const tooLong = await subscribe('/users', {
      expirationDateTime: new Date(clock.nowMs() + (41_760 + 5) * 60_000).toISOString(),
    });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error.message, /41760 minutes/);
    const short = await subscribe('/groups', { expirationDateTime: new Date(clock.nowMs() + 60_000).toISOString() });
    assert.equal(short.status, 201);
    assert.equal(short.body.expirationDateTime, `${new Date(clock.nowMs() + 45 * 60_000).toISOString().slice(0, 19)}Z`);
    await call('DELETE', `/subscriptions/${short.body.id}`);
    assert.equal((await subscribe('/users', { clientState: 'x'.repeat(129) })).status, 400);
    assert.equal((await subscribe('/users', { notificationUrl: 'http://example.com/hook' })).status, 400);
    assert.equal((await subscribe('/users', { changeType: 'moved' })).status, 400);
    assert.equal((await subscribe('/devices')).status, 400);

    // GroupMember.Read.All is not enough for /groups; User.Read.All is for /users (facts F.2).
    const app = emulator.registerApp({ applicationPermissions: ['GroupMember.Read.All', 'User.Read.All'] });
    const narrow = graphCaller(emulator, await tokenFor(emulator, app.clientId, app.secretValue as string));
    const body = {
      changeType: 'updated',
      notificationUrl: `${receiver.url}/narrow`,
      resource: '/groups',
      expirationDateTime: inDays(now, 1),
    };
    assert.equal((await narrow('POST', '/subscriptions', { body })).status, 403);
    const users = await narrow('POST', '/subscriptions', { body: { ...body, resource: '/users' } });
    assert.equal(users.status, 201);
    assert.equal((await call('GET', `/subscriptions/${users.body.id}`)).status, 404, 'another app does not see it');
    await narrow('DELETE', `/subscriptions/${users.body.id}`);
  });

  it('notifies users and groups changes with Graph’s shape; permanent deletes as deleted', async () => {
    const users = await subscribe('/users');
    const groups = await subscribe('/groups');
    receiver.posts.length = 0;
    const ada = emulator.directory.createUser({ displayName: 'Ada Lovelace' });
    const team = emulator.directory.createGroup({ displayName: 'Engines' });
    emulator.directory.addMember(team.id, ada.id);
    await emulator.subscriptions.flush();
    const items = receiver.posts.flatMap((p) => p.body.value);
    const forAda = items.filter((i) => i.resourceData?.id === ada.id);
    assert.equal(forAda.length, 1);
    assert.deepEqual(forAda[0], {
      subscriptionId: users.body.id,
      subscriptionExpirationDateTime: `${inDays(now, 3).slice(0, 19)}+00:00`,
      changeType: 'updated',
      clientState: 'secret-state',
      tenantId: emulator.tenant.id,
      resource: `Users/${ada.id}`,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.User',
        '@odata.id': `Users/${ada.id}`,
        id: ada.id,
        organizationId: emulator.tenant.id,
      },
    });
    const forTeam = items.filter((i) => i.resourceData?.id === team.id);
    assert.equal(forTeam.length, 2, 'created, then a member added');
    assert.ok(forTeam.every((i) => i.subscriptionId === groups.body.id && i.changeType === 'updated'));
    assert.ok(receiver.posts.every((p) => p.path === '/hook'));

    receiver.posts.length = 0;
    emulator.directory.delete(ada.id, { permanently: true });
    await emulator.subscriptions.flush();
    const deleted = receiver.posts.flatMap((p) => p.body.value).filter((i) => i.resourceData?.id === ada.id);
    assert.deepEqual(
      deleted.map((i) => i.changeType),
      ['deleted'],
    );
    await call('DELETE', `/subscriptions/${users.body.id}`);
    await call('DELETE', `/subscriptions/${groups.body.id}`);
  });

  it('drops and delays notifications on request (seeded), and expires subscriptions on its clock', async () => {
    const users = await subscribe('/users');
    receiver.posts.length = 0;
    emulator.subscriptions.dropNext(2);
    emulator.directory.createUser({ displayName: 'Dropped One' });
    emulator.directory.createUser({ displayName: 'Dropped Two' });
    const kept = emulator.directory.createUser({ displayName: 'Kept Three' });
    await emulator.subscriptions.flush();
    const ids = receiver.posts.flatMap((p) => p.body.value).map((i) => i.resourceData?.id);
    assert.deepEqual(ids, [kept.id]);
    assert.equal(emulator.subscriptions.deliveries().filter((d) => d.dropped).length, 2);

    receiver.posts.length = 0;
    emulator.subscriptions.setDelay(300);
    const started = Date.now();
    emulator.directory.createUser({ displayName: 'Late Four' });
    await receiver.waitFor(1);
    assert.ok(Date.now() - started >= 250, 'held for the delay');
    emulator.subscriptions.setDelay(0);

    clock.advance(3 * 24 * 3600_000 + 1);
    assert.equal(emulator.subscriptions.list().length, 0, 'expired');
    call = await defaultCaller(emulator); // the old token expired with the clock
    assert.equal((await call('GET', `/subscriptions/${users.body.id}`)).status, 404);
  });

  it('sends lifecycle notifications: reauthorizationRequired near expiry, subscriptionRemoved, missed', async () => {
    const sub = await subscribe('/groups', { expirationDateTime: inDays(now, 1) });
    assert.equal(sub.status, 201);
    const id = sub.body.id as string;
    receiver.posts.length = 0;
    clock.advance(23.5 * 3600_000);
    await emulator.subscriptions.tick();
    await emulator.subscriptions.tick(); // once per challenge
    await emulator.subscriptions.sendLifecycle(id, 'missed');
    await emulator.subscriptions.remove(id);
    const events = receiver.posts.filter((p) => p.path === '/lifecycle').flatMap((p) => p.body.value);
    assert.deepEqual(
      events.map((e) => e.lifecycleEvent),
      ['reauthorizationRequired', 'missed', 'subscriptionRemoved'],
    );
    assert.equal(events[0]?.clientState, 'secret-state');
    assert.equal(events[0]?.subscriptionId, id);
    assert.equal(emulator.subscriptions.list().length, 0);
  });

  it('drops a seeded fraction: the same seed drops the same notifications', async () => {
    const dropped = async () => {
      const emu = await startEmulator({ seed: 'drop-rate', clock, notifications: { dropRate: 0.5 } });
      try {
        const caller = await defaultCaller(emu);
        const made = await caller('POST', '/subscriptions', {
          body: {
            changeType: 'updated',
            notificationUrl: `${receiver.url}/rate`,
            resource: '/users',
            expirationDateTime: inDays(now, 1),
          },
        });
        assert.equal(made.status, 201);
        const names = Array.from({ length: 20 }, (_, i) => emu.directory.createUser({ displayName: `Rate ${i}` }));
        await emu.subscriptions.flush();
        const droppedCount = emu.subscriptions.deliveries().filter((d) => d.dropped).length;
        return { droppedCount, total: names.length };
      } finally {
        await emu.stop();
      }
    };
    const first = await dropped();
    const second = await dropped();
    assert.ok(first.droppedCount > 2 && first.droppedCount < 18, `${first.droppedCount} of 20 dropped`);
    assert.equal(second.droppedCount, first.droppedCount);
  });
});
