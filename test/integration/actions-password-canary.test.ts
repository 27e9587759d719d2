import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/logging/create-logger.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { run } from './actions-support.js';

/** A generated or given password reaches the caller once and nothing else: no log line, no audit row, no DB byte. */
describe('user passwords never leak', () => {
  let fx: GatehouseFixture;
  let logged = '';
  before(async () => {
    const logger = createLogger({ level: 'trace', destination: { write: (chunk: string) => (logged += chunk) } });
    fx = await startGatehouseFixture({ emulator: { seed: 'actions-canary' }, logger });
  });
  after(() => fx?.close());

  test('user.create: the password is only in the output', async () => {
    const domain = fx.emulator.tenant.domain;
    const generated = await run<{ password: string }>(fx, 'user.create', {
      userPrincipalName: `canary.one@${domain}`,
      displayName: 'Canary One',
    });
    const given = 'Given-Canary-Pw-7731';
    await run(fx, 'user.create', {
      userPrincipalName: `canary.two@${domain}`,
      displayName: 'Canary Two',
      password: given,
    });
    const cli = await fx.runCli(
      ['users', 'create', fx.connectionName, '--upn', `canary.three@${domain}`, '--display-name', 'C3', '--json'],
      {
        env: { GATEHOUSE_LOG_LEVEL: 'trace' },
      },
    );
    const cliPassword = cli.json<{ password: string }>().password;
    assert.ok(cli.stdout.includes(cliPassword));
    assert.ok(!cli.stderr.includes(cliPassword), 'not in the CLI trace log');

    assert.ok(logged.length > 0, 'the trace log captured something');
    const audit = JSON.stringify(await fx.gatehouse.audit.list());
    const files = readdirSync(fx.dataDir).map((f) => readFileSync(join(fx.dataDir, f)).toString('latin1'));
    for (const secret of [generated.password, given, cliPassword]) {
      assert.ok(!logged.includes(secret), 'not in the log');
      assert.ok(!audit.includes(secret), 'not in the audit log');
      assert.ok(!files.some((content) => content.includes(secret)), 'not in any file of the data dir');
    }
  });
});
