import type { Kysely } from 'kysely';
import type { PagePlan, SyncStream } from '../sync/ports.js';
import { sqliteAnyPending } from './bulk-writes.js';
import { connectionLinks } from './group-keys.js';
import type { Database } from './schema.js';

const CHUNK = 500;

/**
 * `group_id` of a pending user removal that is a soft delete (`@removed: changed`): applied under the deletion guard
 * like any removal, but it keeps the user's links for a restore.
 */
export const SOFT_DELETE = 'soft';

type Removal = { kind: 'user' | 'group' | 'membership'; group_id: string; object_id: string };

async function insertRemovals(db: Kysely<Database>, cid: string, removals: Removal[]): Promise<void> {
  for (let i = 0; i < removals.length; i += CHUNK) {
    await db
      .insertInto('sync_pending_removals')
      .values(removals.slice(i, i + CHUNK).map((r) => ({ connection_id: cid, ...r })))
      .onConflict((oc) => oc.columns(['connection_id', 'kind', 'group_id', 'object_id']).doNothing())
      .execute();
  }
}

async function cancelRemovals(db: Kysely<Database>, cid: string, kind: Removal['kind'], keys: Removal[]) {
  if (keys.length === 0) return;
  if (kind !== 'membership') {
    for (let i = 0; i < keys.length; i += CHUNK) {
      await db
        .deleteFrom('sync_pending_removals')
        .where('connection_id', '=', cid)
        .where('kind', '=', kind)
        // A user's pending removal is '' (permanent) or SOFT_DELETE (soft): an upsert (restore) cancels both.
        .where('group_id', 'in', kind === 'user' ? ['', SOFT_DELETE] : [''])
        .where(
          'object_id',
          'in',
          keys.slice(i, i + CHUNK).map((k) => k.object_id),
        )
        .execute();
    }
    return;
  }
  const groups = new Map<string, string[]>();
  for (const k of keys) {
    const members = groups.get(k.group_id);
    if (members) members.push(k.object_id);
    else groups.set(k.group_id, [k.object_id]);
  }
  // One delete per group on the primary key (connection, kind, group, object), never an OR of pairs (a scan).
  for (const [groupId, objectIds] of groups) {
    for (let i = 0; i < objectIds.length; i += CHUNK) {
      await db
        .deleteFrom('sync_pending_removals')
        .where('connection_id', '=', cid)
        .where('kind', '=', 'membership')
        .where('group_id', '=', groupId)
        .where('object_id', 'in', objectIds.slice(i, i + CHUNK))
        .execute();
    }
  }
}

/**
 * Whether the connection has pending removals, remembered across the pages of one transaction: asked once, then
 * kept true by the pages that add some (no one else writes them while the sync holds its lease).
 */
export interface PendingProbe {
  any?: boolean;
}

async function anyPendingRemovals(db: Kysely<Database>, cid: string, probe: PendingProbe): Promise<boolean> {
  if (probe.any !== undefined) return probe.any;
  const any =
    sqliteAnyPending(db, cid) ??
    (await db
      .selectFrom('sync_pending_removals')
      .select('kind')
      .where('connection_id', '=', cid)
      .limit(1)
      .executeTakeFirst()) !== undefined;
  probe.any = any;
  return any;
}

/**
 * Records a page's removals as pending (applied at the end of the run, under the deletion guard) and cancels
 * pending removals of objects the page brings back (a replay or a restore later in the same round).
 */
export async function recordPendingRemovals(
  db: Kysely<Database>,
  cid: string,
  plan: PagePlan,
  probe: PendingProbe = {},
): Promise<void> {
  // Most pages have nothing to cancel: skip three big deletes when nothing is pending for this connection.
  const anyPending = await anyPendingRemovals(db, cid, probe);
  if (anyPending) {
    const key = (kind: Removal['kind'], groupId: string, objectId: string): Removal => ({
      kind,
      group_id: groupId,
      object_id: objectId,
    });
    await cancelRemovals(
      db,
      cid,
      'user',
      plan.upsertUsers.map((u) => key('user', '', u.id)),
    );
    await cancelRemovals(
      db,
      cid,
      'group',
      plan.upsertGroups.map((g) => key('group', '', g.id)),
    );
    await cancelRemovals(
      db,
      cid,
      'membership',
      plan.addMemberships.map((l) => key('membership', l.groupId, l.memberId)),
    );
  }
  const removals = [
    ...plan.removeUserIds.map((id): Removal => ({ kind: 'user', group_id: '', object_id: id })),
    ...plan.softDeleteUserIds.map((id): Removal => ({ kind: 'user', group_id: SOFT_DELETE, object_id: id })),
    ...plan.removeGroupIds.map((id): Removal => ({ kind: 'group', group_id: '', object_id: id })),
    ...plan.removeMemberships.map((l): Removal => ({ kind: 'membership', group_id: l.groupId, object_id: l.memberId })),
  ];
  await insertRemovals(db, cid, removals);
  if (removals.length > 0) probe.any = true;
}

/** After a full round: whatever the round did not mark (`round_id`) is gone from the tenant. */
export async function unseenObjects(db: Kysely<Database>, cid: string, stream: SyncStream, roundId: number) {
  if (stream === 'users') {
    const rows = await db
      .selectFrom('directory_users')
      .select('id')
      .where('connection_id', '=', cid)
      .where('round_id', '!=', roundId)
      // Soft-deleted users are not in a full round (Graph lists active users) yet may still be restored: they
      // stay, hidden, until users delta reports them restored or `@removed: deleted`.
      .where('soft_deleted', '=', 0)
      .execute();
    await insertRemovals(
      db,
      cid,
      rows.map((r) => ({ kind: 'user', group_id: '', object_id: r.id })),
    );
    return;
  }
  const groups = await db
    .selectFrom('directory_groups')
    .select('id')
    .where('connection_id', '=', cid)
    .where('round_id', '!=', roundId)
    .execute();
  await insertRemovals(
    db,
    cid,
    groups.map((r) => ({ kind: 'group', group_id: '', object_id: r.id })),
  );
  const links = await connectionLinks(db, cid)
    .select(['k.group_id', 'm.member_id'])
    .where('m.round_id', '!=', roundId)
    .execute();
  await insertRemovals(
    db,
    cid,
    links.map((l) => ({ kind: 'membership', group_id: l.group_id, object_id: l.member_id })),
  );
}
