import type { Kysely } from 'kysely';
import type { LoginThrottleStore, ThrottleRecord } from '../accounts/login-throttle.js';
import type { Database } from './schema.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The login throttle's records in the store, so that several instances on one PostgreSQL database agree. Writes are
 * compare-and-set on `version` (an insert that does nothing on conflict for a new key), so concurrent attempts on
 * any number of instances never share a slot.
 */
export function createLoginThrottleRepository(db: Kysely<Database>): LoginThrottleStore {
  return {
    async get(key) {
      const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
      if (!row) return undefined;
      return {
        failures: Number(row.failures),
        nextAllowedAt: Date.parse(row.next_allowed_at),
        reportedBlock: Date.parse(row.reported_block),
        version: Number(row.version),
      } satisfies ThrottleRecord;
    },
    async compareAndSet(key, expectedVersion, next, expiresAt) {
      const values = {
        failures: next.failures,
        next_allowed_at: iso(next.nextAllowedAt),
        reported_block: iso(next.reportedBlock),
        version: next.version,
        expires_at: iso(expiresAt),
      };
      if (expectedVersion === 0) {
        const inserted = await db
          .insertInto('login_throttle')
          .values({ key, ...values })
          .onConflict((oc) => oc.column('key').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
      }
      const updated = await db
        .updateTable('login_throttle')
        .set(values)
        .where('key', '=', key)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await db
        .deleteFrom('login_throttle')
        .where('key', 'in', [...keys])
        .execute();
    },
    async prune(now) {
      await db.deleteFrom('login_throttle').where('expires_at', '<=', iso(now)).execute();
    },
  };
}
