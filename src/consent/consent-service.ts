import { createHash, randomBytes } from 'node:crypto';
import type { AuditOrigin } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/ports.js';
import type { Connection } from '../connections/connection.js';
import { credentialKindOf } from '../connections/entra-id/credential-kind.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { planForConnection } from '../doctor/connection-permission-plan.js';
import type { DoctorReport } from '../doctor/doctor-report.js';
import type { ConsentRequestStore } from './ports.js';

/** A round trip not completed within this long is refused (the administrator starts again). */
const STATE_LIFETIME_MS = 15 * 60_000;

export interface ConsentServiceOptions {
  readonly store: ConsentRequestStore;
  readonly connections: { get(nameOrId: string): Promise<Connection> };
  readonly audit: AuditLog;
  /** Re-runs the connection test after the callback (the doctor). */
  readonly test: (connectionName: string) => Promise<DoctorReport>;
  readonly clock: Clock;
  /** `{publicUrl}/consent/callback`; unset = the round trip is not available. */
  readonly redirectUri?: string;
  /** Random state (tests inject nothing: the default is 32 random bytes). */
  readonly newState?: () => string;
}

/** The query Entra sends back (facts G.3), as strings; anything else is ignored. */
export interface ConsentCallbackQuery {
  readonly state?: string;
  readonly admin_consent?: string;
  readonly tenant?: string;
  readonly scope?: string;
  readonly error?: string;
  readonly error_description?: string;
}

export interface ConsentOutcome {
  readonly connection: string;
  readonly granted: boolean;
  /** Entra's `error` when not granted. */
  readonly error?: string;
  /** The connection test run right after the callback. */
  readonly report: DoctorReport;
}

export interface ConsentActor {
  readonly actor: string;
  readonly origin: AuditOrigin;
}

/**
 * The admin-consent round trip (product.md section 9.3, facts G.3): gatehouse sends the administrator to the v2
 * admin-consent endpoint with a single-use `state`, Entra redirects back to `/consent/callback`, gatehouse checks the
 * state, records `admin_consent` or `error` in the audit log and re-runs the connection test, whose token's roles are
 * the only proof of what was granted (Microsoft: never trust the callback's `tenant` for authorization).
 */
export class ConsentService {
  constructor(private readonly options: ConsentServiceOptions) {}

  get available(): boolean {
    return this.options.redirectUri !== undefined;
  }

  /** A consent URL carrying a fresh state, remembered (hashed) for 15 minutes. */
  async start(connectionName: string, by: ConsentActor): Promise<{ url: string; expiresAt: string }> {
    const redirectUri = this.options.redirectUri;
    if (!redirectUri) throw new AppError('CONSENT_PUBLIC_URL_REQUIRED');
    const connection = await this.options.connections.get(connectionName);
    if (credentialKindOf(new Set(connection.parameters.map((p) => p.key))) === 'managedIdentity') {
      throw new AppError('CONSENT_NOT_APPLICABLE', {
        message: `Connection '${connection.name}' uses a managed identity, which has no app registration to consent to.`,
        details: { connection: connection.name },
      });
    }
    const plan = planForConnection(connection, { consentRedirectUri: redirectUri });
    const state = (this.options.newState ?? (() => randomBytes(32).toString('base64url')))();
    const now = this.options.clock.now();
    const expiresAt = new Date(now.getTime() + STATE_LIFETIME_MS);
    await this.options.store.save({
      stateHash: hashState(state),
      connectionId: connection.id,
      requestedBy: by.actor,
      createdAt: now,
      expiresAt,
    });
    const url = new URL(plan.adminConsentUrl ?? '');
    url.searchParams.set('state', state);
    await this.options.audit.record({
      ...by,
      connection: connection.name,
      action: 'connection.consent.start',
      result: 'succeeded',
      details: { clientId: plan.clientId },
    });
    return { url: url.toString(), expiresAt: expiresAt.toISOString() };
  }

  /**
   * Handles Entra's redirect. `error` is checked first: Entra sends `admin_consent=True` on errors too (facts G.3).
   * A missing, unknown, used or expired state is refused before anything else is looked at.
   */
  async complete(query: ConsentCallbackQuery, origin: AuditOrigin): Promise<ConsentOutcome> {
    const now = this.options.clock.now();
    const request = query.state ? await this.options.store.take(hashState(query.state), now) : undefined;
    if (!request) {
      const error = new AppError('CONSENT_STATE_INVALID');
      await this.options.audit.record({
        actor: 'anonymous',
        origin,
        action: 'connection.consent',
        target: 'callback',
        result: 'failed',
        errorCode: error.code,
        details: { statePresent: query.state !== undefined },
      });
      throw error;
    }
    const connection = await this.options.connections.get(request.connectionId);
    const by = { actor: request.requestedBy, origin };
    const tenant = query.tenant ? { tenant: query.tenant.slice(0, 100) } : {};
    if (query.error || query.admin_consent?.toLowerCase() !== 'true') {
      const error = query.error?.slice(0, 100) ?? 'admin_consent_missing';
      await this.options.audit.record({
        ...by,
        connection: connection.name,
        action: 'connection.consent',
        result: 'failed',
        errorCode: 'CONSENT_DENIED',
        details: {
          error,
          ...(query.error_description ? { description: firstLine(query.error_description) } : {}),
          ...tenant,
        },
      });
      return { connection: connection.name, granted: false, error, report: await this.options.test(connection.name) };
    }
    const report = await this.options.test(connection.name);
    await this.options.audit.record({
      ...by,
      connection: connection.name,
      action: 'connection.consent',
      result: 'succeeded',
      details: {
        adminConsent: true,
        ...tenant,
        ...(query.scope ? { scope: query.scope.slice(0, 500) } : {}),
        testOk: report.ok,
      },
    });
    return { connection: connection.name, granted: true, report };
  }
}

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

/** Entra's description ends with trace and correlation ids on further lines; the first line says what happened. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').slice(0, 300);
}
