import type { Connection, ConnectionTokenState } from '../connections/connection.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import type { Clock } from '../core/clock.js';
import { AppError, toAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { decodeTokenClaims } from '../entra/token-claims.js';
import type { AccessToken } from '../entra/token-provider.js';
import { CAPABILITY_NAMES, type CapabilityName, type CapabilityStatus, evaluateCapabilities } from './capabilities.js';
import { checkCredentialExpiry } from './credential-expiry-check.js';
import { type DoctorCheck, type DoctorReport, fromError, passed, skipped } from './doctor-report.js';
import { draftConnections } from './draft-connections.js';
import { runGraphProbes } from './graph-probes.js';
import { checkParameters } from './parameters-check.js';
import { type PermissionPlan, planPermissions } from './permission-plan.js';
import type { DoctorConnections, DoctorEntra } from './ports.js';

export interface ConnectionDoctorOptions {
  readonly connections: DoctorConnections;
  readonly entra: DoctorEntra;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ConnectionTestOptions {
  /** Capabilities the administrator needs: missing permissions for these fail the test instead of warning. */
  readonly require?: readonly CapabilityName[];
  /** `{publicUrl}/consent/callback` of the server, so the plan's consent URL comes back to it. */
  readonly consentRedirectUri?: string;
}

/**
 * The connection test (issue 4): parameters → token (fresh msal application) → permissions (the token's `roles`
 * against each capability) → one Graph probe per capability that has its permissions. Every failure carries a code
 * and a hint. The outcome is recorded on the connection (`connections list` shows it), with the token state.
 * A failed test is a value (`ok: false`), not an error; only an unknown connection throws.
 */
export class ConnectionDoctor {
  constructor(private readonly options: ConnectionDoctorOptions) {}

  async test(nameOrId: string, testOptions: ConnectionTestOptions = {}): Promise<DoctorReport> {
    const { connections, clock } = this.options;
    const connection = await connections.get(nameOrId);
    const testedAt = clock.now();
    const report: DoctorReport = {
      connection: connection.name,
      ok: true,
      testedAt: testedAt.toISOString(),
      checks: [],
      grantedRoles: [],
      capabilities: {},
    };
    const parameters = await checkParameters(connection, connections, testedAt);
    report.checks.push(parameters.check);
    if (parameters.settings) {
      // Runs even after an expiry failure: the stored date may be stale, and Entra's own answer is what counts.
      await this.#tokenAndBeyond(parameters.settings, report, testOptions);
    } else {
      for (const id of ['token', 'permissions', 'graph', 'expiry'] as const) {
        report.checks.push(skipped(id, 'Skipped: the parameters must be fixed first.'));
      }
    }
    report.ok = !report.checks.some((check) => check.status === 'fail');
    await this.#record(connection.id, report);
    return report;
  }

  /**
   * Tests an unsaved connection (the console's dialog before it saves) exactly like a saved one; nothing is
   * recorded. Parameters the connection rules refuse make a failed `parameters` check, as for a saved connection.
   */
  async testDraft(
    build: () => Promise<Connection>,
    name: string,
    testOptions: ConnectionTestOptions = {},
  ): Promise<DoctorReport> {
    let draft: Connection;
    try {
      draft = await build();
    } catch (error) {
      const failure = toAppError(error);
      if (!failure.code.startsWith('CONNECTION_') || failure.code === 'CONNECTION_NOT_FOUND') throw failure;
      return {
        connection: name,
        ok: false,
        testedAt: this.options.clock.now().toISOString(),
        checks: [
          { ...fromError('parameters', failure), hint: failure.uiHint },
          ...(['token', 'permissions', 'graph', 'expiry'] as const).map((id) =>
            skipped(id, 'Skipped: the parameters must be fixed first.'),
          ),
        ],
        grantedRoles: [],
        capabilities: {},
      };
    }
    const doctor = new ConnectionDoctor({
      ...this.options,
      connections: draftConnections(this.options.connections, draft),
    });
    return doctor.test(draft.id, testOptions);
  }

  async #tokenAndBeyond(settings: EntraSettings, report: DoctorReport, testOptions: ConnectionTestOptions) {
    const token = await this.#token(settings, report);
    if (!token) {
      report.checks.push(
        skipped('permissions', 'Skipped: no token.'),
        skipped('graph', 'Skipped: no token.'),
        skipped('expiry', 'Skipped: no token.'),
      );
      return;
    }
    const usable = this.#permissions(settings, token, report, testOptions);
    report.checks.push(await this.#graph(settings, token, usable));
    const expiry = await checkCredentialExpiry(
      settings,
      this.options.entra.graphFor(settings, token.accessToken),
      this.options.clock.now(),
    );
    report.checks.push(expiry.check);
    if (expiry.expiry) report.credentialExpiry = expiry.expiry;
  }

  async #token(settings: EntraSettings, report: DoctorReport): Promise<AccessToken | undefined> {
    const previous = (await this.options.connections.get(settings.connectionId)).tokenState;
    try {
      const token = await this.options.entra.acquireFreshToken(settings);
      const roles = [...(decodeTokenClaims(token.accessToken)?.roles ?? [])];
      report.tokenExpiresAt = token.expiresAt.toISOString();
      report.checks.push(
        passed('token', `Entra ID issued an access token for Microsoft Graph (expires ${report.tokenExpiresAt}).`),
      );
      await this.#recordTokenState(settings, {
        acquiredAt: token.obtainedAt.toISOString(),
        expiresAt: token.expiresAt.toISOString(),
        roles,
      });
      return token;
    } catch (error) {
      const appError = toAppError(error);
      report.checks.push(fromError('token', appError));
      await this.#recordTokenState(settings, {
        ...previous,
        lastErrorCode: appError.code,
        lastErrorAt: this.options.clock.now().toISOString(),
      });
      return undefined;
    }
  }

  /** Decodes `roles` and evaluates every capability; returns the capabilities whose permissions are granted. */
  #permissions(
    settings: EntraSettings,
    token: AccessToken,
    report: DoctorReport,
    testOptions: ConnectionTestOptions,
  ): CapabilityName[] {
    const required = testOptions.require ?? [];
    const plan = () => planFor(settings, report.grantedRoles, testOptions);
    const claims = decodeTokenClaims(token.accessToken);
    report.grantedRoles = [...(claims?.roles ?? [])];
    report.capabilities = evaluateCapabilities(report.grantedRoles);
    const usable = CAPABILITY_NAMES.filter((name) => report.capabilities[name]?.ok);
    if (!claims) {
      report.checks.push({
        id: 'permissions',
        status: 'warn',
        message: 'The access token is not a JWT, so its permissions cannot be read; the Graph probes below decide.',
      });
      return [...CAPABILITY_NAMES];
    }
    if (report.grantedRoles.length === 0) {
      report.checks.push(
        fromError(
          'permissions',
          new AppError('ENTRA_NO_APPLICATION_PERMISSIONS', {
            message: `The token of connection '${settings.connectionName}' carries no application permissions: the app has only Delegated permissions, or admin consent was not granted.`,
            details: { plan: plan() },
          }),
        ),
      );
      return [];
    }
    report.checks.push(permissionsCheck(settings, report.capabilities, usable, required, plan));
    return usable;
  }

  async #graph(settings: EntraSettings, token: AccessToken, usable: CapabilityName[]): Promise<DoctorCheck> {
    if (usable.length === 0) return skipped('graph', 'Skipped: no capability has the permissions it needs.');
    const results = await runGraphProbes(this.options.entra.graphFor(settings, token.accessToken), usable);
    const failedProbe = results.find((result) => !result.ok);
    if (failedProbe?.error) {
      const check = fromError('graph', failedProbe.error);
      return {
        ...check,
        message: `${failedProbe.capability}: ${failedProbe.error.message}`,
        details: { ...check.details, capability: failedProbe.capability },
      };
    }
    return passed('graph', results.map((result) => `${result.capability}: ${result.summary}`).join('; '));
  }

  async #recordTokenState(settings: EntraSettings, state: ConnectionTokenState): Promise<void> {
    await this.options.connections.recordTokenState(settings.connectionId, state).catch((error: unknown) => {
      this.options.logger.warn({ code: toAppError(error).code }, 'could not record token state');
    });
  }

  async #record(connectionId: string, report: DoctorReport): Promise<void> {
    const failed = report.checks.find((check) => check.status === 'fail');
    this.options.logger.info(
      { connection: report.connection, ok: report.ok, code: failed?.code, checks: report.checks.map((c) => c.status) },
      'connection tested',
    );
    await this.options.connections
      .recordTestResult(connectionId, {
        ok: report.ok,
        at: report.testedAt,
        ...(failed?.code ? { code: failed.code } : {}),
        ...(failed ? { message: failed.message } : {}),
        ...(report.credentialExpiry ? { credentialExpiry: report.credentialExpiry } : {}),
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ code: toAppError(error).code }, 'could not record the test result');
      });
  }
}

/** Pass when every capability is usable; warn when some are not; fail when none is, or a required one is not. */
function permissionsCheck(
  settings: EntraSettings,
  capabilities: Partial<Record<CapabilityName, CapabilityStatus>>,
  usable: readonly CapabilityName[],
  required: readonly CapabilityName[],
  plan: () => PermissionPlan,
): DoctorCheck {
  const lacking = CAPABILITY_NAMES.filter((name) => !capabilities[name]?.ok);
  if (lacking.length === 0) return passed('permissions', `Every capability has its permissions: ${usable.join(', ')}.`);
  const missing = Object.fromEntries(lacking.map((name) => [name, capabilities[name]?.missing ?? []]));
  const listing = lacking.map((name) => `${name} needs ${(capabilities[name]?.missing ?? []).join(' + ')}`).join('; ');
  const fail = usable.length === 0 || required.some((name) => lacking.includes(name));
  const error = new AppError('ENTRA_MISSING_PERMISSIONS', {
    message: `Connection '${settings.connectionName}' ${usable.length > 0 ? `can ${usable.join(', ')}, but ` : ''}${listing}.`,
    // The plan (`gatehouse connections permissions`) says exactly what to add and how.
    details: { missing, plan: plan() },
  });
  return fromError('permissions', error, fail ? 'fail' : 'warn');
}

/** The permission plan for the required capabilities (default all), against the roles this test's token carried. */
function planFor(
  settings: EntraSettings,
  grantedRoles: readonly string[],
  options: ConnectionTestOptions,
): PermissionPlan {
  const required = options.require ?? [];
  return planPermissions({
    connection: settings.connectionName,
    clientId: settings.clientId,
    tenantId: settings.tenantId,
    cloud: settings.cloud,
    authorityHost: settings.authorityHost,
    credentialKind: settings.credential.kind,
    grantedRoles,
    ...(required.length > 0 ? { capabilities: required } : {}),
    ...(options.consentRedirectUri ? { consentRedirectUri: options.consentRedirectUri } : {}),
  });
}
