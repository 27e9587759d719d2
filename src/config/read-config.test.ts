import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../core/errors.js';
import { readConfig } from './read-config.js';

test('--data-dir wins over GATEHOUSE_DATA_DIR, which wins over ~/.gatehouse; paths resolve against cwd', () => {
  assert.equal(readConfig({ env: { HOME: '/home/a' }, cwd: '/w' }).dataDir, '/home/a/.gatehouse');
  assert.equal(readConfig({ env: { GATEHOUSE_DATA_DIR: 'data' }, cwd: '/w' }).dataDir, '/w/data');
  assert.equal(readConfig({ env: { GATEHOUSE_DATA_DIR: 'data' }, cwd: '/w', dataDir: '/x' }).dataDir, '/x');
});

test('empty variables count as unset; bad values name the variable', () => {
  const config = readConfig({ env: { GATEHOUSE_DATABASE_URL: ' ', GATEHOUSE_MASTER_KEY: '' }, cwd: '/' });
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.masterKey, undefined);
  assert.equal(config.logLevel, 'warn');
  for (const env of [
    { GATEHOUSE_DATABASE_URL: 'mysql://x' },
    { GATEHOUSE_LOG_LEVEL: 'loud' },
    { GATEHOUSE_DATABASE_SCHEMA: 'a;drop' },
  ]) {
    const variable = Object.keys(env)[0];
    assert.throws(
      () => readConfig({ env, cwd: '/' }),
      (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID' && e.message.includes(variable ?? '?'),
    );
  }
});
