import { randomGuid } from './seeded-ids.js';

/**
 * A token-endpoint failure in Entra's shape (facts D.3/D.4, https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 * status 401 for `invalid_client`, 400 otherwise (429/5xx only for injected faults).
 */
export class AadstsError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    readonly description: string,
    /** Only faults carry Retry-After: a 4xx never does (msal would cache a client-side throttle). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

export interface AadstsBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** "2026-01-01 00:00:00Z", the format Entra uses in `timestamp`. */
export function aadTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function aadstsBody(err: AadstsError, now: Date, correlationId: string | undefined): AadstsBody {
  const traceId = randomGuid();
  const correlation = correlationId ?? randomGuid();
  const timestamp = aadTimestamp(now);
  return {
    error: err.error,
    error_description:
      `AADSTS${err.code}: ${err.description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`.replace(
        / (Trace ID|Correlation ID|Timestamp): /g,
        '\r\n$1: ',
      ),
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
}

const badRequest = (error: string, code: number, description: string) => new AadstsError(400, error, code, description);
const badClient = (code: number, description: string) => new AadstsError(401, 'invalid_client', code, description);

/** The errors the emulator answers with, named for what went wrong. Messages follow Entra's wording. */
export const aadsts = {
  missingParameter: (name: string) =>
    badRequest('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  missingCredentialField: (name: string) =>
    badRequest(
      'invalid_request',
      90014,
      `The required field '${name}' is missing from the credential. Ensure that you have all the necessary parameters for the login request.`,
    ),
  postOnly: (method: string) =>
    badRequest(
      'invalid_request',
      900561,
      `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
    ),
  unsupportedGrantType: (grant: string) =>
    badRequest('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  tenantNotFound: (tenant: string) =>
    badRequest(
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  malformedTenant: (tenant: string) =>
    badRequest(
      'invalid_request',
      900023,
      `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`,
    ),
  noTenant: () =>
    badRequest(
      'invalid_request',
      90019,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  appNotFound: (clientId: string, tenantName: string) =>
    badRequest(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  appDisabled: (clientId: string, displayName: string) =>
    badRequest('unauthorized_client', 7000112, `Application '${clientId}'(${displayName}) is disabled.`),
  scopeNotDefault: (scope: string) =>
    badRequest(
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  scopeInvalid: (scope: string) =>
    badRequest(
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    badRequest(
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  invalidSecret: (clientId: string) =>
    badClient(
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  expiredSecret: (clientId: string) =>
    badClient(
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  noCredential: () =>
    badClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  assertionTime: (now: Date, nbf: Date, exp: Date) =>
    badClient(
      700024,
      `Client assertion is not within its valid time range. Current time: ${now.toISOString()}, assertion valid from ${nbf.toISOString()}, expiry time of assertion ${exp.toISOString()}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  unknownKey: (thumbprint: string, clientId: string) =>
    badClient(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://learn.microsoft.com/graph/api/application-addkey .]`,
    ),
  badSignature: () => badClient(700027, 'Client assertion failed signature validation.'),
  badAssertion: (reason: string) =>
    badClient(50012, `Client assertion contains an invalid signature or claim. ${reason}`),
  /** Injected faults (tests of retries and of msal's client-side throttle). */
  fault: (status: number, code: number | undefined, retryAfterSeconds: number | undefined) => {
    if (status === 429)
      return new AadstsError(
        429,
        'temporarily_unavailable',
        code ?? 50196,
        'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.',
        retryAfterSeconds,
      );
    if (status >= 500)
      return new AadstsError(
        status,
        status === 503 ? 'temporarily_unavailable' : 'server_error',
        code ?? 90033,
        'A transient error has occurred. Please try again.',
        retryAfterSeconds,
      );
    return new AadstsError(
      status,
      status === 401 ? 'invalid_client' : 'invalid_request',
      code ?? 90014,
      'Injected failure.',
      retryAfterSeconds,
    );
  },
};
