import type { Migration } from './migration.js';

export const metaMigration: Migration = {
  name: '0001-meta',
  async up(db) {
    await db.schema
      .createTable('gatehouse_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
