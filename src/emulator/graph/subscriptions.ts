import type { Clock } from '../../core/clock.js';
import type { Change } from '../change-log.js';
import type { DirectoryState } from '../directory-state.js';
import type { EmulatorRequest } from '../emulator-http.js';
import { randomGuid } from '../seeded-ids.js';
import { SeededRandom } from '../seeded-random.js';
import type { TenantIdentity } from '../tenant-identity.js';
import type { AccessTokenClaims } from '../token-signer.js';
import type { RouteResult } from './graph-context.js';
import { GraphError } from './graph-error.js';
import { type Requirement, satisfies } from './permissions.js';

/**
 * Microsoft Graph change notifications for `users` and `groups` over webhooks, as the service documents them:
 *
 * - subscription resource (changeType, clientState ≤ 128, expiry, quotas):
 *   https://learn.microsoft.com/graph/api/resources/subscription — "User and group change notifications support
 *   updated and deleted changeType. Use updated to receive notifications when user or group is created, updated, or
 *   soft deleted. Use deleted to receive notifications when user or group is permanently deleted." Maximum lifetime
 *   for users and groups: 41,760 minutes (under 29 days).
 * - delivery and the validation handshake (POST notificationUrl?validationToken=…, 200 text/plain echo within 10 s,
 *   else the create fails with 400): https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 * - lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed) to lifecycleNotificationUrl:
 *   https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 *
 * Facts and what is unconfirmed: ../../../shared/reference/entra-graph-facts-2.md section F (in the workspace).
 * Where Graph's exact wording is unknown the emulator's messages say so in a comment.
 */

/** Longest subscription Graph grants on directory resources (users, groups): 41,760 minutes. */
export const MAX_DIRECTORY_SUBSCRIPTION_MINUTES = 41_760;
/** Shorter requests are silently raised to request time + 45 minutes (facts F.1). */
const MIN_SUBSCRIPTION_MINUTES = 45;
/** The validation request must be answered within 10 seconds. */
const VALIDATION_TIMEOUT_MS = 10_000;
/** Per app and tenant, per resource kind (facts F.1 quotas). */
const PER_APP_TENANT_QUOTA = 100;
/** Notifications raised within this window go to one URL in one POST (Graph batches too). */
const BATCH_WINDOW_MS = 25;
/** A notification POST that gets no answer within 10 s is retried (Graph's retry timeout). */
const DELIVERY_TIMEOUT_MS = 10_000;
/** Graph retries failed deliveries for up to 4 h; the emulator gives up after these waits. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000];
/** A subscription this close to expiry gets one reauthorizationRequired lifecycle notification. */
const REAUTHORIZE_BEFORE_MS = 60 * 60_000;

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
type ResourceKind = 'user' | 'group';

interface StoredSubscription {
  id: string;
  resource: string;
  kind: ResourceKind;
  /** A single object (`/users/{id}`), or every object of the kind. */
  objectId: string | undefined;
  changeTypes: Set<string>;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: Date;
  applicationId: string;
  latestSupportedTlsVersion: string;
  reauthorizationSent: boolean;
}

/** One POST the emulator made (or skipped) to a subscriber: for tests that prove catch-up after drops. */
export interface NotificationDelivery {
  readonly time: string;
  readonly kind: 'validation' | 'change' | 'lifecycle';
  readonly url: string;
  readonly subscriptionIds: readonly string[];
  /** Items in the POST (change notifications or lifecycle notifications). */
  readonly items: number;
  /** HTTP status of the last attempt; undefined when it failed without one or was dropped. */
  readonly status?: number;
  readonly attempts: number;
  /** Dropped on purpose (`dropNext`, `dropRate`): never sent, as Graph drops notifications when throttled. */
  readonly dropped?: boolean;
  readonly error?: string;
}

export interface NotificationBehaviour {
  /** Fraction (0–1) of change notifications dropped, seeded (default 0). */
  dropRate: number;
  /** Every change notification is held this long before it is sent (default 0). */
  delayMs: number;
}

/** `emulator.subscriptions`: the change-notification side of the tenant. */
export interface EmulatorSubscriptions {
  /** Live subscriptions (expired ones are gone), as Graph returns them. */
  list(): Record<string, unknown>[];
  /** Every validation request, change and lifecycle notification POST, oldest first. */
  deliveries(): NotificationDelivery[];
  /** Drops the next `count` change notifications (items), as Graph does when it throttles a slow endpoint. */
  dropNext(count: number): void;
  /** Drops this fraction (0–1) of change notifications, seeded. */
  setDropRate(rate: number): void;
  /** Holds every change notification this long before sending it. */
  setDelay(ms: number): void;
  /** Sends a lifecycle notification for the subscription now (to its lifecycleNotificationUrl). */
  sendLifecycle(id: string, event: LifecycleEvent): Promise<void>;
  /** Removes a subscription as the service may; with a lifecycleNotificationUrl, sends `subscriptionRemoved`. */
  remove(id: string): Promise<void>;
  /** Expires subscriptions whose time has passed on the emulator's clock and sends due reauthorization challenges. */
  tick(): Promise<void>;
  /** Resolves when every notification raised so far was delivered, retried out or dropped. */
  flush(): Promise<void>;
}

/** Application permissions accepted per resource (Create subscription, permissions table; facts F.2). */
const RESOURCE_PERMISSIONS: Record<ResourceKind, Requirement> = {
  // facts F.2: User.Read.All for /users; Group.Read.All for /groups — GroupMember.Read.All is not listed. Higher
  // read (Directory.Read.All) and the ReadWrite forms are accepted here ("may be refused" is unconfirmed).
  user: [['User.Read.All'], ['User.ReadWrite.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']],
  group: [['Group.Read.All'], ['Group.ReadWrite.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']],
};

const CHANGE_TYPES = new Set(['created', 'updated', 'deleted']);
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

const invalidRequest = (message: string) => new GraphError(400, 'InvalidRequest', message);
const notFound = (id: string) =>
  // Graph's wording for a missing subscription is not documented; a 404 is (facts F.6).
  new GraphError(404, 'ResourceNotFound', `The subscription '${id}' was not found.`);

export interface SubscriptionHubDeps {
  readonly dir: DirectoryState;
  readonly tenant: TenantIdentity;
  readonly clock: Clock;
  readonly seed: string;
  readonly behaviour?: Partial<NotificationBehaviour>;
  /** The transport (default: global fetch). */
  readonly fetch?: typeof fetch;
}

/**
 * Subscriptions, the validation handshake, change notifications after directory writes and lifecycle
 * notifications. In-memory like the rest of the emulator.
 */
export class SubscriptionHub {
  private readonly subscriptions = new Map<string, StoredSubscription>();
  private readonly log: NotificationDelivery[] = [];
  private readonly batches = new Map<string, { items: Record<string, unknown>[]; subscriptionIds: Set<string> }>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly random: SeededRandom;
  private readonly behaviour: NotificationBehaviour;
  private readonly send: typeof fetch;
  private dropCount = 0;

  constructor(private readonly deps: SubscriptionHubDeps) {
    this.random = new SeededRandom(`${deps.seed}/notifications`);
    this.behaviour = { dropRate: 0, delayMs: 0, ...deps.behaviour };
    this.send = deps.fetch ?? fetch;
    deps.dir.changes.onAppend((change) => this.onChange(change));
  }

  /** The test-side API (`emulator.subscriptions`). */
  api(): EmulatorSubscriptions {
    return {
      list: () => {
        this.expire();
        return [...this.subscriptions.values()].map((s) => this.view(s));
      },
      deliveries: () => [...this.log],
      dropNext: (count) => {
        this.dropCount += count;
      },
      setDropRate: (rate) => {
        this.behaviour.dropRate = rate;
      },
      setDelay: (ms) => {
        this.behaviour.delayMs = ms;
      },
      sendLifecycle: async (id, event) => {
        const sub = this.subscriptions.get(id);
        if (!sub) throw new Error(`emulator: no subscription ${id}`);
        await this.track(this.lifecycle(sub, event));
      },
      remove: async (id) => {
        const sub = this.subscriptions.get(id);
        if (!sub) return;
        this.subscriptions.delete(id);
        await this.track(this.lifecycle(sub, 'subscriptionRemoved'));
      },
      tick: async () => {
        this.expire();
        await this.challengeNearExpiry();
      },
      flush: async () => {
        while (this.batches.size > 0 || this.inFlight.size > 0) {
          await Promise.all([...this.inFlight]);
          if (this.batches.size > 0) await new Promise((r) => setTimeout(r, BATCH_WINDOW_MS));
        }
      },
    };
  }

  /** `/v1.0/subscriptions[/{id}[/reauthorize]]` for an authenticated caller. */
  route(
    req: EmulatorRequest,
    segments: readonly string[],
    claims: AccessTokenClaims,
  ): RouteResult | Promise<RouteResult> {
    this.expire();
    const [, id, action, extra] = segments;
    const root = `${req.url.origin}/v1.0`;
    const roles = claims.roles ?? [];
    if (!id) {
      if (req.method === 'POST') return this.create(req, claims.appid, roles, root);
      if (req.method === 'GET') {
        // App-only: only the subscriptions this app created (facts F.2).
        const value = [...this.subscriptions.values()].filter((s) => s.applicationId === claims.appid);
        return {
          status: 200,
          body: { '@odata.context': `${root}/$metadata#subscriptions`, value: value.map((s) => this.view(s)) },
        };
      }
      throw methodNotAllowed();
    }
    const sub = this.subscriptions.get(id);
    if (!sub || sub.applicationId !== claims.appid) throw notFound(id);
    if (action === 'reauthorize' && !extra) {
      if (req.method !== 'POST') throw methodNotAllowed();
      this.requireRead(roles, sub.kind);
      sub.reauthorizationSent = false;
      return { status: 204 };
    }
    if (action) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${action}'.`);
    if (req.method === 'GET') return { status: 200, body: this.entity(sub, root) };
    if (req.method === 'DELETE') {
      this.subscriptions.delete(id);
      return { status: 204 };
    }
    if (req.method === 'PATCH') return this.update(req, sub, roles, root);
    throw methodNotAllowed();
  }

  private async create(
    req: EmulatorRequest,
    appId: string,
    roles: readonly string[],
    root: string,
  ): Promise<RouteResult> {
    const body = jsonBody(req);
    const changeType = requiredString(body, 'changeType');
    const changeTypes = new Set(changeType.split(',').map((t) => t.trim()));
    for (const type of changeTypes) {
      if (!CHANGE_TYPES.has(type))
        throw invalidRequest(`'${type}' is not a valid changeType: use created, updated or deleted.`);
    }
    const { kind, objectId, resource } = parseResource(requiredString(body, 'resource'));
    this.requireRead(roles, kind);
    const notificationUrl = checkUrl(requiredString(body, 'notificationUrl'), 'notificationUrl');
    const lifecycleRaw = body.lifecycleNotificationUrl;
    const lifecycleNotificationUrl =
      typeof lifecycleRaw === 'string' && lifecycleRaw ? checkUrl(lifecycleRaw, 'lifecycleNotificationUrl') : null;
    const clientState = typeof body.clientState === 'string' ? body.clientState : null;
    if (clientState && clientState.length > 128)
      throw invalidRequest('clientState must not be longer than 128 characters.');
    const expirationDateTime = this.checkExpiration(requiredString(body, 'expirationDateTime'));
    const mine = [...this.subscriptions.values()].filter((s) => s.applicationId === appId && s.kind === kind);
    const twin = mine.find(
      (s) => s.resource === resource && s.changeType === changeType && s.notificationUrl === notificationUrl,
    );
    if (twin)
      throw new GraphError(409, 'Conflict', `Subscription Id ${twin.id} already exists for the requested combination`);
    if (mine.length >= PER_APP_TENANT_QUOTA)
      throw new GraphError(
        403,
        'ExtensionError',
        // The message names the limit (facts F.1); exact wording unconfirmed.
        `Operation: Create; Exception: [Status Code: Forbidden; Reason: The limit of ${PER_APP_TENANT_QUOTA} subscriptions per app and tenant for ${kind}s was reached.]`,
      );
    await this.validateEndpoint(notificationUrl);
    if (lifecycleNotificationUrl) await this.validateEndpoint(lifecycleNotificationUrl);
    const sub: StoredSubscription = {
      id: randomGuid(),
      resource,
      kind,
      objectId,
      changeTypes,
      changeType,
      notificationUrl,
      lifecycleNotificationUrl,
      clientState,
      expirationDateTime,
      applicationId: appId,
      latestSupportedTlsVersion:
        typeof body.latestSupportedTlsVersion === 'string' ? body.latestSupportedTlsVersion : 'v1_2',
      reauthorizationSent: false,
    };
    this.subscriptions.set(sub.id, sub);
    return { status: 201, body: this.entity(sub, root) };
  }

  private async update(
    req: EmulatorRequest,
    sub: StoredSubscription,
    roles: readonly string[],
    root: string,
  ): Promise<RouteResult> {
    this.requireRead(roles, sub.kind);
    const body = jsonBody(req);
    if (body.lifecycleNotificationUrl !== undefined)
      // facts F.5: lifecycleNotificationUrl cannot be added by PATCH; delete and recreate.
      throw invalidRequest('lifecycleNotificationUrl cannot be updated. Delete the subscription and create a new one.');
    const expiration =
      typeof body.expirationDateTime === 'string' ? this.checkExpiration(body.expirationDateTime) : undefined;
    let notificationUrl: string | undefined;
    if (typeof body.notificationUrl === 'string' && body.notificationUrl !== sub.notificationUrl) {
      notificationUrl = checkUrl(body.notificationUrl, 'notificationUrl');
      await this.validateEndpoint(notificationUrl);
    }
    if (!this.subscriptions.has(sub.id)) throw notFound(sub.id);
    if (expiration) sub.expirationDateTime = expiration;
    if (notificationUrl) sub.notificationUrl = notificationUrl;
    // Renewing refreshes the subscription's authorization (facts F.4, F.5).
    sub.reauthorizationSent = false;
    return { status: 200, body: this.entity(sub, root) };
  }

  private requireRead(roles: readonly string[], kind: ResourceKind): void {
    if (!satisfies(roles, RESOURCE_PERMISSIONS[kind]))
      throw new GraphError(
        403,
        'ExtensionError',
        'Operation: Create; Exception: [Status Code: Forbidden; Reason: Insufficient privileges to complete the operation.]',
      );
  }

  private checkExpiration(text: string): Date {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw invalidRequest(`expirationDateTime '${text}' is not a date and time.`);
    const now = this.deps.clock.nowMs();
    if (at.getTime() - now > MAX_DIRECTORY_SUBSCRIPTION_MINUTES * 60_000)
      // Graph's wording for mail (4230) seen in 2018; the directory limit is 41,760 minutes (facts F.1).
      throw new GraphError(
        400,
        'ExtensionError',
        `Subscription expiration can only be ${MAX_DIRECTORY_SUBSCRIPTION_MINUTES} minutes in the future.`,
      );
    if (at.getTime() <= now) throw invalidRequest('Subscription expiration must be in the future.');
    const minimum = now + MIN_SUBSCRIPTION_MINUTES * 60_000;
    return at.getTime() < minimum ? new Date(minimum) : at;
  }

  /** POST url?validationToken=… and require 200, text/plain, the decoded token as the body, within 10 s. */
  private async validateEndpoint(url: string): Promise<void> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomGuid()}`;
    const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
    let status: number | undefined;
    let error: string | undefined;
    try {
      const response = await this.post(target, 'text/plain; charset=utf-8', '', VALIDATION_TIMEOUT_MS);
      status = response.status;
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      if (status !== 200) error = `answered ${status}`;
      else if (!type.toLowerCase().startsWith('text/plain'))
        error = `answered with Content-Type '${type}', not text/plain`;
      else if (text !== token) error = 'did not echo the decoded validation token';
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    this.record({
      kind: 'validation',
      url,
      subscriptionIds: [],
      items: 0,
      status,
      attempts: 1,
      ...(error ? { error } : {}),
    });
    if (error)
      // Body seen from the service (facts F.1, [Obs]).
      throw invalidRequest(
        'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
      );
  }

  private onChange(change: Change): void {
    if (this.subscriptions.size === 0) return;
    const obj = this.deps.dir.objects[change.ix];
    if (!obj || (obj.kind !== 'user' && obj.kind !== 'group')) return;
    // Creation, update, soft delete and membership changes are `updated`; only a permanent delete is `deleted`.
    const changeType = change.op === 'removed' && change.reason === 'deleted' ? 'deleted' : 'updated';
    this.expire();
    for (const sub of this.subscriptions.values()) {
      if (sub.kind !== obj.kind || !sub.changeTypes.has(changeType)) continue;
      if (sub.objectId && sub.objectId.toLowerCase() !== obj.id.toLowerCase()) continue;
      if (this.shouldDrop()) {
        this.record({
          kind: 'change',
          url: sub.notificationUrl,
          subscriptionIds: [sub.id],
          items: 1,
          attempts: 0,
          dropped: true,
        });
        continue;
      }
      const type = obj.kind === 'user' ? 'User' : 'Group';
      const path = `${type}s/${obj.id}`;
      this.enqueue(sub, {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: graphOffsetDate(sub.expirationDateTime),
        changeType,
        ...(sub.clientState !== null ? { clientState: sub.clientState } : {}),
        tenantId: this.deps.tenant.id,
        resource: path,
        resourceData: {
          '@odata.type': `#Microsoft.Graph.${type}`,
          '@odata.id': path,
          id: obj.id,
          organizationId: this.deps.tenant.id,
        },
      });
    }
  }

  private shouldDrop(): boolean {
    if (this.dropCount > 0) {
      this.dropCount--;
      return true;
    }
    return this.behaviour.dropRate > 0 && this.random.next() < this.behaviour.dropRate;
  }

  private enqueue(sub: StoredSubscription, item: Record<string, unknown>): void {
    const url = sub.notificationUrl;
    let batch = this.batches.get(url);
    if (!batch) {
      batch = { items: [], subscriptionIds: new Set() };
      this.batches.set(url, batch);
      const timer = setTimeout(() => {
        const due = this.batches.get(url);
        this.batches.delete(url);
        if (due) void this.track(this.deliver('change', url, [...due.subscriptionIds], due.items));
      }, BATCH_WINDOW_MS + this.behaviour.delayMs);
      timer.unref();
    }
    batch.items.push(item);
    batch.subscriptionIds.add(sub.id);
  }

  private lifecycle(sub: StoredSubscription, event: LifecycleEvent): Promise<void> {
    if (!sub.lifecycleNotificationUrl) return Promise.resolve();
    const item = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: graphOffsetDate(sub.expirationDateTime),
      tenantId: this.deps.tenant.id,
      ...(sub.clientState !== null ? { clientState: sub.clientState } : {}),
      lifecycleEvent: event,
    };
    return this.deliver('lifecycle', sub.lifecycleNotificationUrl, [sub.id], [item]);
  }

  /** POSTs `{ value: items }`; 2xx is delivered, anything else is retried a few times (Graph: for up to 4 h). */
  private async deliver(
    kind: 'change' | 'lifecycle',
    url: string,
    subscriptionIds: string[],
    items: Record<string, unknown>[],
  ): Promise<void> {
    const payload = JSON.stringify({ value: items });
    let status: number | undefined;
    let error: string | undefined;
    let attempts = 0;
    for (const wait of [0, ...RETRY_DELAYS_MS]) {
      if (wait) await new Promise((r) => setTimeout(r, wait).unref());
      attempts++;
      try {
        const response = await this.post(url, 'application/json; charset=utf-8', payload, DELIVERY_TIMEOUT_MS);
        await response.arrayBuffer();
        status = response.status;
        error = status >= 200 && status < 300 ? undefined : `answered ${status}`;
      } catch (cause) {
        status = undefined;
        error = cause instanceof Error ? cause.message : String(cause);
      }
      if (!error) break;
    }
    this.record({ kind, url, subscriptionIds, items: items.length, status, attempts, ...(error ? { error } : {}) });
  }

  private async post(url: string, contentType: string, body: string, timeoutMs: number): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }

  private expire(): void {
    const now = this.deps.clock.nowMs();
    for (const [id, sub] of this.subscriptions) {
      if (sub.expirationDateTime.getTime() <= now) this.subscriptions.delete(id);
    }
  }

  private async challengeNearExpiry(): Promise<void> {
    const now = this.deps.clock.nowMs();
    const due = [...this.subscriptions.values()].filter(
      (s) => !s.reauthorizationSent && s.expirationDateTime.getTime() - now <= REAUTHORIZE_BEFORE_MS,
    );
    for (const sub of due) sub.reauthorizationSent = true;
    await Promise.all(due.map((sub) => this.track(this.lifecycle(sub, 'reauthorizationRequired'))));
  }

  private record(entry: Omit<NotificationDelivery, 'time'>): void {
    this.log.push({ time: this.deps.clock.now().toISOString(), ...entry });
    if (this.log.length > 10_000) this.log.splice(0, 1_000);
  }

  private view(sub: StoredSubscription): Record<string, unknown> {
    return {
      id: sub.id,
      resource: sub.resource,
      applicationId: sub.applicationId,
      changeType: sub.changeType,
      clientState: sub.clientState,
      notificationUrl: sub.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
      expirationDateTime: `${sub.expirationDateTime.toISOString().slice(0, 19)}Z`,
      creatorId: sub.applicationId,
      includeResourceData: null,
      latestSupportedTlsVersion: sub.latestSupportedTlsVersion,
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
    };
  }

  private entity(sub: StoredSubscription, root: string): Record<string, unknown> {
    return { '@odata.context': `${root}/$metadata#subscriptions/$entity`, ...this.view(sub) };
  }
}

function methodNotAllowed(): GraphError {
  return new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
}

function jsonBody(req: EmulatorRequest): Record<string, unknown> {
  const text = req.body.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload.');
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '') throw invalidRequest(`${name} is a required property.`);
  return value.trim();
}

/** `/users`, `users`, `/users/{id}`, `/groups`, `/groups/{id}` (no base URL, facts F.1). */
function parseResource(text: string): { kind: ResourceKind; objectId: string | undefined; resource: string } {
  if (/^https?:/i.test(text)) throw invalidRequest(`Resource '${text}' must not include the base URL.`);
  const parts = text.replace(/^\/+/, '').split('/').filter(Boolean);
  const [root, id, more] = parts;
  if ((root === 'users' || root === 'groups') && !more)
    return { kind: root === 'users' ? 'user' : 'group', objectId: id, resource: text };
  // The emulator only offers users and groups; Graph supports many more resources.
  throw invalidRequest(`Resource '${text}' is not supported by the emulator: use /users, /groups or one of their ids.`);
}

/** https, or http on a loopback address (the emulator's tests); Graph itself requires https. */
function checkUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidRequest(`${name} '${text}' is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname)))
    throw invalidRequest(`${name} must use https.`);
  return text;
}

/** `2026-12-20T10:00:00+00:00`, the format of subscriptionExpirationDateTime in notifications. */
function graphOffsetDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}
