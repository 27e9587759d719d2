import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from '../audit/ports.js';
import { type Clock, systemClock } from '../core/clock.js';
import { AppError, isAppError, toAppError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { createCatchUpTrigger, createDebouncedTrigger, type DebouncedTrigger } from './debounced-trigger.js';
import {
  type GraphSubscriptionApi,
  NOTIFICATION_RESOURCES,
  type NotificationResource,
  type NotificationStore,
  type SubscriptionRecord,
} from './ports.js';

/**
 * Graph change notifications as a low-latency sync trigger (product.md section 9.2; facts F in
 * shared/reference/entra-graph-facts-2.md). Delta stays the source of truth: a notification only makes the next
 * incremental sync run sooner, so a dropped or delayed notification costs latency, never a change.
 *
 * - Subscriptions to `/users` and `/groups` (changeType `updated,deleted`: for users and groups Graph raises
 *   creation, update and soft delete as `updated`, https://learn.microsoft.com/graph/api/resources/subscription),
 *   each with a fresh random clientState of which only a SHA-256 is stored; never logged.
 * - Renewed before expiry on the injected clock (default lifetime 3 days, renewed when less than 2 remain, i.e.
 *   daily; the maximum for directory resources is 41,760 minutes), recreated when Graph says it is gone (404).
 * - Lifecycle notifications (https://learn.microsoft.com/graph/change-notifications-lifecycle-events):
 *   `reauthorizationRequired` → renew (PATCH, which reauthorizes too; never also POST /reauthorize within 10 min),
 *   `subscriptionRemoved` → create again and catch up with delta, `missed` → incremental sync.
 * - Change notifications (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks): each item's
 *   clientState is checked against the connection's subscriptions; a mismatch is ignored and audited; valid ones
 *   trigger one debounced incremental sync per connection through the job queue.
 * - Replication lag: Graph notifies at once, but delta may not show the change for a few seconds ("processing
 *   delays", https://learn.microsoft.com/graph/delta-query-overview), and a delta round stops before a change still
 *   replicating. So every notified sync is followed by one catch-up sync `catchUpMs` after the connection's last
 *   notification (sliding, so a burst gets one), which applies the change within a bounded time without waiting
 *   for the schedule.
 */
export interface ChangeNotificationsOptions {
  store: NotificationStore;
  /** Graph's `/subscriptions` with the connection's credentials. */
  graphFor(connectionId: string): Promise<GraphSubscriptionApi>;
  /** Resolves a connection by id or name (throws CONNECTION_NOT_FOUND). */
  connection(idOrName: string): Promise<{ id: string; name: string }>;
  audit: AuditLog;
  clock?: Clock;
  logger?: Logger;
}

/** What `serve` gives the trigger when it starts it. */
export interface NotificationRuntime {
  /** `serve --public-url`: Graph posts to `{publicUrl}/api/v1/notifications/graph/{connectionId}`. */
  publicUrl: string;
  /** Queues an incremental sync of the connection (the server's job queue). */
  requestSync(connectionName: string): Promise<unknown>;
  /** Coalescing window of notifications per connection (default 2 s). */
  debounceMs?: number;
  /**
   * The catch-up sync runs this long after the connection's last notification (default 3.5 s), for changes that
   * delta did not show yet when the notified sync ran (replication lag). Keep it above the debounce window.
   */
  catchUpMs?: number;
  /** How often subscriptions are checked: renewal, retry of a failed create (default 15 min). */
  tickMs?: number;
  /** Expiry asked for on create and renewal (default 3 days). */
  subscriptionLifetimeMs?: number;
  /** Renew when less than this remains (default 2 days: renewed about daily). */
  renewBeforeMs?: number;
}

/** Where a notification POST came from, for the audit log. */
export interface NotificationOrigin {
  address?: string;
}

export interface NotificationStatus {
  enabled: boolean;
  subscriptions: { resource: NotificationResource; id: string | null; expiresAt: string | null }[];
}

const DAY_MS = 24 * 3600_000;
const LIFECYCLE_EVENTS = new Set(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** `/users`, `users`, `Users` → `users`. */
function resourceOf(text: string): string {
  return text.replace(/^\/+/, '').toLowerCase();
}

export class ChangeNotifications {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private runtime: Required<NotificationRuntime> | undefined;
  private debounce: DebouncedTrigger | undefined;
  private catchUp: DebouncedTrigger | undefined;
  private loop: AbortController | undefined;
  /** One reconcile/lifecycle step per connection at a time, in this process. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Rejected POSTs are audited at most once a minute per connection (the endpoint is public: no audit flood). */
  private readonly rejectedAudits = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly options: ChangeNotificationsOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'notifications' });
  }

  /** The per-connection switch (`sync configure NAME --notifications on|off`), for the sync service. */
  readonly settings = {
    isEnabled: (connectionId: string) => this.options.store.isEnabled(connectionId),
    setEnabled: (connectionId: string, enabled: boolean) =>
      this.options.store.setEnabled(connectionId, enabled, this.clock.now().toISOString()),
  };

  /** Connections with notifications switched on. */
  enabledConnectionIds(): Promise<string[]> {
    return this.options.store.enabledConnectionIds();
  }

  /** Whether `serve` started the trigger (it needs a public URL). */
  get running(): boolean {
    return this.runtime !== undefined;
  }

  /** The notification URL of a connection (lifecycle notifications go to `…/lifecycle`). */
  notificationUrl(connectionId: string): string | undefined {
    return this.runtime ? `${this.runtime.publicUrl}/api/v1/notifications/graph/${connectionId}` : undefined;
  }

  /** Starts subscribing, renewing (a loop on the clock) and turning notifications into syncs. */
  start(runtime: NotificationRuntime): void {
    this.runtime = {
      debounceMs: 2_000,
      catchUpMs: 3_500,
      tickMs: 15 * 60_000,
      subscriptionLifetimeMs: 3 * DAY_MS,
      renewBeforeMs: 2 * DAY_MS,
      ...runtime,
      publicUrl: runtime.publicUrl.replace(/\/+$/, ''),
    };
    this.debounce = createDebouncedTrigger({
      delayMs: this.runtime.debounceMs,
      clock: this.clock,
      run: (connectionId) => this.runSync(connectionId),
    });
    this.catchUp = createCatchUpTrigger({
      delayMs: this.runtime.catchUpMs,
      clock: this.clock,
      run: (connectionId) => this.runSync(connectionId, 'catch-up'),
    });
    const loop = new AbortController();
    this.loop = loop;
    const tickMs = this.runtime.tickMs;
    void (async () => {
      while (!loop.signal.aborted) {
        await this.tick().catch((error: unknown) => {
          if (!loop.signal.aborted) this.logger.warn({ code: toAppError(error).code }, 'notification check failed');
        });
        await this.clock.sleep(tickMs, loop.signal).catch(() => undefined);
      }
    })();
  }

  async stop(): Promise<void> {
    this.loop?.abort(new Error('stopped'));
    this.debounce?.stop();
    this.catchUp?.stop();
    await Promise.all([...this.chains.values()]);
    this.runtime = undefined;
  }

  /** Checks every connection: creates missing subscriptions, renews due ones, removes those switched off. */
  async tick(): Promise<void> {
    const ids = new Set([
      ...(await this.options.store.enabledConnectionIds()),
      ...(await this.options.store.allSubscriptions()).map((s) => s.connectionId),
    ]);
    await Promise.all([...ids].map((id) => this.reconcile(id).catch(() => undefined)));
  }

  /** Brings one connection's subscriptions in line with its switch (errors are logged and rethrown). */
  reconcile(connectionId: string): Promise<void> {
    return this.serialized(connectionId, async () => {
      try {
        await this.reconcileNow(connectionId);
      } catch (error) {
        const failure = toAppError(error);
        this.logger.warn(
          { connectionId, code: failure.code, details: failure.details },
          'change-notification subscriptions could not be brought up to date',
        );
        throw failure;
      }
    });
  }

  /** Subscriptions held for a connection (for status views). */
  async status(connectionId: string): Promise<NotificationStatus> {
    return {
      enabled: await this.options.store.isEnabled(connectionId),
      subscriptions: (await this.options.store.subscriptions(connectionId)).map((s) => ({
        resource: s.resource,
        id: s.subscriptionId,
        expiresAt: s.expiresAt,
      })),
    };
  }

  /**
   * Whether to answer Graph's validation request for this connection: only while one of its subscriptions is being
   * created, so nobody else can point a subscription of theirs at this endpoint.
   */
  async acceptsValidation(connectionId: string): Promise<boolean> {
    if (!this.runtime) return false;
    return (await this.options.store.subscriptions(connectionId)).some((s) => s.subscriptionId === null);
  }

  /**
   * A POST from Graph (change or lifecycle notifications) for a connection: checks each item's clientState, audits
   * mismatches, and acts on the valid ones without waiting (the caller answers 202 at once).
   */
  async receive(
    connectionId: string,
    body: unknown,
    origin: NotificationOrigin = {},
  ): Promise<{ accepted: number; rejected: number }> {
    // Without `serve --public-url` nothing was subscribed: nothing to check or trigger.
    if (!this.runtime) return { accepted: 0, rejected: 0 };
    const items = itemsOf(body);
    const rows = await this.options.store.subscriptions(connectionId).catch(() => []);
    let accepted = 0;
    const rejected: string[] = [];
    const lifecycle: { row: SubscriptionRecord; event: string }[] = [];
    for (const item of items) {
      const row = match(rows, item);
      if (!row) {
        rejected.push(typeof item.subscriptionId === 'string' ? item.subscriptionId.slice(0, 64) : '');
        continue;
      }
      accepted++;
      if (typeof item.lifecycleEvent === 'string' && LIFECYCLE_EVENTS.has(item.lifecycleEvent))
        lifecycle.push({ row, event: item.lifecycleEvent });
    }
    if (rejected.length > 0 || items.length === 0)
      await this.auditRejected(connectionId, rejected, items.length, origin);
    const changes = accepted - lifecycle.length;
    if (changes > 0) this.syncSoon(connectionId);
    for (const { row, event } of lifecycle) {
      this.logger.info({ connectionId, resource: row.resource, event }, 'lifecycle notification');
      this.serialized(connectionId, () => this.onLifecycle(row, event)).catch((error) => {
        this.logger.warn({ connectionId, event, code: toAppError(error).code }, 'lifecycle notification not handled');
      });
    }
    return { accepted, rejected: rejected.length };
  }

  private async auditRejected(
    connectionId: string,
    subscriptionIds: string[],
    items: number,
    origin: NotificationOrigin,
  ): Promise<void> {
    this.logger.warn(
      { connectionId, items, rejected: subscriptionIds.length, address: origin.address },
      'change notification with a wrong clientState ignored',
    );
    const key = connectionId.slice(0, 100);
    const last = this.rejectedAudits.get(key);
    const nowMs = this.clock.nowMs();
    if (last && nowMs - last.at < 60_000) {
      last.suppressed++;
      return;
    }
    if (this.rejectedAudits.size > 10_000) this.rejectedAudits.clear();
    this.rejectedAudits.set(key, { at: nowMs, suppressed: 0 });
    const connection = await this.options.connection(connectionId).catch(() => undefined);
    // Posts for no connection (a removed one whose subscriptions have not expired yet, or a guessed id) are not
    // worth an audit row each: logged above, dropped.
    if (!connection) return;
    await this.options.audit
      .record({
        actor: 'microsoft-graph',
        origin: { channel: 'api', ...(origin.address ? { address: origin.address } : {}) },
        connection: connection.name,
        action: 'sync.notification',
        target: connectionId.slice(0, 100),
        result: 'failed',
        errorCode: 'SYNC_NOTIFICATION_CLIENT_STATE_MISMATCH',
        details: {
          items,
          rejected: subscriptionIds.length,
          subscriptionIds: subscriptionIds.slice(0, 10),
          // Rejected POSTs of the previous minute that were not audited one by one.
          ...(last?.suppressed
            ? { suppressedSince: new Date(last.at).toISOString(), suppressed: last.suppressed }
            : {}),
        },
      })
      .catch((error) => this.logger.error({ err: error }, 'audit log write failed'));
  }

  private async onLifecycle(row: SubscriptionRecord, event: string): Promise<void> {
    const current = (await this.options.store.subscriptions(row.connectionId)).find(
      (s) => s.resource === row.resource && s.subscriptionId === row.subscriptionId,
    );
    if (!current) return;
    if (event === 'missed') {
      this.syncSoon(row.connectionId);
      return;
    }
    const graph = await this.options.graphFor(row.connectionId);
    if (event === 'reauthorizationRequired') {
      try {
        await this.renew(graph, current);
        return;
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }
    // subscriptionRemoved, or gone when renewed: subscribe again and catch up what was missed with delta.
    await this.options.store.removeSubscription(row.connectionId, row.resource);
    await this.reconcileNow(row.connectionId);
  }

  private async reconcileNow(connectionId: string): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    const rows = await this.options.store.subscriptions(connectionId);
    const connection = await this.options.connection(connectionId).catch((error: unknown) => {
      if (isAppError(error) && error.code === 'CONNECTION_NOT_FOUND') return undefined;
      throw error;
    });
    const enabled = connection !== undefined && (await this.options.store.isEnabled(connectionId));
    if (!enabled) {
      // Switched off (or the connection was removed): delete what Graph still has, forget the rest.
      const graph = connection ? await this.options.graphFor(connectionId) : undefined;
      for (const row of rows) {
        if (graph && row.subscriptionId) await graph.remove(row.subscriptionId);
        await this.options.store.removeSubscription(connectionId, row.resource);
      }
      return;
    }
    const graph = await this.options.graphFor(connectionId);
    const url = this.notificationUrl(connectionId) as string;
    let created = false;
    for (const resource of NOTIFICATION_RESOURCES) {
      const row = rows.find((r) => r.resource === resource);
      if (row?.subscriptionId && row.notificationUrl === url && row.expiresAt) {
        if (Date.parse(row.expiresAt) - this.clock.nowMs() > runtime.renewBeforeMs) continue;
        try {
          await this.renew(graph, row);
          continue;
        } catch (error) {
          if (!isGone(error)) throw error;
          this.logger.info({ connectionId, resource }, 'subscription gone at renewal; creating a new one');
        }
      } else if (row?.subscriptionId) {
        await graph.remove(row.subscriptionId);
      }
      await this.create(graph, connection, resource, url);
      created = true;
    }
    // Changes made before the subscription existed reach gatehouse through delta (facts F.7): sync once now.
    if (created) this.syncSoon(connectionId);
  }

  private async create(
    graph: GraphSubscriptionApi,
    connection: { id: string; name: string },
    resource: NotificationResource,
    url: string,
  ): Promise<void> {
    const runtime = this.runtime as Required<NotificationRuntime>;
    const now = this.clock.now();
    // Another instance (PostgreSQL) creating this subscription right now: leave it to that one.
    const other = (await this.options.store.subscriptions(connection.id)).find(
      (r) => r.resource === resource && r.subscriptionId === null && now.getTime() - Date.parse(r.createdAt) < 60_000,
    );
    if (other) return;
    // A subscription of ours to this URL whose clientState we no longer know (a crash mid-create, a lost store)
    // would only produce rejected notifications, and makes Graph answer 409 to a new one: remove it first.
    for (const stale of await graph.list()) {
      if (stale.notificationUrl === url && resourceOf(stale.resource) === resource) await graph.remove(stale.id);
    }
    const clientState = randomBytes(32).toString('base64url');
    const pending: SubscriptionRecord = {
      connectionId: connection.id,
      resource,
      subscriptionId: null,
      clientStateHash: sha256(clientState),
      notificationUrl: url,
      expiresAt: null,
      createdAt: now.toISOString(),
      renewedAt: null,
    };
    // Stored before the call: Graph validates the URL (and may notify) before it answers.
    await this.options.store.saveSubscription(pending);
    try {
      const made = await graph.create({
        resource: `/${resource}`,
        changeType: 'updated,deleted',
        notificationUrl: url,
        lifecycleNotificationUrl: `${url}/lifecycle`,
        clientState,
        expirationDateTime: new Date(now.getTime() + runtime.subscriptionLifetimeMs).toISOString(),
      });
      await this.options.store.saveSubscription({
        ...pending,
        subscriptionId: made.id,
        expiresAt: new Date(made.expirationDateTime).toISOString(),
      });
      this.logger.info(
        { connection: connection.name, resource, subscriptionId: made.id, expiresAt: made.expirationDateTime },
        'change-notification subscription created',
      );
    } catch (error) {
      await this.options.store.removeSubscription(connection.id, resource);
      const cause = toAppError(error);
      throw new AppError('SYNC_NOTIFICATION_SUBSCRIBE_FAILED', {
        message: `Microsoft Graph did not create the ${resource} change-notification subscription of connection '${connection.name}': ${cause.message}`,
        cause: error,
        details: { connection: connection.name, resource, cause: cause.code, notificationUrl: url },
      });
    }
  }

  private async renew(graph: GraphSubscriptionApi, row: SubscriptionRecord): Promise<void> {
    const runtime = this.runtime as Required<NotificationRuntime>;
    const until = new Date(this.clock.nowMs() + runtime.subscriptionLifetimeMs).toISOString();
    const renewed = await graph.renew(row.subscriptionId as string, until);
    const expiresAt = new Date(renewed.expirationDateTime).toISOString();
    await this.options.store.saveSubscription({ ...row, expiresAt, renewedAt: this.clock.now().toISOString() });
    this.logger.info({ connectionId: row.connectionId, resource: row.resource, expiresAt }, 'subscription renewed');
  }

  /**
   * A debounced incremental sync soon, then one catch-up sync after the replication lag: the notified run may not
   * see the change yet, and nothing else would sync it before the schedule.
   */
  private syncSoon(connectionId: string): void {
    this.debounce?.trigger(connectionId);
    this.catchUp?.trigger(connectionId);
  }

  private async runSync(connectionId: string, reason: 'notified' | 'catch-up' = 'notified'): Promise<void> {
    try {
      const connection = await this.options.connection(connectionId);
      await this.runtime?.requestSync(connection.name);
      this.logger.info({ connection: connection.name, reason }, 'incremental sync queued by change notifications');
    } catch (error) {
      this.logger.warn({ connectionId, code: toAppError(error).code }, 'could not queue a notified sync');
    }
  }

  private serialized(connectionId: string, step: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(connectionId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(step);
    const settled = next.catch(() => undefined);
    this.chains.set(connectionId, settled);
    void settled.then(() => {
      if (this.chains.get(connectionId) === settled) this.chains.delete(connectionId);
    });
    return next;
  }
}

function isGone(error: unknown): boolean {
  return isAppError(error) && error.code === 'GRAPH_NOT_FOUND';
}

function itemsOf(body: unknown): Record<string, unknown>[] {
  const value = (body as { value?: unknown } | null)?.value;
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null).slice(0, 1000)
    : [];
}

/** The subscription row an item belongs to: its clientState hash matches, and its id (unless still pending). */
function match(rows: readonly SubscriptionRecord[], item: Record<string, unknown>): SubscriptionRecord | undefined {
  if (typeof item.clientState !== 'string' || item.clientState.length > 255) return undefined;
  const hash = sha256(item.clientState);
  return rows.find(
    (row) =>
      sameHash(hash, row.clientStateHash) &&
      (row.subscriptionId === null || row.subscriptionId === item.subscriptionId),
  );
}
