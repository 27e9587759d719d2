import type { Migration } from './migration.js';

/** Admin-consent round trips under way (issue 15): the callback checks its `state` against these. */
export const consentRequestsMigration: Migration = {
  name: '0050-consent-requests',
  async up(db) {
    await db.schema
      .createTable('consent_requests')
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('consent_requests_connection').on('consent_requests').column('connection_id').execute();
  },
};
