import { AppError, isAppError } from '../core/errors.js';
import type { ActionDefinition } from './action.js';
import { describeSets, missingFrom, satisfies } from './permissions.js';
import type { ActionConnection } from './ports.js';

const API_PERMISSIONS = 'Azure portal > Microsoft Entra ID > App registrations > your app > API permissions';

/**
 * Graph answers 403 Authorization_RequestDenied both when the app lacks an application permission and when it has
 * it but the target is protected (an administrator, a role-assignable group). The token's roles tell the two apart;
 * the action's own permission sets name exactly what to add.
 */
export async function explainForbidden(
  error: unknown,
  action: ActionDefinition,
  connection: ActionConnection,
  target: string | undefined,
): Promise<unknown> {
  if (!isAppError(error) || error.code !== 'GRAPH_INSUFFICIENT_PRIVILEGES' || action.permissions.length === 0) {
    return error;
  }
  const roles = await connection.grantedRoles().catch(() => undefined);
  if (roles !== undefined && satisfies(roles, action.permissions) && action.write) {
    const special = action.refusedDespitePermissions;
    if (special) {
      return new AppError('GRAPH_PROTECTED_OBJECT', {
        message: `Entra refused ${action.name} on '${target ?? 'the object'}': ${special.message}`,
        hint: special.hint,
        details: { ...error.details, action: action.name, grantedRoles: roles },
        cause: error,
      });
    }
    return new AppError('GRAPH_PROTECTED_OBJECT', {
      message: `Entra refused ${action.name} on '${target ?? 'the object'}' although the app holds ${describeSets(action.permissions)}: the object is protected (an administrator or a role-assignable group).`,
      hint: 'Entra lets only a caller with a suitable directory role (e.g. Privileged Authentication Administrator or User Administrator for admins, RoleManagement.ReadWrite.Directory for role-assignable groups) change it. Change it in the Azure portal, or grant the app such a role.',
      details: { ...error.details, action: action.name, grantedRoles: roles },
      cause: error,
    });
  }
  if (roles !== undefined && roles.length === 0) {
    // The seed's second tip: only Delegated permissions, or Application permissions without admin consent.
    return new AppError('ENTRA_NO_APPLICATION_PERMISSIONS', {
      message: `Connection '${connection.name}' has a token without application permissions; ${action.name} needs ${describeSets(action.permissions)}.`,
      hint: `Add the Application (not Delegated) permission ${(action.permissions[0] ?? []).join(' and ')} under ${API_PERMISSIONS}, then click "Grant admin consent".`,
      details: { ...error.details, action: action.name, requiredPermissions: action.permissions, grantedRoles: [] },
      cause: error,
    });
  }
  const missing = roles === undefined ? [...(action.permissions[0] ?? [])] : missingFrom(roles, action.permissions);
  return new AppError('GRAPH_INSUFFICIENT_PRIVILEGES', {
    message: `Connection '${connection.name}' may not run ${action.name}: it needs the application permission ${describeSets(action.permissions)}.`,
    hint: `Add the Application permission ${missing.join(' and ')} under ${API_PERMISSIONS}, click "Grant admin consent", then retry (new tokens carry it).`,
    details: {
      ...error.details,
      action: action.name,
      requiredPermissions: action.permissions,
      missingPermissions: missing,
      ...(roles === undefined ? {} : { grantedRoles: roles }),
    },
    cause: error,
  });
}
