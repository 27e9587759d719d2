import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { certificateSerial, createSelfSignedCertificate } from './certificate.js';

describe('createSelfSignedCertificate', () => {
  // Regression: a digest starting with 0x00 or 0x80 produced "00 0x.." — illegal DER padding that OpenSSL refuses
  // (ERR_OSSL_ASN1_ILLEGAL_PADDING), so about 1 certificate in 256 could not be parsed.
  it('derives a positive, minimally encoded serial from any digest', () => {
    for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const digest = Buffer.from([first, 0x05, 0x06, 0x07]);
      const serial = certificateSerial(digest);
      assert.ok((serial[0] ?? 0) < 0x80, `positive for first byte ${first}`);
      assert.ok(serial[0] !== 0, `no leading zero byte for first byte ${first}`);
      assert.deepEqual(serial.subarray(1), digest.subarray(1));
    }
  });

  it('creates a certificate node:crypto parses, with its SHA-256 thumbprint', () => {
    const cert = createSelfSignedCertificate({ commonName: 'serial-test' });
    const parsed = new X509Certificate(cert.certificatePem);
    assert.equal(parsed.fingerprint256.replace(/:/g, '').toLowerCase(), cert.thumbprintSha256.toLowerCase());
  });
});
