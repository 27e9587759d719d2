import { createHash, createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Claims of an app-only Graph access token (v1.0 token, https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference). */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  aio?: string;
  app_displayname: string;
  appid: string;
  /** v1.0 tokens carry `appid`/`appidacr`; `azp`/`azpacr` are the v2.0 names and never appear here. */
  appidacr: '1' | '2';
  idp: string;
  idtyp: 'app';
  oid: string;
  /** Present only when application permissions were admin-consented. */
  roles?: string[];
  sub: string;
  tid: string;
  uti: string;
  ver: '1.0';
}

export interface Jwk {
  kty: string;
  use: string;
  kid: string;
  x5t: string;
  n: string;
  e: string;
  issuer?: string;
}

/**
 * The emulator's signing key: RS256 JWTs with a `kid` published in the JWKS, and a cheap verifier for Graph's
 * bearer check (verified tokens are remembered, so a sync of thousands of pages verifies the token once).
 */
export class TokenSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.kid = createHash('sha1')
      .update(pair.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url');
  }

  sign(claims: AccessTokenClaims): string {
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid };
    const input = `${b64(header)}.${b64(claims)}`;
    const signature = createSign('RSA-SHA256').update(input).sign(this.privateKey).toString('base64url');
    return `${input}.${signature}`;
  }

  /** The claims when the signature is ours, otherwise undefined. Expiry and audience are the caller's business. */
  verify(token: string): AccessTokenClaims | undefined {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const ok = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(this.publicKey, Buffer.from(signature, 'base64url'));
    if (!ok) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }

  jwks(issuer?: string): { keys: Jwk[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.kid,
          x5t: this.kid,
          n: String(jwk.n),
          e: String(jwk.e),
          ...(issuer ? { issuer } : {}),
        },
      ],
    };
  }
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
