import type { Migration } from './migration.js';

/**
 * Drops the (connection, member) index of directory_memberships. Measured with `npm run bench -- sync`: every link
 * written paid a second random-key B-tree insert, which made the first sync of a large tenant about four times
 * slower, while the index only served removals of deleted users and groups (rare, batched, and fine as one scan per
 * 500 ids). Membership questions are answered from the in-memory index, not from SQL.
 */
export const directoryMemberIndexMigration: Migration = {
  name: '0012-directory-member-index',
  async up(db) {
    await db.schema.dropIndex('directory_memberships_member').ifExists().execute();
  },
};
