import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKyselyMetaStore } from '../../src/store/kysely-meta-store.js';
import { createTestDatabase, testEngine } from '../support/test-database.js';

test(`meta store on ${testEngine()}: setIfAbsent keeps the first value, so racing instances agree on one key check`, async () => {
  const testDatabase = await createTestDatabase();
  try {
    const [a, b] = [await testDatabase.open(), await testDatabase.open()];
    const [metaA, metaB] = [createKyselyMetaStore(a.db), createKyselyMetaStore(b.db)];
    assert.equal(await metaA.get('master_key_check'), undefined);
    const [first, second] = await Promise.all([
      metaA.setIfAbsent('master_key_check', 'A'),
      metaB.setIfAbsent('master_key_check', 'B'),
    ]);
    assert.equal(first, second);
    assert.ok(first === 'A' || first === 'B');
    assert.equal(await metaB.setIfAbsent('master_key_check', 'C'), first);
    assert.equal(await metaA.get('master_key_check'), first);
  } finally {
    await testDatabase.close();
  }
});
