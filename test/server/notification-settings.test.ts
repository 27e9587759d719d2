import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './server-harness.js';

describe('the notifications switch over REST and the CLI', () => {
  let plain: TestServer;
  let public_: TestServer;

  before(async () => {
    plain = await startTestServer();
    public_ = await startTestServer({ publicUrl: 'https://gatehouse.example.com' });
  });
  after(async () => {
    await plain.close();
    await public_.close();
  });

  it('refuses `on` through a server without a public URL (400 with the code), accepts `off`', async () => {
    const admin = await plain.token('admin');
    const name = plain.fixture.connectionName;
    const on = await plain.app.inject({
      method: 'PUT',
      url: `/api/v1/sync/${encodeURIComponent(name)}/settings`,
      headers: admin.headers,
      payload: { notifications: 'on' },
    });
    assert.equal(on.statusCode, 400);
    assert.equal(on.json().error.code, 'SYNC_NOTIFICATIONS_PUBLIC_URL_REQUIRED');
    const off = await plain.app.inject({
      method: 'PUT',
      url: `/api/v1/sync/${encodeURIComponent(name)}/settings`,
      headers: admin.headers,
      payload: { notifications: 'off' },
    });
    assert.equal(off.statusCode, 200);
    assert.equal(off.json().notifications, 'off');
    const wrong = await plain.app.inject({
      method: 'PUT',
      url: `/api/v1/sync/${encodeURIComponent(name)}/settings`,
      headers: admin.headers,
      payload: { notifications: 'maybe' },
    });
    assert.equal(wrong.statusCode, 400);
  });

  it('stores `on` through a server with a public URL; status shows it; operators may not change it', async () => {
    const name = public_.fixture.connectionName;
    const url = `/api/v1/sync/${encodeURIComponent(name)}/settings`;
    const operator = await public_.token('operator');
    const refused = await public_.app.inject({
      method: 'PUT',
      url,
      headers: operator.headers,
      payload: { notifications: 'on' },
    });
    assert.equal(refused.statusCode, 403);
    const admin = await public_.token('admin');
    const on = await public_.app.inject({
      method: 'PUT',
      url,
      headers: admin.headers,
      payload: { notifications: 'on' },
    });
    assert.equal(on.statusCode, 200);
    assert.equal(on.json().notifications, 'on');
    const status = await public_.app.inject({
      method: 'GET',
      url: `/api/v1/sync/${encodeURIComponent(name)}/status`,
      headers: admin.headers,
    });
    assert.equal(status.json().notifications, 'on');
  });

  it('`sync configure --notifications on|off` through the CLI; other values exit 2', async () => {
    const fx = plain.fixture;
    const on = await fx.runCli(['sync', 'configure', fx.connectionName, '--notifications', 'on', '--json']);
    assert.equal(on.exitCode, 0, on.stderr);
    assert.equal(on.json<{ notifications: string }>().notifications, 'on');
    const text = await fx.runCli(['sync', 'status', fx.connectionName]);
    assert.match(text.stdout, /notifications\s+on/);
    const wrong = await fx.runCli(['sync', 'configure', fx.connectionName, '--notifications', 'sometimes']);
    assert.equal(wrong.exitCode, 2);
    assert.match(wrong.stderr, /SYNC_INVALID_POLICY/);
    const off = await fx.runCli(['sync', 'configure', fx.connectionName, '--notifications', 'off', '--json']);
    assert.equal(off.json<{ notifications: string }>().notifications, 'off');
  });

  it('removing a connection removes its notification settings and subscription rows', async () => {
    const fx = public_.fixture;
    const { gatehouse } = fx;
    const connection = await gatehouse.connections.get(fx.connectionName);
    await gatehouse.sync.configure(fx.connectionName, { notifications: 'on' });
    const db = gatehouse.store.db.withTables<{ graph_notification_settings: { connection_id: string } }>();
    const rows = () =>
      db.selectFrom('graph_notification_settings').selectAll().where('connection_id', '=', connection.id).execute();
    assert.equal((await rows()).length, 1);
    await gatehouse.connections.remove(fx.connectionName);
    assert.equal((await rows()).length, 0);
  });
});
