import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Migration } from './migrations/migration.js';
import { migrateToLatest, pendingMigrations } from './migrator.js';
import type { Database } from './schema.js';

function table(name: string): Migration {
  return {
    name,
    async up(db) {
      await db.schema
        .createTable(`t_${name.replace(/-/g, '_')}`)
        .addColumn('id', 'text')
        .execute();
    },
  };
}

describe('migrator', () => {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
  after(() => db.destroy());

  it('applies a lower-numbered migration that arrives after higher ones already ran (areas own number ranges)', async () => {
    const first = [table('0001-a'), table('0030-c')];
    assert.deepEqual(await migrateToLatest(db, 'sqlite', first), ['0001-a', '0030-c']);

    const next = [table('0001-a'), table('0012-b'), table('0030-c')];
    assert.deepEqual(await pendingMigrations(db, 'sqlite', next), ['0012-b']);
    assert.deepEqual(await migrateToLatest(db, 'sqlite', next), ['0012-b']);
    assert.deepEqual(await pendingMigrations(db, 'sqlite', next), []);
  });
});
