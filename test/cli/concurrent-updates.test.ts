import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { createCliHarness, entraParams } from './cli-harness.js';

test('two processes update the same connection from the same version: one wins, the other gets CONNECTION_VERSION_CONFLICT', async () => {
  const h = await createCliHarness();
  try {
    const created = await h.run([
      'connections',
      'create',
      '--name',
      'Shared',
      '--type',
      'EntraID',
      ...entraParams('s3cr3t~value.0123456789'),
    ]);
    assert.equal(created.code, 0, created.stderr);
    // Two independent gatehouse instances (own pools / SQLite handles) on one store, as two admins would have.
    const [a, b] = [await h.open(), await h.open()];
    const read = await a.connections.get('Shared');
    const results = await Promise.allSettled([
      a.connections.update('Shared', { expectedVersion: read.version, set: [{ key: 'Cloud', value: 'USGov' }] }),
      b.connections.update('Shared', {
        expectedVersion: read.version,
        set: [{ key: 'SecretExpiresOn', value: '2030-01-31' }],
      }),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(rejected.length, 1, JSON.stringify(results.map((r) => r.status)));
    assert.ok(rejected[0]?.reason instanceof AppError && rejected[0].reason.code === 'CONNECTION_VERSION_CONFLICT');
    const stored = await b.connections.get('Shared');
    assert.equal(stored.version, read.version + 1);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    const keys = stored.parameters.map((p) => p.key);
    assert.ok(keys.includes(winner === 0 ? 'Cloud' : 'SecretExpiresOn'), keys.join(', '));
    assert.ok(!keys.includes(winner === 0 ? 'SecretExpiresOn' : 'Cloud'), 'the loser wrote nothing');
    // The loser re-reads and repeats: nothing is lost.
    const retry = await (winner === 0 ? b : a).connections.update('Shared', {
      set: [winner === 0 ? { key: 'SecretExpiresOn', value: '2030-01-31' } : { key: 'Cloud', value: 'USGov' }],
    });
    assert.deepEqual(
      retry.connection.parameters
        .map((p) => p.key)
        .slice(-2)
        .sort(),
      ['Cloud', 'SecretExpiresOn'],
    );
  } finally {
    await h.close();
  }
});
