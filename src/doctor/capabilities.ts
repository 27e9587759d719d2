/**
 * What gatehouse can do with a connection and the least Microsoft Graph application permissions each needs
 * (product.md section 6, facts E.2). The one place this table lives: the doctor, the actions and the web UI read it.
 *
 * A capability needs every one of its requirements; a requirement is met by any one of its permissions, listed
 * least privileged first (that one is what gatehouse asks the administrator to add).
 * Sources: https://learn.microsoft.com/graph/api/user-delta , https://learn.microsoft.com/graph/api/group-delta ,
 * https://learn.microsoft.com/graph/api/user-update , https://learn.microsoft.com/graph/api/group-post-members
 */
export const PERMISSION_REQUIREMENTS = {
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readGroupMembers: [
    'GroupMember.Read.All',
    'GroupMember.ReadWrite.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  writeUsers: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  /** Disable/enable alone (with readUsers): User.EnableDisableAccount.All is enough for accountEnabled. */
  enableDisableUsers: ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  writeGroupMembers: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
} as const satisfies Record<string, readonly string[]>;

export type PermissionRequirement = keyof typeof PERMISSION_REQUIREMENTS;

export interface Capability {
  /** What an administrator gets, in their words. */
  readonly label: string;
  readonly requires: readonly PermissionRequirement[];
  /** Writes are never tried by the doctor; its Graph probe for these proves the read side only. */
  readonly writes: boolean;
}

export const CAPABILITIES = {
  syncUsers: { label: 'Sync users', requires: ['readUsers'], writes: false },
  syncGroups: { label: 'Sync groups with their memberships', requires: ['readGroupMembers'], writes: false },
  checkMembershipLive: {
    label: 'Check memberships live against Graph',
    requires: ['readUsers', 'readGroupMembers'],
    writes: false,
  },
  manageUsers: { label: 'Create, update, disable and delete users', requires: ['writeUsers'], writes: true },
  manageGroupMembers: { label: 'Add and remove group members', requires: ['writeGroupMembers'], writes: true },
} as const satisfies Record<string, Capability>;

export type CapabilityName = keyof typeof CAPABILITIES;

export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as CapabilityName[];

export interface CapabilityStatus {
  readonly ok: boolean;
  /** The least privileged permission for each unmet requirement (what to add in the portal). */
  readonly missing: string[];
}

/** True when `roles` meets the requirement (any one of its permissions is granted). */
export function meetsRequirement(requirement: PermissionRequirement, roles: readonly string[]): boolean {
  const granted = new Set(roles);
  return PERMISSION_REQUIREMENTS[requirement].some((permission) => granted.has(permission));
}

/** Whether `roles` allow the capability, and which least-privileged permissions to add if not. */
export function evaluateCapability(name: CapabilityName, roles: readonly string[]): CapabilityStatus {
  const missing = CAPABILITIES[name].requires
    .filter((requirement) => !meetsRequirement(requirement, roles))
    .map((requirement) => PERMISSION_REQUIREMENTS[requirement][0]);
  return { ok: missing.length === 0, missing };
}

/** Every capability's status for the granted `roles`, in table order. */
export function evaluateCapabilities(roles: readonly string[]): Record<CapabilityName, CapabilityStatus> {
  const result = {} as Record<CapabilityName, CapabilityStatus>;
  for (const name of CAPABILITY_NAMES) result[name] = evaluateCapability(name, roles);
  return result;
}
