import type { TenantIdentity } from '../tenant-identity.js';
import { GRAPH_RESOURCES } from '../tenant-identity.js';
import type { AccessTokenClaims, TokenSigner } from '../token-signer.js';
import { graphErrors } from './graph-error.js';

/** Graph tolerates five minutes of clock skew on token lifetime. */
const SKEW_SECONDS = 300;

/**
 * Graph's bearer validation: present, well formed, signed by this tenant's login service, audience = a Graph
 * resource id, within its lifetime, issued for this tenant. Messages are Graph's (facts C.1).
 */
export function authenticate(
  authorization: string | undefined,
  deps: { signer: TokenSigner; tenant: TenantIdentity; nowMs: number },
): AccessTokenClaims {
  const token = /^Bearer\s+(.*)$/i.exec(authorization ?? '')?.[1]?.trim();
  if (!token) throw graphErrors.invalidToken('Access token is empty.');
  if (token.split('.').length !== 3)
    throw graphErrors.invalidToken('CompactToken parsing failed with error code: 80049217');
  const claims = deps.signer.verify(token);
  if (!claims) throw graphErrors.invalidToken('Access token validation failure.');
  if (!GRAPH_RESOURCES.includes(claims.aud))
    throw graphErrors.invalidToken('Access token validation failure. Invalid audience.');
  const now = deps.nowMs / 1000;
  if (claims.exp + SKEW_SECONDS < now)
    throw graphErrors.invalidToken('Lifetime validation failed, the token is expired.');
  if (claims.nbf - SKEW_SECONDS > now)
    throw graphErrors.invalidToken('Lifetime validation failed, the token is not yet valid.');
  if (claims.tid !== deps.tenant.id) throw graphErrors.invalidToken('Access token validation failure. Invalid issuer.');
  return claims;
}

/** Sent with every 401, as Graph does. */
export const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
