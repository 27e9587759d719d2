import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE } from '../core/error-catalogue.js';
import { codeForTokenError, mapTokenEndpointFailure, mapTokenErrorBody } from './aadsts-error-map.js';

/** A token-endpoint error body shaped like Entra's (facts D.3). */
function entraError(error: string, codes: number[], description = `AADSTS${codes[0]}: something.`) {
  return {
    error,
    error_description: `${description}\r\nTrace ID: 0b6e3b1c-1111-4a4a-9b9b-000000000001\r\nCorrelation ID: c0ffee00-2222-4b4b-8c8c-000000000002\r\nTimestamp: 2026-11-27 08:00:00Z`,
    error_codes: codes,
    timestamp: '2026-11-27 08:00:00Z',
    trace_id: '0b6e3b1c-1111-4a4a-9b9b-000000000001',
    correlation_id: 'c0ffee00-2222-4b4b-8c8c-000000000002',
    error_uri: `https://login.microsoftonline.com/error?code=${codes[0]}`,
  };
}

const context = { connectionName: 'hr-prod' };

describe('mapTokenErrorBody', () => {
  const cases: [string, number, number, string][] = [
    ['invalid_client', 7000215, 401, 'ENTRA_INVALID_CLIENT_SECRET'],
    ['invalid_client', 7000222, 401, 'ENTRA_CLIENT_SECRET_EXPIRED'],
    ['invalid_client', 7000218, 401, 'ENTRA_MISSING_CREDENTIAL'],
    ['unauthorized_client', 700016, 400, 'ENTRA_APP_NOT_FOUND'],
    ['invalid_request', 90002, 400, 'ENTRA_TENANT_NOT_FOUND'],
    ['invalid_request', 900023, 400, 'ENTRA_INVALID_TENANT'],
    ['unauthorized_client', 7000112, 400, 'ENTRA_APP_DISABLED'],
    ['invalid_client', 700027, 401, 'ENTRA_INVALID_CERTIFICATE'],
    ['invalid_client', 50012, 401, 'ENTRA_INVALID_CERTIFICATE'],
    ['invalid_client', 700024, 401, 'ENTRA_ASSERTION_EXPIRED'],
    ['invalid_scope', 1002012, 400, 'ENTRA_INVALID_SCOPE'],
    ['invalid_scope', 70011, 400, 'ENTRA_INVALID_SCOPE'],
    ['invalid_resource', 500011, 400, 'ENTRA_RESOURCE_NOT_FOUND'],
    ['temporarily_unavailable', 50196, 429, 'ENTRA_THROTTLED'],
  ];
  for (const [oauthError, aadsts, status, expected] of cases) {
    it(`maps AADSTS${aadsts} to ${expected} with the catalogue hint and Microsoft's ids`, () => {
      const error = mapTokenErrorBody(entraError(oauthError, [aadsts]), status, context);
      assert.equal(error.code, expected);
      assert.equal(error.hint, ERROR_CATALOGUE[error.code].hint);
      assert.match(error.message, /'hr-prod'/);
      assert.match(error.message, new RegExp(`AADSTS${aadsts}`));
      assert.equal(error.details.aadsts, aadsts);
      assert.equal(error.details.status, status);
      assert.equal(error.details.traceId, '0b6e3b1c-1111-4a4a-9b9b-000000000001');
      assert.equal(error.details.correlationId, 'c0ffee00-2222-4b4b-8c8c-000000000002');
    });
  }

  it('points the 7000215 hint at the Secret ID versus Value mix-up', () => {
    const error = mapTokenErrorBody(entraError('invalid_client', [7000215]), 401, context);
    assert.match(error.hint, /Secret ID/);
    assert.match(error.hint, /Certificates & secrets/);
  });

  it('keeps every AADSTS number and uses the first one it knows', () => {
    const error = mapTokenErrorBody(entraError('invalid_client', [123456, 7000222]), 401, context);
    assert.equal(error.code, 'ENTRA_CLIENT_SECRET_EXPIRED');
    assert.deepEqual(error.details.errorCodes, [123456, 7000222]);
  });

  it('falls back to ENTRA_TOKEN_ERROR carrying the unknown code and the trace id', () => {
    const error = mapTokenErrorBody(entraError('invalid_request', [53003]), 400, context);
    assert.equal(error.code, 'ENTRA_TOKEN_ERROR');
    assert.equal(error.details.aadsts, 53003);
    assert.equal(error.details.traceId, '0b6e3b1c-1111-4a4a-9b9b-000000000001');
    assert.match(error.hint, /details\.aadsts/);
  });

  it('never reads the description: a known code wins over misleading text', () => {
    const body = entraError('invalid_client', [7000222], 'AADSTS7000215: Invalid client secret provided.');
    assert.equal(codeForTokenError(body, 401), 'ENTRA_CLIENT_SECRET_EXPIRED');
  });

  it('maps by the OAuth error when no AADSTS number is given, and 429 to throttled', () => {
    assert.equal(codeForTokenError({ error: 'invalid_scope' }, 400), 'ENTRA_INVALID_SCOPE');
    assert.equal(codeForTokenError({ error: 'invalid_resource' }, 400), 'ENTRA_RESOURCE_NOT_FOUND');
    assert.equal(codeForTokenError({}, 429), 'ENTRA_THROTTLED');
    assert.equal(codeForTokenError({ error: 'server_error', error_codes: [90033] }, 503), 'ENTRA_TOKEN_ERROR');
  });

  it('keeps only the first line of the description and scrubs secret values from it', () => {
    const body = entraError('invalid_client', [7000215], 'AADSTS7000215: secret s3cr3t-VALUE was wrong.');
    const error = mapTokenErrorBody(body, 401, { connectionName: 'x', secretValues: ['s3cr3t-VALUE'] });
    assert.equal(error.details.description, 'AADSTS7000215: secret [redacted] was wrong.');
    assert.doesNotMatch(JSON.stringify(error.toJSON()), /s3cr3t-VALUE/);
  });
});

describe('mapTokenEndpointFailure', () => {
  it('reports an unreachable endpoint with its origin and reason', () => {
    const error = mapTokenEndpointFailure(
      { kind: 'unreachable', origin: 'http://127.0.0.1:9', reason: 'ECONNREFUSED', timedOut: false },
      context,
    );
    assert.equal(error.code, 'ENTRA_UNREACHABLE');
    assert.match(error.message, /127\.0\.0\.1:9/);
    assert.match(error.message, /ECONNREFUSED/);
    assert.ok(error.hint.length > 0);
  });

  it('reports a non-JSON answer as unreachable with the status', () => {
    const error = mapTokenEndpointFailure({ kind: 'not-json', status: 502, contentType: 'text/html' }, context);
    assert.equal(error.code, 'ENTRA_UNREACHABLE');
    assert.equal(error.details.status, 502);
  });

  it('passes Retry-After of an error body on', () => {
    const failure = {
      kind: 'error-body' as const,
      status: 429,
      body: { error: 'temporarily_unavailable' },
      retryAfterSeconds: 7,
    };
    const error = mapTokenEndpointFailure(failure, context);
    assert.equal(error.code, 'ENTRA_THROTTLED');
    assert.equal(error.details.retryAfterSeconds, 7);
  });
});
