import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createKeyCheck } from './key-check.js';
import { KeyRing } from './key-ring.js';
import { generateMasterKey, type MasterKey } from './master-key.js';
import { discardNextKeyFile, promoteNextKeyFile, writeNextKeyFile } from './master-key-file.js';

export interface RotateMasterKeyOptions {
  dataDir: string;
  /** The ring in use; it adopts the new key when the rotation commits. */
  ring: KeyRing;
  /** Where the current key came from: `file` rotations write master.key; `env` rotations need `newKey`. */
  source: 'env' | 'file';
  /** The key to rotate to; required when the key comes from GATEHOUSE_MASTER_KEY, generated otherwise. */
  newKey?: MasterKey;
  /**
   * Re-encrypts every stored secret with `next` and stores `keyCheck`, in ONE transaction (nothing written on
   * failure). Returns how many connections were rewritten.
   */
  reencrypt(next: KeyRing, keyCheck: string): Promise<number>;
  logger: Logger;
}

export interface RotationResult {
  previousKeyId: string;
  keyId: string;
  connections: number;
  source: 'env' | 'file';
}

/**
 * Rotates the master key, crash-safe: (1) the new key is written to master.key.next (fsynced); (2) one transaction
 * re-encrypts every secret and replaces the key check; (3) master.key.next is renamed over master.key. A crash
 * between (1) and (2) leaves the old key valid (openKeyRing discards .next); a crash between (2) and (3) is
 * finished by openKeyRing, which sees the key check sealed with the .next key and renames it.
 */
export async function rotateMasterKey(options: RotateMasterKeyOptions): Promise<RotationResult> {
  const previousKeyId = options.ring.current.id;
  if (options.source === 'env' && !options.newKey) {
    throw new AppError('KEY_INVALID', {
      message: 'The master key comes from GATEHOUSE_MASTER_KEY, so the new key must be given (--new-key-file).',
      hint: 'Create a key with `openssl rand -base64 32 > new.key`, run `gatehouse keys rotate --new-key-file new.key`, then set GATEHOUSE_MASTER_KEY to it.',
    });
  }
  const newKey = options.newKey ?? generateMasterKey();
  if (newKey.id === previousKeyId) {
    throw new AppError('KEY_INVALID', { message: 'The new master key is the key already in use.' });
  }
  if (options.source === 'file') writeNextKeyFile(options.dataDir, newKey);
  let connections: number;
  try {
    connections = await options.reencrypt(new KeyRing(newKey), createKeyCheck(newKey));
  } catch (error) {
    if (options.source === 'file') discardNextKeyFile(options.dataDir);
    throw error;
  }
  if (options.source === 'file') promoteNextKeyFile(options.dataDir);
  options.ring.adopt(newKey);
  options.logger.info({ previousKeyId, keyId: newKey.id, connections }, 'master key rotated');
  return { previousKeyId, keyId: newKey.id, connections, source: options.source };
}
