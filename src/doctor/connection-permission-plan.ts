import { type Connection, findParameter } from '../connections/connection.js';
import { CLOUDS, type CloudName } from '../connections/entra-id/clouds.js';
import { credentialKindOf } from '../connections/entra-id/credential-kind.js';
import { AppError } from '../core/errors.js';
import type { CapabilityName } from './capabilities.js';
import { type PermissionPlan, planPermissions } from './permission-plan.js';

export interface ConnectionPlanOptions {
  readonly capabilities?: readonly CapabilityName[];
  /** `{publicUrl}/consent/callback` when the server serves the admin-consent redirect. */
  readonly consentRedirectUri?: string;
  /** Roles to compare with; default: those of the connection's last token (recorded by the last test). */
  readonly grantedRoles?: readonly string[];
}

function plain(connection: Connection, key: string): string | undefined {
  const parameter = findParameter(connection, key);
  return parameter && !parameter.secret ? parameter.value : undefined;
}

/**
 * The permission plan of a stored EntraID connection. Reads only plain parameters (no secret is decrypted) and the
 * roles the last token carried, so a viewer may ask for it.
 */
export function planForConnection(connection: Connection, options: ConnectionPlanOptions = {}): PermissionPlan {
  const tenantId = plain(connection, 'TenantID');
  const clientId = plain(connection, 'ClientID');
  if (connection.type !== 'EntraID' || !tenantId || !clientId) {
    throw new AppError('CONNECTION_MISSING_PARAMETER', {
      message: `Connection '${connection.name}' needs TenantID and ClientID before its permissions can be planned.`,
      details: { connection: connection.name },
    });
  }
  const cloud = (plain(connection, 'Cloud') ?? 'Global') as CloudName;
  return planPermissions({
    connection: connection.name,
    clientId,
    tenantId,
    cloud,
    authorityHost: plain(connection, 'AuthorityHost') ?? CLOUDS[cloud].authorityHost,
    credentialKind: credentialKindOf(new Set(connection.parameters.map((p) => p.key))) ?? 'secret',
    grantedRoles: options.grantedRoles ?? connection.tokenState?.roles ?? [],
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    ...(options.consentRedirectUri ? { consentRedirectUri: options.consentRedirectUri } : {}),
  });
}
