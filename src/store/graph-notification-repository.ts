import type { Kysely } from 'kysely';
import type { NotificationResource, NotificationStore, SubscriptionRecord } from '../notifications/ports.js';
import type { Database } from './schema.js';

/** Tables of migration 0090 (kept here rather than in schema.ts: only this repository reads them). */
type NotificationTables = {
  graph_notification_settings: { connection_id: string; enabled: number; updated_at: string };
  graph_subscriptions: {
    connection_id: string;
    resource: string;
    subscription_id: string | null;
    client_state_hash: string;
    notification_url: string;
    expires_at: string | null;
    created_at: string;
    renewed_at: string | null;
  };
};

type Row = NotificationTables['graph_subscriptions'];

function toRecord(row: Row): SubscriptionRecord {
  return {
    connectionId: row.connection_id,
    resource: row.resource as NotificationResource,
    subscriptionId: row.subscription_id,
    clientStateHash: row.client_state_hash,
    notificationUrl: row.notification_url,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    renewedAt: row.renewed_at,
  };
}

/** The change-notification store on SQLite or PostgreSQL (migration 0090). */
export function createGraphNotificationRepository(database: Kysely<Database>): NotificationStore {
  const db = database.withTables<NotificationTables>();
  return {
    async isEnabled(connectionId) {
      const row = await db
        .selectFrom('graph_notification_settings')
        .select('enabled')
        .where('connection_id', '=', connectionId)
        .executeTakeFirst();
      return Number(row?.enabled ?? 0) === 1;
    },
    async setEnabled(connectionId, enabled, atIso) {
      await db
        .insertInto('graph_notification_settings')
        .values({ connection_id: connectionId, enabled: enabled ? 1 : 0, updated_at: atIso })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet({ enabled: enabled ? 1 : 0, updated_at: atIso }))
        .execute();
    },
    async enabledConnectionIds() {
      const rows = await db
        .selectFrom('graph_notification_settings')
        .select('connection_id')
        .where('enabled', '=', 1)
        .execute();
      return rows.map((r) => r.connection_id);
    },
    async subscriptions(connectionId) {
      const rows = await db
        .selectFrom('graph_subscriptions')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .orderBy('resource')
        .execute();
      return rows.map(toRecord);
    },
    async allSubscriptions() {
      return (await db.selectFrom('graph_subscriptions').selectAll().execute()).map(toRecord);
    },
    async saveSubscription(r) {
      const values = {
        connection_id: r.connectionId,
        resource: r.resource,
        subscription_id: r.subscriptionId,
        client_state_hash: r.clientStateHash,
        notification_url: r.notificationUrl,
        expires_at: r.expiresAt,
        created_at: r.createdAt,
        renewed_at: r.renewedAt,
      };
      await db
        .insertInto('graph_subscriptions')
        .values(values)
        .onConflict((oc) => oc.columns(['connection_id', 'resource']).doUpdateSet(values))
        .execute();
    },
    async removeSubscription(connectionId, resource) {
      await db
        .deleteFrom('graph_subscriptions')
        .where('connection_id', '=', connectionId)
        .where('resource', '=', resource)
        .execute();
    },
  };
}
