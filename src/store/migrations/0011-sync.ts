import type { Migration } from './migration.js';

export const syncMigration: Migration = {
  name: '0011-sync',
  async up(db) {
    await db.schema
      .createTable('sync_state')
      .addColumn('connection_id', 'text', (c) => c.primaryKey())
      .addColumn('disabled_users', 'text', (c) => c.notNull().defaultTo('exclude'))
      .addColumn('delete_threshold_count', 'integer', (c) => c.notNull().defaultTo(500))
      .addColumn('delete_threshold_percent', 'integer', (c) => c.notNull().defaultTo(20))
      .addColumn('scope_group', 'text')
      .addColumn('schedule', 'text')
      .addColumn('users_delta_link', 'text')
      .addColumn('groups_delta_link', 'text')
      .addColumn('users_round', 'text')
      .addColumn('groups_round', 'text')
      .addColumn('link_fingerprint', 'text')
      .addColumn('round_counter', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_synced_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .execute();
    await db.schema
      .createTable('sync_pending_removals')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_pending_removals_pk', ['connection_id', 'kind', 'group_id', 'object_id'])
      .execute();
    await db.schema
      .createTable('sync_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('dry_run', 'integer', (c) => c.notNull())
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .execute();
    await db.schema
      .createIndex('sync_runs_connection')
      .on('sync_runs')
      .columns(['connection_id', 'started_at'])
      .execute();
  },
};
