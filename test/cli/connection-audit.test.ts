import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/**
 * Issue 17 case 6: `connections create`/`update` from the CLI wrote nothing to the audit log, though the README
 * promises every change is audited. The connection service now audits every change itself, whichever surface made it.
 */
describe('connection changes are audited from every surface', () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({ createConnection: false });
  });
  after(() => fx.close());

  it('CLI create, update, copy, remove and the library each write one audit row', async () => {
    const params = Object.entries(fx.parametersFor(fx.emulator.defaultApp)).flatMap(([k, v]) => [
      '--param',
      `${k}=${v}`,
    ]);
    const env = { USER: 'operator-anna' };
    const run = async (args: string[]) => {
      const result = await fx.runCli(args, { env });
      assert.equal(result.exitCode, 0, result.stderr);
    };
    await run(['connections', 'create', '--name', 'Audited', '--type', 'EntraID', ...params]);
    await run(['connections', 'update', 'Audited', '--param', 'Cloud=Global', '--rename', 'Audited2']);
    await run(['connections', 'copy', 'Audited2', 'AuditedCopy']);
    await run(['connections', 'remove', 'AuditedCopy']);
    await fx.createConnectionFor('FromLibrary', fx.emulator.defaultApp);

    const events = (await fx.gatehouse.audit.list({ limit: 20 })).reverse();
    const rows = events.map((e) => [e.action, e.connection, e.actor, e.origin.channel]);
    assert.deepEqual(rows, [
      ['connection.create', 'Audited', 'operator-anna', 'cli'],
      ['connection.update', 'Audited2', 'operator-anna', 'cli'],
      ['connection.copy', 'AuditedCopy', 'operator-anna', 'cli'],
      ['connection.remove', 'AuditedCopy', 'operator-anna', 'cli'],
      ['connection.create', 'FromLibrary', 'library', 'library'],
    ]);
    const update = events[1];
    assert.deepEqual(update?.details, { set: ['Cloud'], unset: [], renamedFrom: 'Audited' });
    assert.doesNotMatch(JSON.stringify(events), /ClientSecret=|secretValue/);
  });
});
