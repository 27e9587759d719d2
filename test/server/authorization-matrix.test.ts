import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { ROLES, type Role, roleAllows } from '../../src/accounts/roles.js';
import { trackRoutes } from '../../src/server/build-app.js';
import type { RouteEntry } from '../../src/server/route-roles.js';
import { type Caller, startTestServer, type TestServer } from './server-harness.js';

/** Fills `:params` with a placeholder, so the request reaches the route (and then fails as not found, at worst). */
function concreteUrl(route: RouteEntry): string {
  return route.url.replace(/:(\w+)/g, 'matrix-$1').replace(/\*$/, 'matrix');
}

// Logging out ends the caller's session, so those routes go last.
const lastly = (route: RouteEntry) => (route.url.endsWith('/logout') ? 1 : 0);

describe('authorization matrix: every route x every role', () => {
  let server: TestServer;
  let routes: RouteEntry[];
  const callers = new Map<string, Caller>();

  before(async () => {
    server = await startTestServer();
    routes = server.app.routeTable.filter((r) => r.access !== 'public').toSorted((a, b) => lastly(a) - lastly(b));
    for (const role of ROLES) {
      callers.set(`session:${role}`, await server.session(role));
      callers.set(`token:${role}`, await server.token(role));
    }
  });
  after(() => server.close());

  test('the route table covers the API and no /api route is public except login, setup and Graph notifications', () => {
    assert.ok(routes.length >= 10, `only ${routes.length} protected routes`);
    const publicApi = server.app.routeTable.filter((r) => r.access === 'public' && r.url.startsWith('/api'));
    // Microsoft Graph cannot log in: the notification endpoint is guarded by each subscription's clientState.
    assert.deepEqual(publicApi.map((r) => r.url).sort(), [
      '/api/v1/auth/login',
      '/api/v1/auth/setup',
      '/api/v1/notifications/graph/:connectionId',
      '/api/v1/notifications/graph/:connectionId/lifecycle',
    ]);
  });

  test('anonymous callers get AUTH_REQUIRED on every protected route', async () => {
    for (const route of routes) {
      const response = await server.app.inject({ method: route.method as 'GET', url: concreteUrl(route), payload: {} });
      assert.equal(response.statusCode, 401, `${route.method} ${route.url}`);
      const body = response.json();
      assert.equal(body.error.code, 'AUTH_REQUIRED');
      assert.equal(typeof body.error.hint, 'string');
      assert.equal(body.error.requestId, response.headers['x-request-id']);
    }
  });

  for (const kind of ['token', 'session'] as const) {
    for (const role of ROLES) {
      test(`${kind} with role ${role}: allowed exactly where the route's role permits`, async () => {
        const caller = callers.get(`${kind}:${role}`)!;
        for (const route of routes) {
          const response = await server.app.inject({
            method: route.method as 'GET',
            url: concreteUrl(route),
            headers: caller.headers,
            ...(route.method === 'GET' ? {} : { payload: {} }),
          });
          const label = `${kind}:${role} ${route.method} ${route.url} -> ${response.statusCode} ${response.body.slice(0, 200)}`;
          if (roleAllows(role as Role, route.access as Role)) {
            assert.ok(![401, 403].includes(response.statusCode), label);
          } else {
            assert.equal(response.statusCode, 403, label);
            assert.equal(response.json().error.code, 'AUTH_FORBIDDEN', label);
          }
        }
      });
    }
  }
});

test('a route that declares no access is refused when the app is built', async () => {
  const app = Fastify();
  const table: RouteEntry[] = [];
  trackRoutes(app, table);
  app.get('/api/v1/declared', { config: { access: 'operator' } }, async () => ({}));
  assert.throws(() => app.get('/api/v1/forgotten', async () => ({})), /declares no access/);
  assert.throws(() => app.get('/metrics-extra', async () => ({})), /declares no access/);
  app.get('/assets/app.js', async () => '');
  assert.deepEqual(
    table.map((r) => [r.url, r.access]),
    [
      ['/api/v1/declared', 'operator'],
      ['/assets/app.js', 'public'],
    ],
  );
  await app.close();
});
