import type { Kysely } from 'kysely';
import { groupKeysOfConnection } from './group-keys.js';
import type { Database } from './schema.js';

/**
 * Every table that holds rows of one connection besides `connections` itself: its local directory and its sync
 * state (settings, schedule, delta links, checkpoints, lease), pending removals and run history. A table added for
 * per-connection data belongs here, so removing the connection leaves nothing behind. Webhooks of the connection go with it (webhooks of every connection stay). (The audit log is keyed by
 * connection name and is kept on purpose: it is the record of what was done.)
 */
const PER_CONNECTION_TABLES = [
  'directory_group_keys',
  'directory_users',
  'directory_groups',
  'directory_versions',
  'sync_pending_removals',
  'sync_runs',
  'sync_state',
  'consent_requests',
  'directory_events',
  'event_cursors',
  'webhook_deliveries',
  'webhooks',
] as const;

/** Deletes everything stored for `connectionId` (run it in the transaction that deletes the connection). */
export async function removeConnectionData(trx: Kysely<Database>, connectionId: string): Promise<void> {
  // Links carry their group's key, not the connection: they go through the keys, before the keys.
  await trx.deleteFrom('directory_links').where('group_key', 'in', groupKeysOfConnection(trx, connectionId)).execute();
  for (const table of PER_CONNECTION_TABLES) {
    await trx.deleteFrom(table).where('connection_id', '=', connectionId).execute();
  }
  // Change notifications (migration 0090; typed in graph-notification-repository.ts). Graph's subscriptions of a
  // removed connection expire by themselves (at most 3 days); their notifications then match no row and are dropped.
  const notifications = trx.withTables<{
    graph_notification_settings: { connection_id: string };
    graph_subscriptions: { connection_id: string };
  }>();
  for (const table of ['graph_notification_settings', 'graph_subscriptions'] as const) {
    await notifications.deleteFrom(table).where('connection_id', '=', connectionId).execute();
  }
}
