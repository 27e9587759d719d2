import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import type { Engine } from '../../src/store/engine.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrator.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/test-database.js';

const allMigrations = MIGRATIONS.map((m) => m.name);

// `migrations: 'check'` is what `serve` uses on PostgreSQL: several instances must never migrate behind each
// other's back, so a behind schema stops startup with STORE_MIGRATION_PENDING until `gatehouse migrate` runs.
for (const engine of ['sqlite', 'postgres'] as const satisfies readonly Engine[]) {
  describe(`migrations: 'check' on ${engine}`, { skip: engine === 'postgres' ? postgresSkipReason() : false }, () => {
    const stores: TestDatabase[] = [];
    after(() => Promise.all(stores.map((s) => s.close())));

    test('refuses a schema that is behind, naming the pending migrations', async () => {
      const store = await createTestDatabase({ engine, migrated: false });
      stores.push(store);
      await store.open({ migrations: 'none' });
      await assert.rejects(store.open({ migrations: 'check' }), (error) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'STORE_MIGRATION_PENDING');
        assert.deepEqual(error.details.pending, allMigrations);
        assert.match(error.hint, /gatehouse migrate/);
        return true;
      });
    });

    test(`without a mode, ${engine === 'postgres' ? 'a behind schema is refused (check)' : 'the store migrates itself (auto)'}`, async () => {
      const store = await createTestDatabase({ engine, migrated: false });
      stores.push(store);
      if (engine === 'postgres') {
        await assert.rejects(store.open(), { code: 'STORE_MIGRATION_PENDING' });
      } else {
        const { db } = await store.open();
        assert.deepEqual(await pendingMigrations(db, engine), []);
      }
    });

    test('opens once the pending migrations are applied, and a second migrate applies nothing', async () => {
      const store = await createTestDatabase({ engine, migrated: false });
      stores.push(store);
      const { db } = await store.open({ migrations: 'none' });
      assert.deepEqual(await migrateToLatest(db, engine), allMigrations);
      assert.deepEqual(await migrateToLatest(db, engine), []);
      assert.deepEqual(await pendingMigrations(db, engine), []);
      const checked = await store.open({ migrations: 'check' });
      assert.equal(checked.engine, engine);
    });
  });
}
