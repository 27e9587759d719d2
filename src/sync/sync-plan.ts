import type { GroupChange, PagePlan, PendingRemovals, SyncPolicy, UserChange } from './ports.js';

function emptyPlan(): PagePlan {
  return {
    upsertUsers: [],
    excludeUserIds: [],
    softDeleteUserIds: [],
    upsertGroups: [],
    addMemberships: [],
    removeUserIds: [],
    removeGroupIds: [],
    removeMemberships: [],
  };
}

/**
 * What a users page means for the local directory under the policy: disabled users are dropped (memberships kept,
 * so they return complete when enabled) unless the policy includes them. `@removed: changed` is a soft delete: the
 * user is marked deleted and keeps its memberships (hidden), so a restore — which Graph reports in users delta only,
 * never in groups delta (concepts/delta-query-groups.md) — brings them back; `@removed: deleted` removes user and links.
 */
export function planUserPage(changes: readonly UserChange[], policy: SyncPolicy): PagePlan {
  const plan = emptyPlan();
  for (const change of changes) {
    if (change.kind === 'removed')
      (change.reason === 'deleted' ? plan.removeUserIds : plan.softDeleteUserIds).push(change.id);
    else if (!change.user.accountEnabled && policy.disabledUsers === 'exclude')
      plan.excludeUserIds.push(change.user.id);
    else plan.upsertUsers.push(change.user);
  }
  return plan;
}

/** A groups page: groups upserted, their `members@delta` slice merged (never replacing the member list). */
export function planGroupPage(changes: readonly GroupChange[]): PagePlan {
  const plan = emptyPlan();
  for (const change of changes) {
    if (change.kind === 'removed') {
      plan.removeGroupIds.push(change.id);
      continue;
    }
    if (change.group) plan.upsertGroups.push(change.group);
    for (const member of change.members) {
      const link = { groupId: change.id, memberId: member.id };
      if (member.removed) plan.removeMemberships.push(link);
      else plan.addMemberships.push({ ...link, memberType: member.type });
    }
  }
  return plan;
}

export interface GuardVerdict {
  quarantined: boolean;
  removals: number;
  /** The most removals the policy lets through for this directory size. */
  limit: number;
}

/** Below this many removals the percentage rule does not apply (one leaver in a five-person tenant is 20%). */
export const PERCENT_RULE_MINIMUM = 10;

/**
 * The accidental-deletion guard: removing more than `deleteThresholdCount` objects, or more than
 * `deleteThresholdPercent` of the objects stored before the run (from PERCENT_RULE_MINIMUM removals on), needs an
 * explicit `--allow-deletes`.
 */
export function checkDeletionGuard(pending: PendingRemovals, storedObjects: number, policy: SyncPolicy): GuardVerdict {
  const removals = pending.users + pending.groups;
  const byPercent = Math.max(
    PERCENT_RULE_MINIMUM - 1,
    Math.floor((storedObjects * policy.deleteThresholdPercent) / 100),
  );
  const limit = Math.min(policy.deleteThresholdCount, byPercent);
  return { quarantined: removals > limit, removals, limit };
}
