import { type Clock, systemClock } from '../core/clock.js';
import { AppRegistry, describeApp, type RegisterAppOptions, type RegisteredApp } from './app-registry.js';
import { readCertificate } from './certificate.js';
import type { EmulatorRequest, EmulatorResponse, RequestIdentity } from './emulator-http.js';
import { json } from './emulator-http.js';
import { type ChosenFaults, FaultPlan, type FaultSpec } from './fault-plan.js';
import { listen } from './http-listener.js';
import { handleLogin } from './login-routes.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { randomGuid, seededGuid, seededSecretValue } from './seeded-ids.js';
import type { TenantIdentity } from './tenant-identity.js';
import { TokenSigner } from './token-signer.js';

export type { RegisterAppOptions, RegisteredApp } from './app-registry.js';
export { createSelfSignedCertificate, readCertificate, type TestCertificate } from './certificate.js';
export type { ChosenFaults, FaultSpec } from './fault-plan.js';
export type { RequestLogEntry } from './request-log.js';
export type { TenantIdentity } from './tenant-identity.js';

/** Application permissions of the default app (admin-consented): enough for every gatehouse feature. */
export const DEFAULT_APP_PERMISSIONS = [
  'User.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'Group.Read.All',
  'Directory.Read.All',
] as const;

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Seeds ids, the default app's secret, the generated directory and fault rates. Default "gatehouse". */
  seed?: string | number;
  /** Initial domain, default `contoso.onmicrosoft.com`; `contoso.com`-style extra verified domains below. */
  tenantDomain?: string;
  extraVerifiedDomains?: string[];
  /** The emulator's notion of now (token iat/exp, secret expiry, delta-token age). Default: the system clock. */
  clock?: Clock;
  /** `expires_in` of issued tokens, default 3599. */
  tokenLifetimeSeconds?: number;
  /** Added latency on every request, default 0. */
  latencyMs?: number;
}

export interface EmulatorConnection {
  TenantID: string;
  ClientID: string;
  ClientSecret: string;
  AuthorityHost: string;
  GraphEndpoint: string;
}

export interface EmulatorFaults {
  /** The next `count` token requests (matching `spec.match`) fail with `spec.status` / `spec.aadsts`. */
  failNextTokenRequests(count: number, spec: ChosenFaults): void;
  /** This fraction (0–1) of token requests fail. */
  setTokenFailureRate(rate: number, spec?: FaultSpec): void;
  /** The next `count` Graph requests (matching `spec.match`, e.g. by path) fail. */
  failNextGraphRequests(count: number, spec: ChosenFaults): void;
  /** This fraction (0–1) of Graph requests fail (default 429 with Retry-After: 1). */
  setGraphFailureRate(rate: number, spec?: FaultSpec): void;
  /** Latency added to every request. */
  setLatency(ms: number): void;
  /** Removes all injected faults and latency. */
  clear(): void;
}

export interface Emulator {
  /** Origin, e.g. http://127.0.0.1:43123 — both the login host and the Graph host. */
  readonly url: string;
  readonly tenant: TenantIdentity;
  readonly defaultApp: RegisteredApp;
  /** The gatehouse EntraID connection parameters for the default app. */
  readonly connection: EmulatorConnection;
  registerApp(options?: RegisterAppOptions): RegisteredApp;
  /** Changes an app (disable it, withdraw consent, change permissions). Only new tokens see the change. */
  updateApp(
    clientId: string,
    patch: { enabled?: boolean; adminConsented?: boolean; applicationPermissions?: string[]; displayName?: string },
  ): RegisteredApp;
  /** Adds a secret (optionally already expired) and returns its id and value. */
  addSecret(clientId: string, options?: { expiresAt?: Date }): { secretId: string; secretValue: string };
  /** Uploads a certificate (PEM); returns its thumbprints. */
  addCertificate(clientId: string, certificatePem: string): { thumbprintSha256: string; thumbprintSha1: string };
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  readonly faults: EmulatorFaults;
  stop(): Promise<void>;
}

/**
 * Starts an in-process Entra ID + Microsoft Graph emulator. See src/emulator/README.md.
 *
 * @example
 * const emulator = await startEmulator();
 * // emulator.connection → { TenantID, ClientID, ClientSecret, AuthorityHost, GraphEndpoint }
 * await emulator.stop();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const seed = String(options.seed ?? 'gatehouse');
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const domain = (options.tenantDomain ?? 'contoso.onmicrosoft.com').toLowerCase();
  const tenant: TenantIdentity = {
    id: seededGuid(seed, 'tenant'),
    domain,
    verifiedDomains: [domain, ...(options.extraVerifiedDomains ?? [])],
    displayName: domain.split('.')[0] ?? domain,
  };
  const apps = new AppRegistry(now);
  const defaultApp = apps.register({
    clientId: seededGuid(seed, 'default-app'),
    objectId: seededGuid(seed, 'default-app-sp'),
    displayName: 'gatehouse',
    applicationPermissions: [...DEFAULT_APP_PERMISSIONS],
    secret: {
      secretId: seededGuid(seed, 'default-app-secret'),
      value: seededSecretValue(seed, 'default-app'),
      expiresAt: new Date(now().getTime() + 2 * 365 * 24 * 3600_000),
    },
  });
  const signer = new TokenSigner();
  const log = new RequestLog();
  const seedNumber = Number.parseInt(seededGuid(seed, 'faults').slice(0, 8), 16);
  const tokenFaults = new FaultPlan(seedNumber);
  const graphFaults = new FaultPlan(seedNumber ^ 0x5bd1e995);
  let latencyMs = options.latencyMs ?? 0;
  const tokenLifetime = options.tokenLifetimeSeconds ?? 3599;

  const loginDeps = { tenant, apps, signer, now, tokenLifetimeSeconds: () => tokenLifetime, tokenFaults };

  const dispatch = async (req: EmulatorRequest): Promise<EmulatorResponse> => {
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const who: RequestIdentity = {};
    const requestId = randomGuid();
    let response = await handleLogin(req, loginDeps, who);
    const kind: RequestLogEntry['kind'] = response
      ? req.url.pathname.toLowerCase().endsWith('/token')
        ? 'token'
        : 'discovery'
      : 'other';
    response ??= json(404, {
      error: { code: 'Request_ResourceNotFound', message: `No route for ${req.url.pathname}` },
    });
    const app = who.clientId ? apps.get(who.clientId) : undefined;
    log.add({
      time: now().toISOString(),
      kind,
      method: req.method,
      path: req.url.pathname + req.url.search,
      status: response.status,
      clientId: who.clientId,
      app: app?.displayName,
      errorCode: who.errorCode,
      requestId,
    });
    return response;
  };

  const server = await listen(options.host ?? '127.0.0.1', options.port ?? 0, dispatch);
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`;

  return {
    url,
    tenant,
    defaultApp,
    connection: {
      TenantID: tenant.id,
      ClientID: defaultApp.clientId,
      ClientSecret: defaultApp.secretValue as string,
      AuthorityHost: url,
      GraphEndpoint: url,
    },
    registerApp: (o) => apps.register(o),
    updateApp(clientId, patch) {
      const app = apps.require(clientId);
      if (patch.enabled !== undefined) app.enabled = patch.enabled;
      if (patch.adminConsented !== undefined) app.adminConsented = patch.adminConsented;
      if (patch.applicationPermissions) app.applicationPermissions = [...patch.applicationPermissions];
      if (patch.displayName) app.displayName = patch.displayName;
      return describeApp(app);
    },
    addSecret(clientId, o = {}) {
      const app = apps.require(clientId);
      const secret = {
        secretId: randomGuid(),
        value: seededSecretValue(randomGuid(), 'secret'),
        expiresAt: o.expiresAt ?? new Date(now().getTime() + 365 * 24 * 3600_000),
      };
      app.secrets.push(secret);
      return { secretId: secret.secretId, secretValue: secret.value };
    },
    addCertificate(clientId, pem) {
      const cert = readCertificate(pem);
      apps.require(clientId).certificates.push(cert);
      return { thumbprintSha256: cert.thumbprintSha256, thumbprintSha1: cert.thumbprintSha1 };
    },
    requestLog: () => log.list(),
    clearRequestLog: () => log.clear(),
    faults: {
      failNextTokenRequests: (count, spec) => tokenFaults.failNext(count, spec),
      setTokenFailureRate: (rate, spec = { status: 503 }) => tokenFaults.setRate(rate, spec),
      failNextGraphRequests: (count, spec) => graphFaults.failNext(count, spec),
      setGraphFailureRate: (rate, spec = { status: 429 }) => graphFaults.setRate(rate, spec),
      setLatency: (ms) => {
        latencyMs = ms;
      },
      clear: () => {
        tokenFaults.clear();
        graphFaults.clear();
        latencyMs = 0;
      },
    },
    stop: () => server.close(),
  };
}
