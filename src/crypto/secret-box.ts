import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';
import type { MasterKey } from './master-key.js';

/**
 * The at-rest envelope, AES-256-GCM with a 96-bit random IV and a 128-bit tag (base64url parts):
 *
 * - `gh2.<keyId>.<binding>.<iv>.<ciphertext>.<tag>` (current). The associated data is the version, the key id and
 *   the full **binding**: a text naming what the secret belongs to and where it may be sent (for a connection
 *   secret: the connection id, the parameter and the login host, Graph host and cloud, see
 *   src/connections/secret-binding.ts). The envelope opens only for the binding it was sealed for, so a sealed
 *   secret cannot be moved to another connection or parameter, nor follow a changed AuthorityHost (issue 12).
 *   The binding is carried in the clear (it is not secret) so that "sealed for something else" can be told apart
 *   from "tampered or the wrong key", and so a key rotation can re-seal a secret for the binding it already has;
 *   it is authenticated (part of the associated data), so editing it only makes the envelope fail to open.
 * - `gh1.<keyId>.<iv>.<ciphertext>.<tag>` (legacy): version and key id only. Opened only when the caller allows
 *   legacy envelopes (the key check, and the one-time upgrade that re-seals them as gh2).
 *
 * The key id lets a key ring pick the right key during and after rotation.
 */
export const ENVELOPE_VERSION = 'gh2';
export const LEGACY_ENVELOPE_VERSION = 'gh1';
const IV_BYTES = 12;
/** GCM tags are exactly 16 bytes: a shorter tag would make forgeries cheaper (issue 12 finding 6). */
export const GCM_TAG_BYTES = 16;

export interface Envelope {
  readonly version: string;
  readonly keyId: string;
  /** gh2 only: the binding the envelope was sealed for (authenticated, not secret). */
  readonly binding?: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export interface OpenOptions {
  /** Accept a gh1 envelope, which names no binding (default false). */
  readonly allowLegacy?: boolean;
}

function aad(version: string, keyId: string, binding: string): Buffer {
  return Buffer.from(version === LEGACY_ENVELOPE_VERSION ? `${version}.${keyId}` : `${version}.${keyId}.${binding}`);
}

/** Seals `plaintext` for `binding` (what it belongs to and where it may go). */
export function seal(key: MasterKey, plaintext: string, binding: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad(ENVELOPE_VERSION, key.id, binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return [ENVELOPE_VERSION, key.id, Buffer.from(binding, 'utf8').toString('base64url'), ...parts].join('.');
}

/** A gh1 envelope, as gatehouse wrote them before issue 12; only for tests of the upgrade. */
export function sealLegacyForTests(key: MasterKey, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad(LEGACY_ENVELOPE_VERSION, key.id, ''));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return [LEGACY_ENVELOPE_VERSION, key.id, ...parts].join('.');
}

function unknownFormat(): AppError {
  return new AppError('KEY_MISMATCH', { message: 'A stored secret is not a gatehouse envelope (unknown format).' });
}

export function parseEnvelope(text: string): Envelope {
  const parts = text.split('.');
  if (parts[0] === LEGACY_ENVELOPE_VERSION && parts.length === 5) {
    const [version, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    if (!keyId || !ciphertext || !tag) throw unknownFormat();
    return envelopeOf(version, keyId, undefined, iv, ciphertext, tag);
  }
  if (parts[0] === ENVELOPE_VERSION && parts.length === 6) {
    const [version, keyId, binding, iv, ciphertext, tag] = parts as [string, string, string, string, string, string];
    if (!keyId || !binding || !ciphertext || !tag) throw unknownFormat();
    return envelopeOf(version, keyId, Buffer.from(binding, 'base64url').toString('utf8'), iv, ciphertext, tag);
  }
  throw unknownFormat();
}

function envelopeOf(
  version: string,
  keyId: string,
  binding: string | undefined,
  iv: string,
  ciphertext: string,
  tag: string,
): Envelope {
  return {
    version,
    keyId,
    ...(binding === undefined ? {} : { binding }),
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
}

/**
 * Opens an envelope with `key` for `binding`. Throws BINDING_MISMATCH (CONNECTION_SECRET_REQUIRED) when the envelope
 * was sealed for another binding or is a gh1 envelope the caller does not accept, KEY_MISMATCH when the key is not
 * the one that sealed it or the envelope was tampered with (including a tag that is not 16 bytes).
 */
export function open(key: MasterKey, text: string, binding: string, options: OpenOptions = {}): string {
  const envelope = parseEnvelope(text);
  if (envelope.version === LEGACY_ENVELOPE_VERSION ? !options.allowLegacy : envelope.binding !== binding) {
    throw new AppError('CONNECTION_SECRET_REQUIRED');
  }
  return openParsed(key, envelope, binding);
}

/**
 * Opens a gh2 envelope for the binding it carries (a key rotation re-seals it for the same binding); returns the
 * plaintext and that binding. Throws CONNECTION_SECRET_REQUIRED for a gh1 envelope.
 */
export function openForItsBinding(key: MasterKey, text: string): { plaintext: string; binding: string } {
  const envelope = parseEnvelope(text);
  if (envelope.binding === undefined) throw new AppError('CONNECTION_SECRET_REQUIRED');
  return { plaintext: openParsed(key, envelope, envelope.binding), binding: envelope.binding };
}

function openParsed(key: MasterKey, envelope: Envelope, binding: string): string {
  if (envelope.keyId !== key.id) {
    throw new AppError('KEY_MISMATCH', { details: { envelopeKeyId: envelope.keyId, keyId: key.id } });
  }
  if (envelope.tag.length !== GCM_TAG_BYTES || envelope.iv.length !== IV_BYTES) {
    throw new AppError('KEY_MISMATCH', {
      message: 'A stored secret was tampered with (its tag or IV is not the length gatehouse writes).',
      details: { keyId: key.id },
    });
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, envelope.iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(aad(envelope.version, envelope.keyId, binding));
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new AppError('KEY_MISMATCH', { cause, details: { keyId: key.id } });
  }
}
