import { AppError } from '../core/errors.js';
import type { MasterKey } from './master-key.js';
import { open, parseEnvelope, seal } from './secret-box.js';

/**
 * A known plaintext sealed with the master key and kept in gatehouse_meta, so a wrong key is detected when
 * gatehouse opens, before anything is read or written with it.
 */
export const KEY_CHECK_META_KEY = 'master_key_check';
const KEY_CHECK_PLAINTEXT = 'gatehouse-master-key-check-v1';
const KEY_CHECK_BINDING = 'gatehouse-master-key-check';

export function createKeyCheck(key: MasterKey): string {
  return seal(key, KEY_CHECK_PLAINTEXT, KEY_CHECK_BINDING);
}

export function keyCheckKeyId(check: string): string {
  return parseEnvelope(check).keyId;
}

/** Throws KEY_MISMATCH unless `key` opens the check value. */
export function verifyKeyCheck(key: MasterKey, check: string): void {
  const mismatch = () =>
    new AppError('KEY_MISMATCH', {
      message: `The master key (id ${key.id}) is not the key this store's secrets are encrypted with (id ${keyCheckKeyId(check)}).`,
      details: { keyId: key.id, storeKeyId: keyCheckKeyId(check) },
    });
  let plaintext: string;
  try {
    // Stores created before issue 12 keep their gh1 check value: it holds a known plaintext, nothing to protect.
    plaintext = open(key, check, KEY_CHECK_BINDING, { allowLegacy: true });
  } catch {
    throw mismatch();
  }
  if (plaintext !== KEY_CHECK_PLAINTEXT) throw mismatch();
}
