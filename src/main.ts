import { type AccountService, createAccountService } from './accounts/account-service.js';
import { type ActionService, createActionService } from './actions/action-service.js';
import { createDirectoryMembershipChecker } from './actions/directory-membership-checker.js';
import { createLocalDirectoryUpdates } from './actions/local-directory-updates.js';
import type { MembershipChecker } from './actions/ports.js';
import type { AuditLog } from './audit/ports.js';
import { ConnectionService } from './connections/connection-service.js';
import { BUILT_IN_CONNECTION_TYPES, createConnectionTypeRegistry } from './connections/connection-types.js';
import { type Clock, systemClock } from './core/clock.js';
import { type Logger, silentLogger } from './core/logger.js';
import { createCurrentKeyGuard } from './crypto/current-key-guard.js';
import { createKeyCheck, KEY_CHECK_META_KEY } from './crypto/key-check.js';
import type { KeyRing } from './crypto/key-ring.js';
import { openKeyRing } from './crypto/open-key-ring.js';
import { DirectoryService } from './directory/directory-service.js';
import { ConnectionDoctor } from './doctor/connection-doctor.js';
import { createDoctorEntra } from './entra/doctor-entra.js';
import { createEntraActionConnections } from './entra/entra-action-connections.js';
import { createGraphClient } from './entra/graph-client.js';
import { createGraphDirectorySource } from './entra/graph-directory-source.js';
import { checkMembershipLive } from './entra/graph-live-membership.js';
import { createGraphSubscriptions } from './entra/graph-subscriptions.js';
import { TokenProviderRegistry } from './entra/token-provider-registry.js';
import { createTokenStateRecorder } from './entra/token-state-recorder.js';
import { createEventRecorder } from './events/event-recorder.js';
import { EventService } from './events/event-service.js';
import { type DispatcherOptions, WebhookDispatcher } from './events/webhook-dispatcher.js';
import {
  type SecretCipher as WebhookSecretCipher,
  WebhookService,
  webhookSecretBinding,
} from './events/webhook-service.js';
import { ChangeNotifications } from './notifications/change-notifications.js';
import { SqlAccountRepository } from './store/account-repository.js';
import { createAuditLogRepository } from './store/audit-log-repository.js';
import { createDirectoryRepository } from './store/directory-repository.js';
import { createGraphNotificationRepository } from './store/graph-notification-repository.js';
import { createKyselyConnectionRepository } from './store/kysely-connection-repository.js';
import { createKyselyMetaStore } from './store/kysely-meta-store.js';
import { createLoginThrottleRepository } from './store/login-throttle-repository.js';
import { type OpenedDatabase, openDatabase } from './store/open-database.js';
import { createSyncRepository } from './store/sync-repository.js';
import { createLocalLeaseOwner } from './sync/local-lease-owner.js';
import { SyncService } from './sync/sync-service.js';

export interface GatehouseOptions {
  /** Where the SQLite file and master.key live (created when missing). */
  dataDir: string;
  /** `postgres://…` for PostgreSQL; unset = SQLite in dataDir. */
  databaseUrl?: string;
  /** PostgreSQL schema (tests give each run its own); default `public`. */
  databaseSchema?: string;
  /** Base64 of 32 bytes (GATEHOUSE_MASTER_KEY); unset = master.key in dataDir, created on first use. */
  masterKey?: string;
  logger?: Logger;
  clock?: Clock;
  /**
   * GATEHOUSE_ALLOWED_ENDPOINT_HOSTS: host names AuthorityHost and GraphEndpoint may name beyond Microsoft's clouds
   * and loopback (`*.example.com` for subdomains). Default none.
   */
  allowedEndpointHosts?: readonly string[];
  /** `auto` applies pending migrations, `check` refuses an old schema; default auto on SQLite, check on PostgreSQL. */
  migrations?: 'auto' | 'check';
  /** Absolute lifetime of a login session (GATEHOUSE_SESSION_MAX_HOURS; default 24 hours). */
  sessionMaxLifetimeMs?: number;
  /** How long directory events are kept (default 30 days; GATEHOUSE_EVENT_RETENTION_DAYS). */
  eventRetentionDays?: number;
  /** GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1: webhook URLs may resolve to private and link-local addresses. */
  webhookAllowPrivate?: boolean;
}

/** One wired gatehouse: every service over one store. Areas add their services here. */
export interface Gatehouse {
  readonly dataDir: string;
  readonly connections: ConnectionService;
  /** One msal-backed token provider per connection: `tokens.forSettings(await connections.resolveEntraSettings(name))`. */
  readonly tokens: TokenProviderRegistry;
  /** The connection test (`connections test`, the REST API and the UI). */
  readonly doctor: ConnectionDoctor;
  /** The local directory per connection (users, groups, memberships) with the in-memory membership index. */
  readonly directory: DirectoryService;
  /** Directory sync runs, settings, schedules and history (`gatehouse sync ...`); progress on `sync.events`. */
  readonly sync: SyncService;
  /** Graph change notifications as a sync trigger: subscriptions, renewal, the endpoint's checks (`serve` starts it). */
  readonly notifications: ChangeNotifications;
  /** `membership check`: local (directory index, with the path) or live (Graph checkMemberGroups). */
  readonly membership: MembershipChecker;
  /** The audit log (actions' writes; the server adds logins and admin changes). */
  readonly audit: AuditLog;
  /** Identity actions: `actions.run(connectionName, actionName, input, actor)` (docs/actions.md). */
  readonly actions: ActionService;
  /** Directory events (the outbox of every applied change, product.md section 9.2): list, long poll, follow. */
  readonly events: EventService;
  /** Webhooks (create, list, deliveries, redeliver, test); `webhookDispatcher()` delivers them (`serve` starts one). */
  readonly webhooks: WebhookService;
  webhookDispatcher(
    options?: Partial<Omit<DispatcherOptions, 'db' | 'cipher' | 'clock' | 'logger'>>,
  ): WebhookDispatcher;
  /** Local accounts, sessions and API tokens of the server (`gatehouse accounts`, `gatehouse serve`). */
  readonly accounts: AccountService;
  readonly keyRing: KeyRing;
  /** `env` when the master key came from GATEHOUSE_MASTER_KEY, `file` for master.key. */
  readonly keySource: 'env' | 'file';
  readonly store: OpenedDatabase;
  readonly clock: Clock;
  readonly logger: Logger;
  close(): Promise<void>;
}

/**
 * The composition root: opens the store, checks the master key, and wires the services.
 *
 * @example
 *   const gatehouse = await openGatehouse({ dataDir: '/var/lib/gatehouse' });
 *   try {
 *     console.log(await gatehouse.connections.list());
 *   } finally {
 *     await gatehouse.close();
 *   }
 */
export async function openGatehouse(options: GatehouseOptions): Promise<Gatehouse> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = await openDatabase({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    schema: options.databaseSchema,
    migrations: options.migrations,
    logger: logger.child({ component: 'store' }),
  });
  try {
    const meta = createKyselyMetaStore(store.db);
    const { ring, source } = await openKeyRing({ dataDir: options.dataDir, envKey: options.masterKey, meta, logger });
    const connections = new ConnectionService({
      repository: createKyselyConnectionRepository(store.db, store.engine),
      cipher: ring,
      assertCurrentKey: createCurrentKeyGuard(meta, ring),
      allowedEndpointHosts: options.allowedEndpointHosts ?? [],
      types: createConnectionTypeRegistry(BUILT_IN_CONNECTION_TYPES),
      // The store removed the connection's directory with it; its membership index goes too (wired below).
      onRemoved: (connectionId) => directory.invalidate(connectionId),
      // Every connection change is audited here, whichever surface made it (the audit log is created below).
      audit: (event) => audit.record(event),
      clock,
      logger: logger.child({ component: 'connections' }),
    });
    // Secrets sealed before issue 12 (gh1) name no connection nor hosts: bind them now, once, to the connection,
    // parameter and endpoints they have; from then on an unbound envelope is refused.
    await connections.upgradeLegacyEnvelopes((await meta.get(KEY_CHECK_META_KEY)) ?? createKeyCheck(ring.current));
    const tokens = new TokenProviderRegistry({
      clock,
      logger: logger.child({ component: 'tokens' }),
      onTokenEvent: createTokenStateRecorder(connections, logger),
    });
    const doctor = new ConnectionDoctor({
      connections,
      entra: createDoctorEntra({ clock, logger: logger.child({ component: 'doctor' }) }),
      clock,
      logger: logger.child({ component: 'doctor' }),
    });
    const accounts = createAccountService({
      repository: new SqlAccountRepository(store.db),
      loginThrottleStore: createLoginThrottleRepository(store.db),
      ...(options.sessionMaxLifetimeMs ? { sessionMaxLifetimeMs: options.sessionMaxLifetimeMs } : {}),
      clock,
    });
    // Every applied write becomes directory events in its own transaction (src/events, product.md section 9.2).
    const recordEvents = createEventRecorder({ clock });
    const syncStore = createSyncRepository(store.db, recordEvents);
    const directoryStore = createDirectoryRepository(store.db, recordEvents);
    const directory = new DirectoryService({
      store: directoryStore,
      clock,
      lastSyncedAt: async (connectionId) => (await syncStore.getState(connectionId)).lastSyncedAt,
    });
    const leaseOwner = createLocalLeaseOwner();
    const notificationStore = createGraphNotificationRepository(store.db);
    const sync = new SyncService({
      store: syncStore,
      directory: directoryStore,
      connection: async (name) => {
        const found = await connections.get(name);
        return { id: found.id, name: found.name };
      },
      createSource: async (connectionId) => {
        const settings = await connections.resolveEntraSettings(connectionId);
        const graph = createGraphClient({
          settings,
          tokenSource: tokens.forSettings(settings),
          clock,
          logger: logger.child({ component: 'sync' }),
        });
        return createGraphDirectorySource(graph);
      },
      resolveGroupId: async (connectionId, group) => (await directory.resolveGroup(connectionId, group)).id,
      onDirectoryChanged: (connectionId) => directory.directoryChanged(connectionId),
      leaseOwner: leaseOwner.owner,
      isLeaseOwnerAlive: leaseOwner.isAlive,
      clock,
      logger: logger.child({ component: 'sync' }),
      notifications: {
        isEnabled: (id) => notificationStore.isEnabled(id),
        setEnabled: (id, enabled) => notificationStore.setEnabled(id, enabled, clock.now().toISOString()),
        subscriptions: async (id) =>
          (await notificationStore.subscriptions(id)).map((s) => ({ resource: s.resource, expiresAt: s.expiresAt })),
      },
    });
    const audit = createAuditLogRepository(store.db, clock);
    const notifications = new ChangeNotifications({
      store: notificationStore,
      graphFor: async (connectionId) => {
        const settings = await connections.resolveEntraSettings(connectionId);
        return createGraphSubscriptions(
          createGraphClient({
            settings,
            tokenSource: tokens.forSettings(settings),
            clock,
            logger: logger.child({ component: 'notifications' }),
          }),
        );
      },
      connection: async (idOrName) => {
        const found = await connections.get(idOrName);
        return { id: found.id, name: found.name };
      },
      audit,
      clock,
      logger,
    });
    const membership = createDirectoryMembershipChecker({
      connectionId: async (name) => (await connections.get(name)).id,
      local: (connectionId, user, group) => directory.checkMembership(connectionId, user, group),
      live: async (name, user, group) => {
        const settings = await connections.resolveEntraSettings(name);
        const graph = createGraphClient({
          settings,
          tokenSource: tokens.forSettings(settings),
          clock,
          logger: logger.child({ component: 'membership' }),
        });
        return checkMembershipLive(graph, user, group);
      },
    });
    const actions = createActionService({
      connections: createEntraActionConnections({
        resolveSettings: (name) => connections.resolveEntraSettings(name),
        tokens,
        clock,
        logger: logger.child({ component: 'actions' }),
      }),
      directory: createLocalDirectoryUpdates({
        writer: directory,
        reader: directory.reader,
        excludesDisabledUsers: async (id) => (await syncStore.getState(id)).policy.disabledUsers !== 'include',
      }),
      membership,
      audit,
      logger: logger.child({ component: 'actions' }),
    });
    const events = new EventService({
      db: store.db,
      clock,
      connectionId: async (name) => {
        const found = await connections.get(name);
        return { id: found.id, name: found.name };
      },
      ...(options.eventRetentionDays ? { retentionDays: options.eventRetentionDays } : {}),
    });
    const webhookCipher: WebhookSecretCipher = {
      encrypt: (plaintext, webhookId) => ring.encrypt(plaintext, webhookSecretBinding(webhookId)),
      decrypt: (envelope, webhookId) => ring.decrypt(envelope, webhookSecretBinding(webhookId)),
    };
    const webhooks = new WebhookService({
      db: store.db,
      cipher: webhookCipher,
      clock,
      connection: async (name) => {
        const found = await connections.get(name);
        return { id: found.id, name: found.name };
      },
      connectionName: async (id) => (await connections.list()).find((c) => c.id === id)?.name,
      resolveGroupId: async (connectionId, group) => (await directory.resolveGroup(connectionId, group)).id,
      ...(options.webhookAllowPrivate ? { allowPrivate: true } : {}),
    });
    const webhookDispatcher = (overrides: Partial<DispatcherOptions> = {}) =>
      new WebhookDispatcher({
        db: store.db,
        cipher: webhookCipher,
        clock,
        logger: logger.child({ component: 'webhooks' }),
        owner: `${leaseOwner.owner}/webhooks`,
        onHourly: () => events.prune(),
        ...overrides,
      });
    return {
      dataDir: options.dataDir,
      directory,
      events,
      webhooks,
      webhookDispatcher,
      sync,
      notifications,
      membership,
      audit,
      actions,
      accounts,
      connections,
      tokens,
      doctor,
      keyRing: ring,
      keySource: source,
      store,
      clock,
      logger,
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
