import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine } from '../../src/store/engine.js';
import { type OpenDatabaseOptions, type OpenedDatabase, openDatabase } from '../../src/store/open-database.js';

/**
 * A fresh, isolated store for one test: a temp data dir (always: key files live there) and, on PostgreSQL, a schema
 * of its own on `GATEHOUSE_TEST_DATABASE_URL`, dropped with everything in it on `close()`.
 *
 * The engine is `options.engine`, else `GATEHOUSE_TEST_ENGINE` (`sqlite` by default), so the same integration test
 * runs on both engines: `GATEHOUSE_TEST_ENGINE=postgres GATEHOUSE_TEST_DATABASE_URL=postgres://… npm test`.
 *
 * @example
 * const store = await createTestDatabase();
 * after(() => store.close());
 * const { db } = await store.open();
 */
export interface TestDatabase {
  readonly engine: Engine;
  /** A fresh temp dir (SQLite file, key file). */
  readonly dataDir: string;
  /** Set on PostgreSQL. */
  readonly databaseUrl?: string;
  /** The test's own schema on PostgreSQL. */
  readonly schema?: string;
  /** What `openDatabase` / `openGatehouse` need to use this store. */
  readonly options: Pick<OpenDatabaseOptions, 'dataDir' | 'databaseUrl' | 'schema'>;
  /** The same, as environment variables for the CLI or a spawned `gatehouse` process. */
  readonly env: Readonly<Record<string, string>>;
  /** Opens the store (migrated by default); everything opened here is closed by `close()`. */
  open(overrides?: Partial<OpenDatabaseOptions>): Promise<OpenedDatabase>;
  /** Closes what `open` opened, drops the schema (PostgreSQL) and removes the temp dir. */
  close(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Default: `GATEHOUSE_TEST_ENGINE`, else `sqlite`. */
  engine?: Engine;
  /**
   * PostgreSQL only: apply the migrations when creating the schema (default true), as `gatehouse migrate` does before
   * a deployment; gatehouse itself only checks the schema on PostgreSQL. False leaves an empty, behind schema.
   */
  migrated?: boolean;
}

/** The PostgreSQL URL tests may use, or undefined when the PostgreSQL half is to be skipped. */
export function postgresTestUrl(): string | undefined {
  const url = process.env.GATEHOUSE_TEST_DATABASE_URL?.trim();
  return url ? url : undefined;
}

/**
 * `false` when PostgreSQL tests can run, else the loud reason to hand to node:test's `skip` option.
 *
 * @example
 * describe('connections on PostgreSQL', { skip: postgresSkipReason() }, () => { … });
 */
export function postgresSkipReason(): string | false {
  if (postgresTestUrl()) return false;
  const reason =
    'SKIPPED: PostgreSQL tests need GATEHOUSE_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)';
  warnOnce(reason);
  return reason;
}

let warned = false;
function warnOnce(reason: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`\n!!! ${reason} !!!\n\n`);
}

/** The engine integration tests run on: `GATEHOUSE_TEST_ENGINE` (`sqlite` | `postgres`), default `sqlite`. */
export function testEngine(): Engine {
  const value = process.env.GATEHOUSE_TEST_ENGINE?.trim().toLowerCase() || 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres') {
    throw new Error(`GATEHOUSE_TEST_ENGINE must be sqlite or postgres, not '${value}'.`);
  }
  return value;
}

/** The schema(s) a test schema owns: its own, plus the job queue's (see src/jobs). */
export function ownedSchemas(schema: string): string[] {
  return [schema, `${schema}_jobs`];
}

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'gatehouse-tests' });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops the schemas of test processes on this machine that died without cleaning up (killed, timed out), so repeated
 * runs do not fill the database. A schema whose process still runs is left alone.
 */
async function dropOrphanSchemas(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    "select nspname as name from pg_namespace where nspname like 'gh\\_test\\_%'",
  );
  for (const { name } of rows) {
    const pid = Number(name.split('_')[2]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await client.query(`drop schema if exists ${name} cascade`).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

let orphansDropped = false;

function uniqueSchemaName(): string {
  return `gh_test_${process.pid}_${randomBytes(5).toString('hex')}`;
}

/** Creates a fresh store for one test (see TestDatabase). */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const engine = options.engine ?? testEngine();
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const opened: OpenedDatabase[] = [];
  let base: TestDatabase['options'] = { dataDir };
  let env: Record<string, string> = { GATEHOUSE_DATA_DIR: dataDir };
  let dropSchema = async () => {};

  if (engine === 'postgres') {
    const url = postgresTestUrl();
    if (!url) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error('PostgreSQL was asked for but GATEHOUSE_TEST_DATABASE_URL is not set.');
    }
    const schema = uniqueSchemaName();
    await withAdminClient(url, async (client) => {
      if (!orphansDropped) {
        orphansDropped = true;
        await dropOrphanSchemas(client);
      }
      await client.query(`create schema ${schema}`);
    });
    base = { dataDir, databaseUrl: url, schema };
    if (options.migrated !== false) await (await openDatabase({ ...base, migrations: 'auto', poolSize: 1 })).close();
    env = { ...env, GATEHOUSE_DATABASE_URL: url, GATEHOUSE_DATABASE_SCHEMA: schema };
    dropSchema = () =>
      withAdminClient(url, async (client) => {
        for (const owned of ownedSchemas(schema)) await client.query(`drop schema if exists ${owned} cascade`);
      });
  }

  return {
    engine,
    dataDir,
    databaseUrl: base.databaseUrl,
    schema: base.schema,
    options: base,
    env,
    async open(overrides = {}) {
      const db = await openDatabase({ ...base, ...overrides });
      opened.push(db);
      return db;
    },
    async close() {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      try {
        await dropSchema();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
