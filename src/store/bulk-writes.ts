import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { DirectoryGroup, DirectoryUser, MembershipLink } from '../directory/directory-model.js';
import { ensureGroupKeys } from './group-keys.js';
import type { Database } from './schema.js';
import { sqliteHandleOf } from './sqlite-handles.js';

/**
 * The bulk write path of a sync page (issue 13): the three upserts a first sync spends its time in, and the probes
 * that count what a page adds. Measured with `node --cpu-prof` on a 20,000-user first sync, Kysely building and
 * compiling a 500-row statement per chunk (and better-sqlite3 preparing it anew each time) cost more than SQLite's
 * own B-tree work. So, on SQLite, the statements are prepared once per database handle and reused for every page; on
 * PostgreSQL, a chunk is one `INSERT … SELECT FROM unnest($arrays)` statement whose text never changes (so the server
 * plans it like a prepared one) instead of a multi-row VALUES list with five parameters per row.
 *
 * Both engines run these inside the caller's transaction: Kysely's SQLite driver has one connection, so the raw
 * handle IS the transaction's connection; on PostgreSQL the statements go through the transaction's `tx`.
 */

/** Rows per multi-row SQLite statement: one native call per 50 rows instead of one per row (measured ~20% less CPU). */
const SQLITE_ROWS = 50;
/** Rows per PostgreSQL statement (arrays, so no parameter limit; this only bounds one statement's size). */
const POSTGRES_ROWS = 5000;

const USER_COLUMNS = [
  'connection_id',
  'id',
  'user_principal_name',
  'upn_lower',
  'display_name',
  'mail',
  'given_name',
  'surname',
  'job_title',
  'department',
  'account_enabled',
  'round_id',
  // Written as 0: a user the delta sends again (restored from the recycle bin) is no longer soft-deleted (issue 11).
  'soft_deleted',
] as const;
const GROUP_COLUMNS = [
  'connection_id',
  'id',
  'display_name',
  'name_lower',
  'description',
  'mail_enabled',
  'security_enabled',
  'group_types',
  'round_id',
] as const;
const LINK_COLUMNS = ['group_key', 'member_id', 'member_type', 'round_id'] as const;
const LINK_KEY = ['group_key', 'member_id'];

type Value = string | number | null;

/**
 * Sorts rows by their key columns (after the connection id), so one chunk's inserts walk the primary-key B-tree
 * forward instead of jumping to a random leaf per row: Graph lists members and users in an order unrelated to
 * their ids, and a big group's links land all over its key range. Measured (issue 13, `npm run bench -- sync`,
 * 100,000 users): about 9% less CPU for a first sync. The order of rows within one statement changes nothing else.
 */
function sortByKey(rows: Value[][], first: number, last: number): Value[][] {
  return rows.sort((a, b) => {
    for (let c = first; c <= last; c++) {
      const x = a[c] as string | number;
      const y = b[c] as string | number;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

function userValues(cid: string, u: DirectoryUser, roundId: number): Value[] {
  return [
    cid,
    u.id,
    u.userPrincipalName,
    u.userPrincipalName.toLowerCase(),
    u.displayName ?? null,
    u.mail ?? null,
    u.givenName ?? null,
    u.surname ?? null,
    u.jobTitle ?? null,
    u.department ?? null,
    u.accountEnabled ? 1 : 0,
    roundId,
    0,
  ];
}

function groupValues(cid: string, g: DirectoryGroup, roundId: number): Value[] {
  return [
    cid,
    g.id,
    g.displayName,
    g.displayName.toLowerCase(),
    g.description ?? null,
    g.mailEnabled ? 1 : 0,
    g.securityEnabled ? 1 : 0,
    JSON.stringify(g.groupTypes),
    roundId,
  ];
}

function linkValues(groupKey: number, l: MembershipLink, roundId: number): Value[] {
  return [groupKey, l.memberId, l.memberType, roundId];
}

/** `INSERT … VALUES (…)×rows ON CONFLICT (key) DO UPDATE SET every other column = excluded`, for SQLite. */
function upsertSql(table: string, columns: readonly string[], key: readonly string[], rows: number): string {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const set = columns
    .filter((c) => !key.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `insert into ${table} (${columns.join(',')}) values ${Array(rows).fill(tuple).join(',')} on conflict (${key.join(',')}) do update set ${set}`;
}

interface UpsertStatements {
  readonly one: BetterSqlite3.Statement;
  readonly many: BetterSqlite3.Statement;
  readonly width: number;
}

interface SqliteStatements {
  readonly users: UpsertStatements;
  readonly groups: UpsertStatements;
  readonly links: UpsertStatements;
  readonly userRound: BetterSqlite3.Statement;
  readonly groupRound: BetterSqlite3.Statement;
  readonly groupHasLinks: BetterSqlite3.Statement;
  readonly linkExists: BetterSqlite3.Statement;
  readonly bumpVersion: BetterSqlite3.Statement;
  readonly anyPending: BetterSqlite3.Statement;
  readonly usersCheckpoint: BetterSqlite3.Statement;
  readonly groupsCheckpoint: BetterSqlite3.Statement;
}

/** Prepared once per handle (a store's lifetime), never per chunk. */
const prepared = new WeakMap<BetterSqlite3.Database, SqliteStatements>();

function statementsOf(handle: BetterSqlite3.Database): SqliteStatements {
  const found = prepared.get(handle);
  if (found) return found;
  const upserts = (table: string, columns: readonly string[], key: readonly string[]): UpsertStatements => ({
    one: handle.prepare(upsertSql(table, columns, key, 1)),
    many: handle.prepare(upsertSql(table, columns, key, SQLITE_ROWS)),
    width: columns.length,
  });
  const made: SqliteStatements = {
    users: upserts('directory_users', USER_COLUMNS, ['connection_id', 'id']),
    groups: upserts('directory_groups', GROUP_COLUMNS, ['connection_id', 'id']),
    links: upserts('directory_links', LINK_COLUMNS, LINK_KEY),
    userRound: handle.prepare('select round_id from directory_users where connection_id = ? and id = ?').pluck(),
    groupRound: handle.prepare('select round_id from directory_groups where connection_id = ? and id = ?').pluck(),
    groupHasLinks: handle.prepare('select 1 from directory_links where group_key = ? limit 1').pluck(),
    linkExists: handle.prepare('select 1 from directory_links where group_key = ? and member_id = ?').pluck(),
    bumpVersion: handle.prepare(
      'insert into directory_versions (connection_id, version) values (?, 1) on conflict (connection_id) do update set version = directory_versions.version + 1',
    ),
    anyPending: handle.prepare('select 1 from sync_pending_removals where connection_id = ? limit 1').pluck(),
    usersCheckpoint: handle.prepare('update sync_state set users_round = ? where connection_id = ?'),
    groupsCheckpoint: handle.prepare('update sync_state set groups_round = ? where connection_id = ?'),
  };
  prepared.set(handle, made);
  return made;
}

/** Runs `rows` through the multi-row statement in blocks of SQLITE_ROWS, the rest one row at a time. */
function runUpserts(statements: UpsertStatements, rows: readonly Value[][]): void {
  let i = 0;
  if (rows.length >= SQLITE_ROWS) {
    const block: Value[] = new Array(SQLITE_ROWS * statements.width);
    for (; i + SQLITE_ROWS <= rows.length; i += SQLITE_ROWS) {
      let k = 0;
      for (let r = i; r < i + SQLITE_ROWS; r++) for (const v of rows[r] as Value[]) block[k++] = v;
      statements.many.run(block);
    }
  }
  for (; i < rows.length; i++) statements.one.run(rows[i]);
}

/** Transposes rows into one array per column (PostgreSQL `unnest`). */
function columnsOf(rows: readonly Value[][], width: number): Value[][] {
  const out: Value[][] = Array.from({ length: width }, () => new Array<Value>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Value[];
    for (let c = 0; c < width; c++) (out[c] as Value[])[r] = row[c] as Value;
  }
  return out;
}

async function postgresUpsert(
  tx: Kysely<Database>,
  table: string,
  columns: readonly string[],
  types: readonly string[],
  key: readonly string[],
  rows: readonly Value[][],
): Promise<void> {
  const set = columns
    .filter((c) => !key.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  for (let i = 0; i < rows.length; i += POSTGRES_ROWS) {
    const arrays = columnsOf(rows.slice(i, i + POSTGRES_ROWS), columns.length);
    const unnest = sql.join(arrays.map((values, c) => sql`${values}::${sql.raw(types[c] as string)}[]`));
    await sql`insert into ${sql.raw(table)} (${sql.raw(columns.join(', '))}) select * from unnest(${unnest}) on conflict (${sql.raw(key.join(', '))}) do update set ${sql.raw(set)}`.execute(
      tx,
    );
  }
}

const USER_TYPES = [...Array<string>(10).fill('text'), 'int', 'int', 'int'];
const GROUP_TYPES = ['text', 'text', 'text', 'text', 'text', 'int', 'int', 'text', 'int'];
const LINK_TYPES = ['int', 'text', 'text', 'int'];

/** Upserts users (each id once: the caller keeps the last occurrence), stamping `round_id`. */
export async function bulkUpsertUsers(
  db: Kysely<Database>,
  cid: string,
  users: readonly DirectoryUser[],
  roundId: number,
): Promise<void> {
  const rows = sortByKey(
    users.map((u) => userValues(cid, u, roundId)),
    1,
    1,
  );
  const handle = sqliteHandleOf(db);
  if (handle) runUpserts(statementsOf(handle).users, rows);
  else await postgresUpsert(db, 'directory_users', USER_COLUMNS, USER_TYPES, ['connection_id', 'id'], rows);
}

/** Upserts groups (each id once), stamping `round_id`. */
export async function bulkUpsertGroups(
  db: Kysely<Database>,
  cid: string,
  groups: readonly DirectoryGroup[],
  roundId: number,
): Promise<void> {
  const rows = groups.map((g) => groupValues(cid, g, roundId));
  const handle = sqliteHandleOf(db);
  if (handle) runUpserts(statementsOf(handle).groups, rows);
  else await postgresUpsert(db, 'directory_groups', GROUP_COLUMNS, GROUP_TYPES, ['connection_id', 'id'], rows);
}

/** Upserts membership links (each pair once), stamping `round_id`, under their groups' keys. */
export async function bulkAddMemberships(
  db: Kysely<Database>,
  cid: string,
  links: readonly MembershipLink[],
  roundId: number,
): Promise<void> {
  const keys = await ensureGroupKeys(
    db,
    cid,
    links.map((l) => l.groupId),
  );
  const rows = sortByKey(
    links.map((l) => linkValues(keys.get(l.groupId) as number, l, roundId)),
    0,
    1,
  );
  const handle = sqliteHandleOf(db);
  if (handle) runUpserts(statementsOf(handle).links, rows);
  else await postgresUpsert(db, 'directory_links', LINK_COLUMNS, LINK_TYPES, LINK_KEY, rows);
}

/**
 * Stored objects among `ids`, with the round that last wrote them; on SQLite one primary-key probe per id through a
 * prepared statement, or `undefined` on PostgreSQL (the caller asks with one query per chunk there).
 */
export function sqliteStoredRounds(
  db: Kysely<Database>,
  kind: 'user' | 'group',
  cid: string,
  ids: Iterable<string>,
): Map<string, number> | undefined {
  const handle = sqliteHandleOf(db);
  if (!handle) return undefined;
  const statements = statementsOf(handle);
  const probe = kind === 'user' ? statements.userRound : statements.groupRound;
  const found = new Map<string, number>();
  for (const id of ids) {
    const round = probe.get(cid, id) as number | undefined;
    if (round !== undefined) found.set(id, Number(round));
  }
  return found;
}

/**
 * Which of the links (grouped by group key) are stored, as `group/member` keys; on SQLite through prepared probes,
 * with one probe per group first (a group with no stored links, every group of a first sync, needs no probe per
 * member). `undefined` on PostgreSQL.
 */
export function sqliteExistingLinks(
  db: Kysely<Database>,
  byGroup: ReadonlyMap<string, { key: number; memberIds: readonly string[] }>,
): Set<string> | undefined {
  const handle = sqliteHandleOf(db);
  if (!handle) return undefined;
  const statements = statementsOf(handle);
  const found = new Set<string>();
  for (const [groupId, { key, memberIds }] of byGroup) {
    if (statements.groupHasLinks.get(key) === undefined) continue;
    for (const memberId of memberIds) {
      if (statements.linkExists.get(key, memberId) !== undefined) found.add(`${groupId}/${memberId}`);
    }
  }
  return found;
}

/*
 * The small statements every sync page runs besides its rows (directory version, pending-removal probe, checkpoint):
 * through Kysely each cost a query build and compile per page, a few percent of a first sync's CPU. On SQLite they
 * run prepared; each returns false (or undefined) on PostgreSQL, where the caller runs its Kysely statement.
 */

/** Bumps the connection's directory version; false on PostgreSQL. */
export function sqliteBumpVersion(db: Kysely<Database>, cid: string): boolean {
  const handle = sqliteHandleOf(db);
  if (!handle) return false;
  statementsOf(handle).bumpVersion.run(cid);
  return true;
}

/** Whether the connection has pending removals; undefined on PostgreSQL. */
export function sqliteAnyPending(db: Kysely<Database>, cid: string): boolean | undefined {
  const handle = sqliteHandleOf(db);
  if (!handle) return undefined;
  return statementsOf(handle).anyPending.get(cid) !== undefined;
}

/** Stores a stream's round checkpoint (JSON); false on PostgreSQL. */
export function sqliteSaveCheckpoint(
  db: Kysely<Database>,
  cid: string,
  stream: 'users' | 'groups',
  round: string,
): boolean {
  const handle = sqliteHandleOf(db);
  if (!handle) return false;
  const statements = statementsOf(handle);
  (stream === 'users' ? statements.usersCheckpoint : statements.groupsCheckpoint).run(round, cid);
  return true;
}
