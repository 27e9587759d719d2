import { fileURLToPath } from 'node:url';
import { startBackgroundWork } from '../jobs/background-work.js';
import type { JobTimings } from '../jobs/pg-boss-work-queue.js';
import type { Gatehouse } from '../main.js';
import { buildApp, type GatehouseApp } from './build-app.js';
import { createServerDeps } from './create-server-deps.js';
import type { TrustProxy } from './network-trust.js';
import { createSyncScheduler } from './sync-scheduler.js';

export interface StartServerOptions {
  /** Default 127.0.0.1: loopback unless told otherwise. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** The built UI (default: dist/web of this package). */
  webRoot?: string;
  /** For the PostgreSQL work queue (several instances share scheduled syncs). */
  databaseUrl?: string;
  databaseSchema?: string;
  /** `--trust-proxy` (parsed by parseTrustProxy); `true` = loopback only. */
  trustProxy?: TrustProxy | boolean;
  /** `--allowed-hosts`; default the bound address, the public URL's host and loopback. */
  allowedHosts?: readonly string[];
  /** How often the scheduler looks for due syncs (default 30 s). */
  schedulerTickMs?: number;
  /** Job-queue timings (GATEHOUSE_JOB_* variables); defaults suit production. */
  jobTimings?: Partial<JobTimings>;
  /**
   * The address browsers reach this server at (validated by parsePublicUrl): enables the admin-consent round trip
   * and Graph change notifications (Graph posts to `{publicUrl}/api/v1/notifications/graph/{connection id}`).
   */
  publicUrl?: string;
  /** Change-notification timings (debounce window, renewal check interval); defaults suit production. */
  notifications?: { debounceMs?: number; catchUpMs?: number; tickMs?: number };
}

export interface RunningServer {
  readonly app: GatehouseApp;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** The one-time link that creates the first admin; set only while no admin exists. */
  readonly setupUrl?: string;
  close(): Promise<void>;
}

/** dist/web, found from this file both in dist/server (built) and src/server (tsx). */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../dist/web', import.meta.url));
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Graph change notifications as a sync trigger (product.md section 9.2): with a public URL, subscribe for every
 * connection switched on, renew, and queue a debounced incremental sync per notification; `sync configure` through
 * this server takes effect at once. Without one, connections switched on keep their schedule, and the log says why.
 */
async function startNotifications(
  gatehouse: Gatehouse,
  syncJobs: { enqueue(name: string): Promise<boolean> },
  logger: Gatehouse['logger'],
  options: StartServerOptions,
): Promise<() => Promise<void>> {
  const { notifications, sync } = gatehouse;
  if (!options.publicUrl) {
    const waiting = await notifications.enabledConnectionIds().catch(() => []);
    if (waiting.length > 0) {
      logger.warn(
        { code: 'SYNC_NOTIFICATIONS_PUBLIC_URL_REQUIRED', connections: waiting.length },
        'change notifications are on for some connections but the server has no --public-url; their schedules keep syncing',
      );
    }
    return async () => {};
  }
  notifications.start({
    publicUrl: options.publicUrl,
    requestSync: (name) => syncJobs.enqueue(name),
    ...options.notifications,
  });
  const onConfigured = (event: { connectionId: string }) => {
    notifications.reconcile(event.connectionId).catch(() => undefined);
  };
  sync.events.on('configured', onConfigured);
  return async () => {
    sync.events.off('configured', onConfigured);
    await notifications.stop();
  };
}

/** `gatehouse serve`: the HTTP server, the background sync queue and the scheduler, over an opened gatehouse. */
export async function startServer(gatehouse: Gatehouse, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = gatehouse.logger.child({ component: 'server' });
  const work = await startBackgroundWork({
    engine: gatehouse.store.engine,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
    runSync: (name, runOptions) => gatehouse.sync.run(name, runOptions),
    runEndedSince: async (name, since) =>
      (await gatehouse.sync.history(name, 5)).some((run) => run.status !== 'running' && run.startedAt >= since),
    logger,
    ...(options.jobTimings ? { timings: options.jobTimings } : {}),
  });
  try {
    const deps = createServerDeps(gatehouse, {
      webRoot: options.webRoot ?? defaultWebRoot(),
      ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      bindHost: options.host ?? '127.0.0.1',
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    });
    const app = await buildApp(deps);
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 8080 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
    const url = `http://${hostForUrl(host)}:${port}`;
    const scheduler = createSyncScheduler({
      clock: gatehouse.clock,
      logger,
      listConnections: async () => (await gatehouse.connections.list()).map((c) => c.name),
      async scheduleOf(name) {
        const status = await gatehouse.sync.status(name);
        return { schedule: status.schedule, ...(status.lastRun ? { lastRunStartedAt: status.lastRun.startedAt } : {}) };
      },
      enqueueScheduled: (name, slot) => work.syncJobs.enqueueScheduled(name, slot),
      ...(options.schedulerTickMs ? { tickMs: options.schedulerTickMs } : {}),
    });
    scheduler.start();
    // Webhook deliveries (src/events): one dispatcher per instance; leases keep each webhook's queue on one of them.
    const webhooks = gatehouse.webhookDispatcher();
    webhooks.start();
    const stopNotifications = await startNotifications(gatehouse, work.syncJobs, logger, options);
    const setupToken = await gatehouse.accounts.createSetupToken();
    logger.info({ url }, 'gatehouse is listening');
    return {
      app,
      url,
      // The token rides in the fragment, which browsers never send to servers or proxies' logs.
      ...(setupToken ? { setupUrl: `${url}/setup#token=${setupToken}` } : {}),
      async close() {
        await scheduler.stop();
        await webhooks.stop();
        await stopNotifications();
        await app.close();
        await work.stop();
      },
    };
  } catch (error) {
    await work.stop();
    throw error;
  }
}
