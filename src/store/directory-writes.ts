import type { Kysely } from 'kysely';
import type { DirectoryChanges, DirectoryGroup, DirectoryUser, MembershipLink } from '../directory/directory-model.js';
import type { AppliedChangeHook, ChangeContext } from './applied-change-hook.js';
import { appliedChangesOf } from './applied-changes-of.js';
import { bulkAddMemberships, bulkUpsertGroups, bulkUpsertUsers, sqliteBumpVersion } from './bulk-writes.js';
import { findGroupKeys, groupKeysOfConnection, memberColumnForList } from './group-keys.js';
import type { Database } from './schema.js';

/** Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The last occurrence of each key wins (a page may repeat an object; one statement must not upsert it twice). */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

async function upsertUsers(db: Kysely<Database>, cid: string, users: readonly DirectoryUser[], roundId: number) {
  await bulkUpsertUsers(
    db,
    cid,
    lastByKey(users, (u) => u.id),
    roundId,
  );
}

async function upsertGroups(db: Kysely<Database>, cid: string, groups: readonly DirectoryGroup[], roundId: number) {
  await bulkUpsertGroups(
    db,
    cid,
    lastByKey(groups, (g) => g.id),
    roundId,
  );
}

async function addMemberships(db: Kysely<Database>, cid: string, links: readonly MembershipLink[], roundId: number) {
  await bulkAddMemberships(
    db,
    cid,
    lastByKey(links, (l) => `${l.groupId}/${l.memberId}`),
    roundId,
  );
}

/** Groups pairs by group, so each delete walks the primary key (group key, member) instead of a scan. */
function byGroup(links: readonly Pick<MembershipLink, 'groupId' | 'memberId'>[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const l of links) {
    const members = groups.get(l.groupId);
    if (members) members.push(l.memberId);
    else groups.set(l.groupId, [l.memberId]);
  }
  return groups;
}

async function removeMemberships(
  db: Kysely<Database>,
  cid: string,
  links: readonly Pick<MembershipLink, 'groupId' | 'memberId'>[],
) {
  const grouped = byGroup(links);
  // A group without a key has no stored links: nothing to remove.
  const keys = await findGroupKeys(db, cid, grouped.keys());
  for (const [groupId, memberIds] of grouped) {
    const key = keys.get(groupId);
    if (key === undefined) continue;
    for (const part of chunks(memberIds)) {
      await db.deleteFrom('directory_links').where('group_key', '=', key).where('member_id', 'in', part).execute();
    }
  }
}

/** Removes the connection's links whose member is one of `memberIds` (a walk of the connection's links). */
async function removeLinksOfMembers(db: Kysely<Database>, cid: string, memberIds: readonly string[]) {
  await db
    .deleteFrom('directory_links')
    .where('group_key', 'in', groupKeysOfConnection(db, cid))
    .where(memberColumnForList(db, 'member_id'), 'in', memberIds)
    .execute();
}

async function deleteUsers(db: Kysely<Database>, cid: string, ids: readonly string[], withMemberships: boolean) {
  for (const part of chunks(ids)) {
    await db.deleteFrom('directory_users').where('connection_id', '=', cid).where('id', 'in', part).execute();
    if (withMemberships) await removeLinksOfMembers(db, cid, part);
  }
}

async function deleteGroups(db: Kysely<Database>, cid: string, ids: readonly string[]) {
  for (const part of chunks(ids)) {
    await db.deleteFrom('directory_groups').where('connection_id', '=', cid).where('id', 'in', part).execute();
    // The key row stays (a few bytes): a group restored from the recycle bin keeps its id, and a concurrent writer
    // that already read the key never writes under one that is gone.
    const keys = [...(await findGroupKeys(db, cid, part)).values()];
    if (keys.length > 0) await db.deleteFrom('directory_links').where('group_key', 'in', keys).execute();
    // The deleted groups as members of other groups (nested).
    await removeLinksOfMembers(db, cid, part);
  }
}

/** Marks the connection's directory as changed, so cached membership indexes (in any process) reload. */
export async function bumpDirectoryVersion(db: Kysely<Database>, cid: string): Promise<void> {
  if (sqliteBumpVersion(db, cid)) return;
  await db
    .insertInto('directory_versions')
    .values({ connection_id: cid, version: 1 })
    .onConflict((oc) =>
      oc.column('connection_id').doUpdateSet((eb) => ({ version: eb('directory_versions.version', '+', 1) })),
    )
    .execute();
}

/**
 * Applies one set of changes inside the caller's transaction: upserts first, then removals (a page that both
 * updates and removes an object ends with it removed), then memberships. `roundId` marks what a sync round saw.
 * With `report`, what the write changes is computed first and handed to the hook after it, in the same transaction.
 */
export async function writeDirectoryChanges(
  db: Kysely<Database>,
  cid: string,
  changes: DirectoryChanges,
  roundId = 0,
  report?: { hook: AppliedChangeHook; context: ChangeContext },
  options: { bumpVersion?: boolean } = {},
): Promise<void> {
  const applied = report && (await appliedChangesOf(db, cid, changes, report.context));
  if (changes.upsertUsers?.length) await upsertUsers(db, cid, changes.upsertUsers, roundId);
  if (changes.upsertGroups?.length) await upsertGroups(db, cid, changes.upsertGroups, roundId);
  if (changes.removeUserIds?.length) await deleteUsers(db, cid, changes.removeUserIds, true);
  if (changes.excludeUserIds?.length) await deleteUsers(db, cid, changes.excludeUserIds, false);
  for (const part of chunks(changes.softDeleteUserIds ?? [])) {
    await db
      .updateTable('directory_users')
      .set({ soft_deleted: 1 })
      .where('connection_id', '=', cid)
      .where('id', 'in', part)
      .execute();
  }
  if (changes.removeGroupIds?.length) await deleteGroups(db, cid, changes.removeGroupIds);
  if (changes.removeMemberships?.length) await removeMemberships(db, cid, changes.removeMemberships);
  if (changes.addMemberships?.length) await addMemberships(db, cid, changes.addMemberships, roundId);
  // A caller writing several pages in one transaction bumps once, at its end: no one sees the pages in between.
  if (options.bumpVersion !== false) await bumpDirectoryVersion(db, cid);
  if (report && applied) await report.hook(db, cid, applied, report.context);
}

/** Runs `fn` in a transaction, or directly when `db` already is one (a dry run wraps a whole sync in one). */
export async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
