import { Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The claims of an app-only Graph access token that gatehouse reads for diagnostics (facts E.1,
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference). The signature is not
 * checked: only Graph can validate its tokens, and nothing here is used for an authorisation decision.
 */
const TokenClaimsSchema = Type.Object({
  aud: Type.Optional(Type.String()),
  iss: Type.Optional(Type.String()),
  tid: Type.Optional(Type.String()),
  appid: Type.Optional(Type.String()),
  azp: Type.Optional(Type.String()),
  idtyp: Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
  scp: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Number()),
  iat: Type.Optional(Type.Number()),
});

export interface TokenClaims {
  readonly aud?: string;
  readonly iss?: string;
  readonly tid?: string;
  /** Client id (v1 tokens: `appid`, v2: `azp`). */
  readonly clientId?: string;
  readonly idtyp?: string;
  /** Application permissions granted with admin consent; empty when none (the claim is then absent). */
  readonly roles: readonly string[];
  /** Delegated scopes: present only in user tokens, never in a client-credentials token. */
  readonly scp?: string;
  readonly expiresAt?: Date;
  readonly issuedAt?: Date;
}

/**
 * Decodes the payload of a JWT access token. Returns undefined when the token is not a JWT (Microsoft may issue
 * opaque tokens, and msal accepts them, facts A.3) or its payload is not the expected shape.
 */
export function decodeTokenClaims(accessToken: string): TokenClaims | undefined {
  const parts = accessToken.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Value.Check(TokenClaimsSchema, payload)) return undefined;
  const clientId = payload.appid ?? payload.azp;
  return {
    ...(payload.aud === undefined ? {} : { aud: payload.aud }),
    ...(payload.iss === undefined ? {} : { iss: payload.iss }),
    ...(payload.tid === undefined ? {} : { tid: payload.tid }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(payload.idtyp === undefined ? {} : { idtyp: payload.idtyp }),
    roles: payload.roles ?? [],
    ...(payload.scp === undefined ? {} : { scp: payload.scp }),
    ...(payload.exp === undefined ? {} : { expiresAt: new Date(payload.exp * 1000) }),
    ...(payload.iat === undefined ? {} : { issuedAt: new Date(payload.iat * 1000) }),
  };
}
