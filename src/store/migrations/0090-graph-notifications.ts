import type { Migration } from './migration.js';

/**
 * Graph change notifications as a sync trigger (product.md section 9.2): the per-connection switch, and the Graph
 * subscriptions gatehouse holds for each connection with a SHA-256 of their random clientState (never the value).
 */
export const graphNotificationsMigration: Migration = {
  name: '0090-graph-notifications',
  async up(db) {
    await db.schema
      .createTable('graph_notification_settings')
      .addColumn('connection_id', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('graph_subscriptions')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('resource', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text')
      .addColumn('client_state_hash', 'text', (c) => c.notNull())
      .addColumn('notification_url', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('renewed_at', 'text')
      .addPrimaryKeyConstraint('graph_subscriptions_pk', ['connection_id', 'resource'])
      .execute();
  },
};
