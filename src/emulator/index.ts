import { systemClock } from '../core/clock.js';
import { createAdminConsent } from './admin-consent.js';
import { AppRegistry, describeApp } from './app-registry.js';
import { createSelfSignedCertificate, readCertificate } from './certificate.js';
import { DirectoryApi } from './directory-api.js';
import { DirectoryState } from './directory-state.js';
import type { Emulator, EmulatorOptions } from './emulator-api.js';
import type { EmulatorRequest, EmulatorResponse, RequestIdentity } from './emulator-http.js';
import { json } from './emulator-http.js';
import { FaultPlan } from './fault-plan.js';
import { generateDirectory } from './generate-directory.js';
import { runBatch } from './graph/batch.js';
import { type DeltaSettings, defaultDeltaSettings } from './graph/delta-settings.js';
import { handleGraph } from './graph/graph-handler.js';
import { handleSubscriptionRequest, isSubscriptionRequest } from './graph/subscription-endpoint.js';
import { SubscriptionHub } from './graph/subscriptions.js';
import { GraphThrottle, type ThrottleSettings } from './graph/throttle.js';
import { listen } from './http-listener.js';
import { handleLogin } from './login-routes.js';
import { Mulberry, profileSettings, type RealismSettings } from './realism.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { createSecretlessCredentials } from './secretless-credentials.js';
import { randomGuid, seededGuid, seededSecretValue } from './seeded-ids.js';
import type { TenantIdentity } from './tenant-identity.js';
import { TokenSigner } from './token-signer.js';

export type { EmulatorConsent } from './admin-consent.js';
export type { RegisterAppOptions, RegisteredApp } from './app-registry.js';
export { createSelfSignedCertificate, readCertificate, type TestCertificate } from './certificate.js';
export type { DirectoryApi, DirectorySnapshot, EmulatedGroup, EmulatedObject } from './directory-api.js';
export type { Emulator, EmulatorConnection, EmulatorFaults, EmulatorOptions } from './emulator-api.js';
export type { ChosenFaults, FaultSpec } from './fault-plan.js';
export {
  type AddFederatedCredentialOptions,
  DEFAULT_FEDERATION_AUDIENCE,
  type FederatedCredential,
  FederatedCredentialError,
} from './federated-credentials.js';
export type { GeneratedSummary, GenerateOptions } from './generate-directory.js';
export type { DeltaSettings } from './graph/delta-settings.js';
export type {
  EmulatorSubscriptions,
  LifecycleEvent,
  NotificationBehaviour,
  NotificationDelivery,
} from './graph/subscriptions.js';
export { MAX_DIRECTORY_SUBSCRIPTION_MINUTES } from './graph/subscriptions.js';
export type { ThrottleSettings } from './graph/throttle.js';
export type { EmulatedManagedIdentity, ManagedIdentityOptions } from './managed-identities.js';
export { type MintOptions, type OidcTestIssuer, startOidcTestIssuer } from './oidc-test-issuer.js';
export { type EmulatorProfile, parseLagRange, profileSettings, type RealismSettings } from './realism.js';
export type { RequestLogEntry } from './request-log.js';
export type { EmulatorFederation, EmulatorManagedIdentity } from './secretless-credentials.js';
export type { TenantIdentity } from './tenant-identity.js';

/** Application permissions of the default app (admin-consented): enough for every gatehouse feature. */
export const DEFAULT_APP_PERMISSIONS = [
  'User.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'Group.Read.All',
  'Directory.Read.All',
] as const;

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
  const realism: RealismSettings = { ...profileSettings(options.profile ?? 'realistic'), ...options.realism };
  // One seeded generator per behaviour, so turning one on does not change the draws of another.
  const random = (name: string) => new Mulberry(Number.parseInt(seededGuid(seed, `realism-${name}`).slice(0, 8), 16));
  const tokenRandom = random('token-lifetime');
  const tokenLifetime = () =>
    options.tokenLifetimeSeconds ?? tokenRandom.int(realism.tokenLifetimeSeconds.min, realism.tokenLifetimeSeconds.max);

  const secretless = createSecretlessCredentials({
    apps,
    signer,
    tenant,
    now,
    tokenLifetimeSeconds: tokenLifetime,
    seed,
  });
  const consent = createAdminConsent({ apps, tenant, now });
  const loginDeps = {
    tenant,
    apps,
    signer,
    now,
    tokenLifetimeSeconds: tokenLifetime,
    tokenFaults,
    federation: secretless.federationDeps,
  };
  const dir = new DirectoryState(clock, random('replication-lag'));
  if ((options.users ?? 0) > 0 || (options.groups ?? 0) > 0)
    generateDirectory(dir, {
      ...options.generate,
      users: options.users ?? 0,
      groups: options.groups ?? 0,
      seed,
      domain,
    });
  const deltaRandom = random('delta-disorder');
  const delta: DeltaSettings = {
    ...defaultDeltaSettings(),
    ...options.delta,
    epoch: 0,
    random: () => deltaRandom.next(),
  };
  const batchRandom = random('batch-order');
  const retryAfterRandom = random('retry-after');
  const applyRealism = () => {
    dir.lag.min = realism.replicationLagMs.min;
    dir.lag.max = realism.replicationLagMs.max;
    dir.softDeleteKeepsMemberships = realism.softDeleteKeepsMemberships;
    dir.permanentDeleteInMembersDelta = realism.permanentDeleteInMembersDelta;
    Object.assign(delta, {
      expiredAnswer: realism.expiredDeltaToken,
      interleaveSplitGroups: realism.interleaveSplitGroups,
      crossRoundReplayRate: realism.crossRoundReplayRate,
      removedInFirstRound: realism.removedInFirstRound,
      omitUnsetProperties: realism.omitUnsetProperties,
      membersByDefault: realism.membersDeltaByDefault,
    });
    if (!options.throttleRate) graphFaults.setRate(realism.randomThrottleRate, { status: 429 });
  };
  const throttle = new GraphThrottle(
    { enabled: false, ...throttleSettings(options.throttling) },
    () => dir.users.length,
    () => clock.nowMs(),
  );
  if (options.throttleRate) graphFaults.setRate(options.throttleRate, { status: 429 });
  applyRealism();
  const graphDeps = {
    strictInput: () => realism.strictInput,
    retryAfter: () => (realism.retryAfterStyle === 'integer' ? undefined : variedRetryAfter(retryAfterRandom.next())),
    dir,
    tenant,
    delta,
    signer,
    faults: graphFaults,
    throttle,
    canManagePrivileged: (clientId: string) => apps.get(clientId)?.canManagePrivileged ?? false,
    applications: { apps, startedAt: now() },
  };
  const subscriptions = new SubscriptionHub({ dir, tenant, clock, seed, behaviour: options.notifications ?? {} });

  const record = (
    req: EmulatorRequest,
    kind: RequestLogEntry['kind'],
    response: EmulatorResponse,
    who: RequestIdentity,
  ) => {
    log.add({
      time: now().toISOString(),
      kind,
      method: req.method,
      path: req.url.pathname + req.url.search,
      status: response.status,
      clientId: who.clientId,
      app: who.clientId ? apps.get(who.clientId)?.displayName : undefined,
      errorCode: who.errorCode,
      requestId: response.headers['request-id'] ?? randomGuid(),
    });
  };

  const graph = (req: EmulatorRequest, who: RequestIdentity): EmulatorResponse => {
    const segments = req.url.pathname.split('/').slice(2).filter(Boolean).map(decodeURIComponent);
    if (segments.length === 1 && segments[0] === '$batch' && req.method === 'POST') {
      return handleGraph(req, [], graphDeps, who, (outer) =>
        runBatch(
          outer,
          (inner) => {
            const innerWho: RequestIdentity = {};
            const response = graph(inner, innerWho);
            record(inner, 'batch-item', response, innerWho);
            return response;
          },
          realism.shuffleBatchResponses ? (items) => batchRandom.shuffle(items) : undefined,
        ),
      );
    }
    return handleGraph(req, segments, graphDeps, who);
  };

  const dispatch = async (req: EmulatorRequest): Promise<EmulatorResponse> => {
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const who: RequestIdentity = {};
    let kind: RequestLogEntry['kind'] = 'other';
    let response: EmulatorResponse | undefined;
    if (req.url.pathname === '/_emulator/stats' && req.method === 'GET') return json(200, processStats(log.count));
    if (isSubscriptionRequest(req)) {
      kind = 'graph';
      response = await handleSubscriptionRequest(req, graphDeps, subscriptions, who);
    } else if (req.url.pathname === '/v1.0' || req.url.pathname.startsWith('/v1.0/')) {
      kind = 'graph';
      response = graph(req, who);
    } else {
      // Managed-identity endpoints count as token requests; the admin-consent page as 'other'.
      response = secretless.handle(req, who);
      if (response) kind = 'token';
      else response = consent.handle(req);
      if (!response) {
        response = await handleLogin(req, loginDeps, who);
        if (response) kind = req.url.pathname.toLowerCase().endsWith('/token') ? 'token' : 'discovery';
      }
    }
    response ??= json(404, {
      error: { code: 'NotFound', message: `The emulator has no route for ${req.url.pathname}.` },
    });
    record(req, kind, response, who);
    return response;
  };

  const host = options.host ?? '127.0.0.1';
  const tls = options.tls === true ? selfSignedServerCertificate(host) : options.tls;
  const server = await listen(host, options.port ?? 0, dispatch, tls);
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${server.port}`;

  return {
    url,
    tlsCertificatePem: tls?.certificatePem,
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
    directory: new DirectoryApi(dir, domain),
    subscriptions: subscriptions.api(),
    federation: secretless.federation,
    consent: consent.api,
    managedIdentity: secretless.managedIdentity(url),
    settle: async () => {
      dir.settle();
    },
    expireDeltaTokens: (o = {}) => {
      delta.epoch += 1;
      if (o.as) delta.expiredAnswer = o.as;
    },
    realism,
    setRealism: (settings) => {
      Object.assign(realism, settings);
      applyRealism();
    },
    configureDelta: (settings) => {
      Object.assign(delta, settings, { epoch: delta.epoch });
    },
    setThrottling: (settings) => {
      Object.assign(throttle.settings, throttleSettings(settings));
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

/**
 * Retry-After of an injected 429 under realism `varied`: Graph sends fractional seconds ("2.128"), whole seconds,
 * or nothing at all (https://learn.microsoft.com/graph/throttling). A third each; null = leave the header out.
 */
function variedRetryAfter(draw: number): string | null {
  if (draw < 1 / 3) return null;
  if (draw < 2 / 3) return (1 + draw * 3).toFixed(3);
  return String(1 + Math.floor(draw * 3));
}

function throttleSettings(value: boolean | Partial<ThrottleSettings> | undefined): Partial<ThrottleSettings> {
  if (value === undefined) return {};
  return typeof value === 'boolean' ? { enabled: value } : { enabled: true, ...value };
}

/** `GET /_emulator/stats`: the emulator process's own CPU and memory, so benchmarks can show it is not the bottleneck. */
function processStats(requests: number) {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    requests,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    heapUsedMb: Math.round(memory.heapUsed / 1e6),
    rssMb: Math.round(memory.rss / 1e6),
  };
}

/** A self-signed server certificate for the emulator's own names. */
function selfSignedServerCertificate(host: string): { certificatePem: string; privateKeyPem: string } {
  const ipv4 = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  const dns = ['localhost', ...(ipv4 || host.includes(':') ? [] : [host])];
  const ip = ['127.0.0.1', ...(ipv4 && host !== '127.0.0.1' && host !== '0.0.0.0' ? [host] : [])];
  const cert = createSelfSignedCertificate({ commonName: 'gatehouse-emulator', altNames: { dns, ip } });
  return { certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem };
}
