import { aadsts } from './aadsts-error.js';
import { type AppRegistry, type EmulatedApp, rolesOf } from './app-registry.js';
import { verifyClientAssertion } from './client-assertion.js';
import { type FederationDeps, isFederatedAssertion, verifyFederatedAssertion } from './federated-assertion.js';
import { randomGuid } from './seeded-ids.js';
import { GRAPH_RESOURCES, resolveTenantSegment, type TenantIdentity } from './tenant-identity.js';
import type { AccessTokenClaims, TokenSigner } from './token-signer.js';

export interface TokenRequest {
  readonly tenantSegment: string;
  readonly form: URLSearchParams;
  readonly authorization: string | undefined;
  readonly ownHost: string;
}

export interface TokenEndpointDeps {
  readonly tenant: TenantIdentity;
  readonly apps: AppRegistry;
  readonly signer: TokenSigner;
  readonly now: () => Date;
  readonly tokenLifetimeSeconds: () => number;
  /** Workload identity federation: the apps' federated credentials and the issuers' keys. */
  readonly federation?: FederationDeps;
}

export interface TokenSuccess {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** OIDC scopes msal may add; Entra drops them for client credentials. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);

/**
 * `POST /{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). The checks run in the
 * order Entra reports them: tenant, required fields, scope shape, app, disabled, credential, resource.
 * Throws AadstsError; `onClient` learns the client id as soon as it is known (for the request log).
 */
export async function issueToken(
  req: TokenRequest,
  deps: TokenEndpointDeps,
  onClient: (clientId: string) => void,
): Promise<TokenSuccess> {
  resolveTenantSegment(req.tenantSegment, deps.tenant);
  const basic = parseBasic(req.authorization);
  const clientId = (req.form.get('client_id') ?? basic?.clientId ?? '').trim();
  if (clientId) onClient(clientId);
  const grant = req.form.get('grant_type');
  if (!grant) throw aadsts.missingParameter('grant_type');
  if (grant !== 'client_credentials') throw aadsts.unsupportedGrantType(grant);
  if (!clientId) throw aadsts.missingParameter('client_id');
  const scope = req.form.get('scope');
  if (!scope) throw aadsts.missingParameter('scope');
  const resource = parseScope(scope);

  const app = deps.apps.get(clientId);
  const tenantName = deps.tenant.displayName;
  if (!app) throw aadsts.appNotFound(clientId, tenantName);
  if (!app.enabled) throw aadsts.appDisabled(app.clientId, app.displayName);
  const acr = await authenticate(app, req, basic?.secret, deps);
  if (!GRAPH_RESOURCES.includes(resource)) throw aadsts.resourceNotFound(resource, tenantName);

  const lifetime = deps.tokenLifetimeSeconds();
  const now = Math.floor(deps.now().getTime() / 1000);
  const roles = rolesOf(app);
  const claims: AccessTokenClaims = {
    aud: resource,
    iss: `https://sts.windows.net/${deps.tenant.id}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: acr,
    idp: `https://sts.windows.net/${deps.tenant.id}/`,
    idtyp: 'app',
    oid: app.objectId,
    ...(roles.length > 0 ? { roles } : {}),
    sub: app.objectId,
    tid: deps.tenant.id,
    uti: randomGuid().replace(/-/g, '').slice(0, 22),
    ver: '1.0',
  };
  return {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: deps.signer.sign(claims),
  };
}

/** Exactly one `<resource>/.default` (facts D.2); returns the resource without a trailing slash. */
function parseScope(scope: string): string {
  const scopes = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  if (scopes.length === 0) throw aadsts.scopeInvalid(scope);
  const notDefault = scopes.find((s) => !s.toLowerCase().endsWith('/.default'));
  if (notDefault) throw aadsts.scopeNotDefault(notDefault);
  if (scopes.length > 1) throw aadsts.scopeInvalid(scope);
  const resource = (scopes[0] as string).slice(0, -'/.default'.length).replace(/\/+$/, '');
  const known = GRAPH_RESOURCES.find((r) => r.toLowerCase() === resource.toLowerCase());
  return known ?? resource;
}

/** Returns the `appidacr`: '1' for a secret, '2' for a certificate. */
async function authenticate(
  app: EmulatedApp,
  req: TokenRequest,
  basicSecret: string | undefined,
  deps: TokenEndpointDeps,
): Promise<'1' | '2'> {
  const assertion = req.form.get('client_assertion');
  const secret = req.form.get('client_secret') ?? basicSecret;
  if (assertion) {
    if (req.form.get('client_assertion_type') !== ASSERTION_TYPE)
      throw aadsts.missingCredentialField('client_assertion_type');
    if (deps.federation && isFederatedAssertion(assertion, app)) {
      await verifyFederatedAssertion(assertion, app, deps.federation);
      return '2';
    }
    await verifyClientAssertion(assertion, { app, tenant: deps.tenant, ownHost: req.ownHost, now: deps.now() });
    return '2';
  }
  if (!secret) throw aadsts.noCredential();
  const now = deps.now().getTime();
  const match = app.secrets.find((s) => s.value === secret);
  if (match) {
    if (match.expiresAt.getTime() <= now) throw aadsts.expiredSecret(app.clientId);
    return '1';
  }
  if (app.secrets.length > 0 && app.secrets.every((s) => s.expiresAt.getTime() <= now))
    throw aadsts.expiredSecret(app.clientId);
  throw aadsts.invalidSecret(app.clientId);
}

/** RFC 6749 2.3.1: client id and secret, each form-urlencoded, in an HTTP Basic header. */
function parseBasic(header: string | undefined): { clientId: string; secret: string } | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unform = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));
  return { clientId: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}
