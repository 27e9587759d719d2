import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { StoredParameter } from '../../src/connections/connection.js';
import { AppError } from '../../src/core/errors.js';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import { createSelfSignedCertificate } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { openGatehouse } from '../../src/main.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/**
 * Issue 12 finding 1: a stored secret is bound to the connection, the parameter and the hosts it was entered for.
 * An attacker's listener on another loopback port stands in for "their own server": whatever an admin (or someone
 * who can write one database row, without the master key) points AuthorityHost or GraphEndpoint at, neither the
 * secret nor a token arrives there.
 */

interface Received {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

let fx: GatehouseFixture;
let logs = '';
let listener: Server;
let listenerUrl: string;
const received: Received[] = [];

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

before(async () => {
  fx = await startGatehouseFixture({
    emulator: { seed: 'secret-binding' },
    logger: createLogger({ level: 'trace', destination: { write: (chunk: string) => (logs += chunk) } }),
  });
  listener = createServer(async (request, response) => {
    received.push({
      method: request.method ?? '',
      url: request.url ?? '',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      body: await readBody(request),
    });
    response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  assert.ok(address && typeof address === 'object');
  listenerUrl = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  await fx.close();
});

const secret = () => fx.emulator.defaultApp.secretValue as string;

/** Nothing the listener saw carries the secret or a bearer token; everything gatehouse said is free of the secret. */
function assertNothingArrived(report: DoctorReport): void {
  const seen = JSON.stringify(received);
  assert.ok(!seen.includes(secret()), 'the client secret never reaches the listener');
  assert.ok(!received.some((r) => r.authorization), 'no bearer token reaches the listener');
  assert.ok(!/client_secret|client_assertion/.test(seen), 'no credential of any kind reaches the listener');
  assert.ok(!JSON.stringify(report).includes(secret()), 'the report carries no secret');
  assert.ok(!logs.includes(secret()), 'no log line (trace level) carries the secret');
}

function failedCheck(report: DoctorReport) {
  assert.equal(report.ok, false, JSON.stringify(report, null, 2));
  const failed = report.checks.find((c) => c.status === 'fail');
  assert.ok(failed, 'a check failed');
  return failed;
}

async function editRow(name: string, edit: (parameters: StoredParameter[]) => StoredParameter[]): Promise<void> {
  const { db } = fx.gatehouse.store;
  const row = await db.selectFrom('connections').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  const parameters = edit(JSON.parse(row.parameters) as StoredParameter[]);
  await db
    .updateTable('connections')
    .set({ parameters: JSON.stringify(parameters) })
    .where('id', '=', row.id)
    .execute();
}

function setPlain(parameters: StoredParameter[], key: string, value: string): StoredParameter[] {
  const others = parameters.filter((p) => p.key !== key);
  return [...others, { key, secret: false, value }];
}

describe('secrets are bound to where they may go (issue 12 finding 1)', () => {
  it('the fixture connection passes, and its envelope is bound (gh2)', async () => {
    const report = await fx.gatehouse.doctor.test(fx.connectionName);
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    const stored = (await fx.gatehouse.connections.get(fx.connectionName)).parameters.find((p) => p.secret);
    assert.ok(stored?.secret);
    assert.match(stored.envelope, /^gh2\./);
  });

  it('a copy pointed at another AuthorityHost needs the secret again; the listener receives nothing', async () => {
    received.length = 0;
    await fx.gatehouse.connections.copy(fx.connectionName, 'stolen-authority');
    await fx.gatehouse.connections.update('stolen-authority', { set: [{ key: 'AuthorityHost', value: listenerUrl }] });
    const report = await fx.gatehouse.doctor.test('stolen-authority');
    const failed = failedCheck(report);
    assert.equal(failed.code, 'CONNECTION_SECRET_REQUIRED');
    assert.match(failed.hint ?? '', /enter the secret again: it is only sent to the hosts it was entered for/);
    assertNothingArrived(report);
    assert.equal(received.length, 0, JSON.stringify(received));
    const shown = await fx.runCli(['connections', 'show', 'stolen-authority', '--json']);
    const view = shown.json<{ parameters: { key: string; enterAgain?: boolean }[] }>();
    assert.equal(view.parameters.find((p) => p.key === 'ClientSecret')?.enterAgain, true);
    const original = await fx.runCli(['connections', 'show', fx.connectionName, '--json']);
    const originalView = original.json<{ parameters: { key: string; enterAgain?: boolean }[] }>();
    assert.equal(originalView.parameters.find((p) => p.key === 'ClientSecret')?.enterAgain, undefined);
  });

  it('a copy pointed at another GraphEndpoint gets no token to send; the listener receives no bearer', async () => {
    received.length = 0;
    await fx.gatehouse.connections.copy(fx.connectionName, 'stolen-graph');
    await fx.gatehouse.connections.update('stolen-graph', { set: [{ key: 'GraphEndpoint', value: listenerUrl }] });
    const report = await fx.gatehouse.doctor.test('stolen-graph');
    assert.equal(failedCheck(report).code, 'CONNECTION_SECRET_REQUIRED');
    assertNothingArrived(report);
    // The action path too: no Graph request leaves with a token.
    await assert.rejects(
      fx.gatehouse.actions.run(
        'stolen-graph',
        'user.get',
        { user: 'nobody@example.com' },
        { name: 'test', origin: { channel: 'library' } },
      ),
      (e: unknown) => e instanceof AppError && e.code === 'CONNECTION_SECRET_REQUIRED',
    );
    assertNothingArrived(report);
  });

  it('changing Cloud makes the secret unusable too', async () => {
    await fx.gatehouse.connections.copy(fx.connectionName, 'other-cloud');
    await fx.gatehouse.connections.update('other-cloud', { set: [{ key: 'Cloud', value: 'USGov' }] });
    await assert.rejects(
      fx.gatehouse.connections.resolveEntraSettings('other-cloud'),
      (e: unknown) => e instanceof AppError && e.code === 'CONNECTION_SECRET_REQUIRED',
    );
  });

  it('a database writer without the key who edits AuthorityHost or GraphEndpoint gets nothing', async () => {
    received.length = 0;
    await fx.gatehouse.connections.copy(fx.connectionName, 'row-edit');
    await editRow('row-edit', (ps) => setPlain(ps, 'AuthorityHost', listenerUrl));
    let report = await fx.gatehouse.doctor.test('row-edit');
    assert.equal(failedCheck(report).code, 'CONNECTION_SECRET_REQUIRED');
    assertNothingArrived(report);
    await editRow('row-edit', (ps) =>
      setPlain(setPlain(ps, 'AuthorityHost', fx.emulator.url), 'GraphEndpoint', listenerUrl),
    );
    report = await fx.gatehouse.doctor.test('row-edit');
    assert.equal(failedCheck(report).code, 'CONNECTION_SECRET_REQUIRED');
    assertNothingArrived(report);
    assert.equal(received.length, 0, JSON.stringify(received));
  });

  it('a sealed secret moved to another connection or parameter does not open', async () => {
    received.length = 0;
    const source = await fx.gatehouse.connections.get(fx.connectionName);
    const envelope = source.parameters.find((p) => p.key === 'ClientSecret');
    assert.ok(envelope?.secret);
    // Another connection with its own (different) secret, pointed at the listener by a row edit, gets the envelope.
    await fx.gatehouse.connections.create({
      name: 'victim-target',
      type: 'EntraID',
      parameters: Object.entries(
        fx.parametersFor(fx.emulator.defaultApp, { ClientSecret: 'another~secret~value~0123' }),
      ).map(([key, value]) => ({ key, value })),
    });
    await editRow('victim-target', (ps) => ps.map((p) => (p.key === 'ClientSecret' ? envelope : p)));
    const report = await fx.gatehouse.doctor.test('victim-target');
    assert.ok(['CONNECTION_SECRET_REQUIRED', 'KEY_MISMATCH'].includes(failedCheck(report).code ?? ''));
    assertNothingArrived(report);
    // The same envelope under another secret key of the same connection (the certificate's) does not open either.
    await editRow(fx.connectionName, (ps) => [
      ...ps.filter((p) => p.key !== 'ClientSecret'),
      { ...envelope, key: 'ClientCertificate' },
    ]);
    try {
      await assert.rejects(
        fx.gatehouse.connections.resolveEntraSettings(fx.connectionName),
        (e: unknown) => e instanceof AppError && ['CONNECTION_SECRET_REQUIRED', 'KEY_MISMATCH'].includes(e.code),
      );
    } finally {
      await editRow(fx.connectionName, () => [...source.parameters]);
    }
  });

  it("a certificate's private key is bound the same way: no client assertion reaches another AuthorityHost", async () => {
    received.length = 0;
    const certificate = createSelfSignedCertificate();
    const app = fx.emulator.registerApp({
      applicationPermissions: ['User.Read.All'],
      certificatePems: [certificate.certificatePem],
    });
    const { ClientSecret: _unused, ...withoutSecret } = fx.parametersFor(app);
    await fx.gatehouse.connections.create({
      name: 'cert-bound',
      type: 'EntraID',
      parameters: Object.entries({
        ...withoutSecret,
        ClientCertificate: `${certificate.certificatePem}\n${certificate.privateKeyPem}`,
      }).map(([key, value]) => ({ key, value })),
    });
    assert.equal((await fx.gatehouse.doctor.test('cert-bound')).checks[1]?.status, 'pass', 'a token with the key');
    await fx.gatehouse.connections.copy('cert-bound', 'cert-stolen');
    await fx.gatehouse.connections.update('cert-stolen', { set: [{ key: 'AuthorityHost', value: listenerUrl }] });
    const report = await fx.gatehouse.doctor.test('cert-stolen');
    assert.equal(failedCheck(report).code, 'CONNECTION_SECRET_REQUIRED');
    assertNothingArrived(report);
    assert.equal(received.length, 0, JSON.stringify(received));
    const keyLine = certificate.privateKeyPem.split('\n')[5] ?? '';
    assert.ok(keyLine.length > 20 && !logs.includes(keyLine) && !JSON.stringify(report).includes(keyLine));
  });

  it('entering the secret again for the new hosts makes it usable (sent only there)', async () => {
    await fx.gatehouse.connections.update('stolen-graph', {
      set: [
        { key: 'GraphEndpoint', value: fx.emulator.url },
        { key: 'ClientSecret', value: secret() },
      ],
    });
    const report = await fx.gatehouse.doctor.test('stolen-graph');
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
  });

  it('hosts beyond the Microsoft clouds and loopback need GATEHOUSE_ALLOWED_ENDPOINT_HOSTS', async () => {
    const refused = await fx.runCli([
      'connections',
      'update',
      fx.connectionName,
      '--param',
      'AuthorityHost=https://login.attacker.example',
      '--json',
    ]);
    assert.equal(refused.exitCode, 2, refused.stdout + refused.stderr);
    assert.match(refused.stdout + refused.stderr, /CONNECTION_ENDPOINT_NOT_ALLOWED/);
    const allowed = await fx.runCli(['connections', 'copy', fx.connectionName, 'private-cloud', '--json'], {
      env: { GATEHOUSE_ALLOWED_ENDPOINT_HOSTS: 'login.private.example, graph.private.example' },
    });
    assert.equal(allowed.exitCode, 0, allowed.stdout + allowed.stderr);
    const updated = await fx.runCli(
      ['connections', 'update', 'private-cloud', '--param', 'AuthorityHost=https://login.private.example', '--json'],
      { env: { GATEHOUSE_ALLOWED_ENDPOINT_HOSTS: 'login.private.example, graph.private.example' } },
    );
    assert.equal(updated.exitCode, 0, updated.stdout + updated.stderr);
    // A row pointing at a host the server does not allow is refused before anything is sent.
    await editRow('row-edit', (ps) => setPlain(ps, 'GraphEndpoint', 'https://graph.attacker.example'));
    await assert.rejects(
      fx.gatehouse.connections.resolveEntraSettings('row-edit'),
      (e: unknown) => e instanceof AppError && e.code === 'CONNECTION_ENDPOINT_NOT_ALLOWED',
    );
  });

  it('envelopes of the older format (gh1) are bound on the next open and refused once planted later', async () => {
    const { sealLegacyForTests } = await import('../../src/crypto/secret-box.js');
    const key = fx.gatehouse.keyRing.current;
    await fx.gatehouse.connections.create({
      name: 'legacy',
      type: 'EntraID',
      parameters: Object.entries(fx.parametersFor(fx.emulator.defaultApp)).map(([k, value]) => ({ key: k, value })),
    });
    const legacy = sealLegacyForTests(key, secret());
    await editRow('legacy', (ps) => ps.map((p) => (p.secret ? { ...p, envelope: legacy } : p)));
    // Another instance (or the next CLI run) opens the store: the old envelope is re-sealed bound to its hosts.
    const reopened = await openGatehouse({
      dataDir: fx.dataDir,
      masterKey: fx.masterKey,
      ...(fx.env.GATEHOUSE_DATABASE_URL ? { databaseUrl: fx.env.GATEHOUSE_DATABASE_URL } : {}),
      ...(fx.env.GATEHOUSE_DATABASE_SCHEMA ? { databaseSchema: fx.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
    });
    try {
      const upgraded = (await reopened.connections.get('legacy')).parameters.find((p) => p.secret);
      assert.ok(upgraded?.secret);
      assert.match(upgraded.envelope, /^gh2\./);
      const settings = await reopened.connections.resolveEntraSettings('legacy');
      assert.equal(settings.credential.kind === 'secret' && settings.credential.secret.reveal(), secret());
    } finally {
      await reopened.close();
    }
    // A gh1 envelope planted after the upgrade (a replayed backup row) is not accepted: it names no hosts.
    received.length = 0;
    await editRow('legacy', (ps) =>
      setPlain(
        ps.map((p) => (p.secret ? { ...p, envelope: legacy } : p)),
        'AuthorityHost',
        listenerUrl,
      ),
    );
    const report = await fx.gatehouse.doctor.test('legacy');
    assert.equal(failedCheck(report).code, 'CONNECTION_SECRET_REQUIRED');
    assertNothingArrived(report);
  });
});

describe('the draft test (the dialog before Update) keeps a stored secret only for the same hosts', () => {
  it('a draft of a saved connection naming another AuthorityHost gets CONNECTION_SECRET_REQUIRED, nothing sent', async () => {
    received.length = 0;
    const params = fx.parametersFor(fx.emulator.defaultApp, { AuthorityHost: listenerUrl });
    const report = await fx.gatehouse.doctor.testDraft(
      async () =>
        (
          await fx.gatehouse.connections.draft({
            type: 'EntraID',
            connection: fx.connectionName,
            keep: ['ClientSecret'],
            parameters: Object.entries(params)
              .filter(([key]) => key !== 'ClientSecret')
              .map(([key, value]) => ({ key, value })),
          })
        ).connection,
      'draft',
    );
    assert.equal(failedCheck(report).code, 'CONNECTION_SECRET_REQUIRED');
    assertNothingArrived(report);
    assert.equal(received.length, 0);
  });

  it('the same draft with the stored hosts passes', async () => {
    const params = fx.parametersFor(fx.emulator.defaultApp);
    const report = await fx.gatehouse.doctor.testDraft(
      async () =>
        (
          await fx.gatehouse.connections.draft({
            type: 'EntraID',
            connection: fx.connectionName,
            keep: ['ClientSecret'],
            parameters: Object.entries(params)
              .filter(([key]) => key !== 'ClientSecret')
              .map(([key, value]) => ({ key, value })),
          })
        ).connection,
      'draft',
    );
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
  });
});
