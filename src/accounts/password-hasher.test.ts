import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PASSWORD_PARAMS, hashPassword, needsRehash, verifyPassword } from './password-hasher.js';

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

test('the default is OWASP scrypt N=2^17, r=8, p=1; weaker or out-of-range stored parameters are handled (finding 7)', async () => {
  assert.deepEqual(DEFAULT_PASSWORD_PARAMS, { cost: 2 ** 17, blockSize: 8, parallelization: 1 });
  const old = await hashPassword('an older password', { cost: 2 ** 15, blockSize: 8, parallelization: 1 });
  assert.equal(needsRehash(old), true, 'a 2^15 hash (gatehouse before issue 12) is re-made at the next login');
  assert.equal(await verifyPassword('an older password', old), true, 'and still verifies until then');
  assert.equal(needsRehash(await hashPassword('a current password')), false);
  // A row written to the database asking for 2^30 (gigabytes) or a non power of two is refused, not run.
  for (const stored of [
    old.replace('$32768$', '$1073741824$'),
    old.replace('$32768$', '$30000$'),
    old.replace('$8$1$', '$8$99$'),
  ]) {
    assert.equal(await verifyPassword('an older password', stored), false, stored);
  }
});

test('hashing runs on the thread pool: the event loop keeps turning while scrypt works', async () => {
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 5);
  try {
    await hashPassword('correct horse battery staple');
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks >= 2, `the event loop turned ${ticks} times during a 128 MiB scrypt`);
});
