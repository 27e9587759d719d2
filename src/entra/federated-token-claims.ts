/**
 * The claims of a federated (external) token that Entra matches against a federated identity credential: issuer,
 * subject and audience, and the expiry (facts H.1). Read for diagnostics only, never to decide anything: Entra
 * verifies the token. None of them is secret; the token as a whole is.
 */
export interface FederatedTokenClaims {
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string | readonly string[];
  readonly expiresAt?: Date;
}

export function decodeFederatedClaims(jwt: string): FederatedTokenClaims | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const claims = parsed as Record<string, unknown>;
  const aud = claims.aud;
  const audience =
    typeof aud === 'string'
      ? aud
      : Array.isArray(aud) && aud.every((a): a is string => typeof a === 'string')
        ? aud
        : undefined;
  return {
    ...(typeof claims.iss === 'string' ? { issuer: claims.iss } : {}),
    ...(typeof claims.sub === 'string' ? { subject: claims.sub } : {}),
    ...(audience === undefined ? {} : { audience }),
    ...(typeof claims.exp === 'number' ? { expiresAt: new Date(claims.exp * 1000) } : {}),
  };
}
