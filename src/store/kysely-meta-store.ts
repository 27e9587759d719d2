import type { Kysely } from 'kysely';
import type { MetaStore } from '../crypto/open-key-ring.js';
import type { Database } from './schema.js';

/** gatehouse_meta as a small key/value store (master key check, later other store-wide facts). */
export function createKyselyMetaStore(db: Kysely<Database>): MetaStore {
  return {
    async get(key) {
      const row = await db.selectFrom('gatehouse_meta').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    async setIfAbsent(key, value) {
      await db
        .insertInto('gatehouse_meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await db
        .selectFrom('gatehouse_meta')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
