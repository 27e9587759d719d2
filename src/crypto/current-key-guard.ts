import { AppError } from '../core/errors.js';
import { KEY_CHECK_META_KEY, keyCheckKeyId } from './key-check.js';
import type { KeyRing } from './key-ring.js';
import type { MetaStore } from './open-key-ring.js';

/**
 * Refuses to seal new secrets after another instance rotated the master key (several instances on one PostgreSQL
 * store): what this instance sealed with the old key could not be read once everyone runs with the new one.
 */
export function createCurrentKeyGuard(meta: MetaStore, ring: KeyRing): () => Promise<void> {
  return async () => {
    const check = await meta.get(KEY_CHECK_META_KEY);
    if (check === undefined) return;
    const storeKeyId = keyCheckKeyId(check);
    if (storeKeyId === ring.current.id) return;
    throw new AppError('KEY_MISMATCH', {
      message: `The master key was rotated by another instance (store key ${storeKeyId}, this instance ${ring.current.id}); nothing was written.`,
      hint: 'Restart this instance with the new master key (GATEHOUSE_MASTER_KEY or master.key), then repeat the change.',
      details: { storeKeyId, keyId: ring.current.id },
    });
  };
}
