import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DirectoryUser, MembershipLink } from '../directory/directory-model.js';
import type { PageOutcome, PagePlan, RoundState } from '../sync/ports.js';
import { migrateToLatest } from './migrator.js';
import type { Database } from './schema.js';
import { registerSqliteHandle } from './sqlite-handles.js';
import { createSyncRepository } from './sync-repository.js';

const aUser = (n: number): DirectoryUser => ({
  id: `u-${n}`,
  userPrincipalName: `U${n}@contoso.test`,
  displayName: null,
  mail: null,
  givenName: null,
  surname: null,
  jobTitle: null,
  department: null,
  accountEnabled: true,
});

/** A reader that hands `applyPages` one page, then the end. */
const onePage = (write: { plan: PagePlan; round: RoundState }) => {
  const pages = [write];
  return async () => pages.shift();
};

const page = (users: DirectoryUser[], links: MembershipLink[]): PagePlan => ({
  upsertUsers: users,
  excludeUserIds: [],
  upsertGroups: [],
  addMemberships: links,
  removeUserIds: [],
  removeGroupIds: [],
  removeMemberships: [],
  softDeleteUserIds: [],
});

// Issue 13: a first sync spent more CPU building, compiling and preparing a 500-row statement per chunk (Kysely, then
// better-sqlite3's prepare) than SQLite spent writing. The bulk path prepares its statements once per handle.
describe('SQLite bulk write path', () => {
  it('prepares no statement for the rows of later pages: the statements are reused', async () => {
    const handle = new SqliteDatabase(':memory:');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
    registerSqliteHandle(db, handle);
    await migrateToLatest(db, 'sqlite');
    let prepares = 0;
    const prepare = handle.prepare.bind(handle);
    handle.prepare = ((source: string) => {
      if (/directory_(users|links|group_keys)/.test(source)) prepares++;
      return prepare(source);
    }) as typeof handle.prepare;
    const store = createSyncRepository(db);
    const write = async (from: number) => {
      const users = Array.from({ length: 120 }, (_, i) => aUser(from + i));
      const links = users.map((u) => ({ groupId: `g-${from}`, memberId: u.id, memberType: 'user' as const }));
      const round = { mode: 'full' as const, roundId: 1, complete: false };
      const [outcome] = await store.applyPages('c', 'users', 1, onePage({ plan: page(users, links), round }));
      return outcome as PageOutcome;
    };
    assert.equal((await write(0)).usersAdded, 120);
    const afterFirst = prepares;
    for (const from of [120, 240, 360]) assert.equal((await write(from)).membershipsAdded, 120);
    assert.equal(prepares, afterFirst, 'no statement on the directory tables prepared again');
    // 480 users and links written through the 50-row and the 1-row statements, and re-sending a page changes nothing.
    await write(0);
    const counts = await db
      .selectFrom('directory_links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(counts.n), 480);
    const user = await db.selectFrom('directory_users').selectAll().where('id', '=', 'u-399').executeTakeFirstOrThrow();
    assert.equal(user.upn_lower, 'u399@contoso.test');
    await db.destroy();
  });
});
