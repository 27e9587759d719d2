import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';
import type { MasterKey } from './master-key.js';

/**
 * The at-rest envelope: `gh1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts), AES-256-GCM with a 96-bit random
 * IV. The version prefix lets a later format coexist; the key id lets a key ring pick the right key during and
 * after rotation. The version and key id are bound in as additional authenticated data.
 */
export const ENVELOPE_VERSION = 'gh1';
const IV_BYTES = 12;

export interface Envelope {
  readonly version: string;
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export function seal(key: MasterKey, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(`${ENVELOPE_VERSION}.${key.id}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return [ENVELOPE_VERSION, key.id, ...parts].join('.');
}

export function parseEnvelope(text: string): Envelope {
  const parts = text.split('.');
  const [version, keyId, iv, ciphertext, tag] = parts;
  if (parts.length !== 5 || version !== ENVELOPE_VERSION || !keyId || iv === undefined || !ciphertext || !tag) {
    throw new AppError('KEY_MISMATCH', { message: 'A stored secret is not a gatehouse envelope (unknown format).' });
  }
  return {
    version,
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
}

/** Opens an envelope with `key`; throws KEY_MISMATCH when the key is not the one that sealed it. */
export function open(key: MasterKey, text: string): string {
  const envelope = parseEnvelope(text);
  if (envelope.keyId !== key.id) {
    throw new AppError('KEY_MISMATCH', { details: { envelopeKeyId: envelope.keyId, keyId: key.id } });
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, envelope.iv);
    decipher.setAAD(Buffer.from(`${envelope.version}.${envelope.keyId}`));
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new AppError('KEY_MISMATCH', { cause, details: { keyId: key.id } });
  }
}
