import type { Generated } from 'kysely';

/**
 * The local directory, per connection (`src/directory`). `round_id` marks the sync round that last saw the row, so a
 * full round can find (and remove) what it did not see, even across a crash and resume.
 */
export interface DirectoryUsersTable {
  connection_id: string;
  id: string;
  user_principal_name: string;
  /** Lower-cased UPN: Entra compares UPNs case-insensitively. */
  upn_lower: string;
  display_name: string | null;
  mail: string | null;
  given_name: string | null;
  surname: string | null;
  job_title: string | null;
  department: string | null;
  /** 0/1. */
  account_enabled: number;
  round_id: number;
  /** 0/1: soft-deleted in Entra (restorable): memberships kept but hidden (migration 0095). */
  soft_deleted: Generated<number>;
}

export interface DirectoryGroupsTable {
  connection_id: string;
  id: string;
  display_name: string;
  name_lower: string;
  description: string | null;
  mail_enabled: number;
  security_enabled: number;
  /** JSON array of strings. */
  group_types: string;
  round_id: number;
}

/**
 * A small integer key per (connection, group), so a membership row is (integer, member id) instead of three
 * 36-character ids (migration 0014, issue 13). Created on demand when a link of the group is first written: a
 * `members@delta` slice may name a group this store does not hold (yet), so the key cannot live on `directory_groups`.
 */
export interface DirectoryGroupKeysTable {
  key: Generated<number>;
  connection_id: string;
  group_id: string;
}

/**
 * Direct memberships, keyed by (group key, member id). A member may be a user that is not stored (excluded as
 * disabled or out of scope). The connection is the group key's.
 */
export interface DirectoryLinksTable {
  group_key: number;
  member_id: string;
  /** 'user' | 'group'. */
  member_type: string;
  round_id: number;
}

/** One row per connection: grows with every write, so cached membership indexes know they are stale. */
export interface DirectoryVersionsTable {
  connection_id: string;
  version: number;
}
