import type { Generated } from 'kysely';

/** Next cursor per connection (migration 0080). */
export interface EventCursorsTable {
  connection_id: string;
  last_seq: number;
}

/** The events outbox: one row per directory event, written in the transaction of the change it reports. */
export interface DirectoryEventsTable {
  connection_id: string;
  /** Gapless and ordered per connection: the event's id and cursor. */
  seq: number;
  connection_name: string;
  type: string;
  /** The user or group the event is about (the group for membership events). */
  object_id: string | null;
  occurred_at: string;
  /** `sync` | `action`. */
  source: string;
  run_id: string | null;
  /** JSON object. */
  data: string;
}

export interface WebhooksTable {
  id: string;
  name: string;
  url: string;
  /** null = every connection. */
  connection_id: string | null;
  /** JSON array of event types; empty = all. */
  types: string;
  /** JSON array of watched group ids; empty = no group filter. */
  groups: string;
  /** The signing secret (`whsec_…`), encrypted with the key ring like connection secrets. */
  secret: string;
  created_at: string;
  created_by: string | null;
  /** The instance delivering this webhook's queue now (one at a time, across instances). */
  lease_owner: string | null;
  lease_until: string | null;
}

export interface WebhookDeliveriesTable {
  /** Orders deliveries per webhook (event order). */
  seq: Generated<number>;
  webhook_id: string;
  connection_id: string;
  event_seq: number;
  /** `pending` | `succeeded` | `failed`. */
  status: string;
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  last_attempt_at: string | null;
  response_status: number | null;
  error: string | null;
  latency_ms: number | null;
  delivered_at: string | null;
}
