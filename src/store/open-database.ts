import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import type { Engine } from './engine.js';
import { assertSchemaCurrent, migrateToLatest } from './migrator.js';
import type { Database } from './schema.js';

export interface OpenDatabaseOptions {
  /** `postgres://…` for PostgreSQL; unset = SQLite in `dataDir`. */
  databaseUrl?: string;
  /** Where the SQLite file lives (`gatehouse.db`). */
  dataDir: string;
  /** PostgreSQL schema to use (tests give each run its own); default `public`. */
  schema?: string;
  /**
   * `auto` applies pending migrations (the embedded default); `check` refuses to start when the schema is behind
   * (several instances on PostgreSQL migrate once, with `gatehouse migrate`).
   */
  migrations?: 'auto' | 'check';
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}

export const SQLITE_FILE = 'gatehouse.db';

function openSqlite(dataDir: string): Kysely<Database> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = new SqliteDatabase(join(dataDir, SQLITE_FILE));
  // WAL lets readers (the CLI, a second process) run while a sync writes; busy_timeout turns lock contention into
  // waiting instead of SQLITE_BUSY errors.
  file.pragma('journal_mode = WAL');
  file.pragma('busy_timeout = 5000');
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
}

function openPostgres(url: string, schema: string | undefined, poolSize: number): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the store (SQLite by default, PostgreSQL when a URL is given) and brings or checks its schema. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const engine: Engine = options.databaseUrl ? 'postgres' : 'sqlite';
  if (options.databaseUrl && !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new AppError('CONFIG_INVALID', {
      message: 'GATEHOUSE_DATABASE_URL must start with postgres:// or postgresql://.',
    });
  }
  const db = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10)
    : openSqlite(options.dataDir);
  try {
    if ((options.migrations ?? 'auto') === 'auto') await migrateToLatest(db, engine);
    else await assertSchemaCurrent(db, engine);
  } catch (error) {
    await db.destroy();
    if (error instanceof AppError) throw error;
    throw new AppError('STORE_UNAVAILABLE', { cause: error, details: { engine } });
  }
  return { db, engine, close: () => db.destroy() };
}
