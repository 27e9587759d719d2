import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DoctorCheck, DoctorReport } from '../../src/doctor/doctor-report.js';
import { createSelfSignedCertificate } from '../../src/emulator/index.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Expiry read from the app registration in Graph (facts I), warned 30 days ahead, shown by `connections list`. */
const DAY = 86_400_000;
let fx: GatehouseFixture;

before(async () => {
  fx = await startGatehouseFixture({
    emulator: { seed: 'credential-expiry', profile: 'exact' },
    createConnection: false,
  });
});
after(() => fx.close());

async function expiryCheck(name: string): Promise<{ report: DoctorReport; check: DoctorCheck }> {
  const report = (await fx.runCli(['connections', 'test', name, '--json'])).json<DoctorReport>();
  const check = report.checks.find((c) => c.id === 'expiry');
  assert.ok(check, JSON.stringify(report));
  return { report, check };
}

describe('credential expiry from Graph', () => {
  it('the secret in use is matched by its first characters among several; within 30 days it warns', async () => {
    const soon = new Date(Date.now() + 10 * DAY);
    const app = fx.emulator.registerApp({
      secret: { value: 'Xyz8Q~soon.expiring.secret.value.0123456', expiresAt: soon },
      applicationPermissions: ['User.Read.All', 'Application.Read.All'],
    });
    const later = fx.emulator.addSecret(app.clientId, { expiresAt: new Date(Date.now() + 300 * DAY) });
    assert.notEqual(later.secretValue.slice(0, 3), 'Xyz');
    await fx.createConnectionFor('expiring-secret', app);
    const { report, check } = await expiryCheck('expiring-secret');
    assert.equal(report.ok, true, 'a warning does not fail the test');
    assert.equal(check.status, 'warn');
    assert.equal(check.code, 'ENTRA_CREDENTIAL_EXPIRES_SOON');
    assert.equal(check.details?.expiresAt, soon.toISOString());
    assert.equal(check.details?.source, 'graph');
    assert.ok(Number(check.details?.daysLeft) <= 10);
    assert.match(check.hint ?? '', /federated credential or a managed identity/);
    const list = await fx.runCli(['connections', 'list']);
    assert.match(list.stdout, new RegExp(`expiring-secret .*${soon.toISOString().slice(0, 10)} \\(graph\\)`));

    // Connected with the later secret, the same app passes: the match is the secret in use, not the app's first.
    await fx.createConnectionFor('later-secret', { ...app, secretValue: later.secretValue });
    const other = await expiryCheck('later-secret');
    assert.equal(other.check.status, 'pass', JSON.stringify(other.check));
    assert.equal(other.check.details?.keyId, later.secretId);
  });

  it('a certificate is matched by its SHA-1 thumbprint', async () => {
    const expiring = createSelfSignedCertificate({ notAfter: new Date(Date.now() + 20 * DAY) });
    const longer = createSelfSignedCertificate({ notAfter: new Date(Date.now() + 400 * DAY) });
    const app = fx.emulator.registerApp({
      secret: false,
      certificatePems: [longer.certificatePem, expiring.certificatePem],
      applicationPermissions: ['User.Read.All', 'Application.Read.All'],
    });
    await fx.createConnectionFor('expiring-cert', app, {
      ClientCertificate: `${expiring.certificatePem}\n${expiring.privateKeyPem}`,
    });
    const { check } = await expiryCheck('expiring-cert');
    assert.equal(check.code, 'ENTRA_CREDENTIAL_EXPIRES_SOON', JSON.stringify(check));
    assert.equal(check.details?.credential, 'certificate');
    assert.equal(
      new Date(String(check.details?.expiresAt)).toISOString().slice(0, 10),
      new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10),
    );
  });

  it('without Application.Read.All Graph refuses, and SecretExpiresOn stays the fallback', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.Read.All'] });
    await fx.createConnectionFor('no-app-read', app, { SecretExpiresOn: '2031-05-01' });
    const { report, check } = await expiryCheck('no-app-read');
    assert.equal(report.ok, true);
    assert.equal(check.status, 'skip');
    assert.match(check.message, /Application\.Read\.All/);
    assert.match(check.message, /SecretExpiresOn: 2031-05-01/);
    const graphReads = fx.emulator
      .requestLog()
      .filter((e) => e.path.startsWith('/v1.0/applications') && e.clientId === app.clientId);
    assert.equal(graphReads.at(-1)?.status, 403);
    assert.match((await fx.runCli(['connections', 'list'])).stdout, /no-app-read .*2031-05-01 \(SecretExpiresOn\)/);
  });

  it('secretless connections have nothing to renew and show no expiry', async () => {
    const mi = fx.emulator.managedIdentity.addUserAssigned({ roles: ['User.Read.All'] });
    await fx.gatehouse.connections.create({
      name: 'secretless',
      type: 'EntraID',
      parameters: Object.entries({
        TenantID: fx.emulator.tenant.id,
        ClientID: mi.clientId,
        ManagedIdentity: 'user',
      }).map(([key, value]) => ({ key, value })),
    });
    assert.match((await fx.runCli(['connections', 'list'])).stdout, /secretless .* -\n?/);
  });
});
