import type { ErrorCode } from './error-catalogue.js';
import { AppError } from './errors.js';

/**
 * Which failures are worth repeating, decided once, by code (issue 16 item 1): the Graph client, the token
 * provider, the sync and the actions all ask here instead of each keeping a list.
 *
 * Only the conditions that pass by themselves are retryable: throttling, a server error (5xx) and a network failure
 * (https://learn.microsoft.com/graph/throttling, https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors).
 * Everything else — a rejected or expired secret or certificate, an unknown app or tenant, a disabled app, missing
 * permissions, bad input — answers the same way every time until an administrator changes something, so waiting and
 * asking again only delays the answer (a sync used to spend 33 s and 11 token requests on a wrong secret).
 *
 * A code added to the catalogue is non-retryable unless it is listed here: failing fast is the safe default.
 */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ENTRA_THROTTLED',
  'ENTRA_UNREACHABLE',
  'GRAPH_THROTTLED',
  'GRAPH_UNAVAILABLE',
  'GRAPH_TIMEOUT',
  'STORE_UNAVAILABLE',
  'STORE_BUSY',
]);

/** Codes whose retryability depends on the HTTP status in `details.status` (a 5xx passes, a 4xx does not). */
const RETRYABLE_WHEN_5XX: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ENTRA_TOKEN_ERROR', 'ENTRA_UNREACHABLE']);

export type FailureClass = 'retryable' | 'permanent';

/** Classifies a failure by its code (and, for a generic token error, its HTTP status). Unknown errors are permanent. */
export function classifyFailure(error: unknown): FailureClass {
  if (!(error instanceof AppError)) return 'permanent';
  const status = typeof error.details.status === 'number' ? error.details.status : undefined;
  if (RETRYABLE_WHEN_5XX.has(error.code) && status !== undefined) {
    return status >= 500 || status === 429 ? 'retryable' : 'permanent';
  }
  return RETRYABLE_CODES.has(error.code) ? 'retryable' : 'permanent';
}

/** True when waiting and asking again may succeed without anyone changing anything. */
export function isRetryable(error: unknown): boolean {
  return classifyFailure(error) === 'retryable';
}
