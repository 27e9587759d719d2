import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DirectoryGroup, DirectoryUser, MembershipLink } from '../../src/directory/directory-model.js';
import type { DirectoryStore } from '../../src/directory/ports.js';
import { createDirectoryRepository } from '../../src/store/directory-repository.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrator.js';
import type { OpenedDatabase } from '../../src/store/open-database.js';
import { createTestDatabase, type TestDatabase, testEngine } from '../support/test-database.js';

/** The migrations of issue 13 (the store's write-path layout); everything before them is "today's layout". */
const LAYOUT = /^001[3-9]-/;

function aUser(n: number): DirectoryUser {
  return {
    id: `u-${n}`,
    userPrincipalName: `User${n}@Contoso.test`,
    displayName: `User ${n}`,
    mail: n % 2 ? `user${n}@contoso.test` : null,
    givenName: null,
    surname: `S${n}`,
    jobTitle: null,
    department: n % 3 ? 'Sales' : null,
    accountEnabled: n % 5 !== 0,
  };
}

function aGroup(n: number): DirectoryGroup {
  return {
    id: `g-${n}`,
    displayName: `Group ${n % 7}`,
    description: n % 2 ? 'd' : null,
    mailEnabled: n % 2 === 0,
    securityEnabled: true,
    groupTypes: n % 3 ? [] : ['Unified'],
  };
}

/** Everything the directory answers for a connection, in a comparable form. */
async function answers(store: DirectoryStore, cid: string) {
  const graph = await store.loadMembershipGraph(cid);
  const sortLinks = (links: readonly MembershipLink[]) =>
    [...links].sort((a, b) => `${a.groupId}/${a.memberId}`.localeCompare(`${b.groupId}/${b.memberId}`));
  return {
    counts: await store.counts(cid),
    version: await store.version(cid),
    users: await store.listUsers(cid, { limit: 1000 }),
    groups: await store.listGroups(cid, { limit: 1000 }),
    byUpn: await store.getUser(cid, 'user7@contoso.TEST'),
    byName: await store.findGroupsByName(cid, 'group 3'),
    members: await store.listMembers(cid, 'g-2'),
    memberOf: await store.listMemberOf(cid, 'u-11'),
    graph: { groups: [...graph.groups].sort((a, b) => a.id.localeCompare(b.id)), links: sortLinks(graph.links) },
  };
}

describe(`directory layout migration of issue 13 on a populated store (${testEngine()})`, () => {
  let testDatabase: TestDatabase;
  let opened: OpenedDatabase;
  before(async () => {
    testDatabase = await createTestDatabase({ migrated: false });
    opened = await testDatabase.open({ migrations: 'none' });
  });
  after(() => testDatabase.close());

  it('gives the same directory and membership answers after the migration as before', async () => {
    const previous = MIGRATIONS.filter((m) => !LAYOUT.test(m.name));
    await migrateToLatest(opened.db, opened.engine, previous);
    const store = createDirectoryRepository(opened.db);
    const users = Array.from({ length: 60 }, (_, n) => aUser(n));
    const groups = Array.from({ length: 12 }, (_, n) => aGroup(n));
    const links: MembershipLink[] = [];
    for (const [n, user] of users.entries()) {
      links.push({ groupId: `g-${n % 12}`, memberId: user.id, memberType: 'user' });
      links.push({ groupId: `g-${(n * 5) % 12}`, memberId: user.id, memberType: 'user' });
    }
    for (let n = 1; n < 12; n++) links.push({ groupId: `g-${n - 1}`, memberId: `g-${n}`, memberType: 'group' });
    for (const cid of ['conn-a', 'conn-b']) {
      await store.applyChanges(cid, { upsertUsers: users, upsertGroups: groups, addMemberships: links });
    }
    await store.removeMember('conn-b', 'g-2', 'u-2');
    const distinct = new Set(links.map((l) => `${l.groupId}/${l.memberId}`)).size;
    const before = { a: await answers(store, 'conn-a'), b: await answers(store, 'conn-b') };
    assert.equal(before.a.counts.memberships, distinct);
    assert.ok(before.a.byUpn && before.a.members.length > 0 && before.a.memberOf.length > 0);

    assert.ok((await pendingMigrations(opened.db, opened.engine)).some((name) => LAYOUT.test(name)));
    await migrateToLatest(opened.db, opened.engine);
    assert.deepEqual(await pendingMigrations(opened.db, opened.engine), []);

    const migrated = createDirectoryRepository(opened.db);
    assert.deepEqual({ a: await answers(migrated, 'conn-a'), b: await answers(migrated, 'conn-b') }, before);
    if (opened.engine === 'sqlite') {
      const { rows } = await sql<{ sql: string }>`
        select sql from sqlite_master where type = 'table' and name = 'directory_memberships'`.execute(opened.db);
      assert.match(rows[0]?.sql ?? '', /without rowid/i);
    }
    // The migrated store keeps taking writes: a re-sent link updates in place, a new one is added.
    await migrated.applyChanges('conn-a', {
      addMemberships: [
        { groupId: 'g-0', memberId: 'u-0', memberType: 'user' },
        { groupId: 'g-0', memberId: 'u-59', memberType: 'user' },
      ],
    });
    assert.equal((await migrated.counts('conn-a')).memberships, distinct + 1);
  });
});
