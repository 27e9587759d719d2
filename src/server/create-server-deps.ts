import { ConsentService } from '../consent/consent-service.js';
import type { Gatehouse } from '../main.js';
import { createConsentRequestRepository } from '../store/consent-request-repository.js';
import { createDirectoryRepository } from '../store/directory-repository.js';
import type { TrustProxy } from './network-trust.js';
import { consentRedirectUri } from './public-url.js';
import type { ServerDeps } from './server-deps.js';
import { trackSyncTotals } from './sync-totals.js';

export interface ServerOptions {
  /** Directory of the built UI; default: none (API only). */
  webRoot?: string;
  trustProxy?: TrustProxy | boolean;
  allowedHosts?: readonly string[];
  bindHost?: string;
  /** `serve --public-url` (already validated): admin-consent redirects come back to `{publicUrl}/consent/callback`. */
  publicUrl?: string;
}

/** Adapts an opened gatehouse to what the server needs (the services behind the routes). */
export function createServerDeps(gatehouse: Gatehouse, options: ServerOptions = {}): ServerDeps {
  const { store, clock, logger } = gatehouse;
  const syncTotals = trackSyncTotals(gatehouse.sync.events);
  const redirectUri = options.publicUrl ? consentRedirectUri(options.publicUrl) : undefined;
  const testConnection = (name: string) =>
    gatehouse.doctor.test(name, redirectUri ? { consentRedirectUri: redirectUri } : {});
  return {
    accounts: gatehouse.accounts,
    audit: gatehouse.audit,
    clock,
    logger: logger.child({ component: 'server' }),
    metrics: {
      graph: syncTotals.graph,
      syncRuns: syncTotals.runs,
      tokenRequests: () => gatehouse.tokens.stats(),
      stop: syncTotals.stop,
    },
    async checkReady() {
      const probe = () => store.db.selectFrom('gatehouse_meta').select('key').limit(1).execute();
      // A pooled connection the database dropped a moment ago fails one query before the pool lets it go: probe once
      // more on a fresh one before saying the store is away.
      await probe().catch(probe);
    },
    services: {
      connections: gatehouse.connections,
      testConnection,
      testDraft: (input) =>
        gatehouse.doctor.testDraft(
          async () => (await gatehouse.connections.draft(input)).connection,
          input.name?.trim() || input.connection || 'new connection',
          redirectUri ? { consentRedirectUri: redirectUri } : {},
        ),
      async lastSync(connectionName) {
        const [run] = await gatehouse.sync.history(connectionName, 1);
        return run ? { at: run.finishedAt ?? run.startedAt, status: run.status } : undefined;
      },
      sync: gatehouse.sync,
      directory: gatehouse.directory,
      directoryReader: createDirectoryRepository(store.db),
      actions: gatehouse.actions,
      events: gatehouse.events,
      webhooks: gatehouse.webhooks,
      notifications: gatehouse.notifications,
      consent: new ConsentService({
        store: createConsentRequestRepository(store.db),
        connections: gatehouse.connections,
        audit: gatehouse.audit,
        test: testConnection,
        clock,
        ...(redirectUri ? { redirectUri } : {}),
      }),
    },
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.bindHost ? { bindHost: options.bindHost } : {}),
  };
}
