import { type Connection, type CredentialExpiry, findParameter } from './connection.js';

/**
 * The expiry to show for a connection: what its last test read from Graph, else the fallbacks it had then, else
 * SecretExpiresOn or the stored certificate's notAfter (product.md sections 3 and 9.4). Secretless connections have none.
 */
export function credentialExpiryOf(
  connection: Pick<Connection, 'parameters' | 'lastTest'>,
): CredentialExpiry | undefined {
  const tested = connection.lastTest?.credentialExpiry;
  if (tested) return tested;
  const certificate = findParameter(connection, 'ClientCertificate');
  if (certificate?.secret && certificate.info?.notAfter) {
    return { expiresAt: certificate.info.notAfter, source: 'certificate', credential: 'certificate' };
  }
  const secretExpiresOn = findParameter(connection, 'SecretExpiresOn');
  if (secretExpiresOn && !secretExpiresOn.secret && findParameter(connection, 'ClientSecret')) {
    const value =
      secretExpiresOn.value.length === 10 ? `${secretExpiresOn.value}T00:00:00.000Z` : secretExpiresOn.value;
    return { expiresAt: new Date(value).toISOString(), source: 'SecretExpiresOn', credential: 'secret' };
  }
  return undefined;
}
