import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createKeyCheck, KEY_CHECK_META_KEY, keyCheckKeyId, verifyKeyCheck } from './key-check.js';
import { KeyRing } from './key-ring.js';
import {
  discardCreatedKeyFile,
  discardNextKeyFile,
  type KeyMaterial,
  loadKeyMaterial,
  promoteNextKeyFile,
} from './master-key-file.js';

/** The few gatehouse_meta operations key handling needs (implemented in src/store/meta-store.ts). */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  /** Inserts when absent; returns the value that is stored afterwards (another instance may have won). */
  setIfAbsent(key: string, value: string): Promise<string>;
}

export interface OpenKeyRingOptions {
  dataDir: string;
  /** GATEHOUSE_MASTER_KEY, if set. */
  envKey?: string;
  meta: MetaStore;
  logger: Logger;
}

export interface OpenedKeyRing {
  readonly ring: KeyRing;
  readonly source: KeyMaterial['source'];
}

/**
 * Loads the master key and checks it against the store's key check value, finishing or discarding a rotation that
 * was interrupted: if the check is sealed with `master.key.next`, the rotation's transaction committed and only the
 * rename is missing; if it is sealed with `master.key`, the transaction never committed.
 */
export async function openKeyRing(options: OpenKeyRingOptions): Promise<OpenedKeyRing> {
  const material = loadKeyMaterial(options);
  try {
    return await checkKeyMaterial(material, options);
  } catch (error) {
    // A key file created just now for a store that already has secrets is wrong: leave no trace of it, and say
    // what is wrong — the key file is missing — rather than naming the random key that was just made up.
    if (material.created) {
      discardCreatedKeyFile(options.dataDir);
      if (error instanceof AppError && error.code === 'KEY_MISMATCH') {
        throw new AppError('KEY_FILE_MISSING', { details: { dataDir: options.dataDir }, cause: error });
      }
    }
    throw error;
  }
}

async function checkKeyMaterial(material: KeyMaterial, options: OpenKeyRingOptions): Promise<OpenedKeyRing> {
  const stored = await options.meta.get(KEY_CHECK_META_KEY);
  const check = stored ?? (await options.meta.setIfAbsent(KEY_CHECK_META_KEY, createKeyCheck(material.current)));
  const checkKeyId = keyCheckKeyId(check);
  if (material.next && checkKeyId === material.next.id) {
    verifyKeyCheck(material.next, check);
    promoteNextKeyFile(options.dataDir);
    options.logger.warn({ keyId: material.next.id }, 'completed an interrupted master key rotation');
    return { ring: new KeyRing(material.next), source: material.source };
  }
  verifyKeyCheck(material.current, check);
  if (material.next) {
    discardNextKeyFile(options.dataDir);
    options.logger.warn({ keyId: material.next.id }, 'discarded the key of a master key rotation that did not commit');
  }
  return { ring: new KeyRing(material.current), source: material.source };
}
