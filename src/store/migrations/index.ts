import { metaMigration } from './0001-meta.js';
import { connectionsMigration } from './0002-connections.js';
import { directoryMigration } from './0010-directory.js';
import { syncMigration } from './0011-sync.js';
import { directoryMemberIndexMigration } from './0012-directory-member-index.js';
import { auditLogMigration } from './0020-audit-log.js';
import { accountsMigration } from './0030-accounts.js';
import { consentRequestsMigration } from './0050-consent-requests.js';
import { graphNotificationsMigration } from './0090-graph-notifications.js';
import type { Migration } from './migration.js';

/**
 * Every migration, in order. Listed explicitly (no directory scanning) so the compiled package needs no loader.
 * Areas own their numbers: 0001–0009 store/connections, 0010–0019 directory and sync, 0020–0029 actions and audit,
 * 0030–0039 server accounts and tokens, 0040+ distributed work.
 */
export const MIGRATIONS: readonly Migration[] = [
  metaMigration,
  connectionsMigration,
  directoryMigration,
  syncMigration,
  directoryMemberIndexMigration,
  auditLogMigration,
  accountsMigration,
  consentRequestsMigration,
  graphNotificationsMigration,
];
