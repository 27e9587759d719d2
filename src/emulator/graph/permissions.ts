/**
 * Application permissions each operation accepts (facts E.2, per-API permission tables on learn.microsoft.com):
 * a requirement is a list of alternatives; each alternative is a set of roles that must all be present.
 */
export type Requirement = readonly (readonly string[])[];

const any = (...roles: string[]): Requirement => roles.map((r) => [r]);

const USER_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_READ = [
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

export const PERMISSIONS = {
  /** GET /users, /users/{id}: User.ReadBasic.All suffices for the basic properties. */
  readUsers: any('User.ReadBasic.All', ...USER_READ),
  userDelta: any(...USER_READ),
  readGroups: any(...GROUP_READ),
  /** /users/{id}/memberOf, transitiveMemberOf, checkMemberGroups, getMemberGroups: a user read + a group read. */
  userMembership: [
    ...['User.ReadBasic.All', ...USER_READ].flatMap((u) => GROUP_READ.map((g) => [u, g])),
    ['Directory.Read.All'],
    ['Directory.ReadWrite.All'],
  ] as Requirement,
  /** The generic /directoryObjects/{id}/… forms. */
  directoryRead: any('Directory.Read.All', 'Directory.ReadWrite.All'),
  writeUsers: any('User.ReadWrite.All', 'Directory.ReadWrite.All'),
  /** PATCH that only touches accountEnabled (https://learn.microsoft.com/graph/api/user-update). */
  enableDisableUser: [
    ['User.EnableDisableAccount.All', 'User.Read.All'],
    ['User.ReadWrite.All'],
    ['Directory.ReadWrite.All'],
  ] as Requirement,
  deleteUsers: any('User.DeleteRestore.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'),
  writeMembers: any('GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'),
  readOrganization: any('Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'User.Read.All'),
} as const satisfies Record<string, Requirement>;

export function satisfies(roles: readonly string[], requirement: Requirement): boolean {
  return requirement.some((alternative) => alternative.every((role) => roles.includes(role)));
}
