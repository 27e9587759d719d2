import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAccountService } from '../../src/accounts/account-service.js';
import { systemClock } from '../../src/core/clock.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { createTestDatabase } from '../support/test-database.js';

/** Issue 12 finding 7: a hash made with weaker scrypt parameters is re-made at the next successful login. */
const store = await createTestDatabase();
after(() => store.close());

test('a password hashed at N=2^15 is re-hashed at N=2^17 by the next successful login, not by a failed one', async () => {
  const { db } = await store.open();
  const repository = new SqlAccountRepository(db);
  const weak = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };
  const before = createAccountService({ repository, clock: systemClock, passwordParams: weak });
  await before.createAccount({ username: 'alice', password: 'correct horse battery', role: 'admin' });
  const hashOf = async () => (await repository.findAccountByUsername('alice'))?.passwordHash ?? '';
  assert.match(await hashOf(), /^scrypt\$32768\$8\$1\$/);
  const now = createAccountService({ repository, clock: systemClock });
  await assert.rejects(now.login({ username: 'alice', password: 'wrong horse battery' }));
  assert.match(await hashOf(), /^scrypt\$32768\$/, 'a failed login changes nothing');
  await now.login({ username: 'alice', password: 'correct horse battery' });
  assert.match(await hashOf(), /^scrypt\$131072\$8\$1\$/);
  await now.login({ username: 'alice', password: 'correct horse battery' });
});
