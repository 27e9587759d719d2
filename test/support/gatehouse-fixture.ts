import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import { type Emulator, type EmulatorOptions, type RegisteredApp, startEmulator } from '../../src/emulator/index.js';
import { type Gatehouse, openGatehouse } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface GatehouseFixtureOptions {
  /** Options for the in-process emulator (seed, clock, token lifetime, …). */
  emulator?: EmulatorOptions;
  /** Name of the connection created for the emulator's default app (default `entra-test`). */
  connectionName?: string;
  /** Parameters added to or replacing the default app's (e.g. `{ SecretExpiresOn: '2027-01-01' }`). */
  parameters?: Record<string, string>;
  /** false = create no connection (default true). */
  createConnection?: boolean;
  /** Clock for gatehouse and the CLI runs (the emulator takes its own in `emulator.clock`). */
  clock?: Clock;
  logger?: Logger;
  /** PostgreSQL instead of SQLite (give a schema of its own too). */
  databaseUrl?: string;
  databaseSchema?: string;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (run the command with `--json`). */
  json<T = unknown>(): T;
}

export interface GatehouseFixture {
  readonly gatehouse: Gatehouse;
  readonly emulator: Emulator;
  /** The connection pointing at the emulator's default app (AuthorityHost = GraphEndpoint = emulator url). */
  readonly connectionName: string;
  readonly dataDir: string;
  /** The random master key (base64 of 32 bytes) this gatehouse was opened with. */
  readonly masterKey: string;
  /** The environment `runCli` passes (GATEHOUSE_DATA_DIR, GATEHOUSE_MASTER_KEY, …). */
  readonly env: Record<string, string>;
  /** Runs `gatehouse ARGS` in-process against this data dir; never throws for a failing command. */
  runCli(args: readonly string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Creates a connection for another emulator app (e.g. one from `emulator.registerApp`). */
  createConnectionFor(name: string, app: RegisteredApp, extra?: Record<string, string>): Promise<void>;
  /** The EntraID parameters for an emulator app (secret Value, emulator as AuthorityHost and GraphEndpoint). */
  parametersFor(app: RegisteredApp, extra?: Record<string, string>): Record<string, string>;
  /** Closes gatehouse, stops the emulator, removes the data dir. */
  close(): Promise<void>;
}

/**
 * An in-process emulator plus a gatehouse on a temp data dir with a random master key and one EntraID connection
 * to the emulator's default app. Every integration test starts here.
 *
 * @example
 *   const fx = await startGatehouseFixture();
 *   after(() => fx.close());
 *   const result = await fx.runCli(['connections', 'test', fx.connectionName, '--json']);
 */
export async function startGatehouseFixture(options: GatehouseFixtureOptions = {}): Promise<GatehouseFixture> {
  const emulator = await startEmulator(options.emulator);
  // The store comes from the test-database helper, so GATEHOUSE_TEST_ENGINE=postgres runs every integration test on
  // PostgreSQL (a schema of its own, dropped on close); an explicit databaseUrl still wins.
  let store: TestDatabase | undefined;
  let dataDir: string;
  let database: { databaseUrl?: string; databaseSchema?: string };
  try {
    if (options.databaseUrl) {
      dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
      database = { databaseUrl: options.databaseUrl, databaseSchema: options.databaseSchema };
    } else {
      store = await createTestDatabase();
      dataDir = store.dataDir;
      database = { databaseUrl: store.databaseUrl, databaseSchema: store.schema };
    }
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  const removeStore = async () => {
    if (store) await store.close();
    else rmSync(dataDir, { recursive: true, force: true });
  };
  const masterKey = randomBytes(32).toString('base64');
  const connectionName = options.connectionName ?? 'entra-test';
  let gatehouse: Gatehouse;
  try {
    gatehouse = await openGatehouse({
      dataDir,
      masterKey,
      ...(database.databaseUrl ? { databaseUrl: database.databaseUrl } : {}),
      ...(database.databaseSchema ? { databaseSchema: database.databaseSchema } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } catch (error) {
    await emulator.stop();
    await removeStore();
    throw error;
  }
  const env: Record<string, string> = {
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_MASTER_KEY: masterKey,
    GATEHOUSE_LOG_LEVEL: process.env.GATEHOUSE_LOG_LEVEL ?? 'silent',
    ...(database.databaseUrl ? { GATEHOUSE_DATABASE_URL: database.databaseUrl } : {}),
    ...(database.databaseSchema ? { GATEHOUSE_DATABASE_SCHEMA: database.databaseSchema } : {}),
  };
  const parametersFor = (app: RegisteredApp, extra: Record<string, string> = {}) => ({
    TenantID: emulator.tenant.id,
    ClientID: app.clientId,
    ...(app.secretValue ? { ClientSecret: app.secretValue } : {}),
    AuthorityHost: emulator.url,
    GraphEndpoint: emulator.url,
    ...extra,
  });
  const createConnectionFor = async (name: string, app: RegisteredApp, extra: Record<string, string> = {}) => {
    const parameters = Object.entries(parametersFor(app, extra)).map(([key, value]) => ({ key, value }));
    await gatehouse.connections.create({ name, type: 'EntraID', parameters });
  };

  const fixture: GatehouseFixture = {
    gatehouse,
    emulator,
    connectionName,
    dataDir,
    masterKey,
    env,
    parametersFor,
    createConnectionFor,
    runCli: (args, runOptions = {}) =>
      runInProcess(args, { ...env, ...runOptions.env }, runOptions.stdin, options.clock),
    async close() {
      await gatehouse.close();
      await emulator.stop();
      await removeStore();
    },
  };
  if (options.createConnection !== false) {
    try {
      await createConnectionFor(connectionName, emulator.defaultApp, options.parameters);
    } catch (error) {
      await fixture.close();
      throw error;
    }
  }
  return fixture;
}

async function runInProcess(
  args: readonly string[],
  env: Record<string, string>,
  stdinText: string | undefined,
  clock: Clock | undefined,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end(stdinText ?? '');
  const exitCode = await runCli(
    args,
    {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      stdin,
      env,
      cwd: process.cwd(),
    },
    clock ? { clock } : {},
  );
  return {
    exitCode,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${exitCode}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}
