import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';

export const MASTER_KEY_BYTES = 32;

/** A 256-bit AES key and its id (a short hash of the key, so envelopes say which key sealed them). */
export interface MasterKey {
  readonly id: string;
  readonly bytes: Buffer;
}

/** Wraps 32 raw bytes as a master key. */
export function createMasterKey(bytes: Buffer): MasterKey {
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new AppError('KEY_INVALID', { message: `The master key must be 32 bytes; got ${bytes.length}.` });
  }
  // The id reveals nothing usable about the key: 48 bits of a domain-separated SHA-256.
  const id = createHash('sha256').update('gatehouse-master-key-id:').update(bytes).digest('hex').slice(0, 12);
  return { id, bytes: Buffer.from(bytes) };
}

/** Parses the base64 text of GATEHOUSE_MASTER_KEY or master.key. */
export function parseMasterKey(text: string, source: string): MasterKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new AppError('KEY_INVALID', { message: `The master key in ${source} is not base64.`, details: { source } });
  }
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new AppError('KEY_INVALID', {
      message: `The master key in ${source} decodes to ${bytes.length} bytes; it must be 32.`,
      details: { source },
    });
  }
  return createMasterKey(bytes);
}

export function generateMasterKey(): MasterKey {
  return createMasterKey(randomBytes(MASTER_KEY_BYTES));
}

export function encodeMasterKey(key: MasterKey): string {
  return key.bytes.toString('base64');
}
