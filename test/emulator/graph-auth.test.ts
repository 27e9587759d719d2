import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { graphCaller, tokenFor } from './graph-test-client.js';
import { GRAPH_SCOPE, msalFor } from './msal-against-emulator.js';

type ErrorBody = { error: { code: string; message: string } };

describe('emulator Graph bearer validation and permissions', () => {
  const clock = createManualClock(new Date('2031-03-01T09:00:00Z'));
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ profile: 'exact', seed: 'auth', clock, users: 10, groups: 3 });
  });
  after(() => emulator.stop());

  it('answers 401 InvalidAuthenticationToken for a missing, malformed or forged token', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'Access token is empty.'],
      ['Bearer not-a-jwt', 'CompactToken parsing failed with error code: 80049217'],
    ];
    for (const [authorization, message] of cases) {
      const res = await fetch(`${emulator.url}/v1.0/users`, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401);
      assert.ok(res.headers.get('www-authenticate')?.startsWith('Bearer'));
      const body = (await res.json()) as ErrorBody;
      assert.equal(body.error.code, 'InvalidAuthenticationToken');
      assert.equal(body.error.message, message);
    }
    const token = await tokenFor(emulator, emulator.connection.ClientID, emulator.connection.ClientSecret);
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('x'.repeat(256)).toString('base64url')}`;
    const res = await graphCaller(emulator, forged)<ErrorBody>('GET', '/users');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'InvalidAuthenticationToken');
  });

  it('answers 401 once the token has expired (beyond the 5-minute skew)', async () => {
    const call = graphCaller(
      emulator,
      await tokenFor(emulator, emulator.connection.ClientID, emulator.connection.ClientSecret),
    );
    assert.equal((await call('GET', '/users')).status, 200);
    clock.advance(3599_000 + 301_000);
    const expired = await call<ErrorBody>('GET', '/users');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.message, 'Lifetime validation failed, the token is expired.');
  });

  it('gives a delegated-only app (via the real msal) a token without roles, and Graph answers 403', async () => {
    const app = emulator.registerApp({ delegatedPermissions: ['User.Read.All'] });
    const result = await msalFor(emulator.url, emulator.tenant.id, app.clientId, {
      clientSecret: app.secretValue as string,
    }).acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
    const denied = await graphCaller(emulator, result?.accessToken ?? '')<ErrorBody>('GET', '/users');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'Authorization_RequestDenied');
    assert.equal(denied.body.error.message, 'Insufficient privileges to complete the operation.');
  });

  it('denies an app whose application permissions lack admin consent, until consent is granted', async () => {
    const app = emulator.registerApp({ applicationPermissions: ['User.Read.All'], adminConsented: false });
    const before = graphCaller(emulator, await tokenFor(emulator, app.clientId, app.secretValue as string));
    assert.equal((await before('GET', '/users')).status, 403);
    emulator.updateApp(app.clientId, { adminConsented: true });
    assert.equal((await before('GET', '/users')).status, 403, 'an old token keeps its old roles');
    const after = graphCaller(emulator, await tokenFor(emulator, app.clientId, app.secretValue as string));
    assert.equal((await after('GET', '/users')).status, 200);
  });

  it('enforces per-endpoint permissions: User.Read.All reads users but not groups or writes', async () => {
    const app = emulator.registerApp({ applicationPermissions: ['User.Read.All'] });
    const call = graphCaller(emulator, await tokenFor(emulator, app.clientId, app.secretValue as string));
    assert.equal((await call('GET', '/users/delta')).status, 200);
    assert.equal((await call('GET', '/groups')).status, 403);
    const user = emulator.directory.snapshot().users[3];
    const write = await call<ErrorBody>('PATCH', `/users/${user?.id}`, { body: { jobTitle: 'x' } });
    assert.equal(write.status, 403);
    assert.equal(write.body.error.code, 'Authorization_RequestDenied');
  });

  it('lets User.EnableDisableAccount.All + User.Read.All disable a user but not rename one', async () => {
    const app = emulator.registerApp({ applicationPermissions: ['User.EnableDisableAccount.All', 'User.Read.All'] });
    const call = graphCaller(emulator, await tokenFor(emulator, app.clientId, app.secretValue as string));
    const user = emulator.directory.snapshot().users[4];
    assert.equal((await call('PATCH', `/users/${user?.id}`, { body: { accountEnabled: false } })).status, 204);
    assert.equal(emulator.directory.get(String(user?.id))?.accountEnabled, false);
    assert.equal((await call('PATCH', `/users/${user?.id}`, { body: { displayName: 'x' } })).status, 403);
  });
});
