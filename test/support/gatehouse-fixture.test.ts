import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { startGatehouseFixture } from './gatehouse-fixture.js';

describe('gatehouse fixture', () => {
  it('opens a gatehouse with a connection to the emulator that the CLI sees, and cleans up', async () => {
    const fx = await startGatehouseFixture({ connectionName: 'fixture-check' });
    try {
      const settings = await fx.gatehouse.connections.resolveEntraSettings('fixture-check');
      assert.equal(settings.authorityHost, fx.emulator.url);
      assert.equal(settings.tenantId, fx.emulator.tenant.id);
      const listed = await fx.runCli(['connections', 'list', '--json']);
      assert.equal(listed.exitCode, 0, listed.stderr);
      assert.match(listed.stdout, /fixture-check/);
      assert.doesNotMatch(
        listed.stdout,
        new RegExp(fx.emulator.connection.ClientSecret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      );
    } finally {
      await fx.close();
    }
    assert.equal(existsSync(fx.dataDir), false);
  });
});
