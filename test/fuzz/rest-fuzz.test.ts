import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../server/server-harness.js';
import { fromSchema, fuzzParameters, nastyString } from './fuzz-support.js';

// Issue 12: every REST route of the route table, called as an admin with fuzzed path parameters, query strings and
// bodies (near each route's OpenAPI schema, and arbitrary): never a 5xx, never a secret in the answer.
type Operation = {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  parameters?: { in: string; name: string; schema?: unknown }[];
};

/** Routes left out, and why. */
const SKIP: { test: (method: string, url: string) => boolean; why: string }[] = [
  { test: (_m, url) => url.endsWith('/events'), why: 'server-sent event streams never end' },
  { test: (_m, url) => url.startsWith('/api/docs'), why: 'static documentation assets' },
  {
    test: (m, url) => m === 'POST' && url === '/api/v1/connections/test',
    why: 'tests a draft with the hosts in its body: fuzzed hosts would reach the real network',
  },
];

describe('fuzz: every REST route', () => {
  let server: TestServer;
  let headers: Record<string, string>;
  let secret: string;
  let openapi: { paths: Record<string, Record<string, Operation>> };
  const tallies = { calls: 0, byStatus: new Map<number, number>() };

  before(async () => {
    server = await startTestServer();
    secret = server.fixture.emulator.defaultApp.secretValue!;
    headers = (await server.token('admin')).headers;
    openapi = (await server.app.inject({ url: '/api/openapi.json', headers })).json();
  });
  after(async () => {
    process.stdout.write(
      `# REST fuzz: ${tallies.calls} calls; statuses ${JSON.stringify(Object.fromEntries(tallies.byStatus))}\n`,
    );
    await server.close();
  });

  function operationOf(method: string, url: string): Operation | undefined {
    const path = url.replace(/:([A-Za-z]+)/g, '{$1}');
    return openapi.paths[path]?.[method.toLowerCase()];
  }

  test('no 5xx, no secret, whatever the input', async () => {
    const routes = server.app.routeTable.filter((r) => !SKIP.some((s) => s.test(r.method, r.url)));
    assert.ok(routes.length > 30, `${routes.length} routes`);
    const fixtureName = server.fixture.connectionName;
    // Writes never name the fixture's connection (it stays pointed at the emulator for the routes that reach it).
    const name = (method: string) =>
      method === 'GET' || method === 'POST'
        ? fc.oneof(fc.constantFrom(fixtureName, 'missing'), nastyString)
        : fc.oneof(fc.constant('missing'), nastyString);
    const call = fc.constantFrom(...routes).chain((route) => {
      const operation = operationOf(route.method, route.url);
      const bodySchema = operation?.requestBody?.content?.['application/json']?.schema;
      const queryParams = (operation?.parameters ?? []).filter((p) => p.in === 'query');
      const query = fc.record(
        Object.fromEntries(
          queryParams.map((p) => [p.name, fc.oneof(fromSchema(p.schema as never), nastyString).map(String)]),
        ),
        { requiredKeys: [] },
      );
      const pathNames = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
      const params = fc.tuple(...pathNames.map((p) => (p === 'name' ? name(route.method) : nastyString)));
      return fc.record({
        route: fc.constant(route),
        params: pathNames.length > 0 ? params : fc.constant([] as string[]),
        query,
        body:
          route.method === 'GET' || route.method === 'DELETE'
            ? fc.constant(undefined)
            : fromSchema(bodySchema as never),
        raw: fc.option(fc.constantFrom('{', '[]', 'null', '"x"', '{"__proto__":{"a":1}}', '1e999'), { freq: 8 }),
      });
    });

    await fc.assert(
      fc.asyncProperty(call, async ({ route, params, query, body, raw }) => {
        let index = 0;
        const path = route.url.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(params[index++] ?? ''));
        const search = new URLSearchParams(query as Record<string, string>).toString();
        const url = search ? `${path}?${search}` : path;
        const response = await server.app.inject({
          method: route.method as 'GET',
          url,
          headers: { ...headers, ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}) },
          ...(raw ? { payload: raw } : body !== undefined ? { payload: JSON.stringify(body) } : {}),
        });
        tallies.calls += 1;
        tallies.byStatus.set(response.statusCode, (tallies.byStatus.get(response.statusCode) ?? 0) + 1);
        const what = `${route.method} ${url.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
        assert.ok(response.statusCode < 500, what);
        assert.equal(response.body.includes(secret), false, `secret in the body: ${what}`);
        assert.equal(JSON.stringify(response.headers).includes(secret), false, `secret in a header: ${what}`);
      }),
      fuzzParameters(300),
    );
  });
});
