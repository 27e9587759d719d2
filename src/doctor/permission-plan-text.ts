import type { PermissionPlan } from './permission-plan.js';

/** The plan for people (`gatehouse connections permissions NAME` without --json). */
export function renderPermissionPlan(plan: PermissionPlan): string {
  const lines = [
    `Connection '${plan.connection}' (client ${plan.clientId}): least-privileged Microsoft Graph application permissions for ${plan.capabilities.join(', ')}`,
    '',
  ];
  for (const permission of plan.permissions) {
    lines.push(
      `  ${permission.granted ? 'granted' : 'MISSING'}  ${permission.value}  ${permission.id}  (for ${permission.neededBy.join(', ')})`,
    );
  }
  lines.push('', 'App manifest (requiredResourceAccess; it declares, only admin consent grants):');
  lines.push(...JSON.stringify(plan.requiredResourceAccess, null, 2).split('\n'));
  lines.push('', 'Azure CLI:', ...plan.commands.azureCli.map((c) => `  ${c}`));
  lines.push('', 'Microsoft Graph PowerShell:', ...plan.commands.powershell.map((c) => `  ${c}`));
  lines.push('');
  if (plan.adminConsentUrl) {
    lines.push(
      'Admin consent (a Privileged Role Administrator or Global Administrator opens it):',
      `  ${plan.adminConsentUrl}`,
    );
  } else {
    lines.push(
      'A managed identity has no app registration to consent to: assign the app roles with the commands above.',
    );
  }
  return lines.join('\n');
}
