import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, startTestServer, type TestServer } from './server-harness.js';

// Issue 12, finding 9: API tokens die with the account that created them.
describe('API tokens and their account', () => {
  let server: TestServer;
  let admin: { headers: Record<string, string> };
  before(async () => {
    server = await startTestServer();
    admin = await server.session('admin');
  });
  after(() => server.close());

  async function tokenOf(username: string): Promise<string> {
    await server.accounts.createAccount({ username, password: PASSWORD, role: 'admin' });
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: PASSWORD },
    });
    const cookies = [login.headers['set-cookie']].flat().map((l) => String(l).split(';')[0]);
    const csrf = String(cookies.find((c) => c?.startsWith('gh_csrf='))).slice('gh_csrf='.length);
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: cookies.join('; '), 'x-csrf-token': csrf },
      payload: { name: `${username}-ci`, role: 'admin' },
    });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().token as string;
  }

  const me = (token: string) =>
    server.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });

  test('a deleted account takes its tokens with it', async () => {
    const token = await tokenOf('leaver');
    // A token made with the leaver's token belongs to the leaver too.
    const second = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'made-by-token', role: 'viewer' },
    });
    const secondToken = second.json().token as string;
    assert.equal((await me(token)).statusCode, 200);
    const removed = await server.app.inject({
      method: 'DELETE',
      url: '/api/v1/accounts/leaver',
      headers: admin.headers,
    });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal((await me(token)).statusCode, 401);
    assert.equal((await me(secondToken)).statusCode, 401);
    const list = await server.app.inject({ url: '/api/v1/tokens', headers: admin.headers });
    assert.equal(
      (list.json() as { name: string }[]).some((t) => t.name === 'leaver-ci' || t.name === 'made-by-token'),
      false,
      'the rows are gone with the account',
    );
  });

  test("a disabled account's tokens are refused, and work again when it is enabled", async () => {
    const token = await tokenOf('sleeper');
    const disable = await server.app.inject({
      method: 'PATCH',
      url: '/api/v1/accounts/sleeper',
      headers: admin.headers,
      payload: { disabled: true },
    });
    assert.equal(disable.statusCode, 200, disable.body);
    assert.equal((await me(token)).statusCode, 401);
    await server.accounts.updateAccount('sleeper', { disabled: false });
    assert.equal((await me(token)).statusCode, 200);
  });

  test('a token never acts above its owner’s current role', async () => {
    const token = await tokenOf('demoted');
    await server.accounts.updateAccount('demoted', { role: 'viewer' });
    const response = await me(token);
    assert.equal(response.json().role, 'viewer');
    const write = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'escalate', role: 'admin' },
    });
    assert.equal(write.statusCode, 403);
  });
});
