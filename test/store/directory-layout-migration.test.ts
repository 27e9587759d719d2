import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DirectoryGroup, DirectoryUser, MembershipLink } from '../../src/directory/directory-model.js';
import type { DirectoryStore } from '../../src/directory/ports.js';
import { createDirectoryRepository } from '../../src/store/directory-repository.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrator.js';
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

/** The tenant both stores hold: users, groups, user links, nested groups, and one soft-deleted member. */
function tenant() {
  const users = Array.from({ length: 60 }, (_, n) => aUser(n));
  const groups = Array.from({ length: 12 }, (_, n) => aGroup(n));
  const links: MembershipLink[] = [];
  for (const [n, user] of users.entries()) {
    links.push({ groupId: `g-${n % 12}`, memberId: user.id, memberType: 'user' });
    links.push({ groupId: `g-${(n * 5) % 12}`, memberId: user.id, memberType: 'user' });
  }
  for (let n = 1; n < 12; n++) links.push({ groupId: `g-${n - 1}`, memberId: `g-${n}`, memberType: 'group' });
  // A link of a group the store does not hold (a members@delta slice can name one): kept and counted.
  links.push({ groupId: 'g-unknown', memberId: 'u-1', memberType: 'user' });
  return { users, groups, links };
}

const CONNECTIONS = ['conn-a', 'conn-b'] as const;

describe(`directory layout migration of issue 13 on a populated store (${testEngine()})`, () => {
  let oldLayout: TestDatabase;
  let newLayout: TestDatabase;
  before(async () => {
    oldLayout = await createTestDatabase({ migrated: false });
    newLayout = await createTestDatabase();
  });
  after(async () => {
    await oldLayout.close();
    await newLayout.close();
  });

  it('gives the same directory and membership answers as a store written in the new layout', async () => {
    const { users, groups, links } = tenant();
    // The reference: the same writes through today's repository, on a store migrated from the start.
    const referenceDb = (await newLayout.open()).db;
    const reference = createDirectoryRepository(referenceDb);
    for (const cid of CONNECTIONS) {
      await reference.applyChanges(cid, { upsertUsers: users, upsertGroups: groups, addMemberships: links });
      await reference.applyChanges(cid, { softDeleteUserIds: ['u-13'] });
    }
    await reference.removeMember('conn-b', 'g-2', 'u-2');

    // The old layout (every migration before issue 13's), written the way that version wrote it: links as rows of
    // (connection, group, member) text ids in `directory_memberships`.
    const opened = await oldLayout.open({ migrations: 'none' });
    await migrateToLatest(
      opened.db,
      opened.engine,
      MIGRATIONS.filter((m) => !LAYOUT.test(m.name)),
    );
    // Users, groups and versions have the same columns in both layouts: copied row for row.
    for (const table of ['directory_users', 'directory_groups', 'directory_versions'] as const) {
      const rows = await referenceDb.selectFrom(table).selectAll().execute();
      await opened.db.insertInto(table).values(rows).execute();
    }
    const unique = [...new Map(links.map((l) => [`${l.groupId}/${l.memberId}`, l])).values()];
    for (const cid of CONNECTIONS) {
      for (const l of unique) {
        if (cid === 'conn-b' && l.groupId === 'g-2' && l.memberId === 'u-2') continue;
        await sql`insert into directory_memberships (connection_id, group_id, member_id, member_type, round_id)
          values (${cid}, ${l.groupId}, ${l.memberId}, ${l.memberType}, 7)`.execute(opened.db);
      }
    }
    const old = createDirectoryRepository(opened.db);
    const versionBefore = await old.version('conn-a');

    assert.ok((await pendingMigrations(opened.db, opened.engine)).some((name) => LAYOUT.test(name)));
    await migrateToLatest(opened.db, opened.engine);
    assert.deepEqual(await pendingMigrations(opened.db, opened.engine), []);

    const migrated = createDirectoryRepository(opened.db);
    const distinct = new Set(links.map((l) => `${l.groupId}/${l.memberId}`)).size;
    const expected = { a: await answers(reference, 'conn-a'), b: await answers(reference, 'conn-b') };
    assert.equal(expected.a.counts.memberships, distinct);
    assert.ok(expected.a.byUpn && expected.a.members.length > 0 && expected.a.memberOf.length > 0);
    const got = { a: await answers(migrated, 'conn-a'), b: await answers(migrated, 'conn-b') };
    const withoutVersion = ({ version: _, ...rest }: Awaited<ReturnType<typeof answers>>) => rest;
    assert.deepEqual(
      { a: withoutVersion(got.a), b: withoutVersion(got.b) },
      { a: withoutVersion(expected.a), b: withoutVersion(expected.b) },
    );
    assert.equal(got.a.version, versionBefore, 'the migration keeps the directory version');
    // Each link kept the round that wrote it (a full sync's removal of unseen links depends on it).
    const rounds = await sql<{ round_id: number }>`select distinct round_id from directory_links`.execute(opened.db);
    assert.deepEqual(
      rounds.rows.map((r) => Number(r.round_id)),
      [7],
    );
    if (opened.engine === 'sqlite') {
      const { rows } = await sql<{ sql: string }>`
        select sql from sqlite_master where type = 'table' and name = 'directory_links'`.execute(opened.db);
      assert.match(rows[0]?.sql ?? '', /without rowid/i);
    }
    // The migrated store keeps taking writes: a re-sent link updates in place, a new one is added, a removed group
    // takes its links (as a group and as a member) with it, and conn-b is untouched.
    await migrated.applyChanges('conn-a', {
      addMemberships: [
        { groupId: 'g-0', memberId: 'u-0', memberType: 'user' },
        { groupId: 'g-0', memberId: 'u-59', memberType: 'user' },
      ],
    });
    assert.equal((await migrated.counts('conn-a')).memberships, distinct + 1);
    const ofG3 = unique.filter((l) => l.groupId === 'g-3' || l.memberId === 'g-3').length;
    await migrated.applyChanges('conn-a', { removeGroupIds: ['g-3'] });
    assert.equal((await migrated.counts('conn-a')).memberships, distinct + 1 - ofG3);
    assert.deepEqual(await answers(migrated, 'conn-b'), got.b);
  });
});
