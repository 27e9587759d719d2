import type { DirectoryGroup, DirectoryUser, MemberType } from './directory-model.js';

/**
 * What one write to the local directory actually changed: a sync page, the removals a run commits, or the refresh
 * after an identity action. Objects that were written but found as they were appear nowhere, so these are the
 * figures a sync report counts and the facts directory events are made from (`src/events`).
 *
 * The store computes them inside the transaction that applies the write, against the rows it replaces.
 */
export interface AppliedChanges {
  readonly users: readonly AppliedUserChange[];
  readonly groups: readonly AppliedGroupChange[];
  readonly memberships: readonly AppliedMembershipChange[];
  /**
   * True when the write filled an empty directory (a connection's first full round): every object is `created`, and
   * consumers may treat the whole set as a baseline rather than as news.
   */
  readonly baseline: boolean;
}

/** Property names of a user, as Graph spells them (`accountEnabled`, `department`, …). */
export type UserProperty = Exclude<keyof DirectoryUser, 'id'>;
/** Property names of a group, as Graph spells them. */
export type GroupProperty = Exclude<keyof DirectoryGroup, 'id'>;

export type AppliedUserChange =
  | { readonly type: 'created'; readonly user: DirectoryUser }
  /** `changed` is never empty; a change of `accountEnabled` is reported here too (events call it disabled/enabled). */
  | { readonly type: 'updated'; readonly user: DirectoryUser; readonly changed: readonly UserProperty[] }
  /** Soft-deleted in Entra (restorable for 30 days): the memberships are kept, hidden from answers. */
  | { readonly type: 'deleted'; readonly id: string; readonly user?: DirectoryUser }
  /** Back from the deleted items: the kept memberships count again. */
  | { readonly type: 'restored'; readonly user: DirectoryUser }
  /** A soft-deleted user permanently deleted: its hidden memberships go too (they were reported at the soft delete). */
  | { readonly type: 'purged'; readonly id: string; readonly user?: DirectoryUser }
  /** Dropped from the local directory by policy (disabled users excluded, out of the scope group). */
  | { readonly type: 'excluded'; readonly id: string; readonly user?: DirectoryUser };

export type AppliedGroupChange =
  | { readonly type: 'created'; readonly group: DirectoryGroup }
  | { readonly type: 'updated'; readonly group: DirectoryGroup; readonly changed: readonly GroupProperty[] }
  | { readonly type: 'deleted'; readonly id: string; readonly group?: DirectoryGroup };

export interface AppliedMembershipChange {
  readonly type: 'added' | 'removed';
  readonly groupId: string;
  readonly memberId: string;
  readonly memberType: MemberType;
}

/** No change at all. */
export const NO_CHANGES: AppliedChanges = Object.freeze({
  users: Object.freeze([]),
  groups: Object.freeze([]),
  memberships: Object.freeze([]),
  baseline: false,
});
