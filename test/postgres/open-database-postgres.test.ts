import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../../src/core/errors.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openDatabase } from '../../src/store/open-database.js';
import {
  createTestDatabase,
  postgresSkipReason,
  postgresTestUrl,
  type TestDatabase,
} from '../support/test-database.js';

const allMigrations = MIGRATIONS.map((m) => m.name);

describe('openDatabase on PostgreSQL', { skip: postgresSkipReason() }, () => {
  const stores: TestDatabase[] = [];
  after(() => Promise.all(stores.map((s) => s.close())));
  async function freshStore(): Promise<TestDatabase> {
    const store = await createTestDatabase({ engine: 'postgres', migrated: false });
    stores.push(store);
    return store;
  }

  test('applies every migration inside its own schema', async () => {
    const store = await freshStore();
    const { db, engine } = await store.open({ migrations: 'auto' });
    assert.equal(engine, 'postgres');
    const applied = await sql<{
      name: string;
    }>`select name from ${sql.table(`${store.schema}.gatehouse_migrations`)} order by name`.execute(db);
    assert.deepEqual(
      applied.rows.map((r) => r.name),
      [...allMigrations].sort(),
    );
    const inSchema = await sql<{ n: number }>`
      select count(*) as n from information_schema.tables where table_schema = ${store.schema} and table_name = 'gatehouse_meta'
    `.execute(db);
    assert.equal(inSchema.rows[0]?.n, 1);
    // Unqualified names resolve in the test's schema (search_path), whatever other schemas hold.
    const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    assert.equal(current.rows[0]?.schema, store.schema);
  });

  test('creates the schema when it does not exist yet', async () => {
    const store = await freshStore();
    const schema = `${store.schema}_jobs`; // owned by the store, so close() drops it
    const opened = await openDatabase({ ...store.options, schema, migrations: 'auto' });
    try {
      const found = await sql<{ n: number }>`
        select count(*) as n from information_schema.tables where table_schema = ${schema} and table_name = 'gatehouse_meta'
      `.execute(opened.db);
      assert.equal(found.rows[0]?.n, 1);
    } finally {
      await opened.close();
    }
  });

  test('returns int8 (count(*), bigint) as a number, as SQLite does', async () => {
    const store = await freshStore();
    const { db } = await store.open({ migrations: 'auto' });
    const row = await sql<{
      n: unknown;
      b: unknown;
    }>`select count(*) as n, 9007199254740991::bigint as b from gatehouse_meta`.execute(db);
    assert.equal(row.rows[0]?.n, 0);
    assert.equal(row.rows[0]?.b, Number.MAX_SAFE_INTEGER);
  });

  test('several instances opening one fresh schema at once migrate it exactly once', async () => {
    const store = await freshStore();
    const opened = await Promise.all([1, 2, 3].map(() => store.open({ migrations: 'auto' })));
    const { db } = opened[0] as (typeof opened)[0];
    const applied = await sql<{ n: number }>`select count(*) as n from gatehouse_migrations`.execute(db);
    assert.equal(applied.rows[0]?.n, allMigrations.length);
  });

  test('refuses a schema name that is not a plain identifier', async () => {
    const store = await freshStore();
    await assert.rejects(
      openDatabase({ ...store.options, schema: 'x; drop table y' }),
      (error) => error instanceof AppError && error.code === 'CONFIG_INVALID',
    );
  });

  test('an unreachable server is STORE_UNAVAILABLE', async () => {
    const url = new URL(postgresTestUrl() ?? '');
    url.port = '1';
    await assert.rejects(
      openDatabase({ dataDir: '/nonexistent', databaseUrl: url.toString(), schema: 'unreachable' }),
      (error) => error instanceof AppError && error.code === 'STORE_UNAVAILABLE',
    );
  });
});
