import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { type Connection, findParameter } from '../connection.js';
import type { SecretCipher } from '../ports.js';
import { assertEndpointsAllowed, openConnectionSecret } from '../secret-binding.js';
import { parseClientCertificate } from './client-certificate.js';
import { CLOUDS, type CloudName } from './clouds.js';
import { CREDENTIAL_KEYS } from './credential-kind.js';
import type { EntraCredential, EntraSettings } from './entra-settings.js';

function plain(connection: Connection, key: string): string | undefined {
  const parameter = findParameter(connection, key);
  return parameter && !parameter.secret ? parameter.value : undefined;
}

function credentialOf(connection: Connection, cipher: SecretCipher): { credential: EntraCredential; envelope: string } {
  const secret = findParameter(connection, 'ClientSecret');
  if (secret?.secret) {
    return {
      credential: {
        kind: 'secret',
        secret: new Secret(openConnectionSecret(connection, secret.key, secret.envelope, cipher)),
      },
      envelope: secret.envelope,
    };
  }
  const certificate = findParameter(connection, 'ClientCertificate');
  if (certificate?.secret) {
    const parsed = parseClientCertificate(
      openConnectionSecret(connection, certificate.key, certificate.envelope, cipher),
    );
    return {
      credential: {
        kind: 'certificate',
        certificatePem: parsed.certificatePem,
        privateKey: new Secret(parsed.privateKeyPem),
        thumbprintSha256: parsed.thumbprintSha256,
        thumbprintSha1: parsed.thumbprintSha1,
        notAfter: parsed.notAfter,
      },
      envelope: certificate.envelope,
    };
  }
  // The secretless kinds are plain values: what changes the credential is the path or the identity kind.
  const assertionFile = plain(connection, 'ClientAssertionFile');
  if (assertionFile) {
    return { credential: { kind: 'assertionFile', path: assertionFile }, envelope: `assertionFile:${assertionFile}` };
  }
  const managedIdentity = plain(connection, 'ManagedIdentity');
  if (managedIdentity === 'system' || managedIdentity === 'user') {
    return {
      credential: { kind: 'managedIdentity', identity: managedIdentity },
      envelope: `managedIdentity:${managedIdentity}`,
    };
  }
  throw new AppError('CONNECTION_MISSING_PARAMETER', {
    message: `Connection '${connection.name}' has no credential (ClientSecret, ClientCertificate, ClientAssertionFile or ManagedIdentity).`,
    details: { connection: connection.name, oneOf: [...CREDENTIAL_KEYS] },
  });
}

/**
 * The settings the Entra adapter needs for an EntraID connection: secrets decrypted into `Secret`s, cloud defaults
 * applied, and a credentialVersion that changes whenever anything affecting token acquisition changes.
 */
export function resolveEntraSettings(
  connection: Connection,
  cipher: SecretCipher,
  allowedEndpointHosts: readonly string[] = [],
): EntraSettings {
  if (connection.type !== 'EntraID') {
    throw new AppError('CONNECTION_UNKNOWN_TYPE', {
      message: `Connection '${connection.name}' is of type ${connection.type}, not EntraID.`,
      details: { connection: connection.name, type: connection.type },
    });
  }
  const tenantId = plain(connection, 'TenantID');
  const clientId = plain(connection, 'ClientID');
  if (!tenantId || !clientId) {
    throw new AppError('CONNECTION_MISSING_PARAMETER', {
      message: `Connection '${connection.name}' lacks ${tenantId ? 'ClientID' : 'TenantID'}.`,
      details: { connection: connection.name },
    });
  }
  // A row edited in the database may name any host: checked again before anything is sent.
  assertEndpointsAllowed(connection.parameters, allowedEndpointHosts);
  const cloud = (plain(connection, 'Cloud') ?? 'Global') as CloudName;
  const authorityHost = plain(connection, 'AuthorityHost') ?? CLOUDS[cloud].authorityHost;
  const graphEndpoint = plain(connection, 'GraphEndpoint') ?? CLOUDS[cloud].graphEndpoint;
  const expires = plain(connection, 'SecretExpiresOn');
  const graphWritePaths = plain(connection, 'GraphWritePaths');
  const { credential, envelope } = credentialOf(connection, cipher);
  // Hash of the ciphertext, not of the secret: changes with the credential, reveals nothing about it.
  const credentialVersion = createHash('sha256')
    .update(JSON.stringify([connection.id, tenantId, clientId, cloud, authorityHost, graphEndpoint, envelope]))
    .digest('hex')
    .slice(0, 16);
  return {
    connectionId: connection.id,
    connectionName: connection.name,
    tenantId,
    clientId,
    credential,
    cloud,
    authorityHost,
    graphEndpoint,
    ...(graphWritePaths ? { graphWritePaths } : {}),
    ...(expires ? { secretExpiresOn: new Date(expires.length === 10 ? `${expires}T00:00:00Z` : expires) } : {}),
    credentialVersion,
  };
}
