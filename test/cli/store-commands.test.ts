import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MASTER_KEY_FILE } from '../../src/crypto/master-key-file.js';
import { SQLITE_FILE } from '../../src/store/open-database.js';
import { testEngine } from '../support/test-database.js';
import { type CliHarness, createCliHarness, entraParams } from './cli-harness.js';

interface CheckJson {
  ok: boolean;
  checks: { name: string; ok: boolean; code?: string; hint?: string }[];
}

/** Issue 17: `gatehouse store check`, `gatehouse backup FILE`, `gatehouse restore FILE` (SQLite). */
describe('store check, backup and restore', { skip: testEngine() !== 'sqlite' && 'SQLite only' }, () => {
  let h: CliHarness;
  before(async () => {
    h = await createCliHarness();
  });
  after(() => h.close());

  const create = async (name: string) => {
    const run = await h.run([
      'connections',
      'create',
      '--name',
      name,
      '--type',
      'EntraID',
      ...entraParams('s3cr3t~value.0123456789'),
    ]);
    assert.equal(run.code, 0, run.stderr);
  };
  const names = async () =>
    (await h.run(['connections', 'list', '--json']))
      .json<{ name: string }[]>()
      .map((c) => c.name)
      .sort();

  it('store check passes on a healthy store', async () => {
    await create('Before');
    const run = await h.run(['store', 'check', '--json']);
    assert.equal(run.code, 0, run.stdout);
    const result = run.json<CheckJson>();
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.checks.map((c) => c.name),
      ['free space', 'open', 'integrity', 'schema', 'master key'],
    );
    const text = await h.run(['store', 'check']);
    assert.match(text.stdout, /All checks passed/);
  });

  it('backup copies the live store and warns about the key; restore brings it back', async () => {
    const file = join(h.dataDir, 'backup.db');
    const backup = await h.run(['backup', file]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stderr, /does NOT contain the master key/);
    assert.ok(existsSync(file));
    assert.equal((await h.run(['backup', file])).code, 2, 'no silent overwrite');

    await create('After');
    assert.deepEqual(await names(), ['After', 'Before']);
    const restore = await h.run(['restore', file, '--json']);
    assert.equal(restore.code, 0, restore.stderr);
    const result = restore.json<{ keptAside: string; masterKey: { ok: boolean } }>();
    assert.equal(result.masterKey.ok, true);
    assert.ok(existsSync(result.keptAside), 'the replaced store is kept aside');
    assert.deepEqual(await names(), ['Before'], 'the store is the backup again');
    assert.equal((await h.run(['store', 'check', '--json'])).json<CheckJson>().ok, true);
  });

  it('restore refuses a file that is not a gatehouse store', async () => {
    const junk = join(h.dataDir, 'junk.db');
    writeFileSync(junk, randomBytes(8192));
    const run = await h.run(['restore', junk, '--json']);
    assert.equal(run.code, 1);
    assert.equal(run.json<{ error: { code: string } }>().error.code, 'STORE_CORRUPT');
    assert.deepEqual(await names(), ['Before'], 'the store is untouched');
  });

  it('store check names a missing master.key and a damaged file', async () => {
    const key = join(h.dataDir, MASTER_KEY_FILE);
    renameSync(key, `${key}.away`);
    const missing = await h.run(['store', 'check', '--json']);
    assert.equal(missing.code, 1);
    const keyCheck = missing.json<CheckJson>().checks.find((c) => c.name === 'master key');
    assert.equal(keyCheck?.code, 'KEY_FILE_MISSING');
    assert.equal(existsSync(key), false, 'the check creates no key file');
    renameSync(`${key}.away`, key);

    writeFileSync(join(h.dataDir, SQLITE_FILE), randomBytes(64 * 1024));
    for (const f of readdirSync(h.dataDir)) if (/-(wal|shm)$/.test(f)) writeFileSync(join(h.dataDir, f), '');
    const corrupt = await h.run(['store', 'check', '--json']);
    assert.equal(corrupt.code, 1);
    const open = corrupt.json<CheckJson>().checks.find((c) => c.name === 'open');
    assert.equal(open?.code, 'STORE_CORRUPT');
    assert.match(String(open?.hint), /restore/);
  });
});
