import type { AccountSessionsTable, AccountsTable, ApiTokensTable, SetupTokensTable } from './schema/accounts.js';
import type { AuditLogTable } from './schema/audit.js';
import type { ConnectionsTable } from './schema/connections.js';
import type { ConsentRequestsTable } from './schema/consent.js';
import type {
  DirectoryGroupKeysTable,
  DirectoryGroupsTable,
  DirectoryLinksTable,
  DirectoryUsersTable,
  DirectoryVersionsTable,
} from './schema/directory.js';
import type {
  DirectoryEventsTable,
  EventCursorsTable,
  WebhookDeliveriesTable,
  WebhooksTable,
} from './schema/events.js';
import type { LoginThrottleTable } from './schema/login-throttle.js';
import type { MetaTable } from './schema/meta.js';
import type { SyncPendingRemovalsTable, SyncRunsTable, SyncStateTable } from './schema/sync.js';

/**
 * The whole database, as Kysely sees it. Each area declares its tables in `schema/<area>.ts` and adds them here.
 *
 * Portability rules (the same migrations run on SQLite and PostgreSQL):
 * - timestamps are ISO-8601 UTC strings (`text`), which sort correctly;
 * - booleans are integers 0/1;
 * - JSON is serialised by us into `text` columns;
 * - ids are `text` (Graph object ids, UUIDs); surrogate counters are `integer`.
 */
export interface Database {
  gatehouse_meta: MetaTable;
  connections: ConnectionsTable;
  directory_users: DirectoryUsersTable;
  directory_groups: DirectoryGroupsTable;
  directory_group_keys: DirectoryGroupKeysTable;
  directory_links: DirectoryLinksTable;
  directory_versions: DirectoryVersionsTable;
  sync_state: SyncStateTable;
  sync_pending_removals: SyncPendingRemovalsTable;
  sync_runs: SyncRunsTable;
  accounts: AccountsTable;
  account_sessions: AccountSessionsTable;
  api_tokens: ApiTokensTable;
  setup_tokens: SetupTokensTable;
  audit_log: AuditLogTable;
  consent_requests: ConsentRequestsTable;
  login_throttle: LoginThrottleTable;
  event_cursors: EventCursorsTable;
  directory_events: DirectoryEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
