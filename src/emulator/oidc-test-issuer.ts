import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { DEFAULT_FEDERATION_AUDIENCE } from './federated-credentials.js';

export interface MintOptions {
  subject: string;
  /** Default `api://AzureADTokenExchange`. */
  audience?: string | string[];
  /** Default 3600 (a projected Kubernetes token's default lifetime). */
  lifetimeSeconds?: number;
  /** Issue time (default now): with a lifetime, a past time mints an expired token. */
  issuedAt?: Date;
  /** Override `iss` (to present a token whose issuer is not this one). */
  issuer?: string;
  /** Sign with a key this issuer does not publish (AADSTS7000272). */
  unpublishedKey?: boolean;
  /** Sign with the published key id but another key (a bad signature). */
  forgedSignature?: boolean;
}

export interface OidcTestIssuer {
  /** The issuer, as it appears in `iss` and in the federated credential (ends with `/`, as AKS issuers do). */
  readonly issuer: string;
  readonly url: string;
  /** A signed RS256 token of this issuer, like a projected service-account token. */
  mint(options: MintOptions): Promise<string>;
  /** Replaces the signing key; the old one is no longer published. */
  rotateKey(): void;
  /** Number of discovery and JWKS requests served. */
  requests(): number;
  stop(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomUUID(), privateKey, publicKey };
}

/**
 * A minimal OIDC issuer on loopback for workload identity federation tests: it serves
 * `/.well-known/openid-configuration` and its JWKS (what Entra fetches) and mints tokens the way a Kubernetes
 * cluster's service-account issuer does.
 */
export async function startOidcTestIssuer(options: { host?: string } = {}): Promise<OidcTestIssuer> {
  let key = newKey();
  let served = 0;
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    served++;
    const path = new URL(req.url ?? '/', 'http://issuer').pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/openid-configuration') {
      return send(200, {
        issuer,
        jwks_uri: `${url}/openid/v1/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (path === '/openid/v1/jwks') {
      const jwk = key.publicKey.export({ format: 'jwk' });
      return send(200, { keys: [{ ...jwk, kid: key.kid, use: 'sig', alg: 'RS256' }] });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const issuer = `${url}/`;
  return {
    issuer,
    url,
    async mint(mint) {
      const signer = mint.unpublishedKey || mint.forgedSignature ? newKey() : key;
      const kid = mint.forgedSignature ? key.kid : signer.kid;
      const issuedAt = Math.floor((mint.issuedAt?.getTime() ?? Date.now()) / 1000);
      return new SignJWT({ 'kubernetes.io': { namespace: 'default' } })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(mint.issuer ?? issuer)
        .setSubject(mint.subject)
        .setAudience(mint.audience ?? DEFAULT_FEDERATION_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(issuedAt + (mint.lifetimeSeconds ?? 3600))
        .sign(signer.privateKey);
    },
    rotateKey() {
      key = newKey();
    },
    requests: () => served,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
