import type { Clock } from '../core/clock.js';
import type { EmulatorConsent } from './admin-consent.js';
import type { RegisterAppOptions, RegisteredApp } from './app-registry.js';
import type { DirectoryApi } from './directory-api.js';
import type { ChosenFaults, FaultSpec } from './fault-plan.js';
import type { GenerateOptions } from './generate-directory.js';
import type { DeltaSettings } from './graph/delta-settings.js';
import type { EmulatorSubscriptions, NotificationBehaviour } from './graph/subscriptions.js';
import type { ThrottleSettings } from './graph/throttle.js';
import type { RealismSettings } from './realism.js';
import type { RequestLogEntry } from './request-log.js';
import type { EmulatorFederation, EmulatorManagedIdentity } from './secretless-credentials.js';
import type { TenantIdentity } from './tenant-identity.js';

/** The in-process emulator's public API (src/emulator/README.md describes it for the other areas). */

export interface EmulatorOptions {
  /**
   * `realistic` (product.md §9.1; the default everywhere: `startEmulator()`, `gatehouse emulator`, `npm run demo`):
   * replication lag, soft-delete semantics, delta disorder, `$batch` out of order, random 429s, strict input,
   * randomised token lifetimes. `exact`: deterministic page and request counts, for tests that count (they say so).
   * `realism` overrides single behaviours on top of the profile.
   */
  profile?: 'realistic' | 'exact';
  /** Single behaviours on top of the profile (README "Realism": behaviour → Microsoft page → option). */
  realism?: Partial<RealismSettings>;
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
  /** `expires_in` of issued tokens (fixed), default 3599 (exact) or 3600–5400 drawn per token (realistic). */
  tokenLifetimeSeconds?: number;
  /** Added latency on every request, default 0. */
  latencyMs?: number;
  /** Generate a directory: N users, M groups (default 0/0: an empty tenant you fill through `directory`). */
  users?: number;
  groups?: number;
  /** Fine-tuning of the generated data (devices, service principals, nesting depth, admins). */
  generate?: Partial<Omit<GenerateOptions, 'users' | 'groups' | 'seed' | 'domain'>>;
  /** Graph throttling as the service does it (facts C.8). Default off. */
  throttling?: boolean | Partial<ThrottleSettings>;
  /** Fraction (0–1) of Graph requests answered 429 with Retry-After (the CLI's --throttle-rate). Default 0. */
  throttleRate?: number;
  /**
   * Serve https instead of http: `true` = a fresh self-signed certificate for localhost, 127.0.0.1 and `host`
   * (its PEM is `emulator.tlsCertificatePem`: trust it with NODE_EXTRA_CA_CERTS or a `ca` option), or your own.
   * Needed when gatehouse reaches the emulator on a non-loopback address (gatehouse allows http only on loopback).
   */
  tls?: true | { certificatePem: string; privateKeyPem: string };
  /** Delta paging knobs; defaults are the real service's (200 objects / 500 member links per page). */
  delta?: Partial<DeltaSettings>;
  /** Change notifications: drop a seeded fraction (`dropRate`) or hold each one (`delayMs`), to prove delta catch-up. */
  notifications?: Partial<NotificationBehaviour>;
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
  /** The server certificate (PEM) when serving https. */
  readonly tlsCertificatePem: string | undefined;
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
  /** Test-side mutations and truth: create/update/disable/delete users and groups, memberships, snapshot. */
  readonly directory: DirectoryApi;
  /** Graph change notifications: subscriptions, deliveries made, dropping and delaying notifications. */
  readonly subscriptions: EmulatorSubscriptions;
  /** Federated identity credentials on apps (workload identity federation): see src/emulator/README.md. */
  readonly federation: EmulatorFederation;
  /** The admin-consent page: registered redirect URIs and the administrator's next decision. */
  readonly consent: EmulatorConsent;
  /** The emulated host's managed identities and the IMDS / App Service endpoints that serve them. */
  readonly managedIdentity: EmulatorManagedIdentity;
  /**
   * Invalidates every delta and skip token issued so far: their next use answers 410 Gone `resyncRequired` with a
   * Location, or (`{ as: 'syncStateNotFound' }`, or realism `expiredDeltaToken`) 400 `syncStateNotFound`.
   */
  expireDeltaTokens(options?: { as?: 'resyncRequired' | 'syncStateNotFound' }): void;
  /** The realism behaviours in force (profile + overrides); `setRealism` changes single ones at run time. */
  readonly realism: Readonly<RealismSettings>;
  setRealism(settings: Partial<RealismSettings>): void;
  /** Makes every write visible to every read now (ends replication lag): for tests that must see their own writes. */
  settle(): Promise<void>;
  /** Changes delta paging knobs (page caps, replay/empty-page quirks, token lifetime). */
  configureDelta(settings: Partial<Omit<DeltaSettings, 'epoch'>>): void;
  /** Turns throttling on or off, or changes its budgets. */
  setThrottling(settings: boolean | Partial<ThrottleSettings>): void;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  readonly faults: EmulatorFaults;
  stop(): Promise<void>;
}
