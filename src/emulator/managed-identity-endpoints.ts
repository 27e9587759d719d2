import { type EmulatorRequest, type EmulatorResponse, json } from './emulator-http.js';
import type { FaultPlan } from './fault-plan.js';
import type { ManagedIdentities } from './managed-identities.js';
import { issueManagedIdentityToken, type ManagedIdentityTokenDeps } from './managed-identity-token.js';
import { randomGuid } from './seeded-ids.js';

export interface ManagedIdentityEndpointDeps extends ManagedIdentityTokenDeps {
  readonly identities: ManagedIdentities;
  /** The secret App Service puts in IDENTITY_HEADER; requests must echo it in X-IDENTITY-HEADER. */
  readonly identityHeader: string;
  readonly faults: FaultPlan;
}

/** IMDS (msal sends the path with a trailing slash when AZURE_POD_IDENTITY_AUTHORITY_HOST is set, facts H.4). */
const IMDS_PATH = /^\/metadata\/identity\/oauth2\/token\/?$/;
/** App Service's local identity endpoint (the emulator's IDENTITY_ENDPOINT). */
export const APP_SERVICE_PATH = '/msi/token';

/**
 * The managed-identity endpoints of an Azure host (facts H.4): IMDS, answered as on a VM
 * (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token), and App
 * Service's IDENTITY_ENDPOINT (https://learn.microsoft.com/azure/app-service/overview-managed-identity). Numbers
 * are strings in both, as the services send them. Returns undefined for other paths.
 */
export function handleManagedIdentity(
  req: EmulatorRequest,
  deps: ManagedIdentityEndpointDeps,
): EmulatorResponse | undefined {
  const path = req.url.pathname;
  const imds = IMDS_PATH.test(path);
  const appService = path === APP_SERVICE_PATH || path === `${APP_SERVICE_PATH}/`;
  if (!imds && !appService) return undefined;
  const fault = deps.faults.take({ method: req.method, path });
  if (fault) {
    return imds
      ? json(fault.status, {
          error: 'unknown',
          error_description: 'Failed to retrieve token from the Active directory.',
        })
      : appServiceError(fault.status, 'An unexpected error occurred while fetching the AAD Token.');
  }
  if (req.method !== 'GET') {
    return imds
      ? json(405, { error: 'invalid_request', error_description: 'The requested method is not supported.' })
      : appServiceError(405, 'The requested method is not supported.');
  }
  return imds ? imdsToken(req, deps) : appServiceToken(req, deps);
}

function imdsToken(req: EmulatorRequest, deps: ManagedIdentityEndpointDeps): EmulatorResponse {
  const q = req.url.searchParams;
  if (req.headers.metadata !== 'true') {
    return json(400, { error: 'bad_request_102', error_description: 'Required metadata header not specified' });
  }
  if (!q.get('api-version')) {
    return json(400, {
      error: 'invalid_request',
      error_description: 'Required query variable "api-version" is missing',
    });
  }
  const resource = q.get('resource');
  if (!resource) {
    return json(400, { error: 'invalid_request', error_description: 'Required query variable "resource" is missing' });
  }
  const identity = deps.identities.find(lookup(q, 'object_id', 'msi_res_id'));
  if (!identity) return json(400, { error: 'invalid_request', error_description: 'Identity not found' });
  const token = issueManagedIdentityToken(identity, resource, deps);
  if (!token) return json(400, invalidResource(resource));
  return json(200, {
    access_token: token.accessToken,
    refresh_token: '',
    expires_in: String(token.expiresIn),
    expires_on: String(token.expiresOn),
    ext_expires_in: String(token.expiresIn),
    not_before: String(token.notBefore),
    resource,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}

function appServiceToken(req: EmulatorRequest, deps: ManagedIdentityEndpointDeps): EmulatorResponse {
  const q = req.url.searchParams;
  if (req.headers['x-identity-header'] !== deps.identityHeader) {
    return appServiceError(401, 'The X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.');
  }
  const resource = q.get('resource');
  if (!resource || !q.get('api-version'))
    return appServiceError(400, 'The resource and api-version parameters are required.');
  const identity = deps.identities.find(lookup(q, 'principal_id', 'mi_res_id'));
  if (!identity) return appServiceError(400, 'Unable to load the proper Managed Identity.');
  const token = issueManagedIdentityToken(identity, resource, deps);
  if (!token)
    return appServiceError(400, `AADSTS500011: The resource principal named ${resource} was not found in the tenant.`);
  return json(200, {
    access_token: token.accessToken,
    expires_on: String(token.expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}

function lookup(q: URLSearchParams, objectKey: string, resourceKey: string) {
  const clientId = q.get('client_id') ?? undefined;
  const objectId = q.get(objectKey) ?? q.get('object_id') ?? undefined;
  const resourceId = q.get(resourceKey) ?? undefined;
  return {
    ...(clientId ? { clientId } : {}),
    ...(objectId ? { objectId } : {}),
    ...(resourceId ? { resourceId } : {}),
  };
}

function invalidResource(resource: string) {
  return {
    error: 'invalid_resource',
    error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant.`,
  };
}

/** App Service answers errors as `{ statusCode, message, correlationId }` (msal-node reads `message`). */
function appServiceError(status: number, message: string): EmulatorResponse {
  return json(status, { statusCode: status, message, correlationId: randomGuid() });
}
