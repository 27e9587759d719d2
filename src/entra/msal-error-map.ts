import { AuthError, ServerError } from '@azure/msal-node';
import { AppError } from '../core/errors.js';
import { mapTokenEndpointFailure, mapTokenErrorBody, type TokenErrorContext } from './aadsts-error-map.js';
import type { TokenEndpointFailure } from './token-endpoint-failure.js';

/**
 * Maps whatever msal-node threw during a client-credential request to an AppError. What the network client saw on
 * the wire wins (it has every AADSTS number, the trace id and the status); msal's own error is the fallback for
 * failures msal produces without a request: its client-side throttle cache (facts A.5), a missing tenant, bad
 * configuration. Microsoft's message text is never matched and never copied into the message.
 */
export function mapMsalError(
  error: unknown,
  failure: TokenEndpointFailure | undefined,
  context: TokenErrorContext,
): AppError {
  if (error instanceof AppError) return error;
  if (failure) return mapTokenEndpointFailure(failure, context);
  if (error instanceof ServerError) return mapThrottleCacheError(error, context);
  if (error instanceof AuthError) return mapClientError(error, context);
  return new AppError('ENTRA_TOKEN_ERROR', {
    message: `Getting a token for connection '${context.connectionName}' failed before a request was sent.`,
    details: { reason: error instanceof Error ? error.name : typeof error },
    cause: error,
  });
}

/**
 * A ServerError without a recorded request is msal replaying an earlier 429/5xx from its throttle cache: it
 * refuses identical requests for Retry-After seconds (60 s by default) without touching the network.
 */
function mapThrottleCacheError(error: ServerError, context: TokenErrorContext): AppError {
  const codes = (error.errorNo ? [Number(error.errorNo)] : (error.errorCode.match(/\d+/g) ?? []).map(Number)).filter(
    Number.isInteger,
  );
  if (error.status !== undefined) {
    return mapTokenErrorBody({ error: error.errorCode, error_codes: codes }, error.status, context);
  }
  return new AppError('ENTRA_THROTTLED', {
    message: `Token requests for connection '${context.connectionName}' are held back after Entra ID answered a recent request with a throttling or server error${codes.length > 0 ? ` (AADSTS${codes.join(', AADSTS')})` : ''}.`,
    details: { errorCodes: codes, heldBackByClient: true },
  });
}

function mapClientError(error: AuthError, context: TokenErrorContext): AppError {
  if (error.errorCode === 'missing_tenant_id_error') {
    return new AppError('ENTRA_INVALID_TENANT', {
      message: `TenantID of connection '${context.connectionName}' names no single tenant (common, organizations and consumers cannot be used with application permissions).`,
      details: { msalErrorCode: error.errorCode },
    });
  }
  return new AppError('ENTRA_TOKEN_ERROR', {
    message: `msal could not request a token for connection '${context.connectionName}' (${error.errorCode}).`,
    details: { msalErrorCode: error.errorCode },
  });
}
