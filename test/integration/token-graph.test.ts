import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { createGraphClient } from '../../src/entra/graph-client.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Clocks for gatehouse and the emulator, moved together (token lifetimes run out on command) or apart (skew). */
const start = new Date();
const clock = createManualClock(start);
const emulatorClock = createManualClock(start);
let fx: GatehouseFixture;

function advance(ms: number): void {
  clock.advance(ms);
  emulatorClock.advance(ms);
}

before(async () => {
  fx = await startGatehouseFixture({
    emulator: {
      seed: 'token-graph',
      clock: emulatorClock,
      // These tests count requests exactly (200 Graph calls, one token request, 401 → token → 200), and the Graph
      // client waits out a 429 on the manual clock, which only moves on command: random 429s off, the rest of the
      // realistic profile (token lifetimes drawn from 60–90 minutes included) stays on.
      realism: { randomThrottleRate: 0 },
    },
    clock,
  });
});

after(async () => {
  await fx.close();
});

function count(kind: 'token' | 'graph'): number {
  return fx.emulator.requestLog().filter((entry) => entry.kind === kind).length;
}

async function graphOfConnection() {
  const settings = await fx.gatehouse.connections.resolveEntraSettings(fx.connectionName);
  const tokens = fx.gatehouse.tokens.forSettings(settings);
  return { tokens, graph: createGraphClient({ settings, tokenSource: tokens, clock }) };
}

/** Token state is recorded in the background (a token request never waits for the store): wait for it. */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail('the token state was not recorded');
}

function concurrentReads(graph: ReturnType<typeof createGraphClient>, n: number) {
  return Promise.all(Array.from({ length: n }, () => graph.request('GET', '/users?$top=1&$select=id')));
}

describe('tokens through the Graph client (real msal-node, real Graph client, emulator)', () => {
  it('200 concurrent Graph calls through one connection cause exactly one token request', async () => {
    const { graph } = await graphOfConnection();
    fx.emulator.clearRequestLog();
    const responses = await concurrentReads(graph, 200);
    assert.ok(responses.every((response) => response.status === 200));
    assert.equal(count('graph'), 200);
    assert.equal(count('token'), 1);
  });

  it('records token state on the connection: obtained and expiry, then the last error with the last good token kept', async () => {
    const { tokens } = await graphOfConnection();
    const token = await tokens.getToken();
    const state = await eventually(async () => {
      const current = (await fx.gatehouse.connections.get(fx.connectionName)).tokenState;
      return current?.acquiredAt ? current : undefined;
    });
    assert.equal(state.expiresAt, token.expiresAt.toISOString());
    assert.ok(state.roles?.includes('User.ReadWrite.All'));
    fx.emulator.faults.failNextTokenRequests(1, { status: 401, aadsts: 7000222 });
    tokens.invalidate();
    await assert.rejects(tokens.getAccessToken(), { code: 'ENTRA_CLIENT_SECRET_EXPIRED' });
    const failed = await eventually(async () => {
      const current = (await fx.gatehouse.connections.get(fx.connectionName)).tokenState;
      return current?.lastErrorCode ? current : undefined;
    });
    assert.equal(failed.lastErrorCode, 'ENTRA_CLIENT_SECRET_EXPIRED');
    assert.equal(failed.acquiredAt, state.acquiredAt, 'the last good token is still shown');
  });

  it('a token close to expiry is renewed before it expires, and no call fails', async () => {
    const { tokens, graph } = await graphOfConnection();
    const first = await tokens.getToken();
    fx.emulator.clearRequestLog();
    // Into the renewal window (under 5 minutes left), the old token still valid for Graph.
    advance(first.expiresAt.getTime() - clock.nowMs() - 4 * 60_000);
    const during = await concurrentReads(graph, 50);
    assert.ok(during.every((response) => response.status === 200));
    assert.equal(count('token'), 1, 'one renewal for 50 concurrent calls');
    const renewed = await tokens.getToken();
    assert.notEqual(renewed.accessToken, first.accessToken);
    assert.ok(renewed.expiresAt.getTime() > first.expiresAt.getTime());
    // Past the first token's expiry: calls use the renewed token without another request.
    advance(5 * 60_000);
    const later = await concurrentReads(graph, 20);
    assert.ok(later.every((response) => response.status === 200));
    assert.equal(count('token'), 1);
  });

  it('Graph rejecting the cached token (401) gets a new token and the call succeeds', async () => {
    const { tokens, graph } = await graphOfConnection();
    const cached = await tokens.getAccessToken();
    // Graph's clock runs ahead: the cached token is expired for Graph, not yet for gatehouse.
    emulatorClock.advance(2 * 3_600_000);
    fx.emulator.clearRequestLog();
    const response = await graph.request('GET', '/users?$top=1&$select=id');
    assert.equal(response.status, 200);
    const log = fx.emulator.requestLog();
    assert.deepEqual(
      log.map((entry) => [entry.kind, entry.status]),
      [
        ['graph', 401],
        ['token', 200],
        ['graph', 200],
      ],
    );
    assert.notEqual(await tokens.getAccessToken(), cached);
  });
});
