import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PASSWORD_PARAMS, hashPassword, verifyPassword } from './password-hasher.js';

test('scrypt hashes with the default (memory-hard) cost verify the right password only', async () => {
  const stored = await hashPassword('correct horse battery staple');
  assert.match(stored, new RegExp(`^scrypt\\$${DEFAULT_PASSWORD_PARAMS.cost}\\$8\\$1\\$`));
  assert.equal(stored.includes('correct horse'), false);
  assert.equal(await verifyPassword('correct horse battery staple', stored), true);
  assert.equal(await verifyPassword('correct horse battery stapl', stored), false);
});

test('each hash has its own salt, and a malformed stored hash never matches', async () => {
  const params = { cost: 1024, blockSize: 8, parallelization: 1 };
  const [a, b] = await Promise.all([hashPassword('same password', params), hashPassword('same password', params)]);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('same password', a), true);
  for (const broken of ['', 'plain', 'scrypt$0$8$1$AA$AA', `bcrypt${a.slice(6)}`, a.slice(0, -4)]) {
    assert.equal(await verifyPassword('same password', broken), false, broken);
  }
});
