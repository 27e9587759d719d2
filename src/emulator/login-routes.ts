import { AadstsError, aadsts, aadstsBody } from './aadsts-error.js';
import { type EmulatorRequest, type EmulatorResponse, json, type RequestIdentity } from './emulator-http.js';
import { type FaultPlan, retryAfterOf } from './fault-plan.js';
import { resolveTenantSegment } from './tenant-identity.js';
import { issueToken, type TokenEndpointDeps } from './token-endpoint.js';

export interface LoginDeps extends TokenEndpointDeps {
  readonly tokenFaults: FaultPlan;
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i;
const OIDC_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i;
const KEYS_PATH = /^\/([^/]+)\/discovery\/(v2\.0\/)?keys\/?$/i;

/**
 * The login host: token endpoint, OpenID metadata and JWKS. Returns undefined when the path is not a login path.
 * Headers never include Retry-After on 4xx (facts A.5: msal would turn it into a client-side throttle).
 */
export async function handleLogin(
  req: EmulatorRequest,
  deps: LoginDeps,
  who: RequestIdentity,
): Promise<EmulatorResponse | undefined> {
  const path = req.url.pathname;
  const token = TOKEN_PATH.exec(path);
  if (token) {
    if (req.method !== 'POST') return aadError(aadsts.postOnly(req.method), deps, req, who);
    const fault = deps.tokenFaults.take({ method: req.method, path });
    if (fault) return aadError(aadsts.fault(fault.status, fault.aadsts, retryAfterOf(fault)), deps, req, who);
    try {
      const form = new URLSearchParams(req.body.toString('utf8'));
      const body = await issueToken(
        { tenantSegment: token[1] as string, form, authorization: req.headers.authorization, ownHost: req.url.host },
        deps,
        (clientId) => {
          who.clientId = clientId;
        },
      );
      return json(200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
    } catch (error) {
      if (error instanceof AadstsError) return aadError(error, deps, req, who);
      throw error;
    }
  }
  const oidc = OIDC_PATH.exec(path);
  if (oidc && req.method === 'GET') return discovery(oidc[1] as string, req, deps, who);
  const keys = KEYS_PATH.exec(path);
  if (keys && req.method === 'GET') return json(200, deps.signer.jwks());
  return undefined;
}

function discovery(segment: string, req: EmulatorRequest, deps: LoginDeps, who: RequestIdentity): EmulatorResponse {
  try {
    resolveTenantSegment(segment, deps.tenant);
  } catch (error) {
    if (error instanceof AadstsError) return aadError(error, deps, req, who);
    throw error;
  }
  const origin = req.url.origin;
  const tid = deps.tenant.id;
  return json(200, {
    token_endpoint: `${origin}/${tid}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${tid}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${tid}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${origin}/${tid}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${origin}/${tid}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${tid}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'oid'],
    kerberos_endpoint: `${origin}/${tid}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });
}

function aadError(error: AadstsError, deps: LoginDeps, req: EmulatorRequest, who: RequestIdentity): EmulatorResponse {
  who.errorCode = `AADSTS${error.code}`;
  const correlation = req.headers['client-request-id'] ?? req.url.searchParams.get('client-request-id') ?? undefined;
  const headers: Record<string, string> = { 'x-ms-ests-server': 'gatehouse-emulator' };
  if (error.retryAfterSeconds !== undefined && error.status >= 429)
    headers['retry-after'] = String(error.retryAfterSeconds);
  return json(error.status, aadstsBody(error, deps.now(), correlation), headers);
}
