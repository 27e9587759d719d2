import { describe } from 'node:test';
import { KEY_CHECK_META_KEY } from '../../src/crypto/key-check.js';
import { createKyselyConnectionRepository } from '../../src/store/kysely-connection-repository.js';
import { createKyselyMetaStore } from '../../src/store/kysely-meta-store.js';
import { createTestDatabase, testEngine } from '../support/test-database.js';
import { connectionRepositoryContract, type RepositoryUnderTest } from './connection-repository-contract.js';

/** A fresh store per test on the engine of this run (SQLite, or PostgreSQL when GATEHOUSE_TEST_ENGINE=postgres). */
async function makeRepository(): Promise<RepositoryUnderTest> {
  const testDatabase = await createTestDatabase();
  const store = await testDatabase.open();
  const meta = createKyselyMetaStore(store.db);
  return {
    repository: createKyselyConnectionRepository(store.db, store.engine),
    readKeyCheck: () => meta.get(KEY_CHECK_META_KEY),
    close: () => testDatabase.close(),
  };
}

describe(`ConnectionRepository contract on ${testEngine()}`, () => connectionRepositoryContract(makeRepository));
