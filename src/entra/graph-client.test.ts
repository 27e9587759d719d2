import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createManualClock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { createGraphClient, type GraphClientOptions } from './graph-client.js';
import type { TokenSource } from './token-source.js';

const ORIGIN = 'https://graph.example.test';

interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body?: unknown;
}

/** A scripted Graph: answers each request with the next reply (the remote service is what we fake, not our code). */
function scriptedFetch(replies: ((seen: Seen) => Response)[]) {
  const seen: Seen[] = [];
  const fake = (async (input: URL | RequestInfo, init?: RequestInit) => {
    const entry: Seen = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: new Headers(init?.headers),
      ...(typeof init?.body === 'string' ? { body: JSON.parse(init.body) } : {}),
    };
    seen.push(entry);
    const reply = replies.shift();
    if (!reply) throw new Error(`unexpected request ${entry.method} ${entry.url}`);
    return reply(entry);
  }) as typeof fetch;
  return { fake, seen };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'request-id': `req-${status}`, ...headers },
    });
}

function graphError(status: number, code: string, extra: Record<string, unknown> = {}, headers = {}) {
  return json(status, { error: { code, message: `${code} happened`, ...extra } }, headers);
}

function countingTokens(): TokenSource & { issued: number; invalidated: number } {
  return {
    issued: 0,
    invalidated: 0,
    async getAccessToken() {
      this.issued++;
      return `token-${this.issued}`;
    },
    invalidate() {
      this.invalidated++;
    },
  };
}

/** A manual clock whose sleeps complete at once but are recorded, so Retry-After waits are observable. */
function recordingClock() {
  const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));
  const slept: number[] = [];
  return {
    slept,
    clock: {
      ...clock,
      sleep(ms: number, signal?: AbortSignal) {
        slept.push(ms);
        const done = clock.sleep(ms, signal);
        clock.advance(ms);
        return done;
      },
    },
  };
}

function client(replies: ((seen: Seen) => Response)[], extra: Partial<GraphClientOptions> = {}) {
  const { fake, seen } = scriptedFetch(replies);
  const tokens = countingTokens();
  const { clock, slept } = recordingClock();
  const graph = createGraphClient({
    settings: { graphEndpoint: `${ORIGIN}/` },
    tokenSource: tokens,
    fetch: fake,
    clock,
    random: () => 0,
    ...extra,
  });
  return { graph, seen, tokens, slept, clock };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('graph client', () => {
  it('sends relative paths to {endpoint}/v1.0 with the bearer token and a client-request-id', async () => {
    const { graph, seen } = client([json(200, { id: 'u1' })]);
    const response = await graph.request<{ id: string }>('GET', '/users/u1?$select=id');
    assert.equal(response.body.id, 'u1');
    assert.equal(response.requestId, 'req-200');
    assert.equal(seen[0]?.url, `${ORIGIN}/v1.0/users/u1?$select=id`);
    assert.equal(seen[0]?.headers.get('authorization'), 'Bearer token-1');
    assert.match(seen[0]?.headers.get('client-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('serialises a JSON body and returns undefined for 204', async () => {
    const { graph, seen } = client([() => new Response(null, { status: 204 })]);
    const response = await graph.request('PATCH', '/users/u1', { body: { accountEnabled: false } });
    assert.equal(response.status, 204);
    assert.equal(response.body, undefined);
    assert.deepEqual(seen[0]?.body, { accountEnabled: false });
    assert.equal(seen[0]?.headers.get('content-type'), 'application/json');
  });

  it('streams pages, following absolute nextLinks verbatim until the deltaLink', async () => {
    const next = `${ORIGIN}/v1.0/users/delta?$skiptoken=abc%3D%3D`;
    const delta = `${ORIGIN}/v1.0/users/delta?$deltatoken=xyz`;
    const { graph, seen } = client([
      json(200, { value: [{ id: 'a' }], '@odata.nextLink': next }, { 'x-ms-resource-unit': '1' }),
      json(200, { value: [], '@odata.nextLink': `${next}2` }),
      json(200, { value: [{ id: 'b' }], '@odata.deltaLink': delta }, { 'x-ms-resource-unit': '2' }),
    ]);
    const got = [];
    for await (const page of graph.pages<{ id: string }>('/users/delta?$select=id')) got.push(page);
    assert.deepEqual(
      got.map((p) => p.value.map((v) => v.id)),
      [['a'], [], ['b']],
    );
    assert.equal(seen[1]?.url, next);
    assert.equal(got[2]?.deltaLink, delta);
    assert.equal(got[0]?.resourceUnits, 1);
    assert.equal(graph.stats().resourceUnits, 3);
    assert.equal(graph.stats().requests, 3);
  });

  it('fetches a page only when the consumer asks for it', async () => {
    const { graph, seen } = client([
      json(200, { value: [{ id: 'a' }], '@odata.nextLink': `${ORIGIN}/v1.0/users?$skiptoken=2` }),
    ]);
    for await (const page of graph.pages('/users')) {
      assert.equal(page.value.length, 1);
      break;
    }
    assert.equal(seen.length, 1);
  });

  it('refuses to send the token to another origin', async () => {
    const { graph, seen } = client([]);
    await rejectsWith(graph.request('GET', 'https://evil.example/v1.0/users'), 'GRAPH_INVALID_RESPONSE');
    assert.equal(seen.length, 0);
  });

  it('waits as long as Retry-After (seconds) asks on 429, then succeeds', async () => {
    const { graph, slept } = client([
      graphError(429, 'TooManyRequests', {}, { 'retry-after': '3' }),
      json(200, { ok: true }),
    ]);
    await graph.request('GET', '/users');
    assert.deepEqual(slept, [3000]);
    assert.deepEqual(
      { retries: graph.stats().retries, throttled: graph.stats().throttled },
      { retries: 1, throttled: 1 },
    );
  });

  it('reads Retry-After as an HTTP date against the clock', async () => {
    const { graph, slept } = client([
      graphError(503, 'serviceNotAvailable', {}, { 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }),
      json(200, {}),
    ]);
    await graph.request('GET', '/users');
    assert.deepEqual(slept, [7000]);
  });

  it('caps the wait, adds jitter, backs off exponentially without Retry-After and stops after maxAttempts', async () => {
    const { graph, slept, seen } = client(
      [
        graphError(429, 'TooManyRequests', {}, { 'retry-after': '900' }),
        graphError(504, 'GatewayTimeout'),
        graphError(503, 'serviceNotAvailable'),
        graphError(503, 'serviceNotAvailable'),
      ],
      { random: () => 1, retry: { maxAttempts: 4, maxDelayMs: 10_000, baseDelayMs: 100, jitterRatio: 0.5 } },
    );
    const error = await rejectsWith(graph.request('GET', '/users'), 'GRAPH_UNAVAILABLE');
    assert.deepEqual(slept, [15_000, 300, 600]);
    assert.equal(seen.length, 4);
    assert.equal(error.details.status, 503);
    assert.equal(error.details.graphCode, 'serviceNotAvailable');
  });

  it('never retries other 4xx and maps Graph codes', async () => {
    const cases: [ReturnType<typeof graphError>, string][] = [
      [graphError(400, 'Request_BadRequest'), 'GRAPH_BAD_REQUEST'],
      [graphError(403, 'Authorization_RequestDenied'), 'GRAPH_INSUFFICIENT_PRIVILEGES'],
      [graphError(404, 'Request_ResourceNotFound'), 'GRAPH_NOT_FOUND'],
      [graphError(410, 'resyncRequired'), 'GRAPH_DELTA_RESYNC_REQUIRED'],
      [graphError(400, 'syncStateNotFound'), 'GRAPH_DELTA_RESYNC_REQUIRED'],
    ];
    for (const [reply, code] of cases) {
      const { graph, seen } = client([reply]);
      const error = await rejectsWith(graph.request('GET', '/users/x'), code);
      assert.equal(seen.length, 1, code);
      assert.equal(error.details.requestId, `req-${error.details.status}`);
      assert.equal(typeof error.details.clientRequestId, 'string');
    }
  });

  it('maps an ObjectConflict detail to GRAPH_CONFLICT naming the property', async () => {
    const { graph } = client([
      graphError(400, 'Request_BadRequest', { details: [{ code: 'ObjectConflict', target: 'userPrincipalName' }] }),
    ]);
    const error = await rejectsWith(graph.request('POST', '/users', { body: {} }), 'GRAPH_CONFLICT');
    assert.equal(error.details.property, 'userPrincipalName');
    assert.match(error.message, /userPrincipalName/);
  });

  it('after a 401 InvalidAuthenticationToken drops the token and retries exactly once', async () => {
    const ok = client([graphError(401, 'InvalidAuthenticationToken'), json(200, { id: 'u' })]);
    await ok.graph.request('GET', '/users/u');
    assert.equal(ok.tokens.invalidated, 1);
    assert.equal(ok.seen[1]?.headers.get('authorization'), 'Bearer token-2');

    const bad = client([graphError(401, 'InvalidAuthenticationToken'), graphError(401, 'InvalidAuthenticationToken')]);
    await rejectsWith(bad.graph.request('GET', '/users/u'), 'GRAPH_UNAUTHORIZED');
    assert.equal(bad.tokens.invalidated, 1);
    assert.equal(bad.seen.length, 2);
  });

  it('reports a body that is not JSON as GRAPH_INVALID_RESPONSE', async () => {
    const { graph } = client([
      () => new Response('<html>proxy</html>{', { status: 200, headers: { 'content-type': 'application/json' } }),
    ]);
    await rejectsWith(graph.request('GET', '/users'), 'GRAPH_INVALID_RESPONSE');
  });

  it('times out a request that never answers', async () => {
    const hang = (async (_input: URL | RequestInfo, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const { graph } = client([], { fetch: hang, timeoutMs: 20, retry: { maxAttempts: 1 } });
    await rejectsWith(graph.request('GET', '/users'), 'GRAPH_TIMEOUT');
  });

  it('batches, retries throttled items with their Retry-After and returns results in request order', async () => {
    const { graph, seen, slept } = client([
      json(200, {
        responses: [
          { id: '2', status: 429, headers: { 'Retry-After': '2' } },
          { id: '1', status: 204 },
          { id: '3', status: 404, body: { error: { code: 'Request_ResourceNotFound' } } },
        ],
      }),
      json(200, { responses: [{ id: '2', status: 204 }] }),
    ]);
    const results = await graph.batch([
      { id: '1', method: 'POST', url: '/groups/g/members/$ref', body: { '@odata.id': 'x' } },
      { id: '2', method: 'POST', url: '/groups/g/members/$ref', body: { '@odata.id': 'y' } },
      { id: '3', method: 'DELETE', url: '/groups/g/members/z/$ref' },
    ]);
    assert.deepEqual(
      results.map((r) => [r.id, r.status]),
      [
        ['1', 204],
        ['2', 204],
        ['3', 404],
      ],
    );
    assert.equal(seen[0]?.url, `${ORIGIN}/v1.0/$batch`);
    const first = seen[0]?.body as { requests: { id: string; headers?: Record<string, string> }[] };
    assert.equal(first.requests[0]?.headers?.['Content-Type'], 'application/json');
    const second = seen[1]?.body as { requests: { id: string }[] };
    assert.deepEqual(
      second.requests.map((r) => r.id),
      ['2'],
    );
    assert.deepEqual(slept, [2000]);
    assert.equal(graph.stats().throttled, 1);
  });

  it('reads fractional ("2.128") and missing Retry-After, on requests and on batch items paired by id (issue 11)', async () => {
    const { graph, slept } = client([
      graphError(429, 'TooManyRequests', {}, { 'retry-after': '2.128' }),
      graphError(429, 'TooManyRequests'),
      json(200, { value: [] }),
      // Items answered out of order, one throttled with a fractional wait, one without any Retry-After.
      json(200, {
        responses: [
          { id: 'c', status: 429, headers: { 'Retry-After': '0.75' } },
          { id: 'a', status: 200, body: { id: 'user-a' } },
          { id: 'b', status: 429 },
        ],
      }),
      json(200, {
        responses: [
          { id: 'b', status: 200, body: { id: 'user-b' } },
          { id: 'c', status: 200, body: { id: 'user-c' } },
        ],
      }),
    ]);
    await graph.request('GET', '/users');
    assert.deepEqual(slept, [2128, 2000], 'fractional seconds kept; no Retry-After = back-off (2nd attempt: 2 s)');
    const results = await graph.batch([
      { id: 'a', method: 'GET', url: '/users/a' },
      { id: 'b', method: 'GET', url: '/users/b' },
      { id: 'c', method: 'GET', url: '/users/c' },
    ]);
    assert.deepEqual(
      results.map((r) => [r.id, (r.body as { id: string }).id]),
      [
        ['a', 'user-a'],
        ['b', 'user-b'],
        ['c', 'user-c'],
      ],
    );
    assert.equal(slept[2], 750);
  });

  it('refuses a batch of more than 20 requests', async () => {
    const { graph, seen } = client([]);
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET' as const, url: '/users' }));
    await rejectsWith(graph.batch(many), 'GRAPH_BAD_REQUEST');
    assert.equal(seen.length, 0);
  });
});
