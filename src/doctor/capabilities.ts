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
  /** Delete (soft) and restore users: https://learn.microsoft.com/graph/api/user-delete */
  deleteUsers: ['User.DeleteRestore.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  /** Another user's passwordProfile (plus a directory role): https://learn.microsoft.com/graph/api/user-update */
  resetPasswords: ['User-PasswordProfile.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
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

/**
 * The requirements as "any one set suffices" (what an action declares): every minimal combination of one
 * permission per requirement, least privileged first. `permissionSets('readUsers', 'readGroupMembers')` starts with
 * `['User.Read.All', 'GroupMember.Read.All']` and includes `['Directory.Read.All']`, which meets both alone.
 */
export function permissionSets(...requirements: PermissionRequirement[]): string[][] {
  let combos: { set: string[]; rank: number }[] = [{ set: [], rank: 0 }];
  for (const requirement of requirements) {
    combos = combos.flatMap(({ set, rank }) =>
      PERMISSION_REQUIREMENTS[requirement].map((permission, index) => ({
        set: set.includes(permission) ? set : [...set, permission],
        rank: rank + index,
      })),
    );
  }
  const best = new Map<string, { set: string[]; rank: number }>();
  for (const combo of combos) {
    const key = [...combo.set].sort().join(' ');
    const known = best.get(key);
    if (!known || combo.rank < known.rank) best.set(key, combo);
  }
  const unique = [...best.values()];
  // A set that contains another set is never needed: the smaller one suffices.
  const minimal = unique.filter(
    (candidate) => !unique.some((other) => other !== candidate && other.set.every((p) => candidate.set.includes(p))),
  );
  return minimal.sort((a, b) => a.rank - b.rank || a.set.length - b.set.length).map((combo) => combo.set);
}

/** Every capability's status for the granted `roles`, in table order. */
export function evaluateCapabilities(roles: readonly string[]): Record<CapabilityName, CapabilityStatus> {
  const result = {} as Record<CapabilityName, CapabilityStatus>;
  for (const name of CAPABILITY_NAMES) result[name] = evaluateCapability(name, roles);
  return result;
}
