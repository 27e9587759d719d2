/**
 * Ports of the change-notification trigger (product.md section 9.2): where subscriptions are kept, and how Graph's
 * `/subscriptions` is called. Implemented by src/store/graph-notification-repository.ts and
 * src/entra/graph-subscriptions.ts.
 */

/** The two Graph resources gatehouse subscribes to per connection. */
export type NotificationResource = 'users' | 'groups';
export const NOTIFICATION_RESOURCES: readonly NotificationResource[] = ['users', 'groups'];

/** One Graph subscription held for a connection; `subscriptionId` is null while Graph is still validating it. */
export interface SubscriptionRecord {
  readonly connectionId: string;
  readonly resource: NotificationResource;
  readonly subscriptionId: string | null;
  /** SHA-256 (hex) of the random clientState sent to Graph; the value itself is never stored or logged. */
  readonly clientStateHash: string;
  readonly notificationUrl: string;
  /** ISO; null while pending. */
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly renewedAt: string | null;
}

export interface NotificationStore {
  isEnabled(connectionId: string): Promise<boolean>;
  setEnabled(connectionId: string, enabled: boolean, atIso: string): Promise<void>;
  /** Connections with notifications switched on. */
  enabledConnectionIds(): Promise<string[]>;
  subscriptions(connectionId: string): Promise<SubscriptionRecord[]>;
  /** Every stored subscription (also of connections switched off or removed, so they can be cleaned up). */
  allSubscriptions(): Promise<SubscriptionRecord[]>;
  /** Inserts or replaces the row of (connectionId, resource). */
  saveSubscription(record: SubscriptionRecord): Promise<void>;
  removeSubscription(connectionId: string, resource: NotificationResource): Promise<void>;
}

export interface CreateSubscriptionInput {
  readonly resource: string;
  readonly changeType: string;
  readonly notificationUrl: string;
  readonly lifecycleNotificationUrl: string;
  readonly clientState: string;
  readonly expirationDateTime: string;
}

export interface GraphSubscription {
  readonly id: string;
  readonly resource: string;
  readonly notificationUrl: string;
  readonly expirationDateTime: string;
}

/** Graph's `/subscriptions` for one connection. Failures are AppErrors with GRAPH_* codes (GRAPH_NOT_FOUND = gone). */
export interface GraphSubscriptionApi {
  create(input: CreateSubscriptionInput): Promise<GraphSubscription>;
  /** PATCH expirationDateTime. */
  renew(id: string, expirationDateTime: string): Promise<GraphSubscription>;
  /** DELETE; an already gone subscription is not an error. */
  remove(id: string): Promise<void>;
  /** The subscriptions this app holds in the tenant. */
  list(): Promise<GraphSubscription[]>;
}
