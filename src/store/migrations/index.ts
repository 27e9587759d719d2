import { metaMigration } from './0001-meta.js';
import { connectionsMigration } from './0002-connections.js';
import { connectionNameKeysNfkcMigration } from './0003-connection-name-keys-nfkc.js';
import { directoryMigration } from './0010-directory.js';
import { syncMigration } from './0011-sync.js';
import { directoryMemberIndexMigration } from './0012-directory-member-index.js';
import { directoryMembershipsWithoutRowidMigration } from './0013-directory-memberships-without-rowid.js';
import { directoryLinksByGroupKeyMigration } from './0014-directory-links-by-group-key.js';
import { auditLogMigration } from './0020-audit-log.js';
import { accountsMigration } from './0030-accounts.js';
import { loginThrottleMigration } from './0031-login-throttle.js';
import { apiTokenOwnerMigration } from './0032-api-token-owner.js';
import { consentRequestsMigration } from './0050-consent-requests.js';
import { eventsMigration } from './0080-events.js';
import { graphNotificationsMigration } from './0090-graph-notifications.js';
import { directoryUserSoftDeleteMigration } from './0095-directory-user-soft-delete.js';
import type { Migration } from './migration.js';

/**
 * Every migration, in order. Listed explicitly (no directory scanning) so the compiled package needs no loader.
 * Areas own their numbers: 0001–0009 store/connections, 0010–0019 directory and sync, 0020–0029 actions and audit,
 * 0030–0039 server accounts and tokens, 0040+ distributed work.
 */
export const MIGRATIONS: readonly Migration[] = [
  metaMigration,
  connectionsMigration,
  connectionNameKeysNfkcMigration,
  directoryMigration,
  syncMigration,
  directoryMemberIndexMigration,
  directoryMembershipsWithoutRowidMigration,
  directoryLinksByGroupKeyMigration,
  auditLogMigration,
  accountsMigration,
  loginThrottleMigration,
  apiTokenOwnerMigration,
  consentRequestsMigration,
  eventsMigration,
  graphNotificationsMigration,
  directoryUserSoftDeleteMigration,
];
