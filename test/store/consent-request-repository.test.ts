import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createConsentRequestRepository } from '../../src/store/consent-request-repository.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let store: TestDatabase;
before(async () => {
  store = await createTestDatabase();
});
after(() => store.close());

test('consent requests: a state is taken once, never after it expired, and old ones are cleared', async () => {
  const { db } = await store.open();
  const repository = createConsentRequestRepository(db);
  const at = new Date('2026-05-01T10:00:00Z');
  const request = (hash: string, minutes: number) => ({
    stateHash: hash,
    connectionId: 'c-1',
    requestedBy: 'admin',
    createdAt: at,
    expiresAt: new Date(at.getTime() + minutes * 60_000),
  });
  await repository.save(request('a', 15));
  await repository.save(request('b', 15));
  const taken = await repository.take('a', new Date(at.getTime() + 60_000));
  assert.equal(taken?.connectionId, 'c-1');
  assert.equal(taken?.requestedBy, 'admin');
  assert.equal(await repository.take('a', new Date(at.getTime() + 60_000)), undefined, 'single use');
  assert.equal(await repository.take('b', new Date(at.getTime() + 16 * 60_000)), undefined, 'expired');
  assert.equal(await repository.take('never-issued', at), undefined);
  await repository.save(request('c', 1));
  await repository.save({ ...request('d', 15), createdAt: new Date(at.getTime() + 5 * 60_000) });
  const left = await db.selectFrom('consent_requests').select('state_hash').orderBy('state_hash').execute();
  assert.deepEqual(
    left.map((r) => r.state_hash),
    ['d'],
    'expired rows go when a new round trip starts',
  );
});
