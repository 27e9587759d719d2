import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { type AppError, isAppError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { createSelfSignedCertificate, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { decodeTokenClaims } from '../../src/entra/token-claims.js';
import { type TokenEvent, TokenProvider } from '../../src/entra/token-provider.js';
import { TokenProviderRegistry } from '../../src/entra/token-provider-registry.js';
import { emulatorSettings } from '../support/emulator-settings.js';

let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({ seed: 'token-provider' });
});

after(async () => {
  await emulator.stop();
});

function tokenRequests(): number {
  return emulator.requestLog().filter((entry) => entry.kind === 'token').length;
}

function provider(settings = emulatorSettings(emulator), events: TokenEvent[] = []) {
  return new TokenProvider(settings, {
    clock: createManualClock(new Date()),
    logger: silentLogger,
    onTokenEvent: (event) => events.push(event),
    random: () => 0.5,
  });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the token request to fail');
}

describe('TokenProvider against the emulator (real msal-node)', () => {
  it('gets a Graph token carrying the app roles over an http loopback AuthorityHost, with one request only', async () => {
    emulator.clearRequestLog();
    const events: TokenEvent[] = [];
    const token = await provider(emulatorSettings(emulator), events).getToken();
    const claims = decodeTokenClaims(token.accessToken);
    assert.deepEqual([...(claims?.roles ?? [])].sort(), [...emulator.defaultApp.roles].sort());
    assert.ok(token.expiresAt.getTime() > token.obtainedAt.getTime());
    const log = emulator.requestLog();
    assert.equal(log.length, 1, 'no discovery request: only the token POST');
    assert.equal(log[0]?.method, 'POST');
    assert.match(log[0]?.path ?? '', new RegExp(`^/${emulator.tenant.id}/oauth2/v2.0/token`));
    assert.equal(events[0]?.ok, true);
  });

  it('200 concurrent callers of one connection cause exactly one token request', async () => {
    const tokens = provider();
    emulator.clearRequestLog();
    const results = await Promise.all(Array.from({ length: 200 }, () => tokens.getAccessToken()));
    assert.equal(new Set(results).size, 1);
    assert.equal(tokenRequests(), 1);
    await tokens.getAccessToken();
    assert.equal(tokenRequests(), 1, 'a cached token is served without a request');
  });

  it('renews a token close to expiry before it expires, without any call failing', async () => {
    const clock = createManualClock(new Date());
    const tokens = new TokenProvider(emulatorSettings(emulator), { clock, logger: silentLogger, random: () => 1 });
    emulator.clearRequestLog();
    const first = await tokens.getToken();
    const lifetimeMs = first.expiresAt.getTime() - first.obtainedAt.getTime();
    // Just before the renewal point (5 min + the full 60 s jitter before expiry): still the first token.
    clock.advance(lifetimeMs - 6 * 60_000 - 1_000);
    assert.equal(await tokens.getAccessToken(), first.accessToken);
    assert.equal(tokenRequests(), 1);
    // Inside the renewal window, still valid: 50 concurrent callers all get the new token from one request.
    clock.advance(2_000);
    const renewed = await Promise.all(Array.from({ length: 50 }, () => tokens.getAccessToken()));
    assert.equal(tokenRequests(), 2);
    assert.equal(new Set(renewed).size, 1);
    assert.notEqual(renewed[0], first.accessToken);
  });

  it('keeps serving the old token while it is valid when a renewal fails', async () => {
    const clock = createManualClock(new Date());
    const tokens = new TokenProvider(emulatorSettings(emulator), { clock, logger: silentLogger, random: () => 0 });
    const first = await tokens.getToken();
    clock.advance(first.expiresAt.getTime() - first.obtainedAt.getTime() - 4 * 60_000);
    emulator.faults.failNextTokenRequests(1, { status: 400, aadsts: 7000215 });
    assert.equal(await tokens.getAccessToken(), first.accessToken);
  });

  it('invalidate() forces a new token request', async () => {
    const tokens = provider();
    const first = await tokens.getAccessToken();
    emulator.clearRequestLog();
    tokens.invalidate('some other token');
    assert.equal(await tokens.getAccessToken(), first, 'invalidating a token that is not cached changes nothing');
    assert.equal(tokenRequests(), 0);
    tokens.invalidate();
    const second = await tokens.getAccessToken();
    assert.equal(tokenRequests(), 1);
    assert.notEqual(second, first);
  });

  it('rebuilds the msal application when the credentials change', async () => {
    const app = emulator.registerApp({ applicationPermissions: ['User.Read.All'] });
    const tokens = provider(emulatorSettings(emulator, { secret: 'wrong-secret-value~123' }));
    const denied = await failure(tokens.getAccessToken());
    assert.equal(denied.code, 'ENTRA_INVALID_CLIENT_SECRET');
    tokens.update(emulatorSettings(emulator, { clientId: app.clientId, secret: app.secretValue }));
    assert.deepEqual(decodeTokenClaims(await tokens.getAccessToken())?.roles, ['User.Read.All']);
  });

  it("asks for the Graph of the connection's cloud, whatever host the requests go to", async () => {
    const usGov = { ...emulatorSettings(emulator), cloud: 'USGov' as const };
    assert.equal(decodeTokenClaims(await provider(usGov).getAccessToken())?.aud, 'https://graph.microsoft.us');
    assert.equal(decodeTokenClaims(await provider().getAccessToken())?.aud, 'https://graph.microsoft.com');
  });

  it('gets a token with a certificate (PS256 assertion, x5t#S256)', async () => {
    const certificate = createSelfSignedCertificate();
    const app = emulator.registerApp({
      secret: false,
      certificatePems: [certificate.certificatePem],
      applicationPermissions: ['User.Read.All'],
    });
    const token = await provider(emulatorSettings(emulator, { clientId: app.clientId, certificate })).getAccessToken();
    assert.deepEqual(decodeTokenClaims(token)?.roles, ['User.Read.All']);
  });

  it('the registry keeps one provider per connection and counts requests and failures', async () => {
    const events: TokenEvent[] = [];
    const registry = new TokenProviderRegistry({
      clock: createManualClock(new Date()),
      logger: silentLogger,
      onTokenEvent: (event) => events.push(event),
    });
    const settings = emulatorSettings(emulator, { connectionId: 'registry-a' });
    const a = registry.forSettings(settings);
    assert.equal(registry.forSettings(settings), a);
    // Settings resolved again (a new object, same credentialVersion) while the request is out: still one request,
    // and the token stays cached.
    const again = () => registry.forSettings(emulatorSettings(emulator, { connectionId: 'registry-a' }));
    await Promise.all([a.getAccessToken(), again().getAccessToken()]);
    await again().getAccessToken();
    const wrong = emulatorSettings(emulator, { connectionId: 'registry-b', secret: 'not-it~0123456789' });
    await assert.rejects(registry.forSettings(wrong).getAccessToken());
    assert.deepEqual(registry.stats(), { requests: 2, failures: 1 });
    assert.deepEqual(
      events.map((e) => [e.connectionId, e.ok]),
      [
        ['registry-a', true],
        ['registry-b', false],
      ],
    );
  });

  describe('maps token-endpoint failures by AADSTS number, with a hint and Microsoft ids', () => {
    const cases: [string, () => Parameters<typeof emulatorSettings>[1], string][] = [
      ['wrong secret', () => ({ secret: 'not-the-right-value~abc' }), 'ENTRA_INVALID_CLIENT_SECRET'],
      ['the secret ID as secret', () => ({ secret: emulator.defaultApp.secretId }), 'ENTRA_INVALID_CLIENT_SECRET'],
      ['unknown app', () => ({ clientId: '00000000-0000-4000-8000-00000000abcd' }), 'ENTRA_APP_NOT_FOUND'],
      ['unknown tenant', () => ({ tenantId: '00000000-0000-4000-8000-00000000dcba' }), 'ENTRA_TENANT_NOT_FOUND'],
      ['unknown tenant domain', () => ({ tenantId: 'fabrikam.onmicrosoft.com' }), 'ENTRA_TENANT_NOT_FOUND'],
      ['malformed tenant', () => ({ tenantId: 'undefined' }), 'ENTRA_INVALID_TENANT'],
    ];
    for (const [name, overrides, code] of cases) {
      it(name, async () => {
        const events: TokenEvent[] = [];
        const error = await failure(provider(emulatorSettings(emulator, overrides()), events).getAccessToken());
        assert.equal(error.code, code);
        assert.ok(error.hint.length > 20);
        assert.equal(typeof error.details.traceId, 'string');
        assert.equal(typeof error.details.aadsts, 'number');
        assert.equal(events[0]?.ok, false);
      });
    }

    it('expired secret', async () => {
      const { secretValue } = emulator.addSecret(emulator.defaultApp.clientId, {
        expiresAt: new Date(Date.now() - 86_400_000),
      });
      const error = await failure(provider(emulatorSettings(emulator, { secret: secretValue })).getAccessToken());
      assert.equal(error.code, 'ENTRA_CLIENT_SECRET_EXPIRED');
      assert.match(error.hint, /new client secret/);
    });

    it('disabled app', async () => {
      const app = emulator.registerApp({ enabled: false });
      const error = await failure(
        provider(emulatorSettings(emulator, { clientId: app.clientId, secret: app.secretValue })).getAccessToken(),
      );
      assert.equal(error.code, 'ENTRA_APP_DISABLED');
      assert.match(error.hint, /Enterprise applications/);
    });

    it('certificate not uploaded to the app', async () => {
      const uploaded = createSelfSignedCertificate();
      const other = createSelfSignedCertificate();
      const app = emulator.registerApp({ secret: false, certificatePems: [uploaded.certificatePem] });
      const error = await failure(
        provider(emulatorSettings(emulator, { clientId: app.clientId, certificate: other })).getAccessToken(),
      );
      assert.equal(error.code, 'ENTRA_INVALID_CERTIFICATE');
      assert.match(error.hint, /Certificates/);
    });

    it('unknown AADSTS numbers fall back to ENTRA_TOKEN_ERROR with the code and trace id', async () => {
      emulator.faults.failNextTokenRequests(1, { status: 400, aadsts: 53003 });
      const error = await failure(provider().getAccessToken());
      assert.equal(error.code, 'ENTRA_TOKEN_ERROR');
      assert.equal(error.details.aadsts, 53003);
      assert.equal(typeof error.details.traceId, 'string');
    });

    it('the emulator unreachable', async () => {
      const gone = await startEmulator({ seed: 'gone' });
      const settings = emulatorSettings(gone);
      await gone.stop();
      const error = await failure(provider(settings).getAccessToken());
      assert.equal(error.code, 'ENTRA_UNREACHABLE');
      assert.match(error.message, /127\.0\.0\.1/);
      assert.ok(error.hint.includes('AuthorityHost'));
    });
  });
});

describe('TokenProvider when the token endpoint misbehaves (real msal-node)', () => {
  it('a 429 → ENTRA_THROTTLED with Retry-After; msal then holds requests back, a fresh application does not', async () => {
    const tokens = provider();
    emulator.faults.failNextTokenRequests(1, { status: 429, retryAfterSeconds: 30 });
    const throttled = await failure(tokens.getAccessToken());
    assert.equal(throttled.code, 'ENTRA_THROTTLED');
    assert.equal(throttled.details.retryAfterSeconds, 30);
    emulator.clearRequestLog();
    const held = await failure(tokens.getAccessToken());
    assert.equal(held.code, 'ENTRA_THROTTLED');
    assert.equal(held.details.heldBackByClient, true);
    assert.equal(tokenRequests(), 0, "msal's client-side throttle answered without a request (facts A.5)");
    assert.ok(await provider().getAccessToken(), 'a fresh provider (new msal application) is not held back');
  });

  describe('against a token endpoint that is not one', () => {
    let server: Server;
    let origin: string;
    before(async () => {
      server = createServer((request, response) => {
        if (request.url?.includes('hang')) return; // never answers
        if (request.url?.includes('empty')) {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: '' }));
          return;
        }
        response.statusCode = 502;
        response.setHeader('content-type', 'text/html');
        response.end('<html><body>502 Bad Gateway</body></html>');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    it('an HTML 502 → ENTRA_UNREACHABLE naming the status, never an empty token', async () => {
      const error = await failure(provider(emulatorSettings(emulator, { authorityHost: origin })).getAccessToken());
      assert.equal(error.code, 'ENTRA_UNREACHABLE');
      assert.equal(error.details.status, 502);
      assert.match(error.message, /other than JSON/);
    });

    it('a 200 without an access token → ENTRA_TOKEN_ERROR, never an empty bearer', async () => {
      const settings = emulatorSettings(emulator, { authorityHost: origin, tenantId: 'empty.example.com' });
      const error = await failure(provider(settings).getAccessToken());
      assert.equal(error.code, 'ENTRA_TOKEN_ERROR');
      assert.equal(error.details.reason, 'empty_access_token');
    });

    it('no answer → ENTRA_UNREACHABLE after the timeout', async () => {
      const tokens = new TokenProvider(
        emulatorSettings(emulator, { authorityHost: origin, tenantId: 'hang.example.com' }),
        {
          clock: createManualClock(new Date()),
          logger: silentLogger,
          timeoutMs: 200,
        },
      );
      const error = await failure(tokens.getAccessToken());
      assert.equal(error.code, 'ENTRA_UNREACHABLE');
      assert.equal(error.details.timedOut, true);
    });
  });
});
