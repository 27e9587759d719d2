import type { Generated } from 'kysely';

/** Sync settings, delta links, in-progress rounds and the run lease, one row per connection (`src/sync`). */
export interface SyncStateTable {
  connection_id: string;
  /** 'exclude' | 'include'. */
  disabled_users: Generated<string>;
  delete_threshold_count: Generated<number>;
  delete_threshold_percent: Generated<number>;
  scope_group: string | null;
  /** `every 15m`, `daily 02:30 Europe/Berlin`, or null (off). */
  schedule: string | null;
  users_delta_link: string | null;
  groups_delta_link: string | null;
  /** JSON of the in-progress users round (mode, round id, checkpoint link, pending delta link), or null. */
  users_round: string | null;
  groups_round: string | null;
  /** Fingerprint of the `$select` lists / policies the delta links were taken with: a change forces a full round. */
  link_fingerprint: string | null;
  round_counter: Generated<number>;
  last_synced_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
}

/** Removals found during a round, applied only when the round ends under the deletion threshold. */
export interface SyncPendingRemovalsTable {
  connection_id: string;
  /** 'user' | 'group' | 'membership'. */
  kind: string;
  /** For memberships the group id, else ''. */
  group_id: string;
  object_id: string;
}

export interface SyncRunsTable {
  id: string;
  connection_id: string;
  started_at: string;
  finished_at: string | null;
  /** 'full' | 'incremental'. */
  mode: string;
  /** 'running' | 'succeeded' | 'failed' | 'quarantined'. */
  status: string;
  dry_run: number;
  /** JSON of the run report. */
  report: string;
  error_code: string | null;
}
