import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

describe('gatehouse accounts (CLI)', () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({ createConnection: false });
  });
  after(() => fx.close());

  test('accounts create --admin prints a generated password once, and it logs in', async () => {
    const created = await fx.runCli(['accounts', 'create', 'Alice', '--admin', '--json']);
    assert.equal(created.exitCode, 0, created.stderr);
    const { account, password } = created.json<{ account: { username: string; role: string }; password: string }>();
    assert.deepEqual([account.username, account.role], ['alice', 'admin']);
    const login = await fx.gatehouse.accounts.login({ username: 'alice', password });
    assert.equal(login.account.role, 'admin');
    const list = await fx.runCli(['accounts', 'list', '--json']);
    assert.equal(list.stdout.includes(password), false);
    assert.equal(list.stdout.includes('scrypt'), false);
  });

  test('--password-stdin, a weak password and a taken name', async () => {
    const weak = await fx.runCli(['accounts', 'create', 'bob', '--password-stdin', '--json'], { stdin: 'short\n' });
    assert.equal(weak.exitCode, 2);
    assert.equal(weak.json<{ error: { code: string } }>().error.code, 'ACCOUNT_WEAK_PASSWORD');
    const ok = await fx.runCli(['accounts', 'create', 'bob', '--role', 'operator', '--password-stdin'], {
      stdin: 'a sufficiently long one\n',
    });
    assert.equal(ok.exitCode, 0, ok.stderr);
    assert.equal(
      (await fx.gatehouse.accounts.login({ username: 'bob', password: 'a sufficiently long one' })).account.role,
      'operator',
    );
    const taken = await fx.runCli(['accounts', 'create', 'BOB', '--json']);
    assert.equal(taken.json<{ error: { code: string } }>().error.code, 'ACCOUNT_USERNAME_TAKEN');
  });

  test('accounts token create prints the token once; token list shows only its prefix; revoke ends it', async () => {
    const created = await fx.runCli(['accounts', 'token', 'create', '--name', 'n8n', '--role', 'viewer', '--json']);
    assert.equal(created.exitCode, 0, created.stderr);
    const { token, apiToken } = created.json<{ token: string; apiToken: { id: string } }>();
    assert.equal((await fx.gatehouse.accounts.authenticateApiToken(token))?.role, 'viewer');
    const list = await fx.runCli(['accounts', 'token', 'list']);
    assert.equal(list.stdout.includes(token), false);
    assert.match(list.stdout, /n8n/);
    assert.equal((await fx.runCli(['accounts', 'token', 'revoke', apiToken.id])).exitCode, 0);
    assert.equal(await fx.gatehouse.accounts.authenticateApiToken(token), undefined);
  });
});
