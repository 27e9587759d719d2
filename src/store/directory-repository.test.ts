import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase, testEngine } from '../../test/support/test-database.js';
import { createManualClock } from '../core/clock.js';
import type { AppError } from '../core/errors.js';
import type { DirectoryGroup, DirectoryUser } from '../directory/directory-model.js';
import { DirectoryService } from '../directory/directory-service.js';
import { createDirectoryRepository } from './directory-repository.js';
import type { OpenedDatabase } from './open-database.js';

function aUser(id: string, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id,
    userPrincipalName: `${id}@contoso.test`,
    displayName: `User ${id}`,
    mail: null,
    givenName: null,
    surname: null,
    jobTitle: null,
    department: null,
    accountEnabled: true,
    ...extra,
  };
}

function aGroup(id: string, displayName = `Group ${id}`): DirectoryGroup {
  return { id, displayName, description: null, mailEnabled: false, securityEnabled: true, groupTypes: [] };
}

// The engine comes from GATEHOUSE_TEST_ENGINE (npm test runs this file on SQLite, then on PostgreSQL when
// GATEHOUSE_TEST_DATABASE_URL is set).
describe(`local directory (${testEngine()}) and membership checks`, () => {
  let testDatabase: TestDatabase;
  let opened: OpenedDatabase;
  before(async () => {
    testDatabase = await createTestDatabase();
    opened = await testDatabase.open();
  });
  after(() => testDatabase.close());

  it('stores, finds and removes users, groups and memberships; checks nested membership with the path', async () => {
    const store = createDirectoryRepository(opened.db);
    const service = new DirectoryService({ store, clock: createManualClock() });
    const cid = 'conn-1';
    // u1 -> g1 -> g2 -> g3 -> g4 (4 deep); u2 -> g4 directly; twins share a name.
    await service.applyChanges(cid, {
      upsertUsers: [aUser('u1', { userPrincipalName: 'Ann@Contoso.test' }), aUser('u2'), aUser('u3')],
      upsertGroups: [
        aGroup('g1'),
        aGroup('g2'),
        aGroup('g3'),
        aGroup('g4', 'Finance'),
        aGroup('t1', 'Twins'),
        aGroup('t2', 'Twins'),
      ],
      addMemberships: [
        { groupId: 'g1', memberId: 'u1', memberType: 'user' },
        { groupId: 'g2', memberId: 'g1', memberType: 'group' },
        { groupId: 'g3', memberId: 'g2', memberType: 'group' },
        { groupId: 'g4', memberId: 'g3', memberType: 'group' },
        { groupId: 'g4', memberId: 'u2', memberType: 'user' },
      ],
    });
    assert.deepEqual(await store.counts(cid), { users: 3, groups: 6, memberships: 5 });
    assert.equal((await store.getUser(cid, 'ann@contoso.TEST'))?.id, 'u1');
    assert.deepEqual(
      (await store.listUsers(cid, { search: 'USER U' })).map((u) => u.id),
      ['u1', 'u2', 'u3'],
    );
    assert.deepEqual(
      (await store.listUsers(cid, { search: 'ann@' })).map((u) => u.id),
      ['u1'],
    );

    const nested = await service.checkMembership(cid, 'Ann@contoso.test', 'Finance');
    assert.equal(nested.member, true);
    assert.deepEqual(
      nested.path.map((s) => s.id),
      ['g1', 'g2', 'g3', 'g4'],
    );
    assert.equal(nested.path[3]?.displayName, 'Finance');
    assert.deepEqual((await service.checkMembership(cid, 'u2', 'g4')).path, [{ id: 'g4', displayName: 'Finance' }]);
    const not = await service.checkMembership(cid, 'u3', 'g4');
    assert.deepEqual(not, { member: false, path: [], source: 'directory' });

    await assert.rejects(service.checkMembership(cid, 'u1', 'Twins'), (e: AppError) => {
      assert.equal(e.code, 'DIRECTORY_AMBIGUOUS_GROUP');
      assert.deepEqual(
        (e.details.candidates as { id: string }[]).map((c) => c.id),
        ['t1', 't2'],
      );
      return true;
    });
    await assert.rejects(service.checkMembership(cid, 'nobody', 'g1'), { code: 'DIRECTORY_USER_NOT_FOUND' });
    await assert.rejects(service.checkMembership(cid, 'u1', 'nothing'), { code: 'DIRECTORY_GROUP_NOT_FOUND' });

    // A write through the service is visible to the next check at once (index patched, not reloaded).
    await service.removeMember(cid, 'g3', 'g2');
    assert.equal((await service.checkMembership(cid, 'u1', 'g4')).member, false);
    await service.addMember(cid, { groupId: 'g4', memberId: 'u3', memberType: 'user' });
    assert.equal((await service.checkMembership(cid, 'u3', 'Finance')).member, true);

    // Transitive members walk down; removing a group removes its links both ways.
    assert.deepEqual(
      (await service.members(cid, 'g2', true)).map((l) => l.memberId),
      ['g1', 'u1'],
    );
    await service.removeGroup(cid, 'g1');
    assert.deepEqual(await store.listMemberOf(cid, 'u1'), []);
    assert.deepEqual(await store.listMembers(cid, 'g2'), []);

    // Idempotent: repeating writes changes nothing; other connections are separate.
    await service.addMember(cid, { groupId: 'g4', memberId: 'u3', memberType: 'user' });
    await service.removeUser(cid, 'missing');
    assert.deepEqual(await store.counts(cid), { users: 3, groups: 5, memberships: 3 });
    assert.deepEqual(await store.counts('conn-2'), { users: 0, groups: 0, memberships: 0 });
    await assert.rejects(service.checkMembership('conn-2', 'u1', 'g4'), { code: 'DIRECTORY_NOT_SYNCED' });
  });

  it('reloads the index when another writer changed the store', async () => {
    const store = createDirectoryRepository(opened.db);
    const clock = createManualClock();
    const service = new DirectoryService({ store, clock, freshnessMs: 1000 });
    const cid = 'conn-3';
    await store.applyChanges(cid, { upsertUsers: [aUser('a')], upsertGroups: [aGroup('g')] });
    assert.equal((await service.checkMembership(cid, 'a', 'g')).member, false);
    await createDirectoryRepository(opened.db).addMember(cid, { groupId: 'g', memberId: 'a', memberType: 'user' });
    clock.advance(1001);
    assert.equal((await service.checkMembership(cid, 'a', 'g')).member, true);
  });
});
