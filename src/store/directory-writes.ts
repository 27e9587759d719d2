import type { Kysely } from 'kysely';
import type { DirectoryChanges, DirectoryGroup, DirectoryUser, MembershipLink } from '../directory/directory-model.js';
import type { AppliedChangeHook, ChangeContext } from './applied-change-hook.js';
import { appliedChangesOf } from './applied-changes-of.js';
import type { Database } from './schema.js';

/** Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function userRow(connectionId: string, user: DirectoryUser, roundId: number) {
  return {
    connection_id: connectionId,
    id: user.id,
    user_principal_name: user.userPrincipalName,
    upn_lower: user.userPrincipalName.toLowerCase(),
    display_name: user.displayName,
    mail: user.mail,
    given_name: user.givenName,
    surname: user.surname,
    job_title: user.jobTitle,
    department: user.department,
    account_enabled: user.accountEnabled ? 1 : 0,
    round_id: roundId,
  };
}

function groupRow(connectionId: string, group: DirectoryGroup, roundId: number) {
  return {
    connection_id: connectionId,
    id: group.id,
    display_name: group.displayName,
    name_lower: group.displayName.toLowerCase(),
    description: group.description,
    mail_enabled: group.mailEnabled ? 1 : 0,
    security_enabled: group.securityEnabled ? 1 : 0,
    group_types: JSON.stringify(group.groupTypes),
    round_id: roundId,
  };
}

/** The last occurrence of each key wins (a page may repeat an object; one statement must not upsert it twice). */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

async function upsertUsers(db: Kysely<Database>, cid: string, users: readonly DirectoryUser[], roundId: number) {
  for (const part of chunks(lastByKey(users, (u) => u.id))) {
    await db
      .insertInto('directory_users')
      .values(part.map((u) => userRow(cid, u, roundId)))
      .onConflict((oc) =>
        oc.columns(['connection_id', 'id']).doUpdateSet((eb) => ({
          user_principal_name: eb.ref('excluded.user_principal_name'),
          upn_lower: eb.ref('excluded.upn_lower'),
          display_name: eb.ref('excluded.display_name'),
          mail: eb.ref('excluded.mail'),
          given_name: eb.ref('excluded.given_name'),
          surname: eb.ref('excluded.surname'),
          job_title: eb.ref('excluded.job_title'),
          department: eb.ref('excluded.department'),
          account_enabled: eb.ref('excluded.account_enabled'),
          round_id: eb.ref('excluded.round_id'),
        })),
      )
      .execute();
  }
}

async function upsertGroups(db: Kysely<Database>, cid: string, groups: readonly DirectoryGroup[], roundId: number) {
  for (const part of chunks(lastByKey(groups, (g) => g.id))) {
    await db
      .insertInto('directory_groups')
      .values(part.map((g) => groupRow(cid, g, roundId)))
      .onConflict((oc) =>
        oc.columns(['connection_id', 'id']).doUpdateSet((eb) => ({
          display_name: eb.ref('excluded.display_name'),
          name_lower: eb.ref('excluded.name_lower'),
          description: eb.ref('excluded.description'),
          mail_enabled: eb.ref('excluded.mail_enabled'),
          security_enabled: eb.ref('excluded.security_enabled'),
          group_types: eb.ref('excluded.group_types'),
          round_id: eb.ref('excluded.round_id'),
        })),
      )
      .execute();
  }
}

async function addMemberships(db: Kysely<Database>, cid: string, links: readonly MembershipLink[], roundId: number) {
  for (const part of chunks(lastByKey(links, (l) => `${l.groupId}/${l.memberId}`))) {
    await db
      .insertInto('directory_memberships')
      .values(
        part.map((l) => ({
          connection_id: cid,
          group_id: l.groupId,
          member_id: l.memberId,
          member_type: l.memberType,
          round_id: roundId,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection_id', 'group_id', 'member_id']).doUpdateSet((eb) => ({
          member_type: eb.ref('excluded.member_type'),
          round_id: eb.ref('excluded.round_id'),
        })),
      )
      .execute();
  }
}

/** Groups pairs by group, so each delete walks the primary key (connection, group, member) instead of a scan. */
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
  for (const [groupId, memberIds] of byGroup(links)) {
    for (const part of chunks(memberIds)) {
      await db
        .deleteFrom('directory_memberships')
        .where('connection_id', '=', cid)
        .where('group_id', '=', groupId)
        .where('member_id', 'in', part)
        .execute();
    }
  }
}

async function deleteUsers(db: Kysely<Database>, cid: string, ids: readonly string[], withMemberships: boolean) {
  for (const part of chunks(ids)) {
    await db.deleteFrom('directory_users').where('connection_id', '=', cid).where('id', 'in', part).execute();
    if (withMemberships) {
      await db
        .deleteFrom('directory_memberships')
        .where('connection_id', '=', cid)
        .where('member_id', 'in', part)
        .execute();
    }
  }
}

async function deleteGroups(db: Kysely<Database>, cid: string, ids: readonly string[]) {
  // Separate deletes (not one OR), so each uses its index: the primary key for group_id, the member index for member_id.
  for (const part of chunks(ids)) {
    await db.deleteFrom('directory_groups').where('connection_id', '=', cid).where('id', 'in', part).execute();
    await db
      .deleteFrom('directory_memberships')
      .where('connection_id', '=', cid)
      .where('group_id', 'in', part)
      .execute();
    await db
      .deleteFrom('directory_memberships')
      .where('connection_id', '=', cid)
      .where('member_id', 'in', part)
      .execute();
  }
}

/** Marks the connection's directory as changed, so cached membership indexes (in any process) reload. */
export async function bumpDirectoryVersion(db: Kysely<Database>, cid: string): Promise<void> {
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
): Promise<void> {
  const applied = report && (await appliedChangesOf(db, cid, changes, report.context));
  if (changes.upsertUsers?.length) await upsertUsers(db, cid, changes.upsertUsers, roundId);
  if (changes.upsertGroups?.length) await upsertGroups(db, cid, changes.upsertGroups, roundId);
  if (changes.removeUserIds?.length) await deleteUsers(db, cid, changes.removeUserIds, true);
  if (changes.excludeUserIds?.length) await deleteUsers(db, cid, changes.excludeUserIds, false);
  if (changes.removeGroupIds?.length) await deleteGroups(db, cid, changes.removeGroupIds);
  if (changes.removeMemberships?.length) await removeMemberships(db, cid, changes.removeMemberships);
  if (changes.addMemberships?.length) await addMemberships(db, cid, changes.addMemberships, roundId);
  await bumpDirectoryVersion(db, cid);
  if (report && applied) await report.hook(db, cid, applied, report.context);
}

/** Runs `fn` in a transaction, or directly when `db` already is one (a dry run wraps a whole sync in one). */
export async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
