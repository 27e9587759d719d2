import type { DirectoryGroup, DirectoryUser, MembershipLink, MemberType } from '../directory/directory-model.js';
import type { DirectoryStore } from '../directory/ports.js';

/** The two delta streams of a sync: users, and groups with their members. */
export type SyncStream = 'users' | 'groups';

// ---- the source (implemented on Graph by src/entra/graph-directory-source.ts) -------------------------------------

export type UserChange =
  | { kind: 'upsert'; user: DirectoryUser }
  | { kind: 'removed'; id: string; reason: 'changed' | 'deleted' };

export interface MemberChange {
  id: string;
  type: MemberType;
  removed: boolean;
}

export type GroupChange =
  | {
      kind: 'upsert';
      id: string;
      /** Absent when Graph sent only the membership change (no group properties). */
      group?: DirectoryGroup;
      /** Members listed on this page (a slice: a big group's members are split across pages). Users and groups only. */
      members: MemberChange[];
    }
  | { kind: 'removed'; id: string; reason: 'changed' | 'deleted' };

export interface SourcePage<C> {
  changes: C[];
  /** Where the round continues (the checkpoint), if it is not over. */
  nextLink?: string;
  /** Set on the last page of a delta round. */
  deltaLink?: string;
}

export interface SourceCounters {
  requests: number;
  retries: number;
  throttled: number;
  resourceUnits: number;
}

/** Where a sync reads the tenant from. Links are opaque to the engine; it only stores and hands them back. */
export interface DirectorySource {
  /**
   * How a full round starts: the first link, and (for list-based rounds) a delta link taken BEFORE listing, so the
   * next incremental round picks up every change made while the listing ran.
   */
  startFullRound(stream: SyncStream, signal?: AbortSignal): Promise<{ link: string; deltaLink?: string }>;
  userPages(link: string, signal?: AbortSignal): AsyncIterable<SourcePage<UserChange>>;
  groupPages(link: string, signal?: AbortSignal): AsyncIterable<SourcePage<GroupChange>>;
  /** Fingerprint of what the source selects: delta links taken with another selection need a new full round. */
  readonly selectionFingerprint: string;
  counters(): SourceCounters;
}

// ---- settings and state --------------------------------------------------------------------------------------

export interface SyncPolicy {
  disabledUsers: 'exclude' | 'include';
  /** Accidental-deletion guard: a run that would remove more than this many objects... */
  deleteThresholdCount: number;
  /** ...or more than this percentage of the stored objects, stops as `quarantined`. */
  deleteThresholdPercent: number;
  /** Only the (transitive) user members of this group id are kept. */
  scopeGroupId?: string;
}

export const DEFAULT_POLICY: SyncPolicy = {
  disabledUsers: 'exclude',
  deleteThresholdCount: 500,
  deleteThresholdPercent: 20,
};

/** An in-progress round: saved with every page, so a new run resumes where a crashed one stopped. */
export interface RoundState {
  mode: 'full' | 'incremental';
  roundId: number;
  /** The next link to fetch; undefined once the round's last page was applied. */
  link?: string;
  /** The round's delta link once known (list-based full rounds know it from the start). */
  deltaLink?: string;
  complete: boolean;
}

export interface SyncState {
  policy: SyncPolicy;
  schedule?: string;
  deltaLinks: Partial<Record<SyncStream, string>>;
  rounds: Partial<Record<SyncStream, RoundState>>;
  linkFingerprint?: string;
  lastSyncedAt?: string;
}

/** One page, as the engine wants it written (with the round state that becomes the checkpoint). */
export interface PagePlan {
  upsertUsers: DirectoryUser[];
  /** Disabled (policy) users: dropped at once, memberships kept. */
  excludeUserIds: string[];
  /** Soft-deleted users (`@removed: changed`): marked at once, memberships kept for a restore. */
  softDeleteUserIds: string[];
  upsertGroups: DirectoryGroup[];
  addMemberships: MembershipLink[];
  /** Removals are only recorded; they are applied when the run ends under the deletion threshold. */
  removeUserIds: string[];
  removeGroupIds: string[];
  removeMemberships: Pick<MembershipLink, 'groupId' | 'memberId'>[];
}

export interface PageOutcome {
  usersAdded: number;
  usersUpdated: number;
  /** Existing users dropped by policy on this page. */
  usersExcluded: number;
  groupsAdded: number;
  groupsUpdated: number;
  membershipsAdded: number;
}

export interface PendingRemovals {
  users: number;
  groups: number;
  memberships: number;
}

export type SyncStatus = 'running' | 'succeeded' | 'failed' | 'quarantined';

export interface SyncReport {
  connection: string;
  mode: 'full' | 'incremental';
  status: SyncStatus;
  dryRun: boolean;
  users: { added: number; updated: number; removed: number };
  groups: { added: number; updated: number; removed: number };
  memberships: { added: number; removed: number };
  /** Removals held back by the deletion guard (quarantined runs). */
  pendingRemovals?: PendingRemovals;
  requests: number;
  retries: number;
  throttled: number;
  resourceUnits: number;
  pages: number;
  durationMs: number;
  /** Directory events this run stored (src/events); 0 for a dry run and a first full round (a baseline). */
  events?: number;
  /** What went wrong, with the catalogue's hint (what to do), so every surface can show it without a lookup. */
  errors: { code: string; message: string; hint?: string }[];
  /**
   * Streams whose saved delta or skip link Graph refused, so the run started a reconciling full round instead: the
   * gatehouse code, the HTTP status and Graph's error code.
   */
  resyncs?: { stream: SyncStream; code: string; status?: number; graphCode?: string }[];
}

export interface SyncRunRecord {
  id: string;
  connectionId: string;
  startedAt: string;
  finishedAt?: string;
  mode: 'full' | 'incremental';
  status: SyncStatus;
  dryRun: boolean;
  report: SyncReport;
  errorCode?: string;
}

/** The sync's own persistence (state, pending removals, lease, history), next to the directory it writes. */
export interface SyncStore {
  getState(connectionId: string): Promise<SyncState>;
  saveSettings(connectionId: string, settings: { policy?: SyncPolicy; schedule?: string | null }): Promise<void>;
  /**
   * Takes the run lease unless another owner holds an unexpired one (or `stealFrom` names the holder: a process
   * known to be dead).
   */
  acquireLease(
    connectionId: string,
    owner: string,
    nowIso: string,
    untilIso: string,
    stealFrom?: string,
  ): Promise<boolean>;
  /** Who holds the lease, if anyone. */
  leaseHolder(connectionId: string): Promise<{ owner: string; expiresAt: string } | undefined>;
  renewLease(connectionId: string, owner: string, untilIso: string): Promise<void>;
  releaseLease(connectionId: string, owner: string): Promise<void>;
  nextRoundId(connectionId: string): Promise<number>;
  saveRound(connectionId: string, stream: SyncStream, round: RoundState | undefined): Promise<void>;
  /**
   * Writes pages in ONE transaction, in order, as if each were applied alone and committed: pulls them with `next`
   * until it answers undefined, and saves the last one's checkpoint. One outcome per page.
   */
  applyPages(
    connectionId: string,
    stream: SyncStream,
    roundId: number,
    next: () => Promise<{ plan: PagePlan; round: RoundState } | undefined>,
  ): Promise<PageOutcome[]>;
  /** After a full round: records as pending removals what the round did not see. */
  reconcile(connectionId: string, stream: SyncStream, roundId: number): Promise<void>;
  pendingRemovals(connectionId: string): Promise<PendingRemovals>;
  clearPendingRemovals(connectionId: string): Promise<void>;
  /** Applies the pending removals, stores the new delta links and ends the rounds, in one transaction. */
  commit(
    connectionId: string,
    commit: { deltaLinks: Partial<Record<SyncStream, string>>; fingerprint: string; syncedAt: string },
  ): Promise<PendingRemovals>;
  /** Drops users that are not in `keep` (scope policy), memberships kept. Returns how many were dropped. */
  excludeUsersExcept(connectionId: string, keep: ReadonlySet<string>): Promise<number>;
  /** Runs `fn` against stores bound to one transaction that is rolled back at the end (dry run). */
  dryRun<T>(fn: (sync: SyncStore, directory: DirectoryStore) => Promise<T>): Promise<T>;
  saveRun(run: SyncRunRecord): Promise<void>;
  /**
   * Closes a history row that still says `running` as `failed` with `error` (its process stopped; another run took
   * over the lease). False when the row is unknown or no longer running (it finished meanwhile): it is left alone.
   */
  closeAbandonedRun(
    runId: string,
    finishedAtIso: string,
    error: { code: string; message: string; hint?: string },
  ): Promise<boolean>;
  /** Heartbeat of a live run: the pages and mode reached so far, on its history row while it still says `running`. */
  recordRunProgress(runId: string, progress: { pages: number; mode: SyncReport['mode'] }): Promise<void>;
  listRuns(connectionId: string, limit?: number): Promise<SyncRunRecord[]>;
}
