import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { DirectoryUser, MembershipLink } from '../directory/directory-model.js';
import type { DirectoryStore, GroupQuery, UserQuery } from '../directory/ports.js';
import type { AppliedChangeHook } from './applied-change-hook.js';
import { reportTo } from './applied-changes-of.js';
import { groupOfRow, userOfRow } from './directory-rows.js';
import { inTransaction, writeDirectoryChanges } from './directory-writes.js';
import { connectionLinks, deleteConnectionLinks } from './group-keys.js';
import { loadMembershipGraph, scanMembershipGraph, softDeletedUsers } from './membership-graph.js';
import type { DirectoryGroupKeysTable, DirectoryLinksTable, DirectoryUsersTable } from './schema/directory.js';
import type { Database } from './schema.js';

const DEFAULT_LIMIT = 100;

/** Links whose member is a soft-deleted user are kept but hidden (`m` a link, `k` its group key). */
const notSoftDeleted = (
  eb: ExpressionBuilder<Database & { m: DirectoryLinksTable; k: DirectoryGroupKeysTable }, 'm' | 'k'>,
) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('directory_users')
        .select('directory_users.id')
        .whereRef('directory_users.connection_id', '=', 'k.connection_id')
        .whereRef('directory_users.id', '=', 'm.member_id')
        .where('directory_users.soft_deleted', '=', 1),
    ),
  );

function toUser(row: Selectable<DirectoryUsersTable>): DirectoryUser {
  return { ...userOfRow(row), ...(Number(row.soft_deleted) === 1 ? { deleted: true } : {}) };
}

function toLink(row: { group_id: string; member_id: string; member_type: string }) {
  return {
    groupId: row.group_id,
    memberId: row.member_id,
    memberType: row.member_type === 'group' ? 'group' : 'user',
  } satisfies MembershipLink;
}

async function countObjects(db: Kysely<Database>, cid: string) {
  const count = async (table: 'directory_users' | 'directory_groups') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', cid)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return { users: await count('directory_users'), groups: await count('directory_groups') };
}

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The local directory on SQLite or PostgreSQL (tables of migration 0010). */
export function createDirectoryRepository(db: Kysely<Database>, hook?: AppliedChangeHook): DirectoryStore {
  const apply = (cid: string, changes: Parameters<typeof writeDirectoryChanges>[2]) =>
    inTransaction(db, (trx) => writeDirectoryChanges(trx, cid, changes, 0, reportTo(hook, 'action')));
  return {
    applyChanges: apply,
    upsertUser: (cid, user) => apply(cid, { upsertUsers: [user] }),
    removeUser: (cid, id) => apply(cid, { removeUserIds: [id] }),
    upsertGroup: (cid, group) => apply(cid, { upsertGroups: [group] }),
    removeGroup: (cid, id) => apply(cid, { removeGroupIds: [id] }),
    addMember: (cid, link) => apply(cid, { addMemberships: [link] }),
    removeMember: (cid, groupId, memberId) => apply(cid, { removeMemberships: [{ groupId, memberId }] }),

    async getUser(cid, idOrUpn) {
      // Two probes (primary key, then the UPN index) rather than one OR, which SQLite answers with a table scan.
      const byId = await db
        .selectFrom('directory_users')
        .selectAll()
        .where('connection_id', '=', cid)
        .where('id', '=', idOrUpn)
        .executeTakeFirst();
      if (byId) return toUser(byId);
      const byUpn = await db
        .selectFrom('directory_users')
        .selectAll()
        .where('connection_id', '=', cid)
        .where('upn_lower', '=', idOrUpn.toLowerCase())
        .executeTakeFirst();
      return byUpn ? toUser(byUpn) : undefined;
    },
    async listUsers(cid, query: UserQuery = {}) {
      let q = db.selectFrom('directory_users').selectAll().where('connection_id', '=', cid);
      if (query.search) {
        const pattern = likePattern(query.search);
        q = q.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['display_name']), 'like', pattern),
            eb('upn_lower', 'like', pattern),
            eb(eb.fn('lower', ['mail']), 'like', pattern),
          ]),
        );
      }
      const rows = await q
        .orderBy('upn_lower')
        .limit(query.limit ?? DEFAULT_LIMIT)
        .offset(query.offset ?? 0)
        .execute();
      return rows.map(toUser);
    },
    async getGroup(cid, id) {
      const row = await db
        .selectFrom('directory_groups')
        .selectAll()
        .where('connection_id', '=', cid)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? groupOfRow(row) : undefined;
    },
    async findGroupsByName(cid, displayName) {
      const rows = await db
        .selectFrom('directory_groups')
        .selectAll()
        .where('connection_id', '=', cid)
        .where('name_lower', '=', displayName.toLowerCase())
        .orderBy('id')
        .execute();
      return rows.map(groupOfRow);
    },
    async listGroups(cid, query: GroupQuery = {}) {
      let q = db.selectFrom('directory_groups').selectAll().where('connection_id', '=', cid);
      if (query.search) q = q.where('name_lower', 'like', likePattern(query.search));
      const rows = await q
        .orderBy('name_lower')
        .orderBy('id')
        .limit(query.limit ?? DEFAULT_LIMIT)
        .offset(query.offset ?? 0)
        .execute();
      return rows.map(groupOfRow);
    },
    async listMembers(cid, groupId) {
      const rows = await connectionLinks(db, cid)
        .select(['k.group_id', 'm.member_id', 'm.member_type'])
        .where('k.group_id', '=', groupId)
        .where(notSoftDeleted)
        .orderBy('m.member_id')
        .execute();
      return rows.map(toLink);
    },
    async listMemberOf(cid, memberId) {
      const rows = await connectionLinks(db, cid)
        .select(['k.group_id', 'm.member_id', 'm.member_type'])
        .where('m.member_id', '=', memberId)
        .where(notSoftDeleted)
        .orderBy('k.group_id')
        .execute();
      return rows.map(toLink);
    },
    loadMembershipGraph: (cid) => loadMembershipGraph(db, cid),
    scanMembershipGraph: (cid, onLink) => scanMembershipGraph(db, cid, onLink),
    async listIds(cid, kind) {
      const table = kind === 'user' ? 'directory_users' : 'directory_groups';
      const rows = await db.selectFrom(table).select('id').where('connection_id', '=', cid).execute();
      if (kind === 'group') return rows.map((r) => r.id);
      const deleted = new Set((await softDeletedUsers(db, cid)).map((r) => r.id));
      return rows.map((r) => r.id).filter((id) => !deleted.has(id));
    },
    countObjects: (cid) => countObjects(db, cid),
    async counts(cid) {
      const links = await connectionLinks(db, cid)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return { ...(await countObjects(db, cid)), memberships: Number(links.n) };
    },
    async version(cid) {
      const row = await db
        .selectFrom('directory_versions')
        .select('version')
        .where('connection_id', '=', cid)
        .executeTakeFirst();
      return row ? Number(row.version) : 0;
    },
    async clear(cid) {
      await inTransaction(db, async (trx) => {
        for (const table of ['directory_users', 'directory_groups'] as const) {
          await trx.deleteFrom(table).where('connection_id', '=', cid).execute();
        }
        await deleteConnectionLinks(trx, cid);
        await trx
          .insertInto('directory_versions')
          .values({ connection_id: cid, version: 1 })
          .onConflict((oc) =>
            oc.column('connection_id').doUpdateSet((eb) => ({ version: eb('directory_versions.version', '+', 1) })),
          )
          .execute();
      });
    },
  };
}
