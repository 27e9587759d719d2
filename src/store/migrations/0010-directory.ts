import type { Migration } from './migration.js';

export const directoryMigration: Migration = {
  name: '0010-directory',
  async up(db) {
    await db.schema
      .createTable('directory_users')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('user_principal_name', 'text', (c) => c.notNull())
      .addColumn('upn_lower', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('mail', 'text')
      .addColumn('given_name', 'text')
      .addColumn('surname', 'text')
      .addColumn('job_title', 'text')
      .addColumn('department', 'text')
      .addColumn('account_enabled', 'integer', (c) => c.notNull())
      .addColumn('round_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('directory_users_pk', ['connection_id', 'id'])
      .execute();
    await db.schema
      .createIndex('directory_users_upn')
      .on('directory_users')
      .columns(['connection_id', 'upn_lower'])
      .execute();
    await db.schema
      .createTable('directory_groups')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('mail_enabled', 'integer', (c) => c.notNull())
      .addColumn('security_enabled', 'integer', (c) => c.notNull())
      .addColumn('group_types', 'text', (c) => c.notNull())
      .addColumn('round_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('directory_groups_pk', ['connection_id', 'id'])
      .execute();
    await db.schema
      .createIndex('directory_groups_name')
      .on('directory_groups')
      .columns(['connection_id', 'name_lower'])
      .execute();
    await db.schema
      .createTable('directory_memberships')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addColumn('member_type', 'text', (c) => c.notNull())
      .addColumn('round_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('directory_memberships_pk', ['connection_id', 'group_id', 'member_id'])
      .execute();
    await db.schema
      .createIndex('directory_memberships_member')
      .on('directory_memberships')
      .columns(['connection_id', 'member_id'])
      .execute();
    await db.schema
      .createTable('directory_versions')
      .addColumn('connection_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
  },
};
