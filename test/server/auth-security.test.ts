import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { cookiesFrom, PASSWORD, startTestServer, type TestServer } from './server-harness.js';

describe('login, sessions and CSRF', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxLoginFailures: 3 });
  });
  after(() => server.close());

  test('login sets an HttpOnly SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'Viewer', password: PASSWORD },
    });
    assert.equal(response.statusCode, 200);
    const lines = [response.headers['set-cookie']].flat().map(String);
    const session = lines.find((l) => l.startsWith('gh_session='))!;
    const csrf = lines.find((l) => l.startsWith('gh_csrf='))!;
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Strict/);
    assert.doesNotMatch(csrf, /HttpOnly/);
    assert.equal(response.json().csrfToken, cookiesFrom(csrf).gh_csrf);
    assert.equal(response.json().account.role, 'viewer');
    assert.equal(JSON.stringify(response.json()).includes('scrypt'), false);
  });

  test('a cookie-authenticated write without the CSRF header is refused; with it, it passes', async () => {
    const admin = await server.session('admin');
    const { 'x-csrf-token': csrf, ...cookieOnly } = admin.headers;
    const payload = { name: 'ci', role: 'viewer' };
    const refused = await server.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: cookieOnly, payload });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'AUTH_CSRF_FAILED');
    const wrong = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...cookieOnly, 'x-csrf-token': `${csrf}x` },
      payload,
    });
    assert.equal(wrong.json().error.code, 'AUTH_CSRF_FAILED');
    const read = await server.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: cookieOnly });
    assert.equal(read.statusCode, 200, 'reads need no CSRF header');
    const ok = await server.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin.headers, payload });
    assert.equal(ok.statusCode, 201);
    const audit = await server.fixture.gatehouse.audit.list({ action: 'auth.denied' });
    assert.ok(
      audit.some(
        (e) => e.actor === 'admin' && e.errorCode === 'AUTH_CSRF_FAILED' && e.target === 'POST /api/v1/tokens',
      ),
      'a refused write is a security event in the audit log',
    );
  });

  test('logout ends the session', async () => {
    const viewer = await server.session('viewer');
    const out = await server.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: viewer.headers });
    assert.equal(out.statusCode, 200);
    const me = await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: viewer.headers });
    assert.equal(me.statusCode, 401);
  });

  test('failed logins are rate limited per user name, even with the right password afterwards', async () => {
    const attempt = (password: string, ip = '10.0.0.1') =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'operator', password },
        remoteAddress: ip,
      });
    for (let i = 0; i < 3; i++) {
      const response = await attempt('wrong password!!');
      assert.equal(response.json().error.code, 'AUTH_INVALID_CREDENTIALS');
    }
    const limited = await attempt(PASSWORD, '10.0.0.2');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'AUTH_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });

  test('unknown user and wrong password answer the same', async () => {
    const unknown = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: PASSWORD },
    });
    const wrong = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'not the password' },
    });
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual({ ...unknown.json().error, requestId: '' }, { ...wrong.json().error, requestId: '' });
  });

  test('login and failed login are in the audit log, with the address and without the password', async () => {
    const admin = await server.token('admin');
    const response = await server.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=auth.login',
      headers: admin.headers,
    });
    assert.equal(response.statusCode, 200);
    const events = response.json() as { actor: string; result: string; origin: { address?: string } }[];
    assert.ok(events.some((e) => e.actor === 'viewer' && e.result === 'succeeded'));
    assert.ok(events.some((e) => e.actor === 'operator' && e.result === 'failed' && e.origin.address === '10.0.0.1'));
    assert.equal(response.body.includes(PASSWORD), false);
    assert.equal(response.body.includes('wrong password'), false);
  });
});

describe('API tokens', () => {
  const clock = createManualClock(new Date('2026-03-01T00:00:00Z'));
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ clock });
  });
  after(() => server.close());

  test('an active session slides: its cookie is renewed, and an idle one expires', async () => {
    const viewer = await server.session('viewer');
    clock.advance(2 * 3_600_000);
    const active = await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: viewer.headers });
    assert.equal(active.statusCode, 200);
    const renewed = [active.headers['set-cookie']]
      .flat()
      .map(String)
      .find((l) => l.startsWith('gh_session='));
    assert.match(String(renewed), /HttpOnly/, 'the session cookie is sent again with the later expiry');
    clock.advance(12 * 3_600_000 + 1000);
    const idle = await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: viewer.headers });
    assert.equal(idle.statusCode, 401);
  });

  test('a token is shown once, listed by prefix only, and stops working when it expires', async () => {
    const admin = await server.token('admin');
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin.headers,
      payload: { name: 'workflow', role: 'operator', expiresAt: '2026-03-02T00:00:00Z' },
    });
    assert.equal(created.statusCode, 201);
    const { token, apiToken } = created.json();
    assert.match(token, /^gha_/);
    const list = await server.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: admin.headers });
    assert.equal(list.body.includes(token), false);
    assert.ok(token.startsWith(list.json().find((t: { id: string }) => t.id === apiToken.id).prefix));

    const me = () =>
      server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await me()).json().role, 'operator');
    clock.advance(24 * 3_600_000);
    const expired = await me();
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().error.code, 'AUTH_TOKEN_EXPIRED');
  });

  test('a revoked or unknown token is refused', async () => {
    const admin = await server.token('admin');
    const { token, apiToken } = await server.accounts.createApiToken({ name: 'r', role: 'viewer', createdBy: 't' });
    const revoke = await server.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${apiToken.id}`,
      headers: admin.headers,
    });
    assert.equal(revoke.statusCode, 200);
    for (const bearer of [token, 'gha_unknown']) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${bearer}` },
      });
      assert.equal(response.json().error.code, 'AUTH_REQUIRED');
    }
  });
});

describe('headers, errors and public routes', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('health and readiness are public; metrics and the OpenAPI document are not', async () => {
    assert.equal((await server.app.inject({ url: '/healthz' })).statusCode, 200);
    assert.equal((await server.app.inject({ url: '/readyz' })).json().status, 'ready');
    assert.equal((await server.app.inject({ url: '/metrics' })).statusCode, 401);
    assert.equal((await server.app.inject({ url: '/api/openapi.json' })).statusCode, 401);
    assert.equal((await server.app.inject({ url: '/api/v1/nothing-here' })).statusCode, 401);
  });

  test('secure headers: CSP without inline scripts, nosniff, frame denial', async () => {
    const response = await server.app.inject({ url: '/healthz' });
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'DENY');
  });

  test('invalid input answers REQUEST_INVALID in the error shape', async () => {
    const admin = await server.token('admin');
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: admin.headers,
      payload: { username: 'x', role: 'superuser' },
    });
    assert.equal(response.statusCode, 400);
    const { error } = response.json();
    assert.equal(error.code, 'REQUEST_INVALID');
    assert.deepEqual(Object.keys(error).sort(), ['code', 'details', 'hint', 'message', 'requestId']);
  });

  test('the OpenAPI document lists the API with its schemas', async () => {
    const viewer = await server.token('viewer');
    const doc = (await server.app.inject({ url: '/api/openapi.json', headers: viewer.headers })).json();
    assert.equal(doc.openapi.startsWith('3.'), true);
    assert.ok(doc.paths['/api/v1/tokens'].post.requestBody);
    assert.match(doc.paths['/api/v1/tokens'].post.description, /Needs the admin role/);
    assert.match(doc.paths['/api/v1/sync/{name}/run'].post.description, /Needs the operator role/);
    const metrics = await server.app.inject({ url: '/metrics', headers: viewer.headers });
    assert.match(
      metrics.body,
      /gatehouse_http_requests_total\{method="GET",route="\/api\/openapi.json",status="200"\} 1/,
    );
  });

  test('the last admin cannot be demoted or removed', async () => {
    const admin = await server.token('admin');
    const response = await server.app.inject({
      method: 'PATCH',
      url: '/api/v1/accounts/admin',
      headers: admin.headers,
      payload: { role: 'viewer' },
    });
    assert.equal(response.json().error.code, 'ACCOUNT_LAST_ADMIN');
  });
});
