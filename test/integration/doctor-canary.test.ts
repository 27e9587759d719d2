import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedCertificate } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Secret values that must never show up anywhere but in the token request itself. */
const goodSecret = `Canary~Good.${randomBytes(12).toString('hex')}`;
const wrongSecret = `Canary~Wrong.${randomBytes(12).toString('hex')}`;
const certificate = createSelfSignedCertificate();
/** A line from the middle of the private key PEM: enough to recognise any leak of the key. */
const privateKeyLine = certificate.privateKeyPem.split('\n')[5] ?? '';

let logs = '';
let fx: GatehouseFixture;

before(async () => {
  fx = await startGatehouseFixture({
    emulator: { seed: 'canary' },
    createConnection: false,
    logger: createLogger({ level: 'trace', destination: { write: (chunk: string) => (logs += chunk) } }),
  });
  const app = fx.emulator.registerApp({
    secret: { value: goodSecret },
    applicationPermissions: ['User.Read.All'],
    certificatePems: [certificate.certificatePem],
  });
  await fx.createConnectionFor('canary-good', app);
  await fx.createConnectionFor('canary-wrong', app, { ClientSecret: wrongSecret });
  const { ClientSecret: _unused, ...withoutSecret } = fx.parametersFor(app);
  await fx.gatehouse.connections.create({
    name: 'canary-cert',
    type: 'EntraID',
    parameters: Object.entries({
      ...withoutSecret,
      ClientCertificate: `${certificate.certificatePem}\n${certificate.privateKeyPem}`,
    }).map(([key, value]) => ({ key, value })),
  });
});

after(async () => {
  await fx.close();
});

function assertNoSecret(haystack: string, where: string): void {
  for (const [name, value] of [
    ['the secret', goodSecret],
    ['the wrong secret', wrongSecret],
    ['the private key', privateKeyLine],
  ] as const) {
    assert.ok(value.length > 20);
    assert.equal(haystack.includes(value), false, `${name} leaked into ${where}`);
  }
}

describe('canary: no secret value in doctor output, logs or stored results', () => {
  it('holds for the CLI in text and JSON at trace level, the in-process doctor, token logs and the store', async () => {
    let cliOutput = '';
    for (const name of ['canary-good', 'canary-wrong', 'canary-cert']) {
      for (const json of [true, false]) {
        const result = await fx.runCli(['connections', 'test', name, ...(json ? ['--json'] : [])], {
          env: { GATEHOUSE_LOG_LEVEL: 'trace' },
        });
        cliOutput += result.stdout + result.stderr;
      }
      const report = await fx.gatehouse.doctor.test(name);
      cliOutput += JSON.stringify(report);
    }
    const settings = await fx.gatehouse.connections.resolveEntraSettings('canary-wrong');
    await fx.gatehouse.tokens
      .forSettings(settings)
      .getAccessToken()
      .catch((error: unknown) => {
        cliOutput += JSON.stringify(error) + String(error);
      });

    // The outputs are real: the failing and passing reports and trace logs were produced.
    assert.match(cliOutput, /ENTRA_INVALID_CLIENT_SECRET/);
    assert.match(cliOutput, /"ok": true/);
    assert.match(logs, /token request failed/);
    assert.match(cliOutput, /"msg":"connection tested"/, 'the CLI wrote log lines');
    assertNoSecret(cliOutput, 'the CLI output, reports or errors');
    assertNoSecret(logs, 'the log lines');

    const stored = await Promise.all(
      ['canary-good', 'canary-wrong', 'canary-cert'].map((name) => fx.gatehouse.connections.get(name)),
    );
    assert.ok(stored.every((connection) => connection.lastTest !== undefined));
    assertNoSecret(
      JSON.stringify(stored.map((c) => ({ lastTest: c.lastTest, tokenState: c.tokenState }))),
      'the stored test result',
    );
    for (const file of readdirSync(fx.dataDir).filter((f) => f.startsWith('gatehouse.db'))) {
      const path = join(fx.dataDir, file);
      if (existsSync(path)) assertNoSecret(readFileSync(path).toString('latin1'), `the database file ${file}`);
    }
  });
});
