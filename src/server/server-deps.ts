import type { Registry } from 'prom-client';
import type { AccountService } from '../accounts/account-service.js';
import type { AuditLog } from '../audit/ports.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { MetricSources } from './metrics.js';
import type { TrustProxy } from './network-trust.js';
import type { RequestAuditor } from './request-audit.js';
import type { ServerServices } from './server-services.js';

/** What the server needs, wired by the composition root (src/main.ts) or a test. */
export interface ServerDeps {
  accounts: AccountService;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** Throws when the store cannot be reached (drives /readyz). */
  checkReady: () => Promise<void>;
  services: ServerServices;
  metrics?: MetricSources;
  /** Directory of the built web UI (dist/web); unset or missing = API only. */
  webRoot?: string;
  /**
   * Trust X-Forwarded-* from these proxies (behind a reverse proxy that terminates https), so cookies get `Secure`
   * and the client address is the real one: a hop count or addresses/CIDRs (`--trust-proxy`). `true` = loopback only.
   * Default false.
   */
  trustProxy?: TrustProxy | boolean;
  /** Host names the server answers to (`--allowed-hosts`); default the bound address, the public URL and loopback. */
  allowedHosts?: readonly string[];
  /** The address the server listens on (joins the default Host allowlist). */
  bindHost?: string;
  /** `serve --public-url`: where browsers reach this server (admin-consent redirects come back to it). */
  publicUrl?: string;
}

/** What each route plugin receives. */
export interface RouteDeps extends Omit<ServerDeps, 'audit' | 'metrics'> {
  auditLog: AuditLog;
  audit: RequestAuditor;
  metrics: Registry;
}
