import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Connection, StoredParameter } from '../../src/connections/connection.js';
import type { ConnectionRepository } from '../../src/connections/ports.js';
import { AppError } from '../../src/core/errors.js';

/** A fresh, empty repository on its own database, and how to dispose of it. */
export interface RepositoryUnderTest {
  repository: ConnectionRepository;
  /** Reads the stored master-key check value (gatehouse_meta), to verify rewriteAllSecrets wrote it. */
  readKeyCheck(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Factory called once per test; every call must return a new, empty database. */
export type MakeRepository = () => Promise<RepositoryUnderTest>;

function aConnection(overrides: Partial<Connection> = {}): Connection {
  const parameters: StoredParameter[] = [
    { key: 'TenantID', secret: false, value: 'contoso.onmicrosoft.com' },
    {
      key: 'ClientSecret',
      secret: true,
      envelope: 'gh1.k1.iv.ct.tag',
      fingerprint: 'sha256:00000000',
      setAt: '2026-01-01T00:00:00.000Z',
    },
  ];
  return {
    id: randomUUID(),
    name: 'HR Prod',
    type: 'EntraID',
    version: 1,
    parameters,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof AppError && error.code === code);
}

/**
 * The behaviour every ConnectionRepository must have (SQLite now, PostgreSQL by the same suite): call it inside a
 * `describe` with a factory that gives each test a fresh database.
 *
 * @example
 *   describe('connections on SQLite', () => connectionRepositoryContract(makeSqliteRepository));
 */
export function connectionRepositoryContract(make: MakeRepository): void {
  const withRepo = (name: string, body: (r: RepositoryUnderTest) => Promise<void>) =>
    test(name, async () => {
      const r = await make();
      try {
        await body(r);
      } finally {
        await r.close();
      }
    });

  withRepo('stores and reads back a connection with its parameters in order', async ({ repository }) => {
    const connection = aConnection({ lastTest: { ok: true, at: '2026-01-02T00:00:00.000Z' } });
    await repository.insert(connection);
    assert.deepEqual(await repository.findById(connection.id), connection);
    assert.deepEqual(await repository.findByName('  hr PROD '), connection);
    assert.equal(await repository.findByName('other'), undefined);
    assert.equal(await repository.findById(randomUUID()), undefined);
  });

  withRepo('refuses a second connection whose name differs only in case', async ({ repository }) => {
    await repository.insert(aConnection({ name: 'HR Prod' }));
    await rejectsWithCode(repository.insert(aConnection({ name: 'hr prod' })), 'CONNECTION_NAME_TAKEN');
    assert.equal((await repository.list()).length, 1);
  });

  withRepo('lists connections ordered by name regardless of case', async ({ repository }) => {
    for (const name of ['beta', 'Alpha', 'gamma']) await repository.insert(aConnection({ name }));
    assert.deepEqual(
      (await repository.list()).map((c) => c.name),
      ['Alpha', 'beta', 'gamma'],
    );
  });

  withRepo('update increments the version and stores the new name and parameters', async ({ repository }) => {
    const original = aConnection();
    await repository.insert(original);
    const changed = {
      ...original,
      name: 'HR Test',
      parameters: original.parameters.slice(0, 1),
      updatedAt: '2026-02-01T00:00:00.000Z',
    };
    const saved = await repository.update(changed, 1);
    assert.equal(saved.version, 2);
    assert.equal(saved.name, 'HR Test');
    assert.deepEqual(saved.parameters, changed.parameters);
    assert.deepEqual(await repository.findByName('hr test'), saved);
    assert.equal(await repository.findByName('HR Prod'), undefined);
  });

  withRepo(
    'two updates from the same version: one wins, the other gets CONNECTION_VERSION_CONFLICT',
    async ({ repository }) => {
      const original = aConnection();
      await repository.insert(original);
      const a = { ...original, parameters: [{ key: 'TenantID', secret: false as const, value: 'a.example.com' }] };
      const b = { ...original, parameters: [{ key: 'TenantID', secret: false as const, value: 'b.example.com' }] };
      const results = await Promise.allSettled([repository.update(a, 1), repository.update(b, 1)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(lost[0]?.status === 'rejected' && lost[0].reason instanceof AppError);
      assert.equal((lost[0] as PromiseRejectedResult).reason.code, 'CONNECTION_VERSION_CONFLICT');
      const stored = await repository.findById(original.id);
      assert.equal(stored?.version, 2);
      const winner = (won[0] as PromiseFulfilledResult<Connection>).value;
      assert.deepEqual(stored?.parameters, winner.parameters);
    },
  );

  withRepo('update of a removed connection is CONNECTION_NOT_FOUND', async ({ repository }) => {
    const original = aConnection();
    await repository.insert(original);
    assert.equal(await repository.remove(original.id), true);
    assert.equal(await repository.remove(original.id), false);
    await rejectsWithCode(repository.update(original, 1), 'CONNECTION_NOT_FOUND');
  });

  withRepo(
    'renaming onto another connection’s name is CONNECTION_NAME_TAKEN and changes nothing',
    async ({ repository }) => {
      const a = aConnection({ name: 'A' });
      await repository.insert(a);
      await repository.insert(aConnection({ name: 'B' }));
      await rejectsWithCode(repository.update({ ...a, name: 'b' }, 1), 'CONNECTION_NAME_TAKEN');
      assert.deepEqual(await repository.findById(a.id), a);
    },
  );

  withRepo('test results and token state are recorded without changing the version', async ({ repository }) => {
    const original = aConnection();
    await repository.insert(original);
    await repository.recordTestResult(original.id, {
      ok: false,
      at: '2026-03-01T00:00:00.000Z',
      code: 'ENTRA_INVALID_CLIENT_SECRET',
    });
    await repository.recordTokenState(original.id, {
      acquiredAt: '2026-03-01T00:00:00.000Z',
      roles: ['User.Read.All'],
    });
    const stored = await repository.findById(original.id);
    assert.equal(stored?.version, 1);
    assert.equal(stored?.lastTest?.code, 'ENTRA_INVALID_CLIENT_SECRET');
    assert.deepEqual(stored?.tokenState?.roles, ['User.Read.All']);
    await rejectsWithCode(repository.recordTestResult(randomUUID(), { ok: true, at: 'x' }), 'CONNECTION_NOT_FOUND');
  });

  withRepo('rewriteAllSecrets rewrites every connection and the key check in one transaction', async (r) => {
    const a = aConnection({ name: 'A' });
    const b = aConnection({ name: 'B' });
    await r.repository.insert(a);
    await r.repository.insert(b);
    const reseal = (c: Connection) => c.parameters.map((p) => (p.secret ? { ...p, envelope: `new-${c.name}` } : p));
    assert.equal(await r.repository.rewriteAllSecrets(reseal, 'check-2'), 2);
    assert.equal(await r.readKeyCheck(), 'check-2');
    const stored = await r.repository.findById(b.id);
    assert.equal(stored?.parameters[1]?.secret && stored.parameters[1].envelope, 'new-B');
    assert.equal(stored?.version, 1);
  });

  withRepo('a rewrite that fails half-way leaves every connection and the key check as they were', async (r) => {
    const a = aConnection({ name: 'A' });
    const b = aConnection({ name: 'B' });
    await r.repository.insert(a);
    await r.repository.insert(b);
    await r.repository.rewriteAllSecrets((c) => c.parameters, 'check-1');
    let calls = 0;
    const failing = (c: Connection) => {
      calls += 1;
      if (calls === 2) throw new Error('crash during rotation');
      return c.parameters.map((p) => (p.secret ? { ...p, envelope: 'half' } : p));
    };
    await assert.rejects(r.repository.rewriteAllSecrets(failing, 'check-3'), /crash during rotation/);
    assert.deepEqual(await r.repository.findById(a.id), a);
    assert.deepEqual(await r.repository.findById(b.id), b);
    assert.equal(await r.readKeyCheck(), 'check-1');
  });
}
