import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import { createSelfSignedCertificate } from '../../src/emulator/index.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

let fx: GatehouseFixture;

before(async () => {
  fx = await startGatehouseFixture({ emulator: { seed: 'doctor' } });
});

after(async () => {
  await fx.close();
});

/** Runs `connections test NAME --json` and returns the exit code and the report. */
async function test(name: string, ...extra: string[]): Promise<{ exitCode: number; report: DoctorReport }> {
  const result = await fx.runCli(['connections', 'test', name, '--json', ...extra]);
  return { exitCode: result.exitCode, report: result.json<DoctorReport>() };
}

function check(report: DoctorReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id} is reported`);
  return found;
}

/** Asserts the test failed at `id` with `code`, a hint, and that later checks were skipped. */
function assertFailedAt(outcome: { exitCode: number; report: DoctorReport }, id: string, code: string) {
  assert.equal(outcome.exitCode, 1);
  assert.equal(outcome.report.ok, false);
  const failed = check(outcome.report, id);
  assert.equal(failed.status, 'fail', JSON.stringify(failed));
  assert.equal(failed.code, code);
  assert.ok(failed.hint && failed.hint.length > 20, 'the failing check carries a hint');
  return failed;
}

async function connectionFor(name: string, parameters: Record<string, string>, allowGuidSecret = false) {
  await fx.gatehouse.connections.create({
    name,
    type: 'EntraID',
    parameters: Object.entries(parameters).map(([key, value]) => ({ key, value })),
    allowGuidSecret,
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

describe('connections test (the doctor) against the emulator with real msal-node', () => {
  it('a good connection passes every check and lists the granted roles', async () => {
    const { exitCode, report } = await test(fx.connectionName);
    assert.equal(exitCode, 0, JSON.stringify(report, null, 2));
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.checks.map((c) => [c.id, c.status]),
      [
        ['parameters', 'pass'],
        ['token', 'pass'],
        ['permissions', 'pass'],
        ['graph', 'pass'],
        ['expiry', 'pass'],
      ],
    );
    assert.deepEqual([...report.grantedRoles].sort(), [...fx.emulator.defaultApp.roles].sort());
    for (const [name, status] of Object.entries(report.capabilities)) assert.equal(status.ok, true, name);
    const graphReads = fx.emulator
      .requestLog()
      .filter((e) => e.kind === 'graph' && e.clientId === fx.emulator.defaultApp.clientId);
    assert.ok(
      graphReads.some((e) => e.path.startsWith('/v1.0/users')),
      'the Graph probe really read users',
    );
  });

  it('records the outcome on the connection: list shows health, show shows token state', async () => {
    await test(fx.connectionName);
    const shown = (await fx.runCli(['connections', 'show', fx.connectionName, '--json'])).json<{
      lastTest?: { ok: boolean; at: string };
      tokenState?: { acquiredAt?: string; expiresAt?: string; roles?: string[] };
    }>();
    assert.equal(shown.lastTest?.ok, true);
    assert.ok(shown.tokenState?.acquiredAt && shown.tokenState.expiresAt);
    assert.ok(Date.parse(shown.tokenState.expiresAt) > Date.parse(shown.tokenState.acquiredAt));
    const list = await fx.runCli(['connections', 'list']);
    assert.match(list.stdout, new RegExp(`${fx.connectionName}.*passed`));
    const text = await fx.runCli(['connections', 'show', fx.connectionName]);
    assert.match(text.stdout, /Token: +obtained \S+, expires \S+/);
    assert.match(text.stdout, /Roles: +.*User\.ReadWrite\.All/);
  });

  it('prints a readable report without --json', async () => {
    const result = await fx.runCli(['connections', 'test', fx.connectionName]);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /PASS {2}token/);
    assert.match(result.stdout, /Granted application permissions: .*User\.ReadWrite\.All/);
  });

  it('wrong secret → ENTRA_INVALID_CLIENT_SECRET', async () => {
    await connectionFor(
      'wrong-secret',
      fx.parametersFor(fx.emulator.defaultApp, { ClientSecret: 'Wr0ng~secret.value_123' }),
    );
    const outcome = await test('wrong-secret');
    const failed = assertFailedAt(outcome, 'token', 'ENTRA_INVALID_CLIENT_SECRET');
    assert.match(failed.hint ?? '', /Secret ID/);
    assert.equal(check(outcome.report, 'permissions').status, 'skip');
    const list = await fx.runCli(['connections', 'list']);
    assert.match(list.stdout, /wrong-secret.*failed ENTRA_INVALID_CLIENT_SECRET/);
    const shown = await fx.runCli(['connections', 'show', 'wrong-secret']);
    assert.match(shown.stdout, /Token error: ENTRA_INVALID_CLIENT_SECRET at /);
  });

  it('the Secret ID as secret is refused when saved, and Entra refuses it when allowed', async () => {
    const params = fx.parametersFor(fx.emulator.defaultApp, { ClientSecret: fx.emulator.defaultApp.secretId ?? '' });
    const created = await fx.runCli([
      'connections',
      'create',
      '--name',
      'secret-id',
      '--type',
      'EntraID',
      '--json',
      ...Object.entries(params).flatMap(([key, value]) => ['--param', `${key}=${value}`]),
    ]);
    assert.equal(created.exitCode, 2);
    const error = created.json<{ error: { code: string; hint: string } }>().error;
    assert.equal(error.code, 'CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID');
    assert.match(error.hint, /Value/);
    await connectionFor('secret-id', params, true);
    assertFailedAt(await test('secret-id'), 'token', 'ENTRA_INVALID_CLIENT_SECRET');
  });

  it('expired secret → ENTRA_CLIENT_SECRET_EXPIRED', async () => {
    const app = fx.emulator.registerApp({ secret: { expiresAt: new Date(Date.now() - 86_400_000) } });
    await connectionFor('expired-secret', fx.parametersFor(app));
    const failed = assertFailedAt(await test('expired-secret'), 'token', 'ENTRA_CLIENT_SECRET_EXPIRED');
    assert.match(failed.hint ?? '', /new client secret/);
  });

  it('SecretExpiresOn in the past fails the parameters check, within 30 days warns', async () => {
    await connectionFor('expiry-past', fx.parametersFor(fx.emulator.defaultApp, { SecretExpiresOn: '2020-01-01' }));
    assertFailedAt(await test('expiry-past'), 'parameters', 'ENTRA_CLIENT_SECRET_EXPIRED');
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await connectionFor('expiry-soon', fx.parametersFor(fx.emulator.defaultApp, { SecretExpiresOn: soon }));
    const { exitCode, report } = await test('expiry-soon');
    assert.equal(exitCode, 0);
    const parameters = check(report, 'parameters');
    const shown = await fx.runCli(['connections', 'show', 'expiry-soon']);
    assert.match(shown.stdout, new RegExp(`Expires: +client secret on ${soon}`));
    assert.equal(parameters.status, 'warn');
    assert.match(parameters.message, /expires in \d+ day/);
    assert.ok(parameters.hint);
  });

  it('unknown app → ENTRA_APP_NOT_FOUND', async () => {
    await connectionFor(
      'unknown-app',
      fx.parametersFor(fx.emulator.defaultApp, { ClientID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' }),
    );
    assertFailedAt(await test('unknown-app'), 'token', 'ENTRA_APP_NOT_FOUND');
  });

  it('unknown tenant → ENTRA_TENANT_NOT_FOUND', async () => {
    await connectionFor(
      'unknown-tenant',
      fx.parametersFor(fx.emulator.defaultApp, { TenantID: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' }),
    );
    assertFailedAt(await test('unknown-tenant'), 'token', 'ENTRA_TENANT_NOT_FOUND');
  });

  it('malformed tenant is refused with a hint before anything is saved', async () => {
    const result = await fx.runCli([
      'connections',
      'create',
      '--name',
      'malformed-tenant',
      '--type',
      'EntraID',
      '--json',
      ...Object.entries(fx.parametersFor(fx.emulator.defaultApp, { TenantID: 'contoso tenant' })).flatMap(
        ([key, value]) => ['--param', `${key}=${value}`],
      ),
    ]);
    assert.equal(result.exitCode, 2);
    const error = result.json<{ error: { code: string; hint: string } }>().error;
    assert.equal(error.code, 'CONNECTION_INVALID_PARAMETER');
    assert.match(error.hint, /Directory \(tenant\) ID/);
    // Entra's own answer for a malformed tenant (AADSTS900023) is covered in token-provider.test.ts.
  });

  it('disabled app → ENTRA_APP_DISABLED', async () => {
    const app = fx.emulator.registerApp({ enabled: false, applicationPermissions: ['User.Read.All'] });
    await connectionFor('disabled-app', fx.parametersFor(app));
    const failed = assertFailedAt(await test('disabled-app'), 'token', 'ENTRA_APP_DISABLED');
    assert.match(failed.hint ?? '', /Enterprise applications/);
  });

  it('a certificate that is uploaded passes; one that is not → ENTRA_INVALID_CERTIFICATE', async () => {
    const uploaded = createSelfSignedCertificate();
    const other = createSelfSignedCertificate();
    const app = fx.emulator.registerApp({
      secret: false,
      certificatePems: [uploaded.certificatePem],
      applicationPermissions: ['User.Read.All', 'GroupMember.Read.All'],
    });
    const pem = (c: typeof uploaded) => `${c.certificatePem}\n${c.privateKeyPem}`;
    await connectionFor('cert-good', fx.parametersFor(app, { ClientCertificate: pem(uploaded) }));
    const good = await test('cert-good');
    assert.equal(good.exitCode, 0, JSON.stringify(good.report, null, 2));
    assert.deepEqual([...good.report.grantedRoles].sort(), ['GroupMember.Read.All', 'User.Read.All']);
    await connectionFor('cert-bad', fx.parametersFor(app, { ClientCertificate: pem(other) }));
    const failed = assertFailedAt(await test('cert-bad'), 'token', 'ENTRA_INVALID_CERTIFICATE');
    assert.match(failed.hint ?? '', /Certificates/);
  });

  it('an expired certificate fails the parameters check; one expiring within 30 days warns', async () => {
    const day = 86_400_000;
    const expired = createSelfSignedCertificate({
      notBefore: new Date(Date.now() - 400 * day),
      notAfter: new Date(Date.now() - day),
    });
    const expiring = createSelfSignedCertificate({ notAfter: new Date(Date.now() + 10 * day) });
    const app = fx.emulator.registerApp({
      secret: false,
      certificatePems: [expired.certificatePem, expiring.certificatePem],
      applicationPermissions: ['User.Read.All'],
    });
    const pem = (c: typeof expired) => `${c.certificatePem}\n${c.privateKeyPem}`;
    await connectionFor('cert-expired', fx.parametersFor(app, { ClientCertificate: pem(expired) }));
    const failed = assertFailedAt(await test('cert-expired'), 'parameters', 'ENTRA_INVALID_CERTIFICATE');
    assert.match(failed.message, /expired on/);
    await connectionFor('cert-expiring', fx.parametersFor(app, { ClientCertificate: pem(expiring) }));
    const { exitCode, report } = await test('cert-expiring');
    assert.equal(exitCode, 0);
    assert.equal(check(report, 'parameters').status, 'warn');
    assert.match(check(report, 'parameters').message, /certificate expires in \d+ day/);
  });

  it('an app with only delegated permissions → ENTRA_NO_APPLICATION_PERMISSIONS', async () => {
    const app = fx.emulator.registerApp({ delegatedPermissions: ['User.Read', 'Group.Read.All'] });
    await connectionFor('delegated-only', fx.parametersFor(app));
    const outcome = await test('delegated-only');
    assert.equal(check(outcome.report, 'token').status, 'pass');
    const failed = assertFailedAt(outcome, 'permissions', 'ENTRA_NO_APPLICATION_PERMISSIONS');
    assert.match(failed.hint ?? '', /Application \(not Delegated\)/);
    assert.match(failed.hint ?? '', /Grant admin consent/);
    assert.deepEqual(outcome.report.grantedRoles, []);
  });

  it('application permissions without admin consent → ENTRA_NO_APPLICATION_PERMISSIONS', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.Read.All'], adminConsented: false });
    await connectionFor('no-consent', fx.parametersFor(app));
    const failed = assertFailedAt(await test('no-consent'), 'permissions', 'ENTRA_NO_APPLICATION_PERMISSIONS');
    assert.match(failed.hint ?? '', /Grant admin consent/);
  });

  it('an app missing just GroupMember.Read.All: syncUsers passes, syncGroups reports it missing', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.Read.All'] });
    await connectionFor('no-group-member', fx.parametersFor(app));
    const { exitCode, report } = await test('no-group-member');
    assert.equal(exitCode, 0, 'missing permissions for some capabilities warn; the connection still works');
    assert.deepEqual(report.capabilities.syncUsers, { ok: true, missing: [] });
    assert.deepEqual(report.capabilities.syncGroups, { ok: false, missing: ['GroupMember.Read.All'] });
    const permissions = check(report, 'permissions');
    assert.equal(permissions.status, 'warn');
    assert.equal(permissions.code, 'ENTRA_MISSING_PERMISSIONS');
    assert.match(permissions.message, /syncGroups needs GroupMember\.Read\.All/);
    assert.ok(permissions.hint?.includes('API permissions'));
    assert.equal(check(report, 'graph').status, 'pass');
    // When the administrator says group sync is needed, the same gap fails the test.
    assertFailedAt(
      await test('no-group-member', '--require', 'syncGroups'),
      'permissions',
      'ENTRA_MISSING_PERMISSIONS',
    );
  });

  it('Graph refusing a probe with 403 → GRAPH_INSUFFICIENT_PRIVILEGES', async () => {
    fx.emulator.faults.failNextGraphRequests(1, { status: 403, code: 'Authorization_RequestDenied' });
    const failed = assertFailedAt(await test(fx.connectionName), 'graph', 'GRAPH_INSUFFICIENT_PRIVILEGES');
    assert.match(failed.message, /^syncUsers: /);
  });

  it('the emulator unreachable → ENTRA_UNREACHABLE', async () => {
    const port = await closedPort();
    await connectionFor(
      'unreachable',
      fx.parametersFor(fx.emulator.defaultApp, { AuthorityHost: `http://127.0.0.1:${port}` }),
    );
    const failed = assertFailedAt(await test('unreachable'), 'token', 'ENTRA_UNREACHABLE');
    assert.match(failed.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('--require with an unknown capability is a usage error naming the valid ones', async () => {
    const result = await fx.runCli(['connections', 'test', fx.connectionName, '--require', 'syncEverything', '--json']);
    assert.equal(result.exitCode, 2);
    const error = result.json<{ error: { code: string; hint: string } }>().error;
    assert.equal(error.code, 'USAGE_ERROR');
    assert.match(error.hint, /syncUsers/);
  });

  it('Graph unreachable (a wrong GraphEndpoint) → the graph check fails with GRAPH_UNAVAILABLE', async () => {
    const port = await closedPort();
    await connectionFor(
      'graph-unreachable',
      fx.parametersFor(fx.emulator.defaultApp, { GraphEndpoint: `http://127.0.0.1:${port}` }),
    );
    const outcome = await test('graph-unreachable');
    assert.equal(check(outcome.report, 'token').status, 'pass', 'the token is still for Microsoft Graph');
    const failed = assertFailedAt(outcome, 'graph', 'GRAPH_UNAVAILABLE');
    assert.match(failed.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('an unknown connection is a usage error (exit 2) with a hint', async () => {
    const result = await fx.runCli(['connections', 'test', 'does-not-exist', '--json']);
    assert.equal(result.exitCode, 2);
    assert.equal(result.json<{ error: { code: string } }>().error.code, 'CONNECTION_NOT_FOUND');
  });
});
