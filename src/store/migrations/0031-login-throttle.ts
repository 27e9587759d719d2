import type { Migration } from './migration.js';

/** Login throttling shared by every instance on one store (src/accounts/login-throttle.ts). */
export const loginThrottleMigration: Migration = {
  name: '0031-login-throttle',
  async up(db) {
    await db.schema
      .createTable('login_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('next_allowed_at', 'text', (c) => c.notNull())
      .addColumn('reported_block', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_throttle_expires').on('login_throttle').column('expires_at').execute();
  },
};
