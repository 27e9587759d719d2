import type { Kysely } from 'kysely';
import type { DirectoryStore } from '../directory/ports.js';
import {
  DEFAULT_POLICY,
  type PageOutcome,
  type PagePlan,
  type PendingRemovals,
  type RoundState,
  type SyncPolicy,
  type SyncRunRecord,
  type SyncState,
  type SyncStore,
  type SyncStream,
} from '../sync/ports.js';
import type { AppliedChangeHook } from './applied-change-hook.js';
import { reportTo } from './applied-changes-of.js';
import { sqliteExistingLinks, sqliteSaveCheckpoint, sqliteStoredRounds } from './bulk-writes.js';
import { createDirectoryRepository } from './directory-repository.js';
import { bumpDirectoryVersion, inTransaction, writeDirectoryChanges } from './directory-writes.js';
import { findGroupKeys } from './group-keys.js';
import type { Database } from './schema.js';
import { type PendingProbe, recordPendingRemovals, SOFT_DELETE, unseenObjects } from './sync-pending.js';

const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function ensureRow(db: Kysely<Database>, cid: string): Promise<void> {
  await db
    .insertInto('sync_state')
    .values({ connection_id: cid })
    .onConflict((oc) => oc.column('connection_id').doNothing())
    .execute();
}

async function existingIds(
  db: Kysely<Database>,
  table: 'directory_users' | 'directory_groups',
  cid: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('connection_id', '=', cid)
      .where('id', 'in', part)
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Stored objects among `ids`, with the round that last wrote them (an object repeated within a round is not "updated"). */
async function storedRounds(
  db: Kysely<Database>,
  table: 'directory_users' | 'directory_groups',
  cid: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const fast = sqliteStoredRounds(db, table === 'directory_users' ? 'user' : 'group', cid, new Set(ids));
  if (fast) return fast;
  const found = new Map<string, number>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'round_id'])
      .where('connection_id', '=', cid)
      .where('id', 'in', part)
      .execute();
    for (const row of rows) found.set(row.id, Number(row.round_id));
  }
  return found;
}

/**
 * Which of the page's links are already stored (replays, re-syncs): one key lookup and one primary-key probe per
 * group first. A group with no key, or no stored links yet (every group of a first sync), needs no probe per member.
 */
async function existingLinks(db: Kysely<Database>, cid: string, plan: PagePlan): Promise<Set<string>> {
  const members = new Map<string, string[]>();
  for (const l of plan.addMemberships) {
    const list = members.get(l.groupId);
    if (list) list.push(l.memberId);
    else members.set(l.groupId, [l.memberId]);
  }
  const keys = await findGroupKeys(db, cid, members.keys());
  const byGroup = new Map<string, { key: number; memberIds: string[] }>();
  for (const [groupId, key] of keys) byGroup.set(groupId, { key, memberIds: members.get(groupId) ?? [] });
  const fast = sqliteExistingLinks(db, byGroup);
  if (fast) return fast;
  const found = new Set<string>();
  for (const [groupId, { key, memberIds }] of byGroup) {
    const any = await db
      .selectFrom('directory_links')
      .select('member_id')
      .where('group_key', '=', key)
      .limit(1)
      .executeTakeFirst();
    if (!any) continue;
    for (const part of chunks(memberIds)) {
      const rows = await db
        .selectFrom('directory_links')
        .select('member_id')
        .where('group_key', '=', key)
        .where('member_id', 'in', part)
        .execute();
      for (const row of rows) found.add(`${groupId}/${row.member_id}`);
    }
  }
  return found;
}

/** Whether a page changes the directory now (its removals are only recorded until the run commits). */
function writesDirectory(plan: PagePlan): boolean {
  return (
    plan.upsertUsers.length > 0 ||
    plan.excludeUserIds.length > 0 ||
    plan.softDeleteUserIds.length > 0 ||
    plan.upsertGroups.length > 0 ||
    plan.addMemberships.length > 0
  );
}

/**
 * Counts what the page adds and updates, then writes it (objects and pending removals) inside the transaction of its
 * batch, which saves the checkpoint and bumps the directory version once, after its last page.
 */
async function writePage(
  trx: Kysely<Database>,
  cid: string,
  roundId: number,
  plan: PagePlan,
  pending: PendingProbe,
  hook?: AppliedChangeHook,
): Promise<PageOutcome> {
  const users = await storedRounds(trx, 'directory_users', cid, [
    ...plan.upsertUsers.map((u) => u.id),
    ...plan.excludeUserIds,
  ]);
  const groups = await storedRounds(
    trx,
    'directory_groups',
    cid,
    plan.upsertGroups.map((g) => g.id),
  );
  const links = plan.addMemberships.length > 0 ? await existingLinks(trx, cid, plan) : new Set<string>();
  const userIds = [...new Set(plan.upsertUsers.map((u) => u.id))];
  const groupIds = [...new Set(plan.upsertGroups.map((g) => g.id))];
  // Objects this round already wrote (a big group on several pages, a replayed object) count once, as added or
  // updated on their first appearance.
  const earlier = (rounds: Map<string, number>, id: string) => rounds.has(id) && rounds.get(id) !== roundId;
  const outcome: PageOutcome = {
    usersAdded: userIds.filter((id) => !users.has(id)).length,
    usersUpdated: userIds.filter((id) => earlier(users, id)).length,
    usersExcluded: new Set(plan.excludeUserIds.filter((id) => users.has(id))).size,
    groupsAdded: groupIds.filter((id) => !groups.has(id)).length,
    groupsUpdated: groupIds.filter((id) => earlier(groups, id)).length,
    membershipsAdded: new Set(
      plan.addMemberships.map((l) => `${l.groupId}/${l.memberId}`).filter((key) => !links.has(key)),
    ).size,
  };
  await writeDirectoryChanges(
    trx,
    cid,
    {
      upsertUsers: plan.upsertUsers,
      excludeUserIds: plan.excludeUserIds,
      upsertGroups: plan.upsertGroups,
      addMemberships: plan.addMemberships,
    },
    roundId,
    reportTo(hook, 'sync'),
    { bumpVersion: false },
  );
  await recordPendingRemovals(trx, cid, plan, pending);
  return outcome;
}

async function saveCheckpoint(trx: Kysely<Database>, cid: string, stream: SyncStream, round: RoundState) {
  if (!sqliteSaveCheckpoint(trx, cid, stream, JSON.stringify(round))) {
    await trx
      .updateTable('sync_state')
      .set(stream === 'users' ? { users_round: JSON.stringify(round) } : { groups_round: JSON.stringify(round) })
      .where('connection_id', '=', cid)
      .execute();
  }
}

function toPolicy(row: {
  disabled_users: string;
  delete_threshold_count: number;
  delete_threshold_percent: number;
  scope_group: string | null;
}): SyncPolicy {
  return {
    disabledUsers: row.disabled_users === 'include' ? 'include' : 'exclude',
    deleteThresholdCount: Number(row.delete_threshold_count),
    deleteThresholdPercent: Number(row.delete_threshold_percent),
    ...(row.scope_group ? { scopeGroupId: row.scope_group } : {}),
  };
}

/**
 * Sync state, pending removals, run lease and history on SQLite or PostgreSQL (tables of migration 0011). `hook` sees
 * what pages and commits change, inside their transactions (a dry run's stores have none).
 */
export function createSyncRepository(db: Kysely<Database>, hook?: AppliedChangeHook): SyncStore {
  const repo: SyncStore = {
    async getState(cid): Promise<SyncState> {
      const row = await db.selectFrom('sync_state').selectAll().where('connection_id', '=', cid).executeTakeFirst();
      if (!row) return { policy: { ...DEFAULT_POLICY }, deltaLinks: {}, rounds: {} };
      const rounds: SyncState['rounds'] = {};
      if (row.users_round) rounds.users = JSON.parse(row.users_round) as RoundState;
      if (row.groups_round) rounds.groups = JSON.parse(row.groups_round) as RoundState;
      return {
        policy: toPolicy(row),
        deltaLinks: {
          ...(row.users_delta_link ? { users: row.users_delta_link } : {}),
          ...(row.groups_delta_link ? { groups: row.groups_delta_link } : {}),
        },
        rounds,
        ...(row.schedule ? { schedule: row.schedule } : {}),
        ...(row.link_fingerprint ? { linkFingerprint: row.link_fingerprint } : {}),
        ...(row.last_synced_at ? { lastSyncedAt: row.last_synced_at } : {}),
      };
    },
    async saveSettings(cid, settings) {
      await ensureRow(db, cid);
      const p = settings.policy;
      await db
        .updateTable('sync_state')
        .set({
          ...(p
            ? {
                disabled_users: p.disabledUsers,
                delete_threshold_count: p.deleteThresholdCount,
                delete_threshold_percent: p.deleteThresholdPercent,
                scope_group: p.scopeGroupId ?? null,
              }
            : {}),
          ...(settings.schedule !== undefined ? { schedule: settings.schedule } : {}),
        })
        .where('connection_id', '=', cid)
        .execute();
    },
    async acquireLease(cid, owner, nowIso, untilIso, stealFrom) {
      await ensureRow(db, cid);
      // One conditional UPDATE: atomic on both engines, so two processes cannot both win.
      const result = await db
        .updateTable('sync_state')
        .set({ lease_owner: owner, lease_expires_at: untilIso })
        .where('connection_id', '=', cid)
        .where((eb) =>
          eb.or([
            eb('lease_owner', 'is', null),
            eb('lease_expires_at', '<', nowIso),
            eb('lease_owner', '=', stealFrom ?? owner),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async leaseHolder(cid) {
      const row = await db
        .selectFrom('sync_state')
        .select(['lease_owner', 'lease_expires_at'])
        .where('connection_id', '=', cid)
        .executeTakeFirst();
      if (!row?.lease_owner || !row.lease_expires_at) return undefined;
      return { owner: row.lease_owner, expiresAt: row.lease_expires_at };
    },
    async renewLease(cid, owner, untilIso) {
      await db
        .updateTable('sync_state')
        .set({ lease_expires_at: untilIso })
        .where('connection_id', '=', cid)
        .where('lease_owner', '=', owner)
        .execute();
    },
    async releaseLease(cid, owner) {
      await db
        .updateTable('sync_state')
        .set({ lease_owner: null, lease_expires_at: null })
        .where('connection_id', '=', cid)
        .where('lease_owner', '=', owner)
        .execute();
    },
    async nextRoundId(cid) {
      await ensureRow(db, cid);
      return inTransaction(db, async (trx) => {
        await trx
          .updateTable('sync_state')
          .set((eb) => ({ round_counter: eb('round_counter', '+', 1) }))
          .where('connection_id', '=', cid)
          .execute();
        const row = await trx
          .selectFrom('sync_state')
          .select('round_counter')
          .where('connection_id', '=', cid)
          .executeTakeFirstOrThrow();
        return Number(row.round_counter);
      });
    },
    async saveRound(cid, stream, round) {
      await ensureRow(db, cid);
      const value = round ? JSON.stringify(round) : null;
      await db
        .updateTable('sync_state')
        .set(stream === 'users' ? { users_round: value } : { groups_round: value })
        .where('connection_id', '=', cid)
        .execute();
    },
    applyPages: (cid, stream, roundId, next) =>
      inTransaction(db, async (trx) => {
        const outcomes: PageOutcome[] = [];
        // Per-transaction facts the pages share (on PostgreSQL each probe is a round trip): whether removals are
        // pending is asked once, and the directory version is bumped once.
        const pending: PendingProbe = {};
        let last: RoundState | undefined;
        let wrote = false;
        for (let page = await next(); page !== undefined; page = await next()) {
          outcomes.push(await writePage(trx, cid, roundId, page.plan, pending, hook));
          wrote ||= writesDirectory(page.plan);
          last = page.round;
        }
        if (last) await saveCheckpoint(trx, cid, stream, last);
        // Pages that wrote nothing (an incremental round with no changes) leave cached indexes valid.
        if (wrote) await bumpDirectoryVersion(trx, cid);
        return outcomes;
      }),
    async reconcile(cid, stream, roundId) {
      await inTransaction(db, (trx) => unseenObjects(trx, cid, stream, roundId));
    },
    async pendingRemovals(cid): Promise<PendingRemovals> {
      const rows = await db
        .selectFrom('sync_pending_removals')
        .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
        .where('connection_id', '=', cid)
        .groupBy('kind')
        .execute();
      const count = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
      return { users: count('user'), groups: count('group'), memberships: count('membership') };
    },
    async clearPendingRemovals(cid) {
      await db.deleteFrom('sync_pending_removals').where('connection_id', '=', cid).execute();
      await db
        .updateTable('sync_state')
        .set({ users_round: null, groups_round: null })
        .where('connection_id', '=', cid)
        .execute();
    },
    commit: (cid, commit) =>
      inTransaction(db, async (trx) => {
        const pending = await trx
          .selectFrom('sync_pending_removals')
          .select(['kind', 'group_id', 'object_id'])
          .where('connection_id', '=', cid)
          .execute();
        const ofKind = (kind: string) => pending.filter((p) => p.kind === kind);
        const removedUsers = await existingIds(
          trx,
          'directory_users',
          cid,
          ofKind('user').map((p) => p.object_id),
        );
        // Soft deletes keep the row and links (marked); a permanent delete of the same user wins.
        const hard = new Set(
          ofKind('user')
            .filter((p) => p.group_id !== SOFT_DELETE)
            .map((p) => p.object_id),
        );
        const softDeleted = [...removedUsers].filter((id) => !hard.has(id));
        const removedGroups = await existingIds(
          trx,
          'directory_groups',
          cid,
          ofKind('group').map((p) => p.object_id),
        );
        const links = ofKind('membership').map((p) => ({ groupId: p.group_id, memberId: p.object_id }));
        const removals = {
          softDeleteUserIds: softDeleted,
          removeUserIds: [...hard].filter((id) => removedUsers.has(id)),
          removeGroupIds: [...removedGroups],
          removeMemberships: links,
        };
        const removes = Object.values(removals).some((list) => list.length > 0);
        await writeDirectoryChanges(trx, cid, removals, 0, reportTo(hook, 'sync'), { bumpVersion: removes });
        await trx.deleteFrom('sync_pending_removals').where('connection_id', '=', cid).execute();
        await trx
          .updateTable('sync_state')
          .set({
            ...(commit.deltaLinks.users ? { users_delta_link: commit.deltaLinks.users } : {}),
            ...(commit.deltaLinks.groups ? { groups_delta_link: commit.deltaLinks.groups } : {}),
            users_round: null,
            groups_round: null,
            link_fingerprint: commit.fingerprint,
            last_synced_at: commit.syncedAt,
          })
          .where('connection_id', '=', cid)
          .execute();
        return { users: removedUsers.size, groups: removedGroups.size, memberships: links.length };
      }),
    async excludeUsersExcept(cid, keep) {
      const ids = (await db.selectFrom('directory_users').select('id').where('connection_id', '=', cid).execute()).map(
        (r) => r.id,
      );
      const drop = ids.filter((id) => !keep.has(id));
      if (drop.length > 0) {
        await inTransaction(db, (trx) => writeDirectoryChanges(trx, cid, { excludeUserIds: drop }));
      }
      return drop.length;
    },
    async dryRun(fn) {
      const rollback = new Error('dry run: roll back');
      let result: Awaited<ReturnType<typeof fn>> | undefined;
      try {
        await db.transaction().execute(async (trx) => {
          result = await fn(createSyncRepository(trx), createDirectoryRepository(trx) as DirectoryStore);
          throw rollback;
        });
      } catch (error) {
        if (error !== rollback) throw error;
      }
      return result as Awaited<ReturnType<typeof fn>>;
    },
    async saveRun(run: SyncRunRecord) {
      const row = {
        id: run.id,
        connection_id: run.connectionId,
        started_at: run.startedAt,
        finished_at: run.finishedAt ?? null,
        mode: run.mode,
        status: run.status,
        dry_run: run.dryRun ? 1 : 0,
        report: JSON.stringify(run.report),
        error_code: run.errorCode ?? null,
      };
      await db
        .insertInto('sync_runs')
        .values(row)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            finished_at: row.finished_at,
            mode: row.mode,
            status: row.status,
            report: row.report,
            error_code: row.error_code,
          }),
        )
        .execute();
    },
    async recordRunProgress(runId, progress) {
      const row = await db
        .selectFrom('sync_runs')
        .select('report')
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (!row) return;
      const report = { ...(JSON.parse(row.report) as SyncRunRecord['report']), ...progress };
      // Conditional on `running`: a heartbeat that lands after the run's final save changes nothing.
      await db
        .updateTable('sync_runs')
        .set({ report: JSON.stringify(report), mode: progress.mode })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .execute();
    },
    closeAbandonedRun: (runId, finishedAtIso, error) =>
      inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('sync_runs')
          .select('report')
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (!row) return false;
        const report = JSON.parse(row.report) as SyncRunRecord['report'];
        const closed = { ...report, status: 'failed', errors: [...report.errors, error] };
        // Conditional on `running` again: the run's own final save (if it was only slow) wins over this one.
        const result = await trx
          .updateTable('sync_runs')
          .set({ status: 'failed', finished_at: finishedAtIso, error_code: error.code, report: JSON.stringify(closed) })
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      }),
    async listRuns(cid, limit = 20) {
      const rows = await db
        .selectFrom('sync_runs')
        .selectAll()
        .where('connection_id', '=', cid)
        .orderBy('started_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        connectionId: r.connection_id,
        startedAt: r.started_at,
        ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
        mode: r.mode === 'full' ? 'full' : 'incremental',
        status: r.status as SyncRunRecord['status'],
        dryRun: Number(r.dry_run) === 1,
        report: JSON.parse(r.report) as SyncRunRecord['report'],
        ...(r.error_code ? { errorCode: r.error_code } : {}),
      }));
    },
  };
  return repo;
}
