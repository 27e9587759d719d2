import type BetterSqlite3 from 'better-sqlite3';
import type { DialectAdapter, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Kysely's adapter object of a database (shared by its transactions) → the better-sqlite3 handle behind it. */
const sqliteHandles = new WeakMap<DialectAdapter, BetterSqlite3.Database>();

/** Called once when the SQLite store opens, so the bulk path can find the handle from any `Kysely` of that store. */
export function registerSqliteHandle(db: Kysely<Database>, handle: BetterSqlite3.Database): void {
  sqliteHandles.set(db.getExecutor().adapter, handle);
}

/** The better-sqlite3 handle behind `db` (or its transaction), or undefined on PostgreSQL. */
export function sqliteHandleOf(db: Kysely<Database>): BetterSqlite3.Database | undefined {
  return sqliteHandles.get(db.getExecutor().adapter);
}
