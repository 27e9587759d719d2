import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { parseAllowedHosts, parseTrustProxy } from '../../src/server/network-trust.js';
import { PASSWORD, startTestServer, type TestServer } from './server-harness.js';

// Issue 12, findings 4 and 13: who may speak for the client, which host names are answered, HSTS, CSP and the
// absolute session lifetime.

async function lastLoginAddress(server: TestServer): Promise<string | undefined> {
  const [row] = await server.fixture.gatehouse.audit.list({ action: 'auth.login', limit: 1 });
  return row?.origin.address;
}

describe('--trust-proxy', () => {
  test('a bare flag means loopback only, with a note; "all" is refused; addresses, CIDRs and hop counts parse', () => {
    const notes: string[] = [];
    assert.deepEqual(
      parseTrustProxy(true, (n) => notes.push(n)),
      ['loopback'],
    );
    assert.match(notes[0] ?? '', /loopback/);
    assert.equal(parseTrustProxy(undefined), false);
    assert.equal(parseTrustProxy('2'), 2);
    assert.deepEqual(parseTrustProxy('10.0.0.5, 10.1.0.0/16,::1,uniquelocal'), [
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'uniquelocal',
    ]);
    for (const bad of ['true', '*', 'all', '0.0.0.0/0', '::/0', '0', '99', '10.0.0.0/33', 'proxy.example.com']) {
      assert.throws(() => parseTrustProxy(bad), { code: 'USAGE_ERROR' }, bad);
    }
    assert.throws(
      () => parseTrustProxy('s3cret-value'),
      (error: Error) => !error.message.includes('s3cret'),
    );
  });

  describe('on the server', () => {
    let server: TestServer;
    before(async () => {
      // `true` is what `--trust-proxy` used to pass: it now trusts loopback proxies only.
      server = await startTestServer({ server: { trustProxy: true } });
    });
    after(() => server.close());

    const login = (remoteAddress: string, headers: Record<string, string> = {}) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'wrong password' },
        remoteAddress,
        headers,
      });

    test('X-Forwarded-For from a stranger is ignored; from the trusted proxy it names the client', async () => {
      await login('203.0.113.9', { 'x-forwarded-for': '1.2.3.4' });
      assert.equal(await lastLoginAddress(server), '203.0.113.9');
      await login('127.0.0.1', { 'x-forwarded-for': '198.51.100.20' });
      assert.equal(await lastLoginAddress(server), '198.51.100.20');
    });

    test('HSTS is sent only over https (here: through the trusted proxy)', async () => {
      const https = await server.app.inject({
        url: '/healthz',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'https' },
      });
      assert.match(String(https.headers['strict-transport-security']), /max-age=\d{7,}/);
      const forged = await server.app.inject({
        url: '/healthz',
        remoteAddress: '203.0.113.9',
        headers: { 'x-forwarded-proto': 'https' },
      });
      assert.equal(forged.headers['strict-transport-security'], undefined);
      const plain = await server.app.inject({ url: '/healthz' });
      assert.equal(plain.headers['strict-transport-security'], undefined);
    });

    test('a trusted proxy cannot smuggle a foreign host in X-Forwarded-Host', async () => {
      const response = await server.app.inject({
        url: '/api/v1/auth/me',
        remoteAddress: '127.0.0.1',
        headers: { host: 'localhost:8080', 'x-forwarded-host': 'rebind.attacker.example' },
      });
      assert.equal(response.statusCode, 421);
      assert.equal(response.json().error.code, 'HOST_NOT_ALLOWED');
    });
  });
});

describe('Host allowlist, CSP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ server: { bindHost: '10.20.30.40' } });
  });
  after(() => server.close());

  test('a foreign Host (DNS rebinding) gets 421 HOST_NOT_ALLOWED on the API, the login and the UI', async () => {
    for (const url of ['/api/v1/auth/me', '/api/v1/auth/login', '/setup', '/']) {
      const response = await server.app.inject({
        method: url.endsWith('login') ? 'POST' : 'GET',
        url,
        headers: { host: 'rebind.attacker.example:8080' },
        ...(url.endsWith('login') ? { payload: { username: 'admin', password: PASSWORD } } : {}),
      });
      assert.equal(response.statusCode, 421, url);
      assert.equal(response.json().error.code, 'HOST_NOT_ALLOWED');
    }
  });

  test('loopback names and the bound address are answered; health probes answer any host', async () => {
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', '10.20.30.40:8080', 'LOCALHOST']) {
      const response = await server.app.inject({ url: '/api/v1/auth/me', headers: { host } });
      assert.equal(response.statusCode, 401, host);
    }
    const probe = await server.app.inject({ url: '/healthz', headers: { host: '10.99.0.7:8080' } });
    assert.equal(probe.statusCode, 200);
  });

  test('--allowed-hosts adds names and *.domain; a bare * is refused', async () => {
    assert.deepEqual(parseAllowedHosts('gatehouse.example.com,*.corp.example'), [
      'gatehouse.example.com',
      '*.corp.example',
    ]);
    assert.throws(() => parseAllowedHosts('*'), { code: 'USAGE_ERROR' });
    const other = await startTestServer({ server: { allowedHosts: ['gatehouse.example.com', '*.corp.example'] } });
    try {
      const ok = await other.app.inject({ url: '/api/v1/auth/me', headers: { host: 'gh.corp.example' } });
      assert.equal(ok.statusCode, 401);
      const named = await other.app.inject({ url: '/api/v1/auth/me', headers: { host: 'gatehouse.example.com' } });
      assert.equal(named.statusCode, 401);
      const refused = await other.app.inject({ url: '/api/v1/auth/me', headers: { host: 'corp.example.evil' } });
      assert.equal(refused.statusCode, 421);
    } finally {
      await other.close();
    }
  });

  test('the CSP allows fonts from this server only', async () => {
    const csp = String((await server.app.inject({ url: '/healthz' })).headers['content-security-policy']);
    assert.match(csp, /font-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /https:/);
  });
});

describe('absolute session lifetime', () => {
  const clock = createManualClock(new Date('2026-07-01T00:00:00Z'));
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ clock, sessionMaxLifetimeMs: 8 * 3_600_000 });
  });
  after(() => server.close());

  test('an active session still ends at its absolute lifetime', async () => {
    const viewer = await server.session('viewer');
    for (let hour = 1; hour < 8; hour++) {
      clock.advance(3_600_000);
      const me = await server.app.inject({ url: '/api/v1/auth/me', headers: viewer.headers });
      assert.equal(me.statusCode, 200, `hour ${hour}`);
    }
    clock.advance(3_600_000);
    const late = await server.app.inject({ url: '/api/v1/auth/me', headers: viewer.headers });
    assert.equal(late.statusCode, 401, 'the session ended 8 hours after login although it was used every hour');
  });
});
