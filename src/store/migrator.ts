import { type Kysely, type MigrationProvider, Migrator, sql } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Engine } from './engine.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';
import type { Database } from './schema.js';

const MIGRATION_TABLE = 'gatehouse_migrations';
const MIGRATION_LOCK_TABLE = 'gatehouse_migrations_lock';

/**
 * On PostgreSQL the migration tables must be looked up in the connection's own schema: Kysely's table check
 * otherwise matches a `gatehouse_migrations` in ANY schema of the database (another instance's, another test's).
 */
async function migrationSchema(db: Kysely<Database>, engine: Engine): Promise<string | undefined> {
  if (engine !== 'postgres') return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

async function createMigrator(
  db: Kysely<Database>,
  engine: Engine,
  migrations: readonly Migration[],
): Promise<Migrator> {
  const provider: MigrationProvider = {
    async getMigrations() {
      return Object.fromEntries(migrations.map((m) => [m.name, { up: (d: Kysely<unknown>) => m.up(d, engine) }]));
    },
  };
  return new Migrator({
    db,
    provider,
    // Areas own number ranges (see migrations/index.ts), so a release may add 0013 to a database that already ran
    // 0030. The areas' tables are independent, so applying a lower-numbered newcomer late is safe; Kysely's
    // default would refuse to start instead.
    allowUnorderedMigrations: true,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    migrationTableSchema: await migrationSchema(db, engine),
  });
}

/** Applies every pending migration (Kysely's migrator takes a lock, so concurrent callers are safe). */
export async function migrateToLatest(
  db: Kysely<Database>,
  engine: Engine,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  const { error, results } = await (await createMigrator(db, engine, migrations)).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The names of migrations this version knows but the database has not applied yet. */
export async function pendingMigrations(
  db: Kysely<Database>,
  engine: Engine,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  const infos = await (await createMigrator(db, engine, migrations)).getMigrations();
  return infos.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Refuses to run on a schema that is behind this version (product.md: a clear startup error). */
export async function assertSchemaCurrent(db: Kysely<Database>, engine: Engine): Promise<void> {
  const pending = await pendingMigrations(db, engine);
  if (pending.length > 0) {
    throw new AppError('STORE_MIGRATION_PENDING', {
      message: `The database schema is behind this version of gatehouse: ${pending.length} migration(s) pending (${pending.join(', ')}).`,
      details: { pending },
    });
  }
}
