import type { Secret } from '../../core/secret.js';
import type { CloudName } from './clouds.js';

/**
 * How the app proves who it is: the secret Value, a certificate whose private key signs a client assertion, a
 * federated token read from a file at every request (workload identity federation), or the Azure host's managed
 * identity (product.md section 9.4).
 */
export type EntraCredential =
  | { readonly kind: 'secret'; readonly secret: Secret }
  | {
      readonly kind: 'certificate';
      /** PEM of the certificate (public part only). */
      readonly certificatePem: string;
      /** PEM (PKCS#8 or PKCS#1) of the private key. */
      readonly privateKey: Secret;
      /** Hex SHA-256 of the DER certificate (msal's `thumbprintSha256`). */
      readonly thumbprintSha256: string;
      /** Hex SHA-1 of the DER certificate (the portal shows this one). */
      readonly thumbprintSha1: string;
      readonly notAfter: Date;
    }
  | {
      readonly kind: 'assertionFile';
      /** Absolute path of the token file, or `env:NAME` (the path is that variable's value at request time). */
      readonly path: string;
    }
  | {
      readonly kind: 'managedIdentity';
      /** `user`: the user-assigned identity whose client id is the connection's ClientID. */
      readonly identity: 'system' | 'user';
    };

/**
 * Everything the Entra adapter needs to get tokens and call Graph for one EntraID connection, resolved from its
 * stored parameters (defaults applied, secrets decrypted into `Secret`s). Built by the connections module.
 */
export interface EntraSettings {
  readonly connectionId: string;
  readonly connectionName: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: EntraCredential;
  readonly cloud: CloudName;
  /** Origin of the login host: the cloud's, or the AuthorityHost override (https, or http on loopback only). */
  readonly authorityHost: string;
  /** Origin of Graph: the cloud's, or the GraphEndpoint override. */
  readonly graphEndpoint: string;
  /** GraphWritePaths: the writes graph.request may send on this connection (canonical text; default none). */
  readonly graphWritePaths?: string;
  /** Optional expiry the administrator copied from the portal (SecretExpiresOn). */
  readonly secretExpiresOn?: Date;
  /**
   * Changes whenever anything that affects token acquisition changes (credential, tenant, client, hosts), so the
   * token provider knows to rebuild its msal client application. Not secret (a hash, never the secret itself).
   */
  readonly credentialVersion: string;
}
