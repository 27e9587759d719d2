import type { CloudName } from '../connections/entra-id/clouds.js';
import { graphScope } from '../connections/entra-id/clouds.js';
import type { CredentialKind } from '../connections/entra-id/credential-kind.js';
import {
  CAPABILITIES,
  CAPABILITY_NAMES,
  type CapabilityName,
  PERMISSION_REQUIREMENTS,
  type PermissionRequirement,
} from './capabilities.js';
import { graphAppRoleId, MICROSOFT_GRAPH_APP_ID } from './graph-app-roles.js';

/** One permission of the plan: the Graph application permission, its app role id, and whether the token has it. */
export interface PlannedPermission {
  readonly value: string;
  readonly id: string;
  readonly type: 'Role';
  /** The last token of the connection carries this role. */
  readonly granted: boolean;
  /** The chosen capabilities this permission serves. */
  readonly neededBy: CapabilityName[];
}

export interface RequiredResourceAccess {
  readonly resourceAppId: string;
  readonly resourceAccess: { readonly id: string; readonly type: 'Role' }[];
}

/** `gatehouse connections permissions --json` (product.md section 9.3), exactly. */
export interface PermissionPlan {
  readonly connection: string;
  readonly clientId: string;
  readonly capabilities: CapabilityName[];
  readonly permissions: PlannedPermission[];
  readonly requiredResourceAccess: RequiredResourceAccess[];
  /** Tenant-specific admin-consent URL; null for a managed identity (it has no app registration to consent to). */
  readonly adminConsentUrl: string | null;
  readonly commands: { readonly azureCli: string[]; readonly powershell: string[] };
}

export interface PermissionPlanInput {
  readonly connection: string;
  readonly clientId: string;
  readonly tenantId: string;
  readonly cloud: CloudName;
  /** Origin of the login host: the cloud's, or the AuthorityHost override (the emulator serves consent too). */
  readonly authorityHost: string;
  readonly credentialKind: CredentialKind;
  /** The `roles` of the connection's last token (empty when never tested). */
  readonly grantedRoles: readonly string[];
  /** Default: every capability of product.md section 6. */
  readonly capabilities?: readonly CapabilityName[];
  /**
   * Where Entra sends the administrator back after consent (`{publicUrl}/consent/callback`, registered on the app).
   * With it the URL is the v2 endpoint, which requires a redirect URI; without it the v1 endpoint, which does not.
   */
  readonly consentRedirectUri?: string;
}

/** `az cloud set` and `Connect-MgGraph -Environment` names per national cloud. */
const CLOUD_TOOLS: Record<CloudName, { az: string; mgEnvironment: string }> = {
  Global: { az: 'AzureCloud', mgEnvironment: 'Global' },
  USGov: { az: 'AzureUSGovernment', mgEnvironment: 'USGov' },
  USGovDoD: { az: 'AzureUSGovernment', mgEnvironment: 'USGovDoD' },
  China: { az: 'AzureChinaCloud', mgEnvironment: 'China' },
};

/**
 * The least-privileged Application permissions for the chosen capabilities (product.md sections 6 and 9.3), from the
 * one capabilities table: the least privileged permission of every requirement, then any permission made
 * redundant by another chosen one is dropped (User.ReadWrite.All already reads users, so User.Read.All goes).
 */
export function planPermissions(input: PermissionPlanInput): PermissionPlan {
  const capabilities = orderCapabilities(input.capabilities ?? CAPABILITY_NAMES);
  const requirements = requirementsOf(capabilities);
  const chosen = leastPermissions([...requirements.keys()]);
  const granted = new Set(input.grantedRoles);
  const permissions = chosen.map((value) => ({
    value,
    id: graphAppRoleId(value),
    type: 'Role' as const,
    granted: granted.has(value),
    neededBy: capabilities.filter((capability) =>
      [...requirements].some(
        ([requirement, users]) => users.includes(capability) && firstMet(requirement, chosen) === value,
      ),
    ),
  }));
  const requiredResourceAccess = [
    {
      resourceAppId: MICROSOFT_GRAPH_APP_ID,
      resourceAccess: permissions.map((p) => ({ id: p.id, type: 'Role' as const })),
    },
  ];
  return {
    connection: input.connection,
    clientId: input.clientId,
    capabilities,
    permissions,
    requiredResourceAccess,
    adminConsentUrl: input.credentialKind === 'managedIdentity' ? null : adminConsentUrl(input),
    commands: {
      azureCli: azureCliCommands(input, permissions),
      powershell: powershellCommands(input, permissions),
    },
  };
}

/**
 * The tenant-specific admin-consent URL (facts G.3). v2 (`/v2.0/adminconsent`, scope `{graph}/.default` = every
 * permission of requiredResourceAccess) needs a registered redirect URI; without one, the v1 endpoint, which
 * Microsoft's own quickstarts hand to administrators: https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 */
export function adminConsentUrl(
  input: Pick<PermissionPlanInput, 'authorityHost' | 'tenantId' | 'clientId' | 'cloud' | 'consentRedirectUri'>,
  state?: string,
): string {
  const tenant = encodeURIComponent(input.tenantId);
  if (!input.consentRedirectUri) {
    return `${input.authorityHost}/${tenant}/adminconsent?client_id=${encodeURIComponent(input.clientId)}`;
  }
  const query = new URLSearchParams({
    client_id: input.clientId,
    scope: graphScope(input.cloud),
    redirect_uri: input.consentRedirectUri,
    ...(state ? { state } : {}),
  });
  return `${input.authorityHost}/${tenant}/v2.0/adminconsent?${query.toString()}`;
}

function orderCapabilities(names: readonly CapabilityName[]): CapabilityName[] {
  return CAPABILITY_NAMES.filter((name) => names.includes(name));
}

/** Requirement → the capabilities that need it, in table order. */
function requirementsOf(capabilities: readonly CapabilityName[]): Map<PermissionRequirement, CapabilityName[]> {
  const requirements = new Map<PermissionRequirement, CapabilityName[]>();
  for (const capability of capabilities) {
    for (const requirement of CAPABILITIES[capability].requires) {
      requirements.set(requirement, [...(requirements.get(requirement) ?? []), capability]);
    }
  }
  return requirements;
}

function leastPermissions(requirements: readonly PermissionRequirement[]): string[] {
  const chosen = [...new Set(requirements.map((r) => PERMISSION_REQUIREMENTS[r][0] as string))];
  // Reads come before writes in the table, so a read made redundant by a write is the one dropped.
  for (const candidate of [...chosen]) {
    const without = chosen.filter((p) => p !== candidate);
    if (requirements.every((requirement) => firstMet(requirement, without) !== undefined)) {
      chosen.splice(chosen.indexOf(candidate), 1);
    }
  }
  return chosen;
}

function firstMet(requirement: PermissionRequirement, permissions: readonly string[]): string | undefined {
  return PERMISSION_REQUIREMENTS[requirement].find((permission) => permissions.includes(permission));
}

function azureCliCommands(input: PermissionPlanInput, permissions: readonly PlannedPermission[]): string[] {
  const cloud = input.cloud === 'Global' ? [] : [`az cloud set --name ${CLOUD_TOOLS[input.cloud].az}`];
  if (input.credentialKind === 'managedIdentity') {
    // A managed identity has no app registration: its permissions are app role assignments on its service
    // principal (https://learn.microsoft.com/graph/permissions-grant-via-msgraph).
    return [
      ...cloud,
      `MI_SP=$(az ad sp show --id ${input.clientId} --query id -o tsv)`,
      `GRAPH_SP=$(az ad sp show --id ${MICROSOFT_GRAPH_APP_ID} --query id -o tsv)`,
      ...permissions.map(
        (p) =>
          `az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$GRAPH_SP/appRoleAssignedTo" --body '{"principalId":"'$MI_SP'","resourceId":"'$GRAPH_SP'","appRoleId":"${p.id}"}'`,
      ),
    ];
  }
  return [
    ...cloud,
    `az ad app permission add --id ${input.clientId} --api ${MICROSOFT_GRAPH_APP_ID} --api-permissions ${permissions.map((p) => `${p.id}=Role`).join(' ')}`,
    `az ad app permission admin-consent --id ${input.clientId}`,
  ];
}

function powershellCommands(input: PermissionPlanInput, permissions: readonly PlannedPermission[]): string[] {
  const environment = input.cloud === 'Global' ? '' : ` -Environment ${CLOUD_TOOLS[input.cloud].mgEnvironment}`;
  return [
    `Connect-MgGraph -TenantId ${input.tenantId} -Scopes "Application.Read.All","AppRoleAssignment.ReadWrite.All"${environment}`,
    `$sp = Get-MgServicePrincipal -Filter "appId eq '${input.clientId}'"`,
    `$graph = Get-MgServicePrincipal -Filter "appId eq '${MICROSOFT_GRAPH_APP_ID}'"`,
    ...permissions.map(
      (p) =>
        `New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $graph.Id -AppRoleId ${p.id}  # ${p.value}`,
    ),
  ];
}
