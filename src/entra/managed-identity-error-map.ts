import { AuthError } from '@azure/msal-node';
import { AppError } from '../core/errors.js';
import type { ManagedIdentityCall } from './managed-identity-network.js';

export interface ManagedIdentityErrorContext {
  readonly connectionName: string;
  readonly identity: 'system' | 'user';
  readonly clientId: string;
  /** msal's source: DefaultToImds, AppService, … */
  readonly source: string;
}

/**
 * Maps a failed managed-identity acquisition by what the endpoint answered (status and `error`), never by its
 * text: no answer or a server error → UNAVAILABLE (after msal's retries), 400 → NOT_FOUND (the identity is not on
 * this host: IMDS says "Identity not found", App Service "Unable to load the proper Managed Identity"),
 * invalid_resource → ENTRA_RESOURCE_NOT_FOUND, anything else → ERROR.
 */
export function mapManagedIdentityError(
  error: unknown,
  call: ManagedIdentityCall,
  context: ManagedIdentityErrorContext,
): AppError {
  if (error instanceof AppError) return error;
  const which =
    context.identity === 'user'
      ? `user-assigned managed identity ${context.clientId}`
      : 'system-assigned managed identity';
  const base = {
    source: context.source,
    identity: context.identity,
    ...(context.identity === 'user' ? { clientId: context.clientId } : {}),
    ...(call.origin ? { endpoint: call.origin } : {}),
    requests: call.requests,
  };
  const failure = call.failure;
  if (!failure || failure.kind === 'unreachable') {
    if (!failure && error instanceof AuthError && error.errorCode !== 'network_error') {
      return new AppError('ENTRA_MANAGED_IDENTITY_ERROR', {
        message: `msal could not ask for a token of the ${which} of connection '${context.connectionName}' (${error.errorCode}).`,
        details: { ...base, msalErrorCode: error.errorCode },
      });
    }
    const timedOut = failure?.timedOut ?? false;
    return new AppError('ENTRA_MANAGED_IDENTITY_UNAVAILABLE', {
      message: `The managed-identity endpoint ${call.origin ?? '(none)'} (${context.source}) did not answer the token request of connection '${context.connectionName}'${timedOut ? ` within ${Math.round(call.timeoutMs / 1000)} s` : failure ? ` (${failure.reason})` : ''}.`,
      details: { ...base, timedOut, ...(failure ? { reason: failure.reason } : {}) },
    });
  }
  if (failure.kind === 'not-json') {
    return new AppError('ENTRA_MANAGED_IDENTITY_UNAVAILABLE', {
      message: `The managed-identity endpoint ${call.origin ?? ''} answered HTTP ${failure.status} with something other than JSON: it is not a managed-identity endpoint, or a proxy answered instead.`,
      details: { ...base, status: failure.status },
    });
  }
  const details = {
    ...base,
    status: failure.status,
    ...(failure.error ? { error: failure.error } : {}),
    ...(failure.description ? { description: failure.description } : {}),
  };
  if (failure.error === 'invalid_resource') {
    return new AppError('ENTRA_RESOURCE_NOT_FOUND', {
      message: `The managed-identity endpoint does not know Microsoft Graph for connection '${context.connectionName}' (invalid_resource).`,
      details,
    });
  }
  if (failure.status >= 500 || [404, 408, 410, 429].includes(failure.status)) {
    return new AppError('ENTRA_MANAGED_IDENTITY_UNAVAILABLE', {
      message: `The managed-identity endpoint ${call.origin ?? ''} kept answering HTTP ${failure.status} to the token request of connection '${context.connectionName}' (after ${call.requests} attempts).`,
      details,
    });
  }
  if (failure.status === 400 && failure.error !== 'bad_request_102') {
    return new AppError('ENTRA_MANAGED_IDENTITY_NOT_FOUND', {
      message: `The host has no ${which} (connection '${context.connectionName}', ${context.source} answered HTTP 400).`,
      details,
    });
  }
  return new AppError('ENTRA_MANAGED_IDENTITY_ERROR', {
    message: `The managed-identity endpoint refused the token request of connection '${context.connectionName}' (HTTP ${failure.status}${failure.error ? `, ${failure.error}` : ''}).`,
    details,
  });
}
