import { createHash, createSign, generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';

/** What the emulator keeps of an uploaded certificate (the portal shows the same thumbprints). */
export interface CertificateInfo {
  /** The PEM as uploaded. */
  readonly pem: string;
  /** Hex SHA-256 of the DER bytes, upper case (msal's `thumbprintSha256`). */
  readonly thumbprintSha256: string;
  /** Hex SHA-1 of the DER bytes, upper case (the portal's "Thumbprint", msal's deprecated `thumbprint`). */
  readonly thumbprintSha1: string;
  /** base64url SHA-256: the `x5t#S256` header of a client assertion. */
  readonly x5tS256: string;
  /** base64url SHA-1: the `x5t` header of a client assertion. */
  readonly x5t: string;
  readonly publicKey: KeyObject;
  readonly notAfter: Date;
}

/** Reads a PEM certificate and computes its thumbprints. Throws when the PEM holds no certificate. */
export function readCertificate(pem: string): CertificateInfo {
  const cert = new X509Certificate(pem);
  const der = cert.raw;
  const sha256 = createHash('sha256').update(der).digest();
  const sha1 = createHash('sha1').update(der).digest();
  return {
    pem,
    thumbprintSha256: sha256.toString('hex').toUpperCase(),
    thumbprintSha1: sha1.toString('hex').toUpperCase(),
    x5tS256: sha256.toString('base64url'),
    x5t: sha1.toString('base64url'),
    publicKey: cert.publicKey,
    notAfter: new Date(cert.validTo),
  };
}

export interface TestCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), as msal-node's `clientCertificate.privateKey` expects. */
  readonly privateKeyPem: string;
  readonly thumbprintSha256: string;
  readonly thumbprintSha1: string;
}

/**
 * Creates a self-signed RSA certificate without openssl, for tests and demos that need a certificate credential.
 * Node can parse X.509 but not create it, so the DER is assembled here (RFC 5280, the minimum fields).
 */
export function createSelfSignedCertificate(
  options: {
    commonName?: string;
    notBefore?: Date;
    notAfter?: Date;
    /** Subject alternative names, for a TLS server certificate (e.g. `localhost`, `127.0.0.1`). */
    altNames?: { dns?: string[]; ip?: string[] };
  } = {},
): TestCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notBefore = options.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 2 * 365 * 24 * 3600_000);
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(options.commonName ?? 'gatehouse-test')))));
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0)));
  const serial = certificateSerial(
    createHash('sha1')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest(),
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    sha256WithRsa,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    ...(options.altNames ? [tlv(0xa3, seq(subjectAltName(options.altNames)))] : []),
  );
  const signature = createSign('sha256').update(tbs).sign(privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .trimEnd()}\n-----END CERTIFICATE-----\n`;
  const info = readCertificate(certificatePem);
  return {
    certificatePem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprintSha256: info.thumbprintSha256,
    thumbprintSha1: info.thumbprintSha1,
  };
}

/**
 * The serial number's DER INTEGER content from a digest: positive (high bit clear) and minimal. A leading 0x00
 * followed by a byte below 0x80 is illegal padding that OpenSSL refuses (ERR_OSSL_ASN1_ILLEGAL_PADDING), so the
 * first byte is forced into 0x40–0x7f.
 */
export function certificateSerial(digest: Buffer): Buffer {
  const serial = Buffer.from(digest);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

/** The subjectAltName extension (RFC 5280 4.2.1.6): dNSName [2], iPAddress [7] (IPv4 only here). */
function subjectAltName(names: { dns?: string[]; ip?: string[] }): Buffer {
  const general = [
    ...(names.dns ?? []).map((dns) => tlv(0x82, Buffer.from(dns))),
    ...(names.ip ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
  ];
  return seq(oid('2.5.29.17'), tlv(0x04, seq(...general)));
}

function tlv(tag: number, body: Buffer): Buffer {
  const len = body.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else if (len < 0x100) header = Buffer.from([tag, 0x81, len]);
  else if (len < 0x10000) header = Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  else header = Buffer.from([tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff]);
  return Buffer.concat([header, body]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime for years before 2050, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}
