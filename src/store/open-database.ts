import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { ensurePrivateDir, ensurePrivateFile, restrictFile } from '../core/private-files.js';
import { classifyStoreFailure } from '../core/store-failure.js';
import type { Engine } from './engine.js';
import { assertSchemaCurrent, migrateToLatest } from './migrator.js';
import { createPostgresPool, ensureSchema } from './postgres/postgres-pool.js';
import { SchemaScopedPostgresDialect } from './postgres/schema-scoped-dialect.js';
import type { Database } from './schema.js';
import { ImmediateSqliteDialect, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-dialect.js';
import { registerSqliteHandle } from './sqlite-handles.js';

export interface OpenDatabaseOptions {
  /** `postgres://…` for PostgreSQL; unset = SQLite in `dataDir`. */
  databaseUrl?: string;
  /** Where the SQLite file lives (`gatehouse.db`). */
  dataDir: string;
  /** PostgreSQL schema to use (tests give each run its own); default `public`. */
  schema?: string;
  /**
   * `auto` applies pending migrations; `check` refuses to open a schema that is behind (STORE_MIGRATION_PENDING);
   * `none` leaves the schema alone (`gatehouse migrate` itself, which reports what it applies). Default: `auto` on
   * SQLite (the embedded store migrates itself), `check` on PostgreSQL, where several instances share the schema and
   * only `gatehouse migrate` changes it, so a new version never migrates under running older ones.
   */
  migrations?: 'auto' | 'check' | 'none';
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
  /** Where lost PostgreSQL connections are reported (they are handled; the log says why a page was repeated). */
  logger?: Logger;
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}

export const SQLITE_FILE = 'gatehouse.db';

function openSqliteFile(dataDir: string): SqliteDatabase.Database {
  try {
    ensurePrivateDir(dataDir);
    const path = join(dataDir, SQLITE_FILE);
    // 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
    ensurePrivateFile(path);
    for (const suffix of ['-wal', '-shm', '-journal']) restrictFile(`${path}${suffix}`);
    return new SqliteDatabase(path);
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    throw new AppError('STORE_UNAVAILABLE', {
      message: `Cannot open the SQLite store in ${dataDir}${typeof code === 'string' ? ` (${code})` : ''}.`,
      hint: 'Point --data-dir or GATEHOUSE_DATA_DIR at a directory this user can create and write.',
      details: { engine: 'sqlite', dataDir },
      cause,
    });
  }
}

function openSqlite(dataDir: string): Kysely<Database> {
  const file = openSqliteFile(dataDir);
  // WAL lets readers (the CLI, a second process) run while a sync writes; busy_timeout turns lock contention into
  // waiting instead of SQLITE_BUSY errors.
  file.pragma('journal_mode = WAL');
  file.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  // A sync page of ~1,000 users dirties about as many B-tree pages (random object ids, the UPN index): with SQLite's
  // default checkpoint every 1,000 WAL pages nearly every page's commit also checkpointed, copying pages the next
  // page rewrites anyway. Every 10,000 pages (~40 MB of WAL) measured 10-15% less CPU per user written at 100,000
  // users (issue 13, `npm run bench -- sync-store`).
  file.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(file) });
  registerSqliteHandle(db, file);
  return db;
}

async function openPostgres(options: OpenDatabaseOptions & { databaseUrl: string }): Promise<Kysely<Database>> {
  const schema = options.schema ?? 'public';
  const pool = createPostgresPool({
    url: options.databaseUrl,
    schema,
    poolSize: options.poolSize,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  try {
    await ensureSchema(pool, schema);
  } catch (error) {
    await pool.end();
    throw new AppError('STORE_UNAVAILABLE', {
      cause: error,
      details: { engine: 'postgres', schema, ...driverCode(error) },
    });
  }
  return new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }) });
}

/**
 * The driver's error code (PostgreSQL SQLSTATE like `53300` too many connections, `ECONNREFUSED`, `SQLITE_CANTOPEN`)
 * for the details of STORE_UNAVAILABLE: a code, never the driver's text (it may quote the connection string).
 */
function driverCode(error: unknown): { driverCode?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? { driverCode: code } : {};
}

/** Opens the store (SQLite by default, PostgreSQL when a URL is given) and brings or checks its schema. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const engine: Engine = options.databaseUrl ? 'postgres' : 'sqlite';
  if (options.databaseUrl && !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new AppError('CONFIG_INVALID', {
      message: 'GATEHOUSE_DATABASE_URL must start with postgres:// or postgresql://.',
    });
  }
  let db: Kysely<Database>;
  try {
    db = options.databaseUrl
      ? await openPostgres({ ...options, databaseUrl: options.databaseUrl })
      : openSqlite(options.dataDir);
  } catch (error) {
    // A damaged file answers its first pragma with SQLITE_NOTADB / SQLITE_CORRUPT: STORE_CORRUPT, not INTERNAL.
    throw classifyStoreFailure(error) ?? error;
  }
  try {
    const mode = options.migrations ?? (engine === 'postgres' ? 'check' : 'auto');
    if (mode === 'auto') await migrateToLatest(db, engine);
    else if (mode === 'check') await assertSchemaCurrent(db, engine);
  } catch (error) {
    await db.destroy();
    if (error instanceof AppError) throw error;
    const known = classifyStoreFailure(error);
    if (known && known.code !== 'STORE_UNAVAILABLE') throw known;
    throw new AppError('STORE_UNAVAILABLE', { cause: error, details: { engine, ...driverCode(error) } });
  }
  return { db, engine, close: () => db.destroy() };
}
