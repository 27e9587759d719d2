import type { Kysely, Selectable } from 'kysely';
import type {
  AppliedChanges,
  AppliedGroupChange,
  AppliedMembershipChange,
  AppliedUserChange,
  GroupProperty,
  UserProperty,
} from '../directory/applied-changes.js';
import { currentChangeScope } from '../directory/change-scope.js';
import type { DirectoryChanges, DirectoryGroup, DirectoryUser, MemberType } from '../directory/directory-model.js';
import type { AppliedChangeHook, ChangeContext } from './applied-change-hook.js';
import type { DirectoryGroupsTable, DirectoryUsersTable } from './schema/directory.js';
import type { Database } from './schema.js';

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

function toUser(row: Selectable<DirectoryUsersTable>): DirectoryUser {
  return {
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    mail: row.mail,
    givenName: row.given_name,
    surname: row.surname,
    jobTitle: row.job_title,
    department: row.department,
    accountEnabled: Number(row.account_enabled) === 1,
  };
}

function toGroup(row: Selectable<DirectoryGroupsTable>): DirectoryGroup {
  return {
    id: row.id,
    displayName: row.display_name,
    description: row.description,
    mailEnabled: Number(row.mail_enabled) === 1,
    securityEnabled: Number(row.security_enabled) === 1,
    groupTypes: JSON.parse(row.group_types) as string[],
  };
}

const USER_PROPERTIES: readonly UserProperty[] = [
  'userPrincipalName',
  'displayName',
  'mail',
  'givenName',
  'surname',
  'jobTitle',
  'department',
  'accountEnabled',
];
const GROUP_PROPERTIES: readonly GroupProperty[] = [
  'displayName',
  'description',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
];

function changedProperties<T extends object, K extends keyof T & string>(before: T, after: T, keys: readonly K[]): K[] {
  return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

async function storedRows<T extends 'directory_users' | 'directory_groups'>(
  db: Kysely<Database>,
  table: T,
  cid: string,
  ids: readonly string[],
) {
  const rows = new Map<string, Selectable<Database[T]>>();
  for (const part of chunks([...new Set(ids)])) {
    const found = (await db
      .selectFrom(table as 'directory_users')
      .selectAll()
      .where('connection_id', '=', cid)
      .where('id', 'in', part)
      .execute()) as unknown as Selectable<Database[T]>[];
    for (const row of found) rows.set((row as { id: string }).id, row);
  }
  return rows;
}

type LinkRow = { group_id: string; member_id: string; member_type: string };

async function linksWhere(
  db: Kysely<Database>,
  cid: string,
  column: 'group_id' | 'member_id',
  ids: readonly string[],
): Promise<LinkRow[]> {
  const out: LinkRow[] = [];
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom('directory_memberships')
      .select(['group_id', 'member_id', 'member_type'])
      .where('connection_id', '=', cid)
      .where(column, 'in', part)
      .execute();
    // No spread: a big group's links would overflow the call stack.
    for (const row of rows) out.push(row);
  }
  return out;
}

/** A connection whose sync never committed is being filled by its first full round: a baseline, not news. */
async function isBaseline(db: Kysely<Database>, cid: string, context: ChangeContext): Promise<boolean> {
  if (context.source !== 'sync') return false;
  const row = await db
    .selectFrom('sync_state')
    .select('last_synced_at')
    .where('connection_id', '=', cid)
    .executeTakeFirst();
  return !row?.last_synced_at;
}

/**
 * What `changes` will change in the stored directory, read inside the write's transaction BEFORE it is applied (the
 * same order as `writeDirectoryChanges`: upserts, removals, exclusions, membership removals, then additions). Objects
 * found as they are appear nowhere. A baseline (first full round) is not diffed: everything in it is `created`.
 */
export async function appliedChangesOf(
  db: Kysely<Database>,
  cid: string,
  changes: DirectoryChanges,
  context: ChangeContext,
): Promise<AppliedChanges> {
  const upsertUsers = lastByKey(changes.upsertUsers ?? [], (u) => u.id);
  const upsertGroups = lastByKey(changes.upsertGroups ?? [], (g) => g.id);
  const addLinks = lastByKey(changes.addMemberships ?? [], (l) => `${l.groupId}/${l.memberId}`);
  if (await isBaseline(db, cid, context)) {
    return {
      users: upsertUsers.map((user) => ({ type: 'created', user })),
      groups: upsertGroups.map((group) => ({ type: 'created', group })),
      memberships: addLinks.map((l) => ({ type: 'added', ...l })),
      baseline: true,
    };
  }
  const removeUserIds = new Set(changes.removeUserIds ?? []);
  const excludeUserIds = new Set(changes.excludeUserIds ?? []);
  const removeGroupIds = new Set(changes.removeGroupIds ?? []);
  const storedUsers = await storedRows(db, 'directory_users', cid, [
    ...upsertUsers.map((u) => u.id),
    ...removeUserIds,
    ...excludeUserIds,
  ]);
  const storedGroups = await storedRows(db, 'directory_groups', cid, [
    ...upsertGroups.map((g) => g.id),
    ...removeGroupIds,
  ]);

  const users: AppliedUserChange[] = [];
  for (const user of upsertUsers) {
    if (removeUserIds.has(user.id) || excludeUserIds.has(user.id)) continue;
    const row = storedUsers.get(user.id);
    if (!row) {
      users.push({ type: 'created', user });
      continue;
    }
    const changed = changedProperties(toUser(row), user, USER_PROPERTIES);
    if (changed.length > 0) users.push({ type: 'updated', user, changed });
  }
  for (const id of removeUserIds) {
    const row = storedUsers.get(id);
    if (row) users.push({ type: 'deleted', id, user: toUser(row) });
  }
  for (const id of excludeUserIds) {
    const row = storedUsers.get(id);
    if (row && !removeUserIds.has(id)) users.push({ type: 'excluded', id, user: toUser(row) });
  }

  const groups: AppliedGroupChange[] = [];
  for (const group of upsertGroups) {
    if (removeGroupIds.has(group.id)) continue;
    const row = storedGroups.get(group.id);
    if (!row) {
      groups.push({ type: 'created', group });
      continue;
    }
    const changed = changedProperties(toGroup(row), group, GROUP_PROPERTIES);
    if (changed.length > 0) groups.push({ type: 'updated', group, changed });
  }
  for (const id of removeGroupIds) {
    const row = storedGroups.get(id);
    if (row) groups.push({ type: 'deleted', id, group: toGroup(row) });
  }

  // Links as stored before the write, for the ones this write touches.
  const touchedGroups = new Set([
    ...(changes.removeMemberships ?? []).map((l) => l.groupId),
    ...addLinks.map((l) => l.groupId),
    ...removeGroupIds,
  ]);
  const stored = new Map<string, LinkRow>();
  for (const row of await linksWhere(db, cid, 'group_id', [...touchedGroups])) {
    stored.set(`${row.group_id}/${row.member_id}`, row);
  }
  const removedMembers = [...removeUserIds, ...removeGroupIds];
  for (const row of await linksWhere(db, cid, 'member_id', removedMembers)) {
    stored.set(`${row.group_id}/${row.member_id}`, row);
  }
  const memberships: AppliedMembershipChange[] = [];
  const removed = new Set<string>();
  const remove = (key: string) => {
    const row = stored.get(key);
    if (!row || removed.has(key)) return;
    removed.add(key);
    const memberType: MemberType = row.member_type === 'group' ? 'group' : 'user';
    memberships.push({ type: 'removed', groupId: row.group_id, memberId: row.member_id, memberType });
  };
  for (const [key, row] of stored) {
    if (removeUserIds.has(row.member_id) || removeGroupIds.has(row.member_id) || removeGroupIds.has(row.group_id)) {
      remove(key);
    }
  }
  for (const l of changes.removeMemberships ?? []) remove(`${l.groupId}/${l.memberId}`);
  for (const l of addLinks) {
    const key = `${l.groupId}/${l.memberId}`;
    if (stored.has(key) && !removed.has(key)) continue;
    if (removed.has(key)) {
      // Removed and added back in one write: no change overall.
      const i = memberships.findIndex((m) => m.type === 'removed' && `${m.groupId}/${m.memberId}` === key);
      if (i >= 0) memberships.splice(i, 1);
      continue;
    }
    memberships.push({ type: 'added', groupId: l.groupId, memberId: l.memberId, memberType: l.memberType });
  }
  return { users, groups, memberships, baseline: false };
}

/** What `writeDirectoryChanges` needs to report a write to `hook`, in the change scope under way (if any). */
export function reportTo(
  hook: AppliedChangeHook | undefined,
  source: ChangeContext['source'],
): { hook: AppliedChangeHook; context: ChangeContext } | undefined {
  if (!hook) return undefined;
  const scope = currentChangeScope();
  const context: ChangeContext = {
    source: scope?.source ?? source,
    ...(scope?.runId ? { runId: scope.runId } : {}),
    ...(scope?.actor ? { actor: scope.actor } : {}),
  };
  return { hook, context };
}
