import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { runCli } from '../../src/cli/main.js';
import { classifyStoreFailure } from '../../src/core/store-failure.js';
import { SQLITE_FILE } from '../../src/store/open-database.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { testEngine } from '../support/test-database.js';
import { assertMirrors } from './sync-assertions.js';

/** Runs the CLI in-process on `dataDir` with a fresh key; returns exit code and the two streams. */
async function cli(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    stdin: process.stdin,
    env: { GATEHOUSE_LOG_LEVEL: 'error', ...env },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

describe('store failures are classified by driver code (issue 17 cases 4 and 5)', () => {
  it('maps SQLite, system and PostgreSQL codes, never text', () => {
    const of = (code: string) => classifyStoreFailure(Object.assign(new Error('any text'), { code }))?.code;
    assert.equal(of('SQLITE_FULL'), 'STORE_FULL');
    assert.equal(of('ENOSPC'), 'STORE_FULL');
    assert.equal(of('53100'), 'STORE_FULL');
    assert.equal(of('SQLITE_CORRUPT'), 'STORE_CORRUPT');
    assert.equal(of('SQLITE_CORRUPT_INDEX'), 'STORE_CORRUPT');
    assert.equal(of('SQLITE_NOTADB'), 'STORE_CORRUPT');
    assert.equal(of('SQLITE_BUSY_SNAPSHOT'), 'STORE_BUSY');
    assert.equal(of('57P01'), 'STORE_UNAVAILABLE');
    assert.equal(of('08006'), 'STORE_UNAVAILABLE');
    assert.equal(of('ECONNREFUSED'), 'STORE_UNAVAILABLE');
    assert.equal(of('SQLITE_CONSTRAINT_UNIQUE'), undefined);
    assert.equal(classifyStoreFailure(new Error('database or disk is full')), undefined, 'text is not a code');
  });
});

describe('a full disk during a sync (injected SQLITE_FULL)', {
  skip: testEngine() !== 'sqlite' && 'SQLite only',
}, () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 1500, groups: 60, seed: 'store-full' } });
  });
  after(() => fx.close());

  it('fails the run as STORE_FULL with its hint and closes the run row, then resumes once space returns', async () => {
    const db = fx.gatehouse.store.db;
    const connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]?.page_count);
    // The file may not grow beyond a few more pages: the first big page of the sync meets a full "disk".
    await sql.raw(`pragma max_page_count = ${pages + 6}`).execute(db);
    try {
      const report = await fx.gatehouse.sync.run(fx.connectionName);
      assert.equal(report.status, 'failed');
      assert.equal(report.errors[0]?.code, 'STORE_FULL', JSON.stringify(report.errors));
      assert.match(String(report.errors[0]?.hint), /Free space/);
      const [run] = await fx.gatehouse.sync.history(fx.connectionName, 1);
      assert.equal(run?.status, 'failed', 'the run row is closed, not left running');
      assert.equal(run?.errorCode, 'STORE_FULL');
      const status = await fx.gatehouse.sync.status(fx.connectionName);
      assert.equal(status.running, false);
    } finally {
      await sql.raw('pragma max_page_count = 1073741823').execute(db);
    }
    const resumed = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(resumed.status, 'succeeded', JSON.stringify(resumed.errors));
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });
});

describe('a damaged store file', { skip: testEngine() !== 'sqlite' && 'SQLite only' }, () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-corrupt-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = () => ({ GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_MASTER_KEY: randomBytes(32).toString('base64') });

  it('a garbled file is STORE_CORRUPT with the restore hint and no stack trace', async () => {
    writeFileSync(join(dataDir, SQLITE_FILE), randomBytes(64 * 1024));
    const run = await cli(['connections', 'list'], env());
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error STORE_CORRUPT/);
    assert.match(run.stderr, /hint: .*restore/i);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace without --verbose');
    const json = await cli(['connections', 'list', '--json'], env());
    assert.equal(JSON.parse(json.stdout).error.code, 'STORE_CORRUPT');
  });

  it('a file damaged after its header, or truncated, is STORE_CORRUPT too', async () => {
    rmSync(dataDir, { recursive: true, force: true });
    const keyEnv = env();
    assert.equal((await cli(['connections', 'list'], keyEnv)).code, 0, 'a store is created');
    const path = join(dataDir, SQLITE_FILE);
    // Keep the header, damage the rest: the schema pages the migrator reads are gone.
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, randomBytes(size - 100), 0, size - 100, 100);
    closeSync(fd);
    const run = await cli(['connections', 'list'], keyEnv);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /error STORE_CORRUPT/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal((await cli(['connections', 'list'], keyEnv)).code, 0, 'a new store is created');
    truncateSync(path, Math.floor(statSync(path).size / 3));
    const truncated = await cli(['connections', 'list'], keyEnv);
    assert.equal(truncated.code, 1, truncated.stderr);
    assert.match(truncated.stderr, /error STORE_CORRUPT/);
  });
});
