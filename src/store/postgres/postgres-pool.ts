import pg from 'pg';
import { AppError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { CONNECTION_LOST } from '../../core/store-failure.js';

/** PostgreSQL's type oid for `int8`/`bigint` (what `count(*)` and `bigint` columns return). */
const INT8_OID = 20;

/** A schema name we can put into `search_path` and DDL without quoting: lower-case identifier, ≤ 63 bytes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresPoolOptions {
  /** `postgres://user@host:5432/db`. */
  url: string;
  /** The schema every connection works in (`search_path`); default `public`. */
  schema?: string;
  /** Maximum connections in the pool (default 10). */
  poolSize?: number;
  /** Where idle-connection failures go (a restarted server); the next query reports its own error. */
  logger?: Logger;
}

/** Checks a schema name before it reaches `search_path` or DDL. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new AppError('CONFIG_INVALID', {
      message: `PostgreSQL schema '${schema}' is not valid: use lower-case letters, digits and _ (at most 63, not starting with a digit).`,
      details: { schema },
    });
  }
}

/**
 * pg returns int8 as a string because it can exceed 2^53. Our int8 values are counts and sizes far below that,
 * and SQLite returns them as numbers, so both engines answer alike. Set per pool, not on pg's global registry.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** A pool whose every connection works in `schema`, with int8 parsed to numbers. */
export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const schema = options.schema ?? 'public';
  assertSchemaName(schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // Per schema, so an operator (or a test) can tell one deployment's connections from another's.
    application_name: schema === 'public' ? 'gatehouse' : `gatehouse/${schema}`.slice(0, 63),
    // `-c` sets the parameter at connection start, so every pooled connection (and pg-boss's) sees the schema.
    options: `-c search_path=${schema}`,
    types,
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (error) => options.logger?.warn({ err: error.message }, 'idle PostgreSQL connection failed'));
  pool.on('connect', (client) => watchClient(client, options.logger));
  return pool;
}

/** What pg keeps on a client about its connection (pg-pool reads the same fields to drop dead clients). */
interface ClientState {
  _ended?: boolean;
  _ending?: boolean;
  _queryable?: boolean;
}

function isDead(client: pg.PoolClient): boolean {
  const state = client as unknown as ClientState;
  return state._ended === true || state._ending === true || state._queryable === false;
}

/**
 * pg-pool listens for errors only on IDLE clients: a connection that dies while checked out (a database restart or
 * `pg_terminate_backend` during a sync's transaction) emits 'error' with no listener, which ends the process
 * (issue 17 case 1). Every client gets a listener for its whole life, and the code-less errors pg raises for a dead
 * connection ("Connection terminated unexpectedly", "not queryable") get the code CONNECTION_LOST, so they are
 * classified as STORE_UNAVAILABLE (retryable) like the server's own 57P01, never INTERNAL.
 */
function watchClient(client: pg.PoolClient, logger: Logger | undefined): void {
  client.on('error', (error: Error & { code?: string }) => {
    logger?.warn({ err: error.message, driverCode: error.code }, 'PostgreSQL connection failed');
  });
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      if (error instanceof Error && (error as { code?: unknown }).code === undefined && isDead(client)) {
        Object.assign(error, { code: CONNECTION_LOST });
      }
      throw error;
    });
  };
}

/** Creates the schema when missing; tolerates another instance creating it at the same moment. */
export async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  assertSchemaName(schema);
  try {
    await pool.query(`create schema if not exists ${schema}`);
  } catch (error) {
    // 23505 unique_violation / 42P06 duplicate_schema: a concurrent `create schema if not exists` won the race.
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}
