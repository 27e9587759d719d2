import { nameKey } from '../../connections/connection.js';
import type { Migration } from './migration.js';

/**
 * Issue 12 finding 11: name keys become NFKC (fullwidth Ｅｍｕ and Emu are one name). Every row is re-keyed unless its
 * new key is already another row's (two names that now read the same): the older row takes the key, the other keeps
 * its old one and still answers to its exact old spelling. Names are never renamed here; `gatehouse connections
 * check-names` reports such rows (and names the new rules refuse) so an administrator renames them.
 */
export const connectionNameKeysNfkcMigration: Migration = {
  name: '0003-connection-name-keys-nfkc',
  async up(db) {
    const rows: { id: string; name: string; name_key: string }[] = await db
      .selectFrom('connections')
      .select(['id', 'name', 'name_key'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const taken = new Set(rows.map((r) => r.name_key));
    for (const row of rows) {
      const next = nameKey(row.name);
      if (next === row.name_key || taken.has(next)) continue;
      await db.updateTable('connections').set({ name_key: next }).where('id', '=', row.id).execute();
      taken.delete(row.name_key);
      taken.add(next);
    }
  },
};
