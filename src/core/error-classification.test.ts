import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFailure, isRetryable } from './error-classification.js';
import { AppError } from './errors.js';

describe('error classification (one place decides what is retried)', () => {
  it('retries throttling, unavailability, timeouts and unreachable endpoints', () => {
    for (const code of ['GRAPH_THROTTLED', 'GRAPH_UNAVAILABLE', 'GRAPH_TIMEOUT', 'ENTRA_THROTTLED'] as const) {
      assert.equal(classifyFailure(new AppError(code)), 'retryable', code);
    }
    assert.equal(isRetryable(new AppError('ENTRA_UNREACHABLE', { details: { reason: 'ECONNREFUSED' } })), true);
  });

  it('never retries what only an administrator can fix', () => {
    for (const code of [
      'ENTRA_INVALID_CLIENT_SECRET',
      'ENTRA_CLIENT_SECRET_EXPIRED',
      'ENTRA_INVALID_CERTIFICATE',
      'ENTRA_APP_NOT_FOUND',
      'ENTRA_TENANT_NOT_FOUND',
      'ENTRA_APP_DISABLED',
      'ENTRA_NO_APPLICATION_PERMISSIONS',
      'GRAPH_INSUFFICIENT_PRIVILEGES',
      'GRAPH_BAD_REQUEST',
      'GRAPH_INVALID_RESPONSE',
    ] as const) {
      assert.equal(isRetryable(new AppError(code)), false, code);
    }
  });

  it('decides a generic token error or a non-JSON answer by its HTTP status', () => {
    assert.equal(isRetryable(new AppError('ENTRA_TOKEN_ERROR', { details: { status: 503 } })), true);
    assert.equal(isRetryable(new AppError('ENTRA_TOKEN_ERROR', { details: { status: 400 } })), false);
    assert.equal(isRetryable(new AppError('ENTRA_UNREACHABLE', { details: { status: 404 } })), false);
    assert.equal(isRetryable(new AppError('ENTRA_UNREACHABLE', { details: { status: 502 } })), true);
  });

  it('treats anything that is not an AppError as permanent', () => {
    assert.equal(isRetryable(new Error('boom')), false);
    assert.equal(isRetryable('text'), false);
  });
});
