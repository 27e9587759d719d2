import { sql } from 'kysely';
import type { Migration } from './migration.js';

export const auditLogMigration: Migration = {
  name: '0020-audit-log',
  async up(db, engine) {
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
        engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('connection', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('details', 'text', (c) => c.notNull().defaultTo(sql`'{}'`))
      .execute();
    await db.schema.createIndex('audit_log_connection_seq').on('audit_log').columns(['connection', 'seq']).execute();
  },
};
