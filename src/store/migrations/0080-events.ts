import type { Migration } from './migration.js';

/**
 * Directory events (issue 14): the outbox `directory_events` with a gapless cursor per connection (`event_cursors`,
 * whose row lock orders writers on PostgreSQL), webhooks (signing secret encrypted like connection secrets) and their
 * deliveries, one row per (webhook, event), created in the same transaction as the event.
 */
export const eventsMigration: Migration = {
  name: '0080-events',
  async up(db, engine) {
    await db.schema
      .createTable('event_cursors')
      .addColumn('connection_id', 'text', (c) => c.primaryKey())
      .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('directory_events')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('connection_name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text')
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('directory_events_pk', ['connection_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('directory_events_object')
      .on('directory_events')
      .columns(['connection_id', 'object_id', 'seq'])
      .execute();
    await db.schema.createIndex('directory_events_occurred').on('directory_events').column('occurred_at').execute();
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('connection_id', 'text')
      .addColumn('types', 'text', (c) => c.notNull())
      .addColumn('groups', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('seq', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
        engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('event_seq', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_attempt_at', 'text')
      .addColumn('response_status', 'integer')
      .addColumn('error', 'text')
      .addColumn('latency_ms', 'integer')
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_open')
      .on('webhook_deliveries')
      .columns(['webhook_id', 'status', 'seq'])
      .execute();
  },
};
