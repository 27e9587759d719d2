import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import type { Engine } from '../../src/store/engine.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/test-database.js';

const allMigrations = MIGRATIONS.map((m) => m.name);

async function cli(args: string[], env: Readonly<Record<string, string>>) {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const exitCode = await runCli(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin,
    env: { ...env, GATEHOUSE_LOG_LEVEL: 'silent' },
    cwd: process.cwd(),
  });
  return { exitCode, stdout, stderr };
}

for (const engine of ['sqlite', 'postgres'] as const satisfies readonly Engine[]) {
  describe(`gatehouse migrate on ${engine}`, { skip: engine === 'postgres' ? postgresSkipReason() : false }, () => {
    const stores: TestDatabase[] = [];
    after(() => Promise.all(stores.map((s) => s.close())));

    test('--check reports a behind schema (exit 1), migrate applies it once, then both say current', async () => {
      const store = await createTestDatabase({ engine, migrated: false });
      stores.push(store);
      await (await store.open({ migrations: 'none' })).close();

      const behind = await cli(['migrate', '--check', '--json'], store.env);
      assert.equal(behind.exitCode, 1);
      assert.deepEqual(JSON.parse(behind.stdout), { engine, applied: [], pending: allMigrations });

      const applied = await cli(['migrate', '--json'], store.env);
      assert.equal(applied.exitCode, 0, applied.stderr);
      assert.deepEqual(JSON.parse(applied.stdout), { engine, applied: allMigrations, pending: [] });

      const again = await cli(['migrate'], store.env);
      assert.equal(again.exitCode, 0);
      assert.match(again.stdout, /already current; nothing applied/);

      const current = await cli(['migrate', '--check'], store.env);
      assert.equal(current.exitCode, 0);
      assert.match(current.stdout, /schema is current/);
    });

    test('a store opened with migrations: check starts only after migrate', async () => {
      const store = await createTestDatabase({ engine, migrated: false });
      stores.push(store);
      await (await store.open({ migrations: 'none' })).close();
      await assert.rejects(store.open({ migrations: 'check' }), { code: 'STORE_MIGRATION_PENDING' });
      assert.equal((await cli(['migrate'], store.env)).exitCode, 0);
      assert.equal((await store.open({ migrations: 'check' })).engine, engine);
    });
  });
}
