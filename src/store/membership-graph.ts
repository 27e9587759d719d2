import type { Kysely } from 'kysely';
import type { MembershipLink } from '../directory/directory-model.js';
import type { MembershipGraphData, MembershipLinkSink } from '../directory/ports.js';
import { groupKeysOfConnection } from './group-keys.js';
import type { Database } from './schema.js';
import { sqliteHandleOf } from './sqlite-handles.js';

type LinkRow = readonly [groupKey: number, memberId: string, memberType: string];

const SQLITE_LINKS =
  'select group_key, member_id, member_type from directory_links where group_key in (select key from directory_group_keys where connection_id = ?)';

/** The connection's soft-deleted users: their links stay in the store, hidden until a restore. */
export function softDeletedUsers(db: Kysely<Database>, cid: string) {
  return db
    .selectFrom('directory_users')
    .select('id')
    .where('connection_id', '=', cid)
    .where('soft_deleted', '=', 1)
    .execute();
}

/**
 * Every group and every visible link of a connection, each link handed to `onLink` as it is read: the membership
 * index is built from this after each sync that changed the directory (issue 13). The links come by group key, and
 * the key's group id is one string per group: the join returned a fresh 36-character group id per link. On SQLite the
 * rows are stepped as arrays and never held (stepping 830,000 rows costs SQLite 63 ms; materialising them as row
 * objects cost 1.8–2.8 s). Links of soft-deleted users are kept in the store but left out here.
 */
export async function scanMembershipGraph(
  db: Kysely<Database>,
  cid: string,
  onLink: MembershipLinkSink,
): Promise<MembershipGraphData['groups']> {
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
  const deleted = await softDeletedUsers(db, cid);
  const groupOfKey = new Map(keys.map((k) => [Number(k.key), k.group_id]));
  const hidden = new Set(deleted.map((r) => r.id));
  const visit = ([key, member, type]: LinkRow) => {
    const groupId = groupOfKey.get(key);
    if (groupId !== undefined && !hidden.has(member)) onLink(groupId, member, type === 'group' ? 'group' : 'user');
  };
  const handle = sqliteHandleOf(db);
  if (handle) {
    const step = () => {
      for (const row of handle.prepare(SQLITE_LINKS).raw().iterate(cid) as Iterable<LinkRow>) visit(row);
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
    for (const r of rows) visit([Number(r.group_key), r.member_id, r.member_type]);
  }
  return groups.map((g) => ({ id: g.id, displayName: g.display_name }));
}

/** The same graph with its links as objects (tests, benches, and callers that need the list itself). */
export async function loadMembershipGraph(db: Kysely<Database>, cid: string): Promise<MembershipGraphData> {
  const links: MembershipLink[] = [];
  const groups = await scanMembershipGraph(db, cid, (groupId, memberId, memberType) =>
    links.push({ groupId, memberId, memberType }),
  );
  return { groups, links };
}
