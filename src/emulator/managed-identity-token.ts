import type { AppRegistry } from './app-registry.js';
import { rolesOf } from './app-registry.js';
import type { EmulatedManagedIdentity } from './managed-identities.js';
import { randomGuid } from './seeded-ids.js';
import { GRAPH_RESOURCES, type TenantIdentity } from './tenant-identity.js';
import type { AccessTokenClaims, TokenSigner } from './token-signer.js';

export interface ManagedIdentityTokenDeps {
  readonly apps: AppRegistry;
  readonly signer: TokenSigner;
  readonly tenant: TenantIdentity;
  readonly now: () => Date;
  readonly tokenLifetimeSeconds: () => number;
}

/**
 * A Graph access token for a managed identity: like an app's, with the identity's service principal as `oid`, its
 * app role assignments as `roles`, and `appidacr` 2 (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 * Returns undefined when the resource is not Microsoft Graph (the only resource the emulator serves).
 */
export function issueManagedIdentityToken(
  identity: EmulatedManagedIdentity,
  resource: string,
  deps: ManagedIdentityTokenDeps,
): { accessToken: string; expiresIn: number; expiresOn: number; notBefore: number } | undefined {
  const audience = GRAPH_RESOURCES.find((r) => r.toLowerCase() === resource.replace(/\/+$/, '').toLowerCase());
  if (!audience) return undefined;
  const app = deps.apps.get(identity.clientId);
  const roles = app ? rolesOf(app) : [];
  const lifetime = deps.tokenLifetimeSeconds();
  const now = Math.floor(deps.now().getTime() / 1000);
  const claims: AccessTokenClaims = {
    aud: audience,
    iss: `https://sts.windows.net/${deps.tenant.id}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    app_displayname: identity.displayName,
    appid: identity.clientId,
    appidacr: '2',
    idp: `https://sts.windows.net/${deps.tenant.id}/`,
    idtyp: 'app',
    oid: identity.objectId,
    ...(roles.length > 0 ? { roles } : {}),
    sub: identity.objectId,
    tid: deps.tenant.id,
    uti: randomGuid().replace(/-/g, '').slice(0, 22),
    ver: '1.0',
  };
  return { accessToken: deps.signer.sign(claims), expiresIn: lifetime, expiresOn: now + lifetime, notBefore: now };
}
