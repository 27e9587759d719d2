/**
 * The local copy of a tenant's directory, per connection: users, groups and direct memberships. Property names follow
 * Graph's (`userPrincipalName`, `accountEnabled`) because they are what administrators and workflows know; the
 * model holds only what gatehouse selects (`USER_SELECT` / `GROUP_SELECT` in the Entra source).
 */
export interface DirectoryUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string | null;
  readonly mail: string | null;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly jobTitle: string | null;
  readonly department: string | null;
  readonly accountEnabled: boolean;
  /** Soft-deleted in Entra (restorable): kept with its memberships, which count for nothing until a restore. */
  readonly deleted?: boolean;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly mailEnabled: boolean;
  readonly securityEnabled: boolean;
  /** e.g. `["Unified"]` for Microsoft 365 groups, `["DynamicMembership"]`. */
  readonly groupTypes: readonly string[];
}

/** Only users and groups are kept as members; devices, service principals and contacts are ignored. */
export type MemberType = 'user' | 'group';

/** A direct membership: `memberId` (a user or a group) is a member of `groupId`. */
export interface MembershipLink {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberType: MemberType;
}

/**
 * Everything one write (a sync page, or the refresh after an action) changes, applied in ONE transaction. Removing a
 * user or group also removes every membership it takes part in. Upserts replace the stored object. Applying the same
 * changes twice leaves the same directory (idempotent).
 */
export interface DirectoryChanges {
  upsertUsers?: readonly DirectoryUser[];
  removeUserIds?: readonly string[];
  /**
   * Users dropped from the local directory by policy (disabled, out of scope) while their memberships are kept, so
   * they come back complete if they return.
   */
  excludeUserIds?: readonly string[];
  /** Users soft-deleted in Entra: marked deleted, memberships kept (hidden) until a restore upserts them again. */
  softDeleteUserIds?: readonly string[];
  upsertGroups?: readonly DirectoryGroup[];
  removeGroupIds?: readonly string[];
  addMemberships?: readonly MembershipLink[];
  removeMemberships?: readonly Pick<MembershipLink, 'groupId' | 'memberId'>[];
}

export interface DirectoryCounts {
  users: number;
  groups: number;
  memberships: number;
}

/** A step of a membership path: the group's id and name. */
export interface PathStep {
  readonly id: string;
  readonly displayName: string;
}

/** The answer to "is USER a member of GROUP (directly or through nested groups)?". */
export interface MembershipAnswer {
  member: boolean;
  /** From the user's direct group up to the asked group (empty when not a member). */
  path: PathStep[];
  source: 'directory' | 'live';
  /** When the local directory was last synced (local answers only). */
  syncedAt?: string;
}

export function isEmptyChanges(changes: DirectoryChanges): boolean {
  return (
    !changes.upsertUsers?.length &&
    !changes.removeUserIds?.length &&
    !changes.excludeUserIds?.length &&
    !changes.softDeleteUserIds?.length &&
    !changes.upsertGroups?.length &&
    !changes.removeGroupIds?.length &&
    !changes.addMemberships?.length &&
    !changes.removeMemberships?.length
  );
}
