import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.js';
import { sqliteHandleOf } from './sqlite-handles.js';

/**
 * The integer key of each (connection, group) that membership rows are stored under (migration 0014). Looked up once
 * per group per page, never per link; created on demand when a group's first link is written.
 */

interface KeyStatements {
  readonly find: BetterSqlite3.Statement;
  readonly create: BetterSqlite3.Statement;
}

const prepared = new WeakMap<BetterSqlite3.Database, KeyStatements>();

function statementsOf(handle: BetterSqlite3.Database): KeyStatements {
  const found = prepared.get(handle);
  if (found) return found;
  const made: KeyStatements = {
    find: handle.prepare('select key from directory_group_keys where connection_id = ? and group_id = ?').pluck(),
    create: handle.prepare('insert into directory_group_keys (connection_id, group_id) values (?, ?)'),
  };
  prepared.set(handle, made);
  return made;
}

/** Rows per PostgreSQL lookup (`= any($array)`: no parameter limit; this bounds one statement's size). */
const POSTGRES_IDS = 5000;

async function postgresKeys(db: Kysely<Database>, cid: string, groupIds: readonly string[]) {
  const keys = new Map<string, number>();
  for (let i = 0; i < groupIds.length; i += POSTGRES_IDS) {
    const rows = await db
      .selectFrom('directory_group_keys')
      .select(['group_id', 'key'])
      .where('connection_id', '=', cid)
      .where('group_id', 'in', groupIds.slice(i, i + POSTGRES_IDS))
      .execute();
    for (const row of rows) keys.set(row.group_id, Number(row.key));
  }
  return keys;
}

/** The keys of the groups among `groupIds` that have one (groups that never had a link have none). */
export async function findGroupKeys(
  db: Kysely<Database>,
  cid: string,
  groupIds: Iterable<string>,
): Promise<Map<string, number>> {
  const ids = [...new Set(groupIds)];
  const handle = sqliteHandleOf(db);
  if (!handle) return ids.length === 0 ? new Map() : postgresKeys(db, cid, ids);
  const { find } = statementsOf(handle);
  const keys = new Map<string, number>();
  for (const id of ids) {
    const key = find.get(cid, id) as number | undefined;
    if (key !== undefined) keys.set(id, Number(key));
  }
  return keys;
}

/** The key of every group in `groupIds`, creating the missing ones (inside the caller's transaction). */
export async function ensureGroupKeys(
  db: Kysely<Database>,
  cid: string,
  groupIds: Iterable<string>,
): Promise<Map<string, number>> {
  const ids = [...new Set(groupIds)];
  const keys = await findGroupKeys(db, cid, ids);
  const missing = ids.filter((id) => !keys.has(id));
  if (missing.length === 0) return keys;
  const handle = sqliteHandleOf(db);
  if (handle) {
    const { create } = statementsOf(handle);
    for (const id of missing) keys.set(id, Number(create.run(cid, id).lastInsertRowid));
    return keys;
  }
  // Another writer may create the same key concurrently (an action beside a sync): keep theirs, then read all.
  await db
    .insertInto('directory_group_keys')
    .values(missing.map((group_id) => ({ connection_id: cid, group_id })))
    .onConflict((oc) => oc.columns(['connection_id', 'group_id']).doNothing())
    .execute();
  for (const [id, key] of await postgresKeys(db, cid, missing)) keys.set(id, key);
  return keys;
}

/** The connection's group keys, as a subquery (`where group_key in (…)`). */
export function groupKeysOfConnection(db: Kysely<Database>, cid: string) {
  return db.selectFrom('directory_group_keys').select('key').where('connection_id', '=', cid);
}

/**
 * The member column for a filter on many members (`… in (list)`) that walks the connection's links group by group.
 * The member is the primary key's second column, so SQLite otherwise seeks every (group, listed member) pair:
 * measured (issue 13) 5.6 s for 500 members of a 50,000-group tenant, against 0.34 s for the walk. The unary plus
 * (SQLite only: PostgreSQL's planner weighs its statistics itself) keeps the column out of SQLite's index choice.
 */
export function memberColumnForList(db: Kysely<Database>, column: 'member_id' | 'm.member_id'): RawBuilder<string> {
  return sqliteHandleOf(db) ? sql<string>`+${sql.ref(column)}` : sql<string>`${sql.ref(column)}`;
}

/** The connection's links joined to their groups' ids: `m` is the link, `k` its group key (`k.group_id`). */
export function connectionLinks(db: Kysely<Database>, cid: string) {
  return db
    .selectFrom('directory_links as m')
    .innerJoin('directory_group_keys as k', 'k.key', 'm.group_key')
    .where('k.connection_id', '=', cid);
}

/** Deletes every link and group key of the connection (inside the caller's transaction). */
export async function deleteConnectionLinks(db: Kysely<Database>, cid: string): Promise<void> {
  await db.deleteFrom('directory_links').where('group_key', 'in', groupKeysOfConnection(db, cid)).execute();
  await db.deleteFrom('directory_group_keys').where('connection_id', '=', cid).execute();
}
