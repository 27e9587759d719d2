import { createPrivateKey, X509Certificate } from 'node:crypto';
import { AppError } from '../../core/errors.js';

/** What gatehouse needs from a ClientCertificate PEM (certificate + private key in one text). */
export interface ParsedClientCertificate {
  /** The certificate block(s) only (leaf first), for msal's x5c and for display. */
  readonly certificatePem: string;
  /** The private key block (PKCS#8 or PKCS#1). */
  readonly privateKeyPem: string;
  /** Lowercase hex SHA-256 of the DER certificate (msal's thumbprintSha256). */
  readonly thumbprintSha256: string;
  /** Lowercase hex SHA-1 of the DER certificate (what the portal's Certificates list shows). */
  readonly thumbprintSha1: string;
  readonly notAfter: Date;
  readonly subject: string;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END \1?PRIVATE KEY-----/;

function invalid(message: string, cause?: unknown): AppError {
  return new AppError('CONNECTION_INVALID_PARAMETER', {
    message,
    hint: 'Give ClientCertificate as one PEM text holding the certificate (-----BEGIN CERTIFICATE-----) and its unencrypted private key (-----BEGIN PRIVATE KEY-----), e.g. `cat cert.pem key.pem`; upload the certificate part under Certificates & secrets > Certificates.',
    details: { key: 'ClientCertificate' },
    cause,
  });
}

const hex = (colonHex: string) => colonHex.replaceAll(':', '').toLowerCase();

/**
 * Validates and parses a certificate credential: the certificate must parse, the key must be unencrypted and must
 * belong to the certificate. Thumbprints are computed here, never asked for.
 */
export function parseClientCertificate(pem: string): ParsedClientCertificate {
  const certificates = pem.match(CERT_BLOCK) ?? [];
  const keyMatch = pem.match(KEY_BLOCK);
  if (certificates.length === 0) throw invalid('ClientCertificate holds no PEM certificate block.');
  if (!keyMatch) throw invalid('ClientCertificate holds no PEM private key block.');
  if (keyMatch[1] === 'ENCRYPTED ')
    throw invalid('The private key in ClientCertificate is encrypted; give it unencrypted.');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificates[0] as string);
  } catch (cause) {
    throw invalid('The certificate in ClientCertificate cannot be parsed.', cause);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(keyMatch[0]);
  } catch (cause) {
    throw invalid('The private key in ClientCertificate cannot be parsed.', cause);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw invalid('The private key in ClientCertificate does not belong to its certificate.');
  }
  return {
    certificatePem: certificates.join('\n'),
    privateKeyPem: keyMatch[0],
    thumbprintSha256: hex(certificate.fingerprint256),
    thumbprintSha1: hex(certificate.fingerprint),
    notAfter: new Date(certificate.validTo),
    subject: certificate.subject,
  };
}
