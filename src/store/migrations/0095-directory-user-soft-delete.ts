import type { Migration } from './migration.js';

/**
 * A soft-deleted user (Graph delta `@removed: {reason: changed}`) keeps its row and its memberships, marked
 * `soft_deleted = 1`: hidden from membership answers and member lists, shown as deleted, and whole again when
 * Microsoft restores it (a restore sends no groups-delta entry: concepts/delta-query-groups.md). A permanent delete
 * (`reason: deleted`) removes both.
 */
export const directoryUserSoftDeleteMigration: Migration = {
  name: '0095-directory-user-soft-delete',
  async up(db) {
    await db.schema
      .alterTable('directory_users')
      .addColumn('soft_deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
