import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import { type Gatehouse, openGatehouse } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with both streams when it is not). */
  json<T = Record<string, unknown>>(): T;
}

export interface CliHarness {
  readonly store: TestDatabase;
  readonly dataDir: string;
  /** The environment every run gets (data dir, database, log level); add GATEHOUSE_MASTER_KEY per harness. */
  readonly env: Record<string, string>;
  run(args: readonly string[], env?: Record<string, string | undefined>): Promise<CliRun>;
  /** Opens gatehouse on the same store with the same key (close it yourself, or let close() do it). */
  open(): Promise<Gatehouse>;
  close(): Promise<void>;
}

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

/** A fresh store (engine of this run) and a way to run the CLI in-process against it. */
export async function createCliHarness(options: { masterKey?: 'file' | 'env' } = {}): Promise<CliHarness> {
  const store = await createTestDatabase();
  const env: Record<string, string> = { ...store.env, GATEHOUSE_LOG_LEVEL: 'silent', HOME: store.dataDir };
  if (options.masterKey === 'env') env.GATEHOUSE_MASTER_KEY = randomBytes(32).toString('base64');
  const opened: Gatehouse[] = [];
  return {
    store,
    dataDir: store.dataDir,
    env,
    run: (args, extra = {}) => runInProcess(args, { ...env, ...extra }),
    async open() {
      const gatehouse = await openGatehouse({
        dataDir: store.dataDir,
        databaseUrl: store.databaseUrl,
        databaseSchema: store.schema,
        masterKey: env.GATEHOUSE_MASTER_KEY,
      });
      opened.push(gatehouse);
      return gatehouse;
    },
    async close() {
      await Promise.all(opened.splice(0).map((g) => g.close()));
      await store.close();
    },
  };
}

export async function runInProcess(args: readonly string[], env: Record<string, string | undefined>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end('');
  const code = await runCli(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin,
    env,
    cwd: process.cwd(),
  });
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/** The `--param` arguments of a valid EntraID connection with this secret. */
export function entraParams(secret: string, extra: string[] = []): string[] {
  return [
    '--param',
    `TenantID=${TENANT}`,
    '--param',
    `ClientID=${CLIENT}`,
    '--param',
    `ClientSecret=${secret}`,
    ...extra.flatMap((p) => ['--param', p]),
  ];
}
