import { AppError, type ErrorCode } from '../core/errors.js';
import type { TokenEndpointFailure, TokenErrorBody } from './token-endpoint-failure.js';

/**
 * AADSTS numbers gatehouse explains, mapped to its error codes (product.md section 5, facts D.4). Mapped by
 * number, never by message text: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
const AADSTS_CODES: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [7000215, 'ENTRA_INVALID_CLIENT_SECRET'],
  [7000222, 'ENTRA_CLIENT_SECRET_EXPIRED'],
  [7000218, 'ENTRA_MISSING_CREDENTIAL'],
  [700016, 'ENTRA_APP_NOT_FOUND'],
  [90002, 'ENTRA_TENANT_NOT_FOUND'],
  [900023, 'ENTRA_INVALID_TENANT'],
  // No tenant in the request / tenant-less endpoints (`common`, `consumers`): also a TenantID problem.
  [50059, 'ENTRA_INVALID_TENANT'],
  [90019, 'ENTRA_INVALID_TENANT'],
  [9001023, 'ENTRA_INVALID_TENANT'],
  [90130, 'ENTRA_INVALID_TENANT'],
  [7000112, 'ENTRA_APP_DISABLED'],
  [700027, 'ENTRA_INVALID_CERTIFICATE'],
  [50012, 'ENTRA_INVALID_CERTIFICATE'],
  [700024, 'ENTRA_ASSERTION_EXPIRED'],
  [1002012, 'ENTRA_INVALID_SCOPE'],
  [70011, 'ENTRA_INVALID_SCOPE'],
  [500011, 'ENTRA_RESOURCE_NOT_FOUND'],
  // Loop detected: the app asks for tokens too often.
  [50196, 'ENTRA_THROTTLED'],
  // Workload identity federation (facts H.1; https://learn.microsoft.com/entra/workload-id/workload-identity-federation).
  [70021, 'ENTRA_FEDERATION_NO_MATCH'],
  // Flexible federated credential expressions, and the case-sensitive subject match (Azure/login#517).
  [7002131, 'ENTRA_FEDERATION_NO_MATCH'],
  [7002138, 'ENTRA_FEDERATION_SUBJECT_MISMATCH'],
  [700211, 'ENTRA_FEDERATION_ISSUER_MISMATCH'],
  [700212, 'ENTRA_FEDERATION_AUDIENCE_MISMATCH'],
  [700213, 'ENTRA_FEDERATION_SUBJECT_MISMATCH'],
  [70025, 'ENTRA_FEDERATION_NOT_CONFIGURED'],
  [700222, 'ENTRA_FEDERATION_ENTRA_TOKEN'],
  // "Request to External OIDC endpoint failed" (Azure/azure-workload-identity#1130; 90061 is its older number, #605).
  [50166, 'ENTRA_FEDERATION_ISSUER_UNREACHABLE'],
  [90061, 'ENTRA_FEDERATION_ISSUER_UNREACHABLE'],
  // The signing key is not in the issuer's published keys (Azure/azure-workload-identity#1232).
  [7000272, 'ENTRA_FEDERATION_KEY_NOT_FOUND'],
]);

/** The OAuth `error` value when no AADSTS number is known (RFC 6749 section 5.2 plus Entra's own values). */
const OAUTH_ERRORS: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  ['invalid_scope', 'ENTRA_INVALID_SCOPE'],
  ['invalid_resource', 'ENTRA_RESOURCE_NOT_FOUND'],
  ['temporarily_unavailable', 'ENTRA_THROTTLED'],
]);

export interface TokenErrorContext {
  /** Named in every message, so the administrator knows which connection to fix. */
  readonly connectionName: string;
  /** Values that must never appear in an error (the secret, the private key): scrubbed from Microsoft's text. */
  readonly secretValues?: readonly string[];
}

/** Picks gatehouse's code for a token-endpoint error body: the first AADSTS number it knows, then the OAuth error. */
export function codeForTokenError(body: TokenErrorBody, status: number): ErrorCode {
  for (const number of body.error_codes ?? []) {
    const code = AADSTS_CODES.get(number);
    if (code) return code;
  }
  const byOAuth = body.error ? OAUTH_ERRORS.get(body.error) : undefined;
  if (byOAuth) return byOAuth;
  if (status === 429) return 'ENTRA_THROTTLED';
  return 'ENTRA_TOKEN_ERROR';
}

/**
 * Turns a token-endpoint error body (facts D.3) into an AppError whose message names the connection and the
 * AADSTS number, whose hint comes from the catalogue (it names the portal screen), and whose details carry what
 * Microsoft support asks for: every AADSTS number, the trace and correlation ids, the timestamp and HTTP status.
 */
export function mapTokenErrorBody(
  body: TokenErrorBody,
  status: number,
  context: TokenErrorContext,
  retryAfterSeconds?: number,
): AppError {
  const code = codeForTokenError(body, status);
  const aadsts = body.error_codes?.[0];
  const label = aadsts === undefined ? (body.error ?? `HTTP ${status}`) : `AADSTS${aadsts}`;
  const what = code === 'ENTRA_TOKEN_ERROR' ? 'refused to issue a token' : describeCode(code);
  return new AppError(code, {
    message: `Entra ID ${what} for connection '${context.connectionName}' (${label}).`,
    details: {
      status,
      ...(aadsts === undefined ? {} : { aadsts }),
      errorCodes: body.error_codes ?? [],
      ...(body.error ? { oauthError: body.error } : {}),
      ...(body.trace_id ? { traceId: body.trace_id } : {}),
      ...(body.correlation_id ? { correlationId: body.correlation_id } : {}),
      ...(body.timestamp ? { timestamp: body.timestamp } : {}),
      ...(body.error_description
        ? { description: firstLine(scrub(body.error_description, context.secretValues)) }
        : {}),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
  });
}

/** Maps any recorded wire failure (error body, non-JSON answer, no answer) to an AppError. */
export function mapTokenEndpointFailure(failure: TokenEndpointFailure, context: TokenErrorContext): AppError {
  switch (failure.kind) {
    case 'error-body':
      return mapTokenErrorBody(failure.body, failure.status, context, failure.retryAfterSeconds);
    case 'not-json':
      return new AppError('ENTRA_UNREACHABLE', {
        message: `The token endpoint of connection '${context.connectionName}' answered HTTP ${failure.status} with something other than JSON; it is not an Entra ID token endpoint, or a proxy answered instead.`,
        details: { status: failure.status, contentType: failure.contentType },
      });
    case 'unreachable':
      return new AppError('ENTRA_UNREACHABLE', {
        message: `The token endpoint ${failure.origin} of connection '${context.connectionName}' could not be reached (${failure.timedOut ? 'timed out' : failure.reason}).`,
        details: { origin: failure.origin, reason: failure.reason, timedOut: failure.timedOut },
      });
  }
}

function describeCode(code: ErrorCode): string {
  switch (code) {
    case 'ENTRA_INVALID_CLIENT_SECRET':
      return 'rejected the client secret';
    case 'ENTRA_CLIENT_SECRET_EXPIRED':
      return 'reports the client secret has expired';
    case 'ENTRA_MISSING_CREDENTIAL':
      return 'received no client secret or certificate';
    case 'ENTRA_APP_NOT_FOUND':
      return 'found no application with this ClientID in the tenant';
    case 'ENTRA_TENANT_NOT_FOUND':
      return 'found no such tenant';
    case 'ENTRA_INVALID_TENANT':
      return 'cannot read the TenantID as a tenant GUID or domain';
    case 'ENTRA_APP_DISABLED':
      return 'reports the application is disabled';
    case 'ENTRA_INVALID_CERTIFICATE':
      return 'rejected the certificate assertion';
    case 'ENTRA_ASSERTION_EXPIRED':
      return 'reports the client assertion is outside its valid time';
    case 'ENTRA_INVALID_SCOPE':
      return 'refused the requested scope';
    case 'ENTRA_RESOURCE_NOT_FOUND':
      return 'does not know Microsoft Graph in this tenant or cloud';
    case 'ENTRA_THROTTLED':
      return 'is throttling token requests';
    case 'ENTRA_FEDERATION_NO_MATCH':
      return 'found no federated identity credential matching the presented token';
    case 'ENTRA_FEDERATION_ISSUER_MISMATCH':
      return "found no federated identity credential with the token's issuer";
    case 'ENTRA_FEDERATION_AUDIENCE_MISMATCH':
      return "found no federated identity credential with the token's audience";
    case 'ENTRA_FEDERATION_SUBJECT_MISMATCH':
      return "found no federated identity credential with the token's subject";
    case 'ENTRA_FEDERATION_NOT_CONFIGURED':
      return 'reports the app has no federated identity credentials';
    case 'ENTRA_FEDERATION_ENTRA_TOKEN':
      return 'refuses an Entra-issued token as a federated credential';
    case 'ENTRA_FEDERATION_ISSUER_UNREACHABLE':
      return "could not read the federated token issuer's discovery document or keys";
    case 'ENTRA_FEDERATION_KEY_NOT_FOUND':
      return "found the federated token's signing key missing from the issuer's keys";
    default:
      return 'refused to issue a token';
  }
}

function scrub(text: string, secrets: readonly string[] | undefined): string {
  let result = text;
  for (const secret of secrets ?? []) {
    if (secret.length > 0) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** Entra appends trace id, correlation id and timestamp on further lines; those are in details already. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').slice(0, 500);
}
