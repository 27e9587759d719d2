import type { Kysely } from 'kysely';
import type { MembershipLink } from '../directory/directory-model.js';
import type { MembershipGraphData } from '../directory/ports.js';
import { groupKeysOfConnection } from './group-keys.js';
import type { Database } from './schema.js';
import { sqliteHandleOf } from './sqlite-handles.js';

type LinkRow = readonly [groupKey: number, memberId: string, memberType: string];

const SQLITE_LINKS =
  'select group_key, member_id, member_type from directory_links where group_key in (select key from directory_group_keys where connection_id = ?)';

/**
 * Every group and every visible link of a connection: what the membership index is built from, after each sync that
 * changed the directory (issue 13). The links come by group key, and each group id and member id is one shared
 * string: the join returned a fresh 36-character group id per link and the index kept ~8 copies of every member id.
 * On SQLite the rows are stepped as arrays and never held as row objects (100k users, 830k links: 1.5 s instead of
 * 2.0–2.8 s, `npm run bench -- sync`). Links of soft-deleted users are kept in the store but left out here.
 */
export async function loadMembershipGraph(db: Kysely<Database>, cid: string): Promise<MembershipGraphData> {
  const groups = await db
    .selectFrom('directory_groups')
    .select(['id', 'display_name'])
    .where('connection_id', '=', cid)
    .execute();
  const keys = await db
    .selectFrom('directory_group_keys')
    .select(['key', 'group_id'])
    .where('connection_id', '=', cid)
    .execute();
  const deleted = await db
    .selectFrom('directory_users')
    .select('id')
    .where('connection_id', '=', cid)
    .where('soft_deleted', '=', 1)
    .execute();
  const collect = linkCollector(
    new Map(keys.map((k) => [Number(k.key), k.group_id])),
    new Set(deleted.map((r) => r.id)),
  );
  const handle = sqliteHandleOf(db);
  if (handle) {
    const step = () => {
      for (const row of handle.prepare(SQLITE_LINKS).raw().iterate(cid) as Iterable<LinkRow>) collect.add(row);
    };
    // Outside a transaction, hold Kysely's connection while stepping: a sync's open transaction on the same handle
    // would otherwise show its uncommitted pages here.
    if (db.isTransaction) step();
    else await db.connection().execute(async () => step());
  } else {
    const rows = await db
      .selectFrom('directory_links')
      .select(['group_key', 'member_id', 'member_type'])
      .where('group_key', 'in', groupKeysOfConnection(db, cid))
      .execute();
    for (const r of rows) collect.add([Number(r.group_key), r.member_id, r.member_type]);
  }
  return { groups: groups.map((g) => ({ id: g.id, displayName: g.display_name })), links: collect.links };
}

function linkCollector(groupOfKey: ReadonlyMap<number, string>, softDeleted: ReadonlySet<string>) {
  const members = new Map<string, string>();
  const links: MembershipLink[] = [];
  return {
    links,
    add([key, member, type]: LinkRow): void {
      const groupId = groupOfKey.get(key);
      if (groupId === undefined || softDeleted.has(member)) return;
      let memberId = members.get(member);
      if (memberId === undefined) {
        memberId = member;
        members.set(member, member);
      }
      links.push({ groupId, memberId, memberType: type === 'group' ? 'group' : 'user' });
    },
  };
}
