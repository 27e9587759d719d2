import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TokenNetworkClient } from './network-client.js';

/** A stand-in for the outside world (not our code): answers by path. */
let server: Server;
let origin: string;
const seen: string[] = [];

before(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (request.url?.startsWith('/ok')) {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ token_type: 'Bearer', access_token: 'a', expires_in: 3599 }));
    } else if (request.url?.startsWith('/html')) {
      response.statusCode = 502;
      response.setHeader('content-type', 'text/html');
      response.end('<html>Bad gateway</html>');
    } else if (request.url?.startsWith('/slow')) {
      setTimeout(() => response.end('{}'), 2_000);
    } else {
      response.statusCode = 401;
      response.setHeader('retry-after', '5');
      response.end(
        JSON.stringify({ error: 'invalid_client', error_codes: [7000215, 1], trace_id: 't-1', correlation_id: 'c-1' }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

describe('TokenNetworkClient', () => {
  it('returns parsed JSON with lower-case headers and records nothing on success', async () => {
    const client = new TokenNetworkClient();
    const response = await client.sendPostRequestAsync<{ access_token: string }>(`${origin}/ok`, {
      body: 'grant_type=client_credentials',
      correlationId: 'req-1',
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.access_token, 'a');
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(client.takeFailure('req-1'), undefined);
  });

  it('hands an error body to msal and keeps all codes, ids, status and Retry-After for the mapping', async () => {
    const client = new TokenNetworkClient();
    const response = await client.sendPostRequestAsync(`${origin}/bad`, { correlationId: 'req-2' });
    assert.equal(response.status, 401);
    const failure = client.takeFailure('req-2');
    assert.deepEqual(failure, {
      kind: 'error-body',
      status: 401,
      body: { error: 'invalid_client', error_codes: [7000215, 1], trace_id: 't-1', correlation_id: 'c-1' },
      retryAfterSeconds: 5,
    });
    assert.equal(client.takeFailure('req-2'), undefined, 'a failure is read once');
  });

  it('throws on a non-JSON body instead of letting msal read it as an empty token', async () => {
    const client = new TokenNetworkClient();
    await assert.rejects(client.sendPostRequestAsync(`${origin}/html`, { correlationId: 'req-3' }));
    assert.deepEqual(client.takeFailure('req-3'), { kind: 'not-json', status: 502, contentType: 'text/html' });
  });

  it('times out and records the endpoint as unreachable', async () => {
    const client = new TokenNetworkClient({ timeoutMs: 100 });
    await assert.rejects(client.sendPostRequestAsync(`${origin}/slow`, { correlationId: 'req-4' }));
    const failure = client.takeFailure('req-4');
    assert.equal(failure?.kind, 'unreachable');
    assert.equal(failure?.kind === 'unreachable' && failure.timedOut, true);
  });

  it('records a refused connection as unreachable with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new TokenNetworkClient();
    await assert.rejects(client.sendPostRequestAsync(`http://127.0.0.1:${port}/x`, { correlationId: 'req-5' }));
    assert.deepEqual(client.takeFailure('req-5'), {
      kind: 'unreachable',
      origin: `http://127.0.0.1:${port}`,
      reason: 'ECONNREFUSED',
      timedOut: false,
    });
  });

  it('rewrites only the configured https origin to plain http', async () => {
    const port = new URL(origin).port;
    const client = new TokenNetworkClient({ rewrite: { from: `https://127.0.0.1:${port}`, to: origin } });
    const response = await client.sendPostRequestAsync(`https://127.0.0.1:${port}/ok/t/oauth2/v2.0/token?x=1`, {});
    assert.equal(response.status, 200);
    assert.ok(seen.includes('POST /ok/t/oauth2/v2.0/token?x=1'));
  });
});
