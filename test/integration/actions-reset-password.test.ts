import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

// Issue 16 item 11: resetting an Entra user's password is an action of the registry (so the console, REST and the
// CLI run the same code and audit), with the password shown once and never stored or logged.
describe('user.resetPassword', () => {
  let fx: GatehouseFixture;
  let upn: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { profile: 'exact' } });
    upn = String(fx.emulator.directory.createUser({ displayName: 'Rhea Reset' }).userPrincipalName);
    // A directory role (User Administrator) is what lets an app reset passwords (learn.microsoft.com/graph/api/user-update).
    const admin = fx.emulator.registerApp({
      applicationPermissions: ['User.ReadWrite.All'],
      canManagePrivileged: true,
    });
    await fx.createConnectionFor('with-role', admin);
  });
  after(() => fx?.close());

  it('generates a password, shows it once, and audits the reset without it', async () => {
    const result = await fx.runCli(['users', 'reset-password', 'with-role', upn, '--json']);
    assert.equal(result.exitCode, 0, result.stderr);
    const output = result.json<{ userPrincipalName: string; password?: string }>();
    assert.equal(output.userPrincipalName, upn);
    assert.ok(output.password && output.password.length >= 16, 'a strong generated password is returned once');
    const [event] = await fx.gatehouse.audit.list({ action: 'user.resetPassword', limit: 1 });
    assert.equal(event?.result, 'succeeded');
    assert.equal(event?.target, upn);
    assert.equal(JSON.stringify(event).includes(output.password), false, 'the password is not in the audit log');
    const patch = fx.emulator.requestLog().find((e) => e.method === 'PATCH' && e.path.includes('/users/'));
    assert.equal(patch?.status, 204);
  });

  it('an app without a directory role is told exactly that, not "add a permission"', async () => {
    const result = await fx.runCli(['users', 'reset-password', fx.connectionName, upn, '--json']);
    assert.equal(result.exitCode, 1);
    const { error } = result.json<{ error: { code: string; message: string; hint: string } }>();
    assert.equal(error.code, 'GRAPH_PROTECTED_OBJECT');
    assert.match(error.message, /directory role/);
    assert.match(error.hint, /User Administrator/);
  });
});
